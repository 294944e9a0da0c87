import { describe, expect, it } from 'vitest';
import { DEFAULT_SITE } from '../../../functions/config/site';
import type { Article } from '../../../functions/domain/article';
import type { LatestPage, LatestQuery } from '../../../functions/domain/article-repository';
import {
  PageVersionConflictError,
  type PutOptions,
  type StoredPage,
} from '../../../functions/publishing/page-store';
import {
  HOME_PAGE_ITEMS,
  SECTION_PAGE_ITEMS,
  SitePublisher,
} from '../../../functions/publishing/site-publisher';
import { FEED_ITEM_LIMIT } from '../../../functions/render/feeds';
import {
  coalesceIndexObjects,
  type IndexObject,
  sectionIndexObjects,
} from '../../../functions/render/site-objects';
import { renderArticleSitemap } from '../../../functions/render/sitemaps';
import type { ArticleSummary } from '../../../functions/render/types';
import { InMemoryArticleRepository } from '../../support/in-memory-article-repository';
import { MemoryPageStore } from '../../support/memory-page-store';
import { storedArticle } from '../../support/stored-article';
import { atSystemTime } from '../../support/system-clock';

/** Answers list reads from a snapshot taken before the batch's writes, as a lagging index would. */
class LaggingIndexRepository extends InMemoryArticleRepository {
  private snapshot:
    | { latest: Map<string, LatestPage>; between: readonly ArticleSummary[]; oldest: string | undefined }
    | undefined;

  async freezeIndexes(): Promise<void> {
    const latest = new Map<string, LatestPage>();
    for (const section of [undefined, ...DEFAULT_SITE.sections.map((entry) => entry.slug)]) {
      latest.set(section ?? '*', await super.listLatest({ section, limit: 100 }));
    }
    this.snapshot = {
      latest,
      between: await super.listPublishedBetween('0', '9'),
      oldest: await super.oldestPublishedAt(),
    };
  }

  override async listLatest(query: LatestQuery): Promise<LatestPage> {
    const page = this.snapshot?.latest.get(query.section ?? '*');
    return page ? { items: page.items.slice(0, query.limit) } : super.listLatest(query);
  }

  override async listPublishedBetween(from: string, to: string): Promise<readonly ArticleSummary[]> {
    if (!this.snapshot) return super.listPublishedBetween(from, to);
    return this.snapshot.between.filter((item) => item.publishedAt >= from && item.publishedAt < to);
  }

  override async oldestPublishedAt(from?: string): Promise<string | undefined> {
    if (!this.snapshot) return super.oldestPublishedAt(from);
    if (from === undefined) return this.snapshot.oldest;
    return this.snapshot.between.filter((item) => item.publishedAt >= from).at(-1)?.publishedAt;
  }
}

const NOW = new Date('2026-11-27T12:00:00.000Z');

const article = storedArticle;

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
    // The site-wide "Latest news" beside a section's stories lists it wherever it is filed.
    const botaStories = pages.body('bota/index.html')?.split('<aside class="latest"')[0];
    expect(botaStories).toContain('<h1>Bota</h1>');
    expect(botaStories).not.toContain('cccc');
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
  if (body.startsWith('<svg ')) return `SVG "${/>([^<]*)<\/text>/.exec(body)?.[1]}"`;
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
    'logo.svg': { contentType: 'image/svg+xml; charset=utf-8', body: 'SVG "Flash News"' },
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

function publisherOver(repository: InMemoryArticleRepository = new InMemoryArticleRepository()) {
  const pages = new MemoryPageStore();
  return { repository, pages, publisher: new SitePublisher(DEFAULT_SITE, repository, pages, () => NOW) };
}

type Change = readonly [Article | undefined, Article | undefined];

/** One stream batch: its changes applied in order, then the listings they touched rendered once. */
async function batch(publisher: SitePublisher, ...changes: Change[]): Promise<readonly IndexObject[]> {
  publisher.startBatch();
  const indexes: IndexObject[] = [];
  for (const [before, after] of changes)
    indexes.push(...(await publisher.applyChange(before, after)).indexes);
  const coalesced = coalesceIndexObjects(indexes);
  await publisher.renderIndexes(coalesced);
  return coalesced;
}

