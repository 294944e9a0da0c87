import { describe, expect, it } from 'vitest';
import { api, createArticle, editorToken } from './support/api';
import { eventually, page, pathOf } from './support/site';

describe('scheduled articles', () => {
  it('stay off the site until publishAt, then are published and rendered by the scheduler', async () => {
    const publishAt = new Date(Date.now() + 1500).toISOString();
    const { body } = await createArticle({ section: 'politics', publishAt });
    expect(body.status).toBe('scheduled');
    expect((await api(`/api/articles/${body.id}`)).status).toBe(404);
    expect((await page(pathOf(body.url))).status).toBe(404);

    const published = await eventually(async () => {
      const response = await api(`/api/articles/${body.id}`);
      return response.status === 200 ? response.body : undefined;
    }, 'the scheduler to publish the article');
    expect(published).toMatchObject({ status: 'published', publishedAt: publishAt, version: 2 });
    await eventually(async () => (await page(pathOf(body.url))).status === 200, 'the page to be rendered');
    const latest = await api('/api/latest?section=politics&limit=50');
    expect(latest.body.items.map((item: { id: string }) => item.id)).toContain(body.id);
  });

  it('can be rescheduled or published at once by editing publishAt', async () => {
    const later = new Date(Date.now() + 3_600_000).toISOString();
    const { body } = await createArticle({ section: 'politics', publishAt: later });
    const now = await api(`/api/articles/${body.id}`, {
      method: 'PATCH',
      token: editorToken(),
      headers: { 'if-match': '"1"' },
      json: { publishAt: null },
    });
    expect(now.body).toMatchObject({ status: 'published', version: 2 });
    expect(now.body.publishAt).toBeUndefined();
  });
});
