import { describe, expect, it } from 'vitest';
import { adminToken, api, createArticle, editorToken } from './support/api';
import { eventually, page, pathOf } from './support/site';

/**
 * Takedowns and moves answered at the edge, through the local stack: the same viewer-request function
 * as CloudFront (functions/edge/url-rewrite.js), reading the edge routes store the render function keeps
 * (a file in DATA_DIR standing in for the KeyValueStore).
 */

async function answer(path: string, status: number) {
  return eventually(async () => {
    const response = await page(path);
    return response.status === status ? response : undefined;
  }, `${path} to answer ${status}`);
}

async function redirectsTo(path: string, target: string) {
  return eventually(async () => {
    const response = await page(path);
    return response.status === 301 && response.headers.get('location') === target ? response : undefined;
  }, `${path} to answer 301 to ${target}`);
}

async function listing(path: string, text: string, present: boolean) {
  return eventually(
    async () => {
      const response = await page(path);
      return response.status === 200 && response.text.includes(text) === present ? response : undefined;
    },
    `${path} ${present ? 'to list' : 'to no longer list'} ${text}`,
  );
}

const LISTINGS = [
  '/',
  '/bota/',
  '/feed.xml',
  '/feed.json',
  '/bota/feed.xml',
  '/news-sitemap.xml',
  '/sitemaps/pages.xml',
  '/latest.json',
];

async function edit(id: string, version: number, json: Record<string, unknown>, token = editorToken()) {
  const response = await api(`/api/articles/${id}`, {
    method: 'PATCH',
    token,
    headers: { 'if-match': `"${version}"` },
    json,
  });
  expect(response.status, response.text).toBe(200);
  return response.body as { url: string; slug: string };
}

describe('edge routes: 301 for moved articles, 410 for withdrawn ones', () => {
  it('collapses three slug changes, answers 410 after unpublish and delete, and restores on republish', async () => {
    const { body } = await createArticle({ section: 'bota', title: `Edge route story ${Date.now()}` });
    const first = pathOf(body.url);
    await answer(first, 200);

    const second = pathOf((await edit(body.id, 1, { slug: `${body.slug}-two` })).url);
    const third = pathOf((await edit(body.id, 2, { slug: `${body.slug}-three` })).url);
    const newest = pathOf((await edit(body.id, 3, { slug: `${body.slug}-four` })).url);
    const oldPaths = [first, second, third];
    expect(new Set([...oldPaths, newest]).size).toBe(4);

    // Each old URL straight to the newest: one hop, never a chain, the query kept.
    await answer(newest, 200);
    for (const path of oldPaths) await redirectsTo(path, newest);
    const withQuery = await redirectsTo(`${first}?utm_source=app`, `${newest}?utm_source=app`);
    expect(withQuery.headers.get('cache-control')).toBe('public, max-age=3600');

    // Unpublish: every URL of the article answers 410 with the gone page, and no list names it.
    await edit(body.id, 4, { status: 'unpublished' });
    for (const path of [newest, ...oldPaths]) {
      const gone = await answer(path, 410);
      expect(gone.headers.get('content-type')).toMatch(/^text\/html/);
      expect(gone.text).toMatch(/^<!doctype html>/);
      expect(gone.text).toContain('This story is no longer available');
    }
    for (const path of LISTINGS) await listing(path, newest, false);
    await eventually(async () => {
      const month = await page(`/sitemaps/${String(body.publishedAt).slice(0, 7)}.xml`);
      return month.status === 200 && !month.text.includes(newest);
    }, 'the month sitemap to drop the article');

    // Republish: the page, the redirects and the listings are back.
    await edit(body.id, 5, { status: 'published' });
    await answer(newest, 200);
    for (const path of oldPaths) await redirectsTo(path, newest);
    await listing('/', newest, true);
    await listing('/latest.json', newest, true);

    // Delete: gone again, for good.
    const deleted = await api(`/api/articles/${body.id}`, {
      method: 'DELETE',
      token: adminToken(),
      headers: { 'if-match': '"6"' },
    });
    expect(deleted.status).toBe(204);
    for (const path of [newest, ...oldPaths]) await answer(path, 410);
    await listing('/bota/', newest, false);
  });

  it('lets a new article take the slug a deleted one released: its page answers, not the 410', async () => {
    const title = `Edge reuse ${Date.now()}`;
    const { body } = await createArticle({ section: 'bota', title });
    const path = pathOf(body.url);
    await answer(path, 200);
    const deleted = await api(`/api/articles/${body.id}`, { method: 'DELETE', token: adminToken() });
    expect(deleted.status).toBe(204);
    await answer(path, 410);

    const again = await createArticle({ section: 'bota', title });
    expect(pathOf(again.body.url)).toBe(path);
    const live = await answer(path, 200);
    expect(live.text).toContain(title);
  });

  it('never asks the store about what is not an article, and serves a 404 for an unknown article path', async () => {
    await answer('/bota/never-written-anywhere', 404);
    await answer('/', 200);
    await answer('/feed.xml', 200);
  });
});
