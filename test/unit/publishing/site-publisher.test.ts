import { describe, expect, it } from 'vitest';
import { DEFAULT_SITE } from '../../../functions/config/site';
import type { Article } from '../../../functions/domain/article';
import type { LatestPage, LatestQuery } from '../../../functions/domain/article-repository';
import { SitePublisher } from '../../../functions/publishing/site-publisher';
import type { ArticleSummary } from '../../../functions/render/types';
import { InMemoryArticleRepository } from '../../support/in-memory-article-repository';
import { MemoryPageStore } from '../../support/memory-page-store';

/** Answers list reads from a snapshot taken before the batch's writes, as a lagging index would. */
class LaggingIndexRepository extends InMemoryArticleRepository {
  private snapshot: { latest: Map<string, LatestPage>; between: readonly ArticleSummary[] } | undefined;

  async freezeIndexes(): Promise<void> {
    const latest = new Map<string, LatestPage>();
    for (const section of [undefined, ...DEFAULT_SITE.sections.map((entry) => entry.slug)]) {
      latest.set(section ?? '*', await super.listLatest({ section, limit: 100 }));
    }
    this.snapshot = { latest, between: await super.listPublishedBetween('0', '9') };
  }

  override async listLatest(query: LatestQuery): Promise<LatestPage> {
    const page = this.snapshot?.latest.get(query.section ?? '*');
    return page ? { items: page.items.slice(0, query.limit) } : super.listLatest(query);
  }

  override async listPublishedBetween(from: string, to: string): Promise<readonly ArticleSummary[]> {
    if (!this.snapshot) return super.listPublishedBetween(from, to);
    return this.snapshot.between.filter((item) => item.publishedAt >= from && item.publishedAt < to);
  }
}

const NOW = new Date('2026-11-27T12:00:00.000Z');

function article(slug: string, overrides: Partial<Article> = {}): Article {
  return {
    id: `01JBBBBBBBBBBBBBBBBBBB${slug.toUpperCase().padStart(4, '0').slice(-4)}`,
    slug,
    previousPaths: [],
    title: `Headline ${slug}`,
    section: 'bota',
    body: 'Body',
    tags: [],
    status: 'published',
    publishedAt: '2026-11-27T11:00:00.000Z',
    createdAt: '2026-11-27T11:00:00.000Z',
    updatedAt: '2026-11-27T11:00:00.000Z',
    version: 1,
    ...overrides,
  };
}

describe('SitePublisher with an index that has not caught up yet', () => {
  it('lists what its batch published and drops what its batch removed', async () => {
    const repository = new LaggingIndexRepository();
    const leaving = article('aaaa');
    repository.seedArticle(leaving);
    await repository.freezeIndexes();

    const arriving = article('bbbb', { publishedAt: '2026-11-27T11:30:00.000Z' });
    repository.seedArticle(arriving);
    const pages = new MemoryPageStore();
    const publisher = new SitePublisher(DEFAULT_SITE, repository, pages, () => NOW);

    publisher.startBatch();
    const first = await publisher.applyChange(undefined, arriving);
    const second = await publisher.applyChange(leaving, { ...leaving, status: 'unpublished', version: 2 });
    await publisher.renderIndexes([...first.indexes, ...second.indexes]);

    for (const key of [
      'index.html',
      'bota/index.html',
      'feed.xml',
      'bota/feed.xml',
      'sitemaps/2026-11.xml',
    ]) {
      const body = pages.body(key) ?? '';
      expect(body, key).toContain('/bota/bbbb');
      expect(body, key).not.toContain('/bota/aaaa');
    }
    expect(pages.body('news-sitemap.xml')).toContain('/bota/bbbb');
    expect(pages.body('sitemap.xml')).toContain('/sitemaps/2026-11.xml');
    expect(pages.objects.has('bota/aaaa/index.html')).toBe(false);
  });

  it('lists the month of a first publication in the sitemap index before the index shows it', async () => {
    const repository = new LaggingIndexRepository();
    await repository.freezeIndexes();
    const first = article('dddd');
    repository.seedArticle(first);
    const pages = new MemoryPageStore();
    const publisher = new SitePublisher(DEFAULT_SITE, repository, pages, () => NOW);
    publisher.startBatch();
    await publisher.renderIndexes((await publisher.applyChange(undefined, first)).indexes);
    expect(pages.body('sitemap.xml')).toContain('/sitemaps/2026-11.xml');
    expect(pages.body('sitemaps/2026-11.xml')).toContain('/bota/dddd');
  });

  it('moves an article between section pages within the batch', async () => {
    const repository = new LaggingIndexRepository();
    const moving = article('cccc');
    repository.seedArticle(moving);
    await repository.freezeIndexes();
    const pages = new MemoryPageStore();
    const publisher = new SitePublisher(DEFAULT_SITE, repository, pages, () => NOW);

    publisher.startBatch();
    const outcome = await publisher.applyChange(moving, { ...moving, section: 'sport', version: 2 });
    await publisher.renderIndexes(outcome.indexes);

    expect(pages.body('sport/index.html')).toContain('/sport/cccc');
    expect(pages.body('bota/index.html')).not.toContain('cccc');
  });
});

/**
 * What a reader's browser or a feed reader gets from an object: an HTML page by its title, a feed by
 * its channel title, a sitemap by its root element. Two objects with swapped bodies, or a body served
 * as another format, describe differently.
 */