const url = (path: string) => `${DEFAULT_SITE.baseUrl}${path}`;
const locs = (xml: string | undefined) => [...(xml ?? '').matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => m[1]);
const headlineLinks = (page: string | undefined) =>
  [...(page ?? '').matchAll(/class="headline"><a href="([^"]+)"/g)].map((m) => m[1]);
const rssItemCount = (xml: string | undefined) => (xml ?? '').split('<item>').length - 1;

/** `count` published stories, one a minute before NOW, newest first: `s001` is the newest. */
function stories(count: number, overrides: (index: number) => Partial<Article> = () => ({})): Article[] {
  return Array.from({ length: count }, (_, offset) => {
    const index = offset + 1;
    const publishedAt = new Date(NOW.getTime() - index * 60_000).toISOString();
    return article(`s${String(index).padStart(3, '0')}`, { publishedAt, ...overrides(index) });
  });
}

describe('SitePublisher listing sizes', () => {
  it('the home page draws on the 30 newest stories, the feeds on the 50 newest, a section page on its 20 newest', async () => {
    // The 35th newest story is the only one in Sport: too old for the home page, recent enough for the feeds.
    const all = stories(60, (index) => (index === 35 ? { section: 'sport' } : {}));
    const { repository, pages, publisher } = publisherOver();
    for (const stored of all) repository.seedArticle(stored);

    publisher.startBatch();
    await publisher.renderAllIndexes();

    expect(HOME_PAGE_ITEMS).toBe(30);
    expect(pages.body('index.html')).not.toContain('/sport/s035');
    expect(pages.body('index.html')).toContain('/bota/s001');
    expect(rssItemCount(pages.body('feed.xml'))).toBe(FEED_ITEM_LIMIT);
    expect(JSON.parse(pages.body('feed.json') ?? '{}').items).toHaveLength(FEED_ITEM_LIMIT);
    const bota = all.filter((story) => story.section === 'bota');
    expect(headlineLinks(pages.body('bota/index.html'))).toEqual(
      bota.slice(0, SECTION_PAGE_ITEMS).map((story) => `/bota/${story.slug}`),
    );
  });

  it("a batch's publications push the oldest headline off a section page, never another section's story onto it", async () => {
    const repository = new LaggingIndexRepository();
    const existing = stories(25);
    for (const stored of existing) repository.seedArticle(stored);
    await repository.freezeIndexes();
    const { pages, publisher } = publisherOver(repository);
    const newBota = article('nbot', { publishedAt: '2026-11-27T11:59:30.000Z' });
    const newSport = article('nspo', { section: 'sport', publishedAt: '2026-11-27T11:59:40.000Z' });

    await batch(publisher, [undefined, newBota], [undefined, newSport]);

    expect(headlineLinks(pages.body('bota/index.html'))).toEqual([
      '/bota/nbot',
      ...existing.slice(0, SECTION_PAGE_ITEMS - 1).map((story) => `/bota/${story.slug}`),
    ]);
    expect(headlineLinks(pages.body('sport/index.html'))).toEqual(['/sport/nspo']);
  });

  it('reads a bounded page of headlines per listing, whatever the size of the archive', async () => {
    const queries: LatestQuery[] = [];
    class RecordingRepository extends InMemoryArticleRepository {
      override listLatest(query: LatestQuery): Promise<LatestPage> {
        queries.push(query);
        return super.listLatest(query);
      }
    }
    const { repository, publisher } = publisherOver(new RecordingRepository());
    for (const stored of stories(3)) repository.seedArticle(stored);

    publisher.startBatch();
    await publisher.renderAllIndexes();

    expect(queries.length).toBeGreaterThan(0);
    for (const query of queries) expect(query.limit).toBeLessThanOrEqual(FEED_ITEM_LIMIT);
    const sections = queries.flatMap((query) => (query.section ? [query.section] : []));
    expect(new Set(sections)).toEqual(new Set(DEFAULT_SITE.sections.map((section) => section.slug)));
  });
});

