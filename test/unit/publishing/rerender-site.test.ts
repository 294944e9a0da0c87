import { describe, expect, it } from 'vitest';
import { DEFAULT_SITE } from '../../../functions/config/site';
import type { Article } from '../../../functions/domain/article';
import { rerenderSite } from '../../../functions/publishing/rerender-site';
import { SitePublisher } from '../../../functions/publishing/site-publisher';
import { InMemoryArticleRepository } from '../../support/in-memory-article-repository';
import { MemoryPageStore } from '../../support/memory-page-store';

function article(index: number, overrides: Partial<Article> = {}): Article {
  const time = new Date(Date.UTC(2026, 10, 1, 8, index)).toISOString();
  return {
    id: `01JAAAAAAAAAAAAAAAAAAAA${String(index).padStart(3, '0')}`,
    slug: `story-${index}`,
    previousPaths: [],
    title: `Story ${index}`,
    section: index % 2 ? 'bota' : 'sport',
    body: `Body of story ${index}`,
    tags: [],
    status: 'published',
    publishedAt: time,
    createdAt: time,
    updatedAt: time,
    version: 1,
    ...overrides,
  };
}

function setUp(count: number) {
  const repository = new InMemoryArticleRepository();
  for (let index = 1; index <= count; index += 1) repository.seedArticle(article(index));
  repository.seedArticle(article(999, { status: 'draft', publishedAt: undefined }));
  const pages = new MemoryPageStore();
  const publisher = new SitePublisher(
    DEFAULT_SITE,
    repository,
    pages,
    () => new Date('2026-11-02T00:00:00Z'),
  );
  return { repository, pages, publisher };
}

describe('rerenderSite', () => {
  it('renders every published article across pages of the index, then every index object', async () => {
    const { repository, pages, publisher } = setUp(25);
    const progress: number[] = [];
    const summary = await rerenderSite(repository, publisher, {
      concurrency: 3,
      pageSize: 7,
      onProgress: ({ rendered }) => progress.push(rendered),
    });
    expect(summary).toMatchObject({ rendered: 25, failed: 0, interrupted: false });
    for (let index = 1; index <= 25; index += 1) {
      const section = index % 2 ? 'bota' : 'sport';
      expect(pages.objects.get(`${section}/story-${index}/index.html`)?.body).toContain(`Story ${index}`);
    }
    expect(pages.objects.has('sport/story-999/index.html')).toBe(false);
    for (const key of [
      'index.html',
      'bota/index.html',
      'feed.xml',
      'sitemap.xml',
      '404.html',
      'robots.txt',
    ]) {
      expect(pages.objects.has(key), key).toBe(true);
    }
    expect(progress.at(-1)).toBe(25);
    expect(pages.objects.get('sitemaps/2026-11.xml')?.body).toContain('/bota/story-1<');
    expect(pages.objects.get('sitemap.xml')?.body).toContain('/sitemaps/2026-11.xml');
  });

  it('counts a failed article, carries on with the rest, and reports it', async () => {
    const { repository, pages, publisher } = setUp(5);
    pages.failKeys.add('sport/story-2/index.html');
    const failed: string[] = [];
    const summary = await rerenderSite(repository, publisher, {
      concurrency: 2,
      onFailure: (id) => failed.push(id),
    });
    expect(summary).toMatchObject({ rendered: 4, failed: 1 });
    expect(failed).toEqual([article(2).id]);
    expect(pages.objects.has('bota/story-3/index.html')).toBe(true);
  });

  it('stops early when interrupted, leaving the index objects for the next run', async () => {
    const { repository, pages, publisher } = setUp(30);
    const controller = new AbortController();
    const summary = await rerenderSite(repository, publisher, {
      concurrency: 1,
      pageSize: 5,
      signal: controller.signal,
      onProgress: ({ rendered }) => {
        if (rendered === 6) controller.abort();
      },
    });
    expect(summary.interrupted).toBe(true);
    expect(summary.rendered).toBeLessThan(30);
    expect(pages.objects.has('index.html')).toBe(false);

    // Running again completes the job.
    const again = await rerenderSite(repository, publisher, { concurrency: 4 });
    expect(again).toMatchObject({ rendered: 30, interrupted: false });
    expect(pages.objects.has('index.html')).toBe(true);
  });
});
