import { describe, expect, it } from 'vitest';
import { api, articleInput, editorToken, expectError } from './support/api';

const create = (key: string, input: unknown) =>
  api('/api/articles', {
    method: 'POST',
    token: editorToken(),
    json: input,
    headers: { 'idempotency-key': key },
  });

describe('Idempotency-Key on POST /api/articles', () => {
  it('returns the first response to a retry instead of creating a duplicate', async () => {
    const key = `retry-${Date.now()}`;
    const input = articleInput({ section: 'business' });
    const first = await create(key, input);
    expect(first.status).toBe(201);
    const retry = await create(key, input);
    expect(retry.status).toBe(201);
    expect(retry.body).toEqual(first.body);
    expect(retry.headers.get('location')).toBe(first.headers.get('location'));
    expect(retry.headers.get('etag')).toBe(first.headers.get('etag'));
    const listed = (await api('/api/latest?section=business&limit=50')).body.items.filter(
      (item: { title: string }) => item.title === input.title,
    );
    expect(listed).toHaveLength(1);
  });

  it('refuses the same key with a different body with 409', async () => {
    const key = `conflict-${Date.now()}`;
    expect((await create(key, articleInput())).status).toBe(201);
    expectError(await create(key, articleInput()), 409, 'idempotency_conflict', expect);
  });

  it('creates distinct articles for distinct keys', async () => {
    const input = articleInput();
    const first = await create(`a-${Date.now()}`, input);
    const second = await create(`b-${Date.now()}`, input);
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.body.id).not.toBe(first.body.id);
  });

  it('does not remember a refused request, so a corrected retry with the same key succeeds', async () => {
    const key = `fix-${Date.now()}`;
    expectError(await create(key, articleInput({ section: 'nowhere' })), 400, 'validation_failed', expect);
    expect((await create(key, articleInput())).status).toBe(201);
  });

  it('refuses a malformed key with 400', async () => {
    expectError(await create('has spaces in it', articleInput()), 400, 'bad_request', expect);
  });
});