function describeBody(body: string): string {
  const tagText = (tag: string) => new RegExp(`<${tag}>([^<]*)</${tag}>`).exec(body)?.[1];
  if (body.startsWith('<!doctype html>')) return `HTML page "${tagText('title')}"`;
  if (body.includes('<rss ')) return `RSS feed "${tagText('title')}"`;
  if (body.includes('<sitemapindex ')) return 'sitemap index';
  if (body.includes('xmlns:news=')) return 'news sitemap';
  if (body.includes('<urlset ')) return 'URL sitemap';
  if (body.startsWith('User-agent:')) return 'robots.txt';
  const json = JSON.parse(body) as { version?: string; title?: string; items?: unknown[] };
  if (json.version?.startsWith('https://jsonfeed.org/')) return `JSON feed "${json.title}"`;
  return Array.isArray(json.items) ? 'latest JSON' : 'unknown JSON';
}

const HTML = 'text/html; charset=utf-8';
const RSS = 'application/rss+xml; charset=utf-8';
const XML = 'application/xml; charset=utf-8';

function writtenObjects(pages: MemoryPageStore): Record<string, { contentType: string; body: string }> {
  return Object.fromEntries(
    [...pages.objects].map(([key, { page, body }]) => [
      key,
      { contentType: page.contentType, body: describeBody(body) },
    ]),
  );
}

describe('SitePublisher writes each object as what its key promises', () => {
  const sectionObjects = Object.fromEntries(
    DEFAULT_SITE.sections.flatMap(({ slug, name }) => [
      [`${slug}/index.html`, { contentType: HTML, body: `HTML page "${name} | Flash News"` }],
      [`${slug}/feed.xml`, { contentType: RSS, body: `RSS feed "Flash News: ${name}"` }],
    ]),
  );
  const siteObjects = {
    'index.html': { contentType: HTML, body: 'HTML page "Flash News: latest news"' },
    'feed.xml': { contentType: RSS, body: 'RSS feed "Flash News"' },
    'feed.json': { contentType: 'application/feed+json; charset=utf-8', body: 'JSON feed "Flash News"' },
    'latest.json': { contentType: 'application/json; charset=utf-8', body: 'latest JSON' },
    'sitemap.xml': { contentType: XML, body: 'sitemap index' },
    'sitemaps/pages.xml': { contentType: XML, body: 'URL sitemap' },
    'news-sitemap.xml': { contentType: XML, body: 'news sitemap' },
    'sitemaps/2026-11.xml': { contentType: XML, body: 'URL sitemap' },
    '404.html': { contentType: HTML, body: 'HTML page "Page not found | Flash News"' },
    'robots.txt': { contentType: 'text/plain; charset=utf-8', body: 'robots.txt' },
  };

  it('a full re-render writes the home page, feeds, sitemaps and section pages each with its own body and content type', async () => {
    const repository = new InMemoryArticleRepository();
    repository.seedArticle(article('aaaa'));
    const pages = new MemoryPageStore();
    const publisher = new SitePublisher(DEFAULT_SITE, repository, pages, () => NOW);

    publisher.startBatch();
    await publisher.renderAllIndexes();

    expect(writtenObjects(pages)).toEqual({ ...siteObjects, ...sectionObjects });
  });

  it('a publish writes the article page, its redirect and the listings it touches, each with its own body and content type', async () => {
    const repository = new InMemoryArticleRepository();
    const before = article('aaaa', { section: 'sport' });
    const after = article('aaaa', { title: 'Moved story', previousPaths: ['/sport/aaaa'], version: 2 });
    repository.seedArticle(after);
    const pages = new MemoryPageStore();
    const publisher = new SitePublisher(DEFAULT_SITE, repository, pages, () => NOW);

    publisher.startBatch();
    await publisher.renderIndexes((await publisher.applyChange(before, after)).indexes);

    const { 'bota/index.html': bota, 'bota/feed.xml': botaFeed, 'sport/index.html': sport } = sectionObjects;
    expect(writtenObjects(pages)).toEqual({
      ...siteObjects,
      'bota/aaaa/index.html': { contentType: HTML, body: 'HTML page "Moved story | Flash News"' },
      'sport/aaaa/index.html': { contentType: HTML, body: 'HTML page "Moved story (moved) | Flash News"' },
      'bota/index.html': bota,
      'bota/feed.xml': botaFeed,
      'sport/index.html': sport,
      'sport/feed.xml': sectionObjects['sport/feed.xml'],
    });
  });
});

describe("An article's Latest news", () => {
  it('an article never lists itself under Latest news, only the other stories', async () => {
    const repository = new InMemoryArticleRepository();
    const older = article('aaaa', { publishedAt: '2026-11-27T10:00:00.000Z' });
    const publishing = article('bbbb', { publishedAt: '2026-11-27T11:00:00.000Z' });
    const newer = article('cccc', { publishedAt: '2026-11-27T11:30:00.000Z' });
    for (const stored of [older, publishing, newer]) repository.seedArticle(stored);
    const pages = new MemoryPageStore();
    const publisher = new SitePublisher(DEFAULT_SITE, repository, pages, () => NOW);

    publisher.startBatch();
    await publisher.applyChange(undefined, publishing);

    const page = pages.body('bota/bbbb/index.html') ?? '';
    const aside = /<aside class="latest"[\s\S]*?<\/aside>/.exec(page)?.[0] ?? '';
    const links = [...aside.matchAll(/href="([^"]+)"/g)].map((match) => match[1]);
    expect(links).toEqual(['/bota/cccc', '/bota/aaaa']);
  });
});
