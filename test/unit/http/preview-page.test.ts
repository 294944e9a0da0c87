import { describe, expect, it } from 'vitest';
import { DEFAULT_SITE } from '../../../functions/config/site';
import type { Article } from '../../../functions/domain/article';
import { PREVIEW_HEADERS, previewResponse } from '../../../functions/http/preview-page';
import { SitePublisher } from '../../../functions/publishing/site-publisher';
import { securityHeadersForHttp } from '../../../functions/render/security-headers';
import { livePageObject } from '../../../functions/render/site-objects';
import { InMemoryArticleRepository } from '../../support/in-memory-article-repository';
import { MemoryPageStore } from '../../support/memory-page-store';

function article(n: number, overrides: Partial<Article> = {}): Article {
  const minute = String(n).padStart(2, '0');
  return {
    id: `01JBBBBBBBBBBBBBBBBBBBBB${minute}`,
    slug: `story-${n}`,
    previousPaths: [],
    title: `Headline ${n}`,
    section: 'bota',
    body: `Body of story ${n}, with **bold** text.`,
    tags: ['one'],
    status: 'published',
    publishedAt: `2026-11-27T11:${minute}:00.000Z`,
    createdAt: `2026-11-27T11:${minute}:00.000Z`,
    updatedAt: `2026-11-27T11:${minute}:00.000Z`,
    version: 1,
    ...overrides,
  };
}

/** More published articles than the "Latest news" list shows, the previewed one among the newest. */
function seeded(): InMemoryArticleRepository {
  const repository = new InMemoryArticleRepository();
  for (let n = 1; n <= 14; n += 1) repository.seedArticle(article(n));
  return repository;
}

describe('previewResponse', () => {
  it('is byte for byte the page the site publisher writes for the same article', async () => {
    const repository = seeded();
    const previewed = article(14);
    const pages = new MemoryPageStore();
    const publisher = new SitePublisher(DEFAULT_SITE, repository, pages);
    publisher.startBatch();
    await publisher.putArticlePage(previewed);
    const written = pages.body(livePageObject(previewed).key);
    expect(written).toContain('<h1>Headline 14</h1>');

    const preview = await previewResponse(DEFAULT_SITE, repository, previewed);
    expect(preview.body).toBe(written);
  });

  it('renders a draft too, which the latest news (published articles only) never lists', async () => {
    const repository = seeded();
    const draft = article(15, { status: 'draft', publishedAt: undefined, title: 'Unpublished scoop' });
    repository.seedArticle(draft);
    const preview = await previewResponse(DEFAULT_SITE, repository, draft);
    expect(preview.statusCode).toBe(200);
    expect(preview.body).toContain('<h1>Unpublished scoop</h1>');
    expect(preview.body).toContain('href="/bota/story-14"');
    expect(preview.body).not.toMatch(/<li><a href="\/bota\/story-15"/);
  });

  it('is never stored, indexed or sent as a Referer, under the site security headers', async () => {
    const preview = await previewResponse(DEFAULT_SITE, seeded(), article(3));
    expect(preview.headers).toEqual(PREVIEW_HEADERS);
    expect(PREVIEW_HEADERS).toMatchObject({
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      'x-robots-tag': expect.stringContaining('noindex'),
      'referrer-policy': 'no-referrer',
    });
    const site = securityHeadersForHttp();
    expect(PREVIEW_HEADERS['content-security-policy']).toBe(site['Content-Security-Policy']);
    expect(PREVIEW_HEADERS['strict-transport-security']).toBe(site['Strict-Transport-Security']);
    expect(PREVIEW_HEADERS['x-frame-options']).toBe('DENY');
  });
});
