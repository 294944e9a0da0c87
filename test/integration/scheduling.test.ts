import { describe, expect, it } from 'vitest';
import { api, articleInput, createArticle, editorToken } from './support/api';
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

  it('read publishAt in any UTC offset as the instant it names, and store it in UTC', async () => {
    // An hour ahead, written in Nepal's +05:45.
    const target = new Date(Math.floor(Date.now() / 1000) * 1000 + 3_600_000);
    const local = new Date(target.getTime() + (5 * 60 + 45) * 60_000).toISOString().slice(0, 19);
    const { body } = await createArticle({
      section: 'politics',
      status: 'published',
      publishAt: `${local}+05:45`,
    });
    expect(body).toMatchObject({ status: 'scheduled', publishAt: target.toISOString() });
    expect(body.publishedAt).toBeUndefined();
    expect((await api(`/api/articles/${body.id}`)).status).toBe(404);
  });

  it('backdate a publish to a past publishAt written with an offset', async () => {
    const { body } = await createArticle({ status: 'published', publishAt: '2024-02-29T23:30:00-09:30' });
    expect(body).toMatchObject({
      status: 'published',
      publishAt: '2024-03-01T09:00:00.000Z',
      publishedAt: '2024-03-01T09:00:00.000Z',
    });
  });

  it('are never live with a publishAt past the documented range, as published or as scheduled', async () => {
    for (const status of ['published', 'scheduled']) {
      const response = await api('/api/articles', {
        method: 'POST',
        token: editorToken(),
        json: articleInput({ status, publishAt: '9999-12-31T23:59:59-05:00' }),
      });
      expect(response.status).toBe(400);
      expect(response.body.error.details).toEqual([
        {
          field: 'publishAt',
          message: 'publishAt must be from 1990-01-01T00:00:00Z up to, not including, 2100-01-01T00:00:00Z',
        },
      ]);
    }
  });
});
