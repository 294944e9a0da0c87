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
