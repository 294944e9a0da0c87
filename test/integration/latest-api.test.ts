import { beforeAll, describe, expect, it } from 'vitest';
import { api, createArticle, expectError } from './support/api';

interface LatestItem {
  id: string;
  slug: string;
  title: string;
  summary: string | null;
  section: string;
  publishedAt: string;
  url: string;
}

async function allPages(query: string, limit: number): Promise<{ items: LatestItem[]; pages: number }> {
  const items: LatestItem[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const suffix: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
    const response = await api(`/api/latest?limit=${limit}${query}${suffix}`);
    expect(response.status, response.text).toBe(200);
    expect(response.body.items.length).toBeLessThanOrEqual(limit);
    items.push(...response.body.items);
    cursor = response.body.nextCursor;
    pages += 1;
    expect(pages).toBeLessThan(200);
  } while (cursor);
  return { items, pages };
}

describe('GET /api/latest', () => {
  const created: string[] = [];

  beforeAll(async () => {
    // Sequential, so publication times are strictly increasing.
    for (let index = 0; index < 7; index += 1) {
      created.push(
        (await createArticle({ section: 'opinion', title: `Column ${index} ${Date.now()}` })).body.id,
      );
    }
    await createArticle({ section: 'opinion', status: 'draft' });
  });

  it('lists published articles newest first with the fields of the contract', async () => {
    const response = await api('/api/latest');
    expect(response.status).toBe(200);
    expect(response.body.items.length).toBe(10);
    const [first] = response.body.items as LatestItem[];
    expect(Object.keys(first ?? {}).sort()).toEqual(
      ['id', 'language', 'publishedAt', 'section', 'slug', 'summary', 'title', 'url'].sort(),
    );
    const dates = response.body.items.map((item: LatestItem) => item.publishedAt);
    expect(dates).toEqual([...dates].sort().reverse());
    expect(response.headers.get('cache-control')).toMatch(/stale-while-revalidate/);
  });

  it('pages through everything with no duplicates and no gaps', async () => {
    const single = await api('/api/latest?limit=50');
    const { items, pages } = await allPages('', 3);
    expect(pages).toBeGreaterThan(2);
    const ids = items.map((item) => item.id);
    expect(new Set(ids).size).toBe(ids.length);
    if (!single.body.nextCursor) expect(ids).toEqual(single.body.items.map((item: LatestItem) => item.id));
    for (const id of created) expect(ids).toContain(id);
  });

  it('filters by section, paging within it', async () => {
    const { items } = await allPages('&section=opinion', 2);
    expect(items.every((item) => item.section === 'opinion')).toBe(true);
    expect(items.map((item) => item.id).slice(0, created.length)).toEqual([...created].reverse());
  });

  it('never lists drafts, scheduled or unpublished articles', async () => {
    const draft = await createArticle({ section: 'opinion', status: 'draft' });
    const scheduled = await createArticle({
      section: 'opinion',
      publishAt: new Date(Date.now() + 86_400_000).toISOString(),
    });
    const unpublished = await createArticle({ section: 'opinion' });
    await api(`/api/articles/${unpublished.body.id}`, {
      method: 'PATCH',
      token: (await import('./support/api')).editorToken(),
      headers: { 'if-match': '"1"' },
      json: { status: 'unpublished' },
    });
    const ids = (await allPages('&section=opinion', 50)).items.map((item) => item.id);
    expect(ids).not.toContain(draft.body.id);
    expect(ids).not.toContain(scheduled.body.id);
    expect(ids).not.toContain(unpublished.body.id);
  });

  it('refuses limits outside 1..50 and unknown parameters with 400', async () => {
    for (const query of [
      'limit=0',
      'limit=51',
      'limit=abc',
      'limit=2.5',
      'colour=red',
      'section=astrology',
    ]) {
      expectError(await api(`/api/latest?${query}`), 400, 'validation_failed', expect);
    }
  });

  it('refuses garbage, tampered and foreign cursors with 400', async () => {
    const page = await api('/api/latest?limit=1');
    const cursor: string = page.body.nextCursor;
    expect(cursor).toEqual(expect.any(String));
    const [data, signature] = cursor.split('.');
    const payload = JSON.parse(Buffer.from(data ?? '', 'base64url').toString());
    payload.k.latestSk = '9999';
    const tampered = `${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${signature}`;
    for (const bad of ['garbage', 'a.b', tampered, `${cursor}x`]) {
      expectError(
        await api(`/api/latest?limit=1&cursor=${encodeURIComponent(bad)}`),
        400,
        'invalid_cursor',
        expect,
      );
    }
    // A cursor from the unfiltered list does not continue a section's list.
    expectError(
      await api(`/api/latest?limit=1&section=opinion&cursor=${encodeURIComponent(cursor)}`),
      400,
      'invalid_cursor',
      expect,
    );
  });
});

describe('GET /api/latest, last page', () => {
  it('carries no cursor when nothing follows, even when the page is exactly full', async () => {
    const section = 'technology';
    const all = (await api(`/api/latest?limit=50&section=${section}`)).body;
    expect(all.nextCursor).toBeNull();
    const count = all.items.length;
    expect(count).toBeGreaterThan(0);
    const exact = await api(`/api/latest?limit=${count}&section=${section}`);
    expect(exact.body.items).toHaveLength(count);
    expect(exact.body.nextCursor).toBeNull();
  });
});
