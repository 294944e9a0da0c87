import { describe, expect, it } from 'vitest';
import { type ApiResponse, adminToken, api, createArticle, editorToken } from './support/api';

/**
 * The local origin caches the public API reads as the CloudFront behaviours do, and forgets them when a
 * write comes through it, so the lists stay read-your-writes locally.
 */

const ids = (response: ApiResponse) => (response.body.items as { id: string }[]).map((item) => item.id);

describe('the edge cache of the public API reads', () => {
  it('answers a repeated read from the cache, whoever asks, and per Origin', async () => {
    const path = `/api/latest?limit=4&section=bota`;
    const first = await api(path);
    expect(first.status).toBe(200);
    expect(first.headers.get('x-cache')).toBe('Miss from cloudfront');

    const again = await api(path);
    expect(again.headers.get('x-cache')).toBe('Hit from cloudfront');
    expect(Number(again.headers.get('age'))).toBeGreaterThanOrEqual(0);
    expect(again.text).toBe(first.text);
    expect(again.headers.get('cache-control')).toBe(first.headers.get('cache-control'));
    expect(again.headers.get('content-security-policy')).toBeTruthy();

    // CloudFront forwards no token on this behaviour, so it shares the entry with everyone.
    const withToken = await api(path, { token: editorToken() });
    expect(withToken.headers.get('x-cache')).toBe('Hit from cloudfront');
    expect(withToken.text).toBe(first.text);

    const otherOrigin = await api(path, { headers: { origin: 'https://app.example' } });
    expect(otherOrigin.headers.get('x-cache')).toBe('Miss from cloudfront');
  });

  it('never caches refusals or the uncached behaviours', async () => {
    for (let round = 0; round < 2; round += 1) {
      const refused = await api('/api/latest?limit=0');
      expect(refused.status).toBe(400);
      expect(refused.headers.get('x-cache')).toBe('Miss from cloudfront');
    }
    const { body } = await createArticle({ section: 'bota' });
    for (let round = 0; round < 2; round += 1) {
      const article = await api(`/api/articles/${body.id}`);
      expect(article.status).toBe(200);
      expect(article.headers.get('x-cache')).toBeNull();
      expect(article.headers.get('age')).toBeNull();
    }
  });

  it('forgets what it cached when a write comes through the origin', async () => {
    const path = '/api/latest?limit=3';
    await api(path);
    expect((await api(path)).headers.get('x-cache')).toBe('Hit from cloudfront');

    const { body } = await createArticle({ section: 'sport' });
    const afterCreate = await api(path);
    expect(afterCreate.headers.get('x-cache')).toBe('Miss from cloudfront');
    expect(ids(afterCreate)[0]).toBe(body.id);

    expect((await api(path)).headers.get('x-cache')).toBe('Hit from cloudfront');
    const deleted = await api(`/api/articles/${body.id}`, { method: 'DELETE', token: adminToken() });
    expect(deleted.status).toBe(204);
    expect(ids(await api(path))).not.toContain(body.id);
  });
});
