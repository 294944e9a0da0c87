import { describe, expect, inject, it } from 'vitest';
import { api, articleInput, createArticle, editorToken, expectError } from './support/api';

/**
 * Every refusal of the contract: the right status, the JSON error shape, and, checked after each one,
 * no change to what is stored.
 */

async function latestIds(): Promise<string[]> {
  const response = await api('/api/latest?limit=50');
  return response.body.items.map((item: { id: string }) => item.id);
}

async function expectNothingChanged<T>(action: () => Promise<T>): Promise<T> {
  const before = await latestIds();
  const result = await action();
  expect(await latestIds()).toEqual(before);
  return result;
}

const post = (options: Parameters<typeof api>[1]) => api('/api/articles', { method: 'POST', ...options });

describe('refused writes change nothing', () => {
  it('400 for a body that is not JSON', async () => {
    const response = await expectNothingChanged(() =>
      post({
        token: editorToken(),
        rawBody: '{"title": "unterminated',
        headers: { 'content-type': 'application/json' },
      }),
    );
    expectError(response, 400, 'invalid_json', expect);
  });

  it('400 naming each missing field', async () => {
    const response = await expectNothingChanged(() => post({ token: editorToken(), json: {} }));
    expectError(response, 400, 'validation_failed', expect);
    const fields = response.body.error.details.map((detail: { field: string }) => detail.field).sort();
    expect(fields).toEqual(['body', 'section', 'title']);
  });

  it('400 for an unknown section, listing the valid ones', async () => {
    const response = await expectNothingChanged(() =>
      post({ token: editorToken(), json: articleInput({ section: 'astrology' }) }),
    );
    expectError(response, 400, 'validation_failed', expect);
    expect(response.body.error.details).toEqual([
      expect.objectContaining({ field: 'section', message: expect.stringContaining('bota') }),
    ]);
  });

  it('400 for unknown fields and wrong types, each named', async () => {
    const response = await expectNothingChanged(() =>
      post({
        token: editorToken(),
        json: articleInput({ colour: 'red', tags: 'not-a-list', imageUrl: 'javascript:alert(1)' }),
      }),
    );
    expectError(response, 400, 'validation_failed', expect);
    const fields = response.body.error.details.map((detail: { field: string }) => detail.field).sort();
    expect(fields).toEqual(['colour', 'imageUrl', 'tags']);
  });

  it('400 for a JSON body that is not an object', async () => {
    const response = await expectNothingChanged(() => post({ token: editorToken(), json: ['a'] }));
    expectError(response, 400, 'validation_failed', expect);
  });

  it('413 for a body over 1 MiB', async () => {
    const response = await expectNothingChanged(() =>
      post({ token: editorToken(), json: articleInput({ body: 'x'.repeat(1024 * 1024 + 10) }) }),
    );
    expectError(response, 413, 'payload_too_large', expect);
  });

  it('413 counts bytes, not characters', async () => {
    // 400,000 three-byte characters: under a million characters, over a mebibyte of UTF-8.
    const response = await expectNothingChanged(() =>
      post({ token: editorToken(), json: articleInput({ body: '€'.repeat(400_000) }) }),
    );
    expectError(response, 413, 'payload_too_large', expect);
  });

  it('415 for a body that is not declared as JSON', async () => {
    const response = await expectNothingChanged(() =>
      post({
        token: editorToken(),
        rawBody: JSON.stringify(articleInput()),
        headers: { 'content-type': 'text/plain' },
      }),
    );
    expectError(response, 415, 'unsupported_media_type', expect);
  });

  it('401 without a token, with a malformed one, with an expired one; 403 for a non-editor', async () => {
    for (const token of [undefined, 'garbage', inject('expiredToken')]) {
      const response = await expectNothingChanged(() => post({ token, json: articleInput() }));
      expectError(response, 401, 'unauthorized', expect);
    }
    const response = await expectNothingChanged(() =>
      post({ token: inject('readerToken'), json: articleInput() }),
    );
    expectError(response, 403, 'forbidden', expect);
  });

  it('401/403 on update and delete too, leaving the article as it was', async () => {
    const { body } = await createArticle();
    for (const method of ['PATCH', 'DELETE']) {
      const anonymous = await api(`/api/articles/${body.id}`, {
        method,
        headers: { 'if-match': '"1"' },
        json: { title: 'hijacked' },
      });
      expectError(anonymous, 401, 'unauthorized', expect);
      const reader = await api(`/api/articles/${body.id}`, {
        method,
        token: inject('readerToken'),
        headers: { 'if-match': '"1"' },
        json: { title: 'hijacked' },
      });
      expectError(reader, 403, 'forbidden', expect);
    }
    const current = await api(`/api/articles/${body.id}`);
    expect(current.body).toMatchObject({ title: body.title, version: 1 });
  });

  it('400 for an invalid update, with the article unchanged', async () => {
    const { body } = await createArticle();
    const response = await api(`/api/articles/${body.id}`, {
      method: 'PATCH',
      token: editorToken(),
      headers: { 'if-match': '"1"' },
      json: { section: 'nowhere', title: '' },
    });
    expectError(response, 400, 'validation_failed', expect);
    const fields = response.body.error.details.map((detail: { field: string }) => detail.field).sort();
    expect(fields).toEqual(['section', 'title']);
    expect((await api(`/api/articles/${body.id}`)).body.version).toBe(1);
  });

  it('404 with the error shape for an unknown API route', async () => {
    expectError(await api('/api/nothing-here'), 404, 'not_found', expect);
    expectError(await api('/api/articles', { method: 'GET' }), 404, 'not_found', expect);
  });
});

describe('hostile path parameters', () => {
  it('answers 404, never a storage error, for ids and slugs no article could have', async () => {
    const long = 'a'.repeat(3000);
    for (const id of [long, 'NOT-A-SLUG', '..', '%E2%80%A8', 'x'.repeat(81)]) {
      expectError(await api(`/api/articles/${id}`), 404, 'not_found', expect);
      expectError(
        await api(`/api/articles/${id}`, {
          method: 'PATCH',
          token: editorToken(),
          headers: { 'if-match': '"1"' },
          json: { title: 'x' },
        }),
        404,
        'not_found',
        expect,
      );
      expectError(
        await api(`/api/articles/${id}`, { method: 'DELETE', token: editorToken() }),
        404,
        'not_found',
        expect,
      );
    }
  });
});