describe('SitePublisher batches', () => {
  it('each batch lists what the table holds now, not what an earlier batch of a warm publisher saw', async () => {
    const { repository, pages, publisher } = publisherOver();
    const first = article('aaaa', { title: 'First headline' });
    repository.seedArticle(first);
    await batch(publisher, [undefined, first]);

    // Another publisher (another shard) renders the correction; this one then handles an unrelated story.
    repository.seedArticle({ ...first, title: 'Corrected headline', version: 2 });
    const second = article('bbbb', { publishedAt: '2026-11-27T11:30:00.000Z' });
    repository.seedArticle(second);
    await batch(publisher, [undefined, second]);

    expect(pages.body('index.html')).toContain('Corrected headline');
    expect(pages.body('index.html')).not.toContain('First headline');
  });

  it('a batch of draft edits writes nothing to the site', async () => {
    const { pages, publisher } = publisherOver();
    const draft = article('dddd', { status: 'draft', publishedAt: undefined });

    const indexes = await batch(
      publisher,
      [undefined, draft],
      [draft, { ...draft, title: 'Better', version: 2 }],
    );

    expect(indexes).toEqual([]);
    expect(pages.writes).toEqual([]);
  });

  it('a change record with neither image changes nothing', async () => {
    const { pages, publisher } = publisherOver();
    publisher.startBatch();
    expect(await publisher.applyChange(undefined, undefined)).toEqual({ indexes: [], invalidationPaths: [] });
    expect(pages.writes).toEqual([]);
  });

  it('a live article without a publication time is listed nowhere, as the index would leave it out', async () => {
    const { repository, pages, publisher } = publisherOver();
    const listed = article('aaaa');
    const undated = article('bbbb', { publishedAt: undefined });
    repository.seedArticle(listed);
    repository.seedArticle(undated);

    await batch(publisher, [undefined, undated]);

    expect(pages.body('bota/bbbb/index.html')).toBeDefined();
    for (const key of ['index.html', 'bota/index.html', 'feed.xml', 'latest.json', 'news-sitemap.xml']) {
      expect(pages.body(key), key).toContain('/bota/aaaa');
      expect(pages.body(key), key).not.toContain('/bota/bbbb');
    }
  });

  it('an index of a section that is not configured fails the render, naming the section, and writes nothing', async () => {
    const { pages, publisher } = publisherOver();
    publisher.startBatch();
    await expect(publisher.renderIndexes(sectionIndexObjects('weather'))).rejects.toThrow(/weather/);
    expect(pages.writes).toEqual([]);
  });

  it('without a clock of its own, dates the listings by the current time', async () => {
    const repository = new InMemoryArticleRepository();
    // Later than the real time: a publisher reading another clock would find it in the future.
    repository.seedArticle(article('aaaa', { publishedAt: '2027-01-15T07:00:00.000Z' }));
    const pages = new MemoryPageStore();
    const publisher = new SitePublisher(DEFAULT_SITE, repository, pages);

    await atSystemTime('2027-01-15T08:00:00.000Z', async () => {
      publisher.startBatch();
      await publisher.renderAllIndexes();
    });

    expect(locs(pages.body('sitemap.xml')).at(-1)).toBe(url('/sitemaps/2027-01.xml'));
    expect(locs(pages.body('news-sitemap.xml'))).toEqual([url('/bota/aaaa')]);
  });
});

