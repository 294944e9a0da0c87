import { beforeAll, describe, expect, inject, it } from 'vitest';
import { type LocalIssuer, openLocalIssuer } from '../../local/local-issuer';
import {
  type ApiResponse,
  adminToken,
  api,
  articleInput,
  createArticle,
  editorToken,
  expectError,
  origin,
} from './support/api';
import { conformingFetch } from './support/openapi-conformance';

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
        await api(`/api/articles/${id}`, { method: 'DELETE', token: adminToken() }),
        404,
        'not_found',
        expect,
      );
    }
  });
});

describe('publishAt: the documented range, real calendar dates, no leap seconds', () => {
  const RANGE = 'publishAt must be from 1990-01-01T00:00:00Z up to, not including, 2100-01-01T00:00:00Z';

  it.each(['published', 'scheduled', 'draft'])(
    '400 naming publishAt for a %s article in year 9999 (which used to go live at once)',
    async (status) => {
      const response = await expectNothingChanged(() =>
        post({
          token: editorToken(),
          json: articleInput({ status, publishAt: '9999-12-31T23:59:59-05:00' }),
        }),
      );
      expectError(response, 400, 'validation_failed', expect);
      expect(response.body.error.details).toEqual([{ field: 'publishAt', message: RANGE }]);
    },
  );

  it.each([
    ['2100-01-01T00:00:00Z', RANGE],
    ['1989-12-31T23:59:59Z', RANGE],
    [
      '2026-02-30T08:00:00Z',
      'publishAt is not a calendar date: 2026-02-30 does not exist (2026-02 has 28 days)',
    ],
    [
      '2016-12-31T23:59:60Z',
      'publishAt is a leap second (:60), which is not accepted; use :59 or the next minute',
    ],
  ])('400 naming publishAt for %j, saying why', async (publishAt, message) => {
    const response = await expectNothingChanged(() =>
      post({ token: editorToken(), json: articleInput({ publishAt }) }),
    );
    expectError(response, 400, 'validation_failed', expect);
    expect(response.body.error.details).toEqual([{ field: 'publishAt', message }]);
  });

  it('400 for an update that moves publishAt out of range, with the article unchanged', async () => {
    const { body } = await createArticle({ status: 'draft' });
    const response = await api(`/api/articles/${body.id}`, {
      method: 'PATCH',
      token: editorToken(),
      headers: { 'if-match': '"1"' },
      json: { status: 'published', publishAt: '9999-12-31T23:59:59-05:00' },
    });
    expectError(response, 400, 'validation_failed', expect);
    expect(response.body.error.details).toEqual([{ field: 'publishAt', message: RANGE }]);
    expect((await api(`/api/articles/${body.id}`, { token: editorToken() })).body).toMatchObject({
      status: 'draft',
      version: 1,
    });
  });
});

describe('request bodies that are not UTF-8', () => {
  /** The bytes as sent, untouched by any string conversion on the client side. */
  async function postBytes(bytes: Buffer): Promise<ApiResponse> {
    const response = await conformingFetch(new URL('/api/articles', origin()), {
      method: 'POST',
      headers: { authorization: `Bearer ${editorToken()}`, 'content-type': 'application/json' },
      body: new Uint8Array(bytes),
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: JSON.parse(text), text };
  }

  it.each([
    ['0xC3 0x28', [0xc3, 0x28]],
    ['0xFF', [0xff]],
  ])('400 invalid_json for %s inside a JSON string, storing nothing', async (_, invalid) => {
    const json = JSON.stringify(articleInput({ title: 'Broken XX bytes' }));
    const [head, tail] = json.split('XX') as [string, string];
    const bytes = Buffer.concat([Buffer.from(head), Buffer.from(invalid), Buffer.from(tail)]);
    const response = await expectNothingChanged(() => postBytes(bytes));
    expectError(response, 400, 'invalid_json', expect);
  });

  it('accepts U+FFFD sent as valid UTF-8: only broken bytes are refused', async () => {
    const response = await post({
      token: editorToken(),
      json: articleInput({ title: 'Replacement \uFFFD sign' }),
    });
    expect(response.status).toBe(201);
    expect(response.body.title).toBe('Replacement \uFFFD sign');
  });
});

describe('groups are matched whole', () => {
  let issuer: LocalIssuer;

  beforeAll(async () => {
    issuer = await openLocalIssuer(inject('dataDir'));
  });

  const VARIANTS: [string, Parameters<LocalIssuer['mintToken']>[0]][] = [
    ['an array of one comma-separated name', { groups: ['readers,editors'] }],
    ['an array of one space-separated name', { groups: ['readers editors'] }],
    ['a comma-separated string', { claims: { 'cognito:groups': 'readers,editors' } }],
    ['a space-separated string', { claims: { 'cognito:groups': 'readers editors' } }],
    ['a string in the flattened form, padded', { claims: { 'cognito:groups': ' [readers editors] ' } }],
    ['a nested array', { claims: { 'cognito:groups': ['readers', ['editors']] } }],
    ['an array of objects', { claims: { 'cognito:groups': [{ name: 'editors' }] } }],
  ];

  it.each(VARIANTS)('403 on every editor route for a token whose groups are %s', async (_, options) => {
    const token = await issuer.mintToken({ username: 'sneaky', ...options });
    const { body } = await createArticle({ status: 'draft' });
    expectError(
      await expectNothingChanged(() => post({ token, json: articleInput() })),
      403,
      'forbidden',
      expect,
    );
    for (const method of ['PATCH', 'DELETE']) {
      const response = await api(`/api/articles/${body.id}`, {
        method,
        token,
        headers: { 'if-match': '"1"' },
        json: { title: 'hijacked' },
      });
      expectError(response, 403, 'forbidden', expect);
    }
    // The optional route: the token grants no role, so its user reads like anyone and the draft stays hidden.
    expectError(await api(`/api/articles/${body.id}`, { token }), 404, 'not_found', expect);
    expect((await api(`/api/articles/${body.id}`, { token: editorToken() })).body).toMatchObject({
      title: body.title,
      version: 1,
    });
  });

  it('201 for a token whose array really holds editors among other groups', async () => {
    const token = await issuer.mintToken({ username: 'multi', groups: ['readers', 'editors'] });
    expect((await post({ token, json: articleInput() })).status).toBe(201);
  });
});

describe('token time claims', () => {
  let issuer: LocalIssuer;
  const nowSeconds = () => Math.floor(Date.now() / 1000);

  beforeAll(async () => {
    issuer = await openLocalIssuer(inject('dataDir'));
  });

  it('401 for a token issued an hour in the future, on editor and optional routes', async () => {
    const token = await issuer.mintToken({ issuedAt: nowSeconds() + 3600, expiresIn: '2h' });
    expectError(
      await expectNothingChanged(() => post({ token, json: articleInput() })),
      401,
      'unauthorized',
      expect,
    );
    const { body } = await createArticle();
    expectError(await api(`/api/articles/${body.id}`, { token }), 401, 'unauthorized', expect);
  });

  it('401 for a token that is not valid yet (nbf an hour ahead)', async () => {
    const token = await issuer.mintToken({ notBefore: nowSeconds() + 3600, expiresIn: '2h' });
    expectError(
      await expectNothingChanged(() => post({ token, json: articleInput() })),
      401,
      'unauthorized',
      expect,
    );
  });

  it('accepts a token whose iat is a few seconds ahead (clock skew)', async () => {
    const token = await issuer.mintToken({ issuedAt: nowSeconds() + 5 });
    expect((await post({ token, json: articleInput() })).status).toBe(201);
  });
});