describe('SitePublisher sitemaps', () => {
  const lastOfOctober = article('octo', { publishedAt: '2026-10-31T23:59:59.999Z' });
  const firstOfNovember = article('nove', { publishedAt: '2026-11-01T00:00:00.000Z' });

  it('the sitemap index lists the pages sitemap and every month with a publication, none without', async () => {
    const { repository, pages, publisher } = publisherOver();
    repository.seedArticle(article('sept', { publishedAt: '2026-09-10T08:00:00.000Z' }));
    const fresh = article('aaaa');
    repository.seedArticle(fresh);

    await batch(publisher, [undefined, fresh]);

    // October has no article: a sitemap must have at least one <url>, so it has none and is not listed.
    expect(locs(pages.body('sitemap.xml'))).toEqual([
      url('/sitemaps/pages.xml'),
      url('/sitemaps/2026-09.xml'),
      url('/sitemaps/2026-11.xml'),
    ]);
    expect(pages.body('sitemaps/2026-10.xml')).toBeUndefined();

    // The same on a full render, which writes no empty month either.
    publisher.startBatch();
    await publisher.renderAllIndexes();
    expect(locs(pages.body('sitemap.xml'))).toEqual([
      url('/sitemaps/pages.xml'),
      url('/sitemaps/2026-09.xml'),
      url('/sitemaps/2026-11.xml'),
    ]);
    expect(pages.body('sitemaps/2026-10.xml')).toBeUndefined();
    expect([...(await publisher.siteObjectKeys())].filter((key) => key.startsWith('sitemaps/2026'))).toEqual([
      'sitemaps/2026-09.xml',
      'sitemaps/2026-11.xml',
    ]);
  });

  it("a month whose last article leaves loses its sitemap and its place in the index, whatever the index's lag", async () => {
    for (const lagging of [false, true]) {
      const repository = lagging ? new LaggingIndexRepository() : new InMemoryArticleRepository();
      const { pages, publisher } = publisherOver(repository);
      const september = article('sept', { publishedAt: '2026-09-10T08:00:00.000Z' });
      const fresh = article('aaaa');
      for (const stored of [september, fresh]) repository.seedArticle(stored);
      publisher.startBatch();
      await publisher.renderAllIndexes();
      expect(locs(pages.body('sitemaps/2026-09.xml'))).toEqual([url('/bota/sept')]);

      if (repository instanceof LaggingIndexRepository) await repository.freezeIndexes();
      const withdrawn = { ...september, status: 'draft' as const };
      repository.seedArticle(withdrawn);
      await batch(publisher, [september, withdrawn]);

      expect(pages.body('sitemaps/2026-09.xml'), `lagging: ${lagging}`).toBeUndefined();
      expect(locs(pages.body('sitemap.xml')), `lagging: ${lagging}`).toEqual([
        url('/sitemaps/pages.xml'),
        url('/sitemaps/2026-11.xml'),
      ]);
    }
  });

  it('leaves an unreadable publication time out of the sitemap index instead of failing every render', async () => {
    class UnreadableOldest extends InMemoryArticleRepository {
      override async oldestPublishedAt(): Promise<string | undefined> {
        return 'not a time';
      }
    }
    const { pages, publisher } = publisherOver(new UnreadableOldest());
    publisher.startBatch();
    await publisher.renderAllIndexes();
    expect(locs(pages.body('sitemap.xml'))).toEqual([url('/sitemaps/pages.xml')]);
  });

  it("a batch's stories land in the sitemap of the month they were first published in, midnight UTC opening the new month", async () => {
    for (const monthFilesExist of [false, true]) {
      const { repository, pages, publisher } = publisherOver();
      if (monthFilesExist) {
        repository.seedArticle(article('olda', { publishedAt: '2026-10-05T08:00:00.000Z' }));
        publisher.startBatch();
        await publisher.renderAllIndexes();
      }
      for (const stored of [lastOfOctober, firstOfNovember]) repository.seedArticle(stored);

      await batch(publisher, [undefined, lastOfOctober], [undefined, firstOfNovember]);

      const october = locs(pages.body('sitemaps/2026-10.xml'));
      expect(october, `month files exist: ${monthFilesExist}`).toContain(url('/bota/octo'));
      expect(october, `month files exist: ${monthFilesExist}`).not.toContain(url('/bota/nove'));
      expect(locs(pages.body('sitemaps/2026-11.xml')), `month files exist: ${monthFilesExist}`).toEqual([
        url('/bota/nove'),
      ]);
    }
  });

  it('a full re-render heals a month sitemap that lost an entry, reading the month from the table', async () => {
    const { repository, pages, publisher } = publisherOver();
    repository.seedArticle(firstOfNovember);
    publisher.startBatch();
    await publisher.renderAllIndexes();
    const key = 'sitemaps/2026-11.xml';
    const stored = pages.objects.get(key);
    if (!stored) throw new Error(`${key} was not written`);
    await pages.put(stored.page, renderArticleSitemap(DEFAULT_SITE, []));

    publisher.startBatch();
    await publisher.renderAllIndexes();

    expect(locs(pages.body(key))).toEqual([url('/bota/nove')]);
  });

  /** A page store whose conditional writes of one key fail with `failure()` the next `times` times. */
  function failingConditionalWrites(
    pages: MemoryPageStore,
    key: string,
    times: number,
    failure: () => Error,
  ) {
    const put = pages.put.bind(pages);
    const attempts = { conditional: 0 };
    pages.put = async (page: StoredPage, body: string, options?: PutOptions) => {
      if (page.key === key && options?.expectedVersion !== undefined) {
        attempts.conditional += 1;
        if (attempts.conditional <= times) throw failure();
      }
      return put(page, body, options);
    };
    return attempts;
  }

  async function monthReadsAfterConflicts(conflicts: number) {
    const { repository, pages, publisher } = publisherOver();
    repository.seedArticle(firstOfNovember);
    publisher.startBatch();
    await publisher.renderAllIndexes();
    const key = 'sitemaps/2026-11.xml';
    failingConditionalWrites(pages, key, conflicts, () => new PageVersionConflictError(key));
    const monthReads: string[] = [];
    const listBetween = repository.listPublishedBetween.bind(repository);
    repository.listPublishedBetween = (from: string, to: string) => {
      if (from === '2026-11-01T00:00:00.000Z') monthReads.push(`${from}..${to}`);
      return listBetween(from, to);
    };
    const fresh = article('aaaa');
    repository.seedArticle(fresh);
    await batch(publisher, [undefined, fresh]);
    expect(new Set(locs(pages.body(key)))).toEqual(new Set([url('/bota/aaaa'), url('/bota/nove')]));
    return monthReads.length;
  }

  it('patches a month sitemap through two conflicting writers, and reads the month from the table only after a third', async () => {
    expect(await monthReadsAfterConflicts(2)).toBe(0);
    expect(await monthReadsAfterConflicts(3)).toBe(1);
  });

  it('two batches publishing into different months at once both stay in the sitemap index', async () => {
    const repository = new InMemoryArticleRepository();
    const { pages, publisher } = publisherOver(repository);
    const other = new SitePublisher(DEFAULT_SITE, repository, pages, () => NOW);
    repository.seedArticle(firstOfNovember);
    publisher.startBatch();
    await publisher.renderAllIndexes();
    const september = article('sept', { publishedAt: '2026-09-10T08:00:00.000Z' });
    const october = article('octo', { publishedAt: '2026-10-05T08:00:00.000Z' });
    for (const stored of [september, october]) repository.seedArticle(stored);
    // The other batch writes its index between this batch's read of the index and its write.
    const put = pages.put.bind(pages);
    let interleaved = false;
    pages.put = async (page: StoredPage, body: string, options?: PutOptions) => {
      if (page.key === 'sitemap.xml' && options?.expectedVersion !== undefined && !interleaved) {
        interleaved = true;
        await batch(other, [undefined, october]);
      }
      return put(page, body, options);
    };

    await batch(publisher, [undefined, september]);

    expect(interleaved).toBe(true);
    expect(locs(pages.body('sitemap.xml'))).toEqual([
      url('/sitemaps/pages.xml'),
      url('/sitemaps/2026-09.xml'),
      url('/sitemaps/2026-10.xml'),
      url('/sitemaps/2026-11.xml'),
    ]);
  });

  it('finds the months with articles in one read per such month, however long the gaps between them', async () => {
    const { repository, pages, publisher } = publisherOver();
    for (const stored of [article('old1', { publishedAt: '1998-03-02T10:00:00.000Z' }), firstOfNovember])
      repository.seedArticle(stored);
    publisher.startBatch();
    repository.calls.length = 0;
    await publisher.renderAllIndexes();

    expect(locs(pages.body('sitemap.xml'))).toEqual([
      url('/sitemaps/pages.xml'),
      url('/sitemaps/1998-03.xml'),
      url('/sitemaps/2026-11.xml'),
    ]);
    // 1998-03, 2026-11 and the read that finds nothing after them; 344 empty months cost nothing.
    expect(repository.calls.filter((call) => call === 'oldestPublishedAt')).toHaveLength(3);
  });

  it('an S3 failure other than a conflict fails the batch at once, so the stream retries it', async () => {
    const { repository, pages, publisher } = publisherOver();
    repository.seedArticle(firstOfNovember);
    publisher.startBatch();
    await publisher.renderAllIndexes();
    const refused = new Error('S3 refused the write');
    const attempts = failingConditionalWrites(pages, 'sitemaps/2026-11.xml', 1, () => refused);
    const fresh = article('aaaa');
    repository.seedArticle(fresh);

    await expect(batch(publisher, [undefined, fresh])).rejects.toBe(refused);
    expect(attempts.conditional).toBe(1);
  });
});

describe('SitePublisher: full feeds and dated sitemaps', () => {
  const lastmodOf = (xml: string | undefined, loc: string) =>
    new RegExp(`<loc>${loc.replaceAll('.', '\\.')}</loc><lastmod>([^<]+)</lastmod>`).exec(xml ?? '')?.[1];

  it('dates every sitemap in the index by the newest change inside it, on a publish and on a full render', async () => {
    const { repository, pages, publisher } = publisherOver();
    repository.seedArticle(article('sept', { publishedAt: '2026-09-10T08:00:00.000Z' }));
    repository.seedArticle(article('octo', { publishedAt: '2026-10-05T08:00:00.000Z' }));
    publisher.startBatch();
    await publisher.renderAllIndexes();
    const full = pages.body('sitemap.xml');
    expect(lastmodOf(full, url('/sitemaps/2026-09.xml'))).toBe('2026-09-10T08:00:00.000Z');
    expect(lastmodOf(full, url('/sitemaps/2026-10.xml'))).toBe('2026-10-05T08:00:00.000Z');
    expect(lastmodOf(full, url('/sitemaps/pages.xml'))).toBe('2026-10-05T08:00:00.000Z');
    // November has no article yet: no sitemap, and the index does not list one.
    expect(full).not.toContain(url('/sitemaps/2026-11.xml'));

    const fresh = article('news', { publishedAt: '2026-11-27T11:00:00.000Z' });
    repository.seedArticle(fresh);
    await batch(publisher, [undefined, fresh]);
    const after = pages.body('sitemap.xml');
    expect(lastmodOf(after, url('/sitemaps/2026-11.xml'))).toBe('2026-11-27T11:00:00.000Z');
    expect(lastmodOf(after, url('/sitemaps/pages.xml'))).toBe('2026-11-27T11:00:00.000Z');
    // The months the batch left alone keep their dates, from the stored index.
    expect(lastmodOf(after, url('/sitemaps/2026-09.xml'))).toBe('2026-09-10T08:00:00.000Z');
  });

  it('dates an index written before indexes had dates from the sitemaps themselves', async () => {
    const { repository, pages, publisher } = publisherOver();
    repository.seedArticle(article('sept', { publishedAt: '2026-09-10T08:00:00.000Z' }));
    publisher.startBatch();
    await publisher.renderAllIndexes();
    const undated = (pages.body('sitemap.xml') ?? '').replace(/<lastmod>[^<]*<\/lastmod>/g, '');
    await pages.put(
      { key: 'sitemap.xml', contentType: 'application/xml; charset=utf-8', cacheControl: 'x' },
      undated,
    );
    const fresh = article('news', { publishedAt: '2026-11-27T11:00:00.000Z' });
    repository.seedArticle(fresh);
    await batch(publisher, [undefined, fresh]);
    expect(lastmodOf(pages.body('sitemap.xml'), url('/sitemaps/2026-09.xml'))).toBe(
      '2026-09-10T08:00:00.000Z',
    );
  });

  it('puts each story in full in the feeds: the same body HTML as its page, the byline as dc:creator', async () => {
    const { repository, pages, publisher } = publisherOver();
    const stored = article('full', { body: '## Inside\n\nHe said "yes".', author: 'Jane Doe' });
    repository.seedArticle(stored);
    const fresh = article('frsh', { body: 'Brand *new* body.', publishedAt: '2026-11-27T11:30:00.000Z' });
    repository.seedArticle(fresh);
    await batch(publisher, [undefined, fresh]);
    const rss = pages.body('feed.xml') ?? '';
    expect(rss).toContain('<content:encoded><![CDATA[<h2>Inside</h2>\n<p>He said “yes”.</p>');
    expect(rss).toContain('<dc:creator><![CDATA[Jane Doe]]></dc:creator>');
    expect(rss).toContain('<p>Brand <em>new</em> body.</p>');
    const json = JSON.parse(pages.body('feed.json') ?? '{}') as { items: { content_html: string }[] };
    expect(json.items.map((item) => item.content_html)).toEqual([
      '<p>Brand <em>new</em> body.</p>\n',
      '<h2>Inside</h2>\n<p>He said “yes”.</p>\n',
    ]);
    expect(pages.body('bota/feed.xml')).toContain('<h2>Inside</h2>');
  });
});
