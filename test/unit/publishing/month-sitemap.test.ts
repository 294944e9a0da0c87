import { describe, expect, it } from 'vitest';
import { DEFAULT_SITE } from '../../../functions/config/site';
import type { Article } from '../../../functions/domain/article';
import {
  PageVersionConflictError,
  type PutOptions,
  type StoredPage,
} from '../../../functions/publishing/page-store';
import { SitePublisher } from '../../../functions/publishing/site-publisher';
import { patchArticleSitemap, renderArticleSitemap } from '../../../functions/render/sitemaps';
import { InMemoryArticleRepository } from '../../support/in-memory-article-repository';
import { MemoryPageStore } from '../../support/memory-page-store';
import { summary } from '../render/support/fixtures';

const MONTH_KEY = 'sitemaps/2026-11.xml';
const NOW = new Date('2026-11-27T12:00:00.000Z');

function article(index: number, overrides: Partial<Article> = {}): Article {
  const time = new Date(Date.UTC(2026, 10, 1 + (index % 25), 8, index % 60)).toISOString();
  return {
    id: `01JCCCCCCCCCCCCCCCCCCC${String(index).padStart(4, '0')}`,
    slug: `story-${index}`,
    previousPaths: [],
    title: `Story ${index}`,
    section: 'bota',
    body: 'Body',
    tags: [],
    status: 'published',
    publishedAt: time,
    createdAt: time,
    updatedAt: time,
    version: 1,
    ...overrides,
  };
}

/** The entries of a sitemap as a set of `<url>` blocks: order within a month carries no meaning. */
function entries(xml: string | undefined): Set<string> {
  return new Set(xml?.match(/<url>[\s\S]*?<\/url>/g) ?? []);
}

async function monthWith(count: number) {
  const repository = new InMemoryArticleRepository();
  const pages = new MemoryPageStore();
  const publisher = new SitePublisher(DEFAULT_SITE, repository, pages, () => NOW);
  const articles = Array.from({ length: count }, (_, index) => article(index + 1));
  for (const stored of articles) repository.seedArticle(stored);
  await publisher.renderAllIndexes();
  return { repository, pages, publisher, articles };
}

/** Stores the change as the API would, then renders it as the stream handler does. */
async function streamed(
  context: Awaited<ReturnType<typeof monthWith>>,
  before: Article | undefined,
  after: Article | undefined,
) {
  if (after) context.repository.seedArticle(after);
  context.publisher.startBatch();
  const outcome = await context.publisher.applyChange(before, after);
  await context.publisher.renderIndexes(outcome.indexes);
}

describe('a publish updates its month sitemap from the stored file, not from the table', () => {
  it('adds, moves and removes entries exactly as a full render would, without reading the month', async () => {
    const context = await monthWith(40);
    const { repository, pages, articles } = context;

    const fresh = article(100, { publishedAt: '2026-11-27T11:00:00.000Z' });
    const windows: string[] = [];
    const listBetween = repository.listPublishedBetween.bind(repository);
    repository.listPublishedBetween = (from: string, to: string) => {
      windows.push(`${from}..${to}`);
      return listBetween(from, to);
    };
    await streamed(context, undefined, fresh);
    // Only the news sitemap's 48 hours are read; the month is not.
    expect(windows).toEqual(['2026-11-25T12:00:00.000Z..2026-11-27T12:00:00.000Z']);

    const moving = articles[3] as Article;
    const moved = { ...moving, slug: 'story-4-renamed', previousPaths: ['/bota/story-4'], version: 2 };
    await streamed(context, moving, moved);
    const leaving = articles[7] as Article;
    await streamed(context, leaving, { ...leaving, status: 'unpublished', version: 2 });

    const expected = renderArticleSitemap(
      DEFAULT_SITE,
      await repository.listPublishedBetween('2026-11-01T00:00:00.000Z', '2026-12-01T00:00:00.000Z'),
    );
    expect(entries(pages.body(MONTH_KEY))).toEqual(entries(expected));
    expect(pages.body(MONTH_KEY)).toContain('/bota/story-4-renamed<');
    expect(pages.body(MONTH_KEY)).not.toContain('/bota/story-4<');
    expect(pages.body(MONTH_KEY)).not.toContain('/bota/story-8<');
  });

  it('renders the month in full when the stored file is missing or not one it wrote', async () => {
    const context = await monthWith(5);
    for (const stored of ['<html>not a sitemap</html>', undefined]) {
      if (stored === undefined) await context.pages.delete(MONTH_KEY);
      else
        await context.pages.put(
          { key: MONTH_KEY, contentType: 'application/xml', cacheControl: 'x' },
          stored,
        );
      const fresh = article(200 + (stored ? 1 : 2), { publishedAt: '2026-11-27T11:00:00.000Z' });
      await streamed(context, undefined, fresh);
      expect(entries(context.pages.body(MONTH_KEY)).size).toBe(5 + (stored ? 1 : 2));
    }
  });

  it('never loses a concurrent writer’s entry: a conflicting write is read and patched again', async () => {
    const context = await monthWith(3);
    const rival = article(300, { publishedAt: '2026-11-20T10:00:00.000Z' });
    let conflicts = 0;
    const put = context.pages.put.bind(context.pages);
    context.pages.put = async (page: StoredPage, body: string, options?: PutOptions) => {
      if (page.key === MONTH_KEY && options?.expectedVersion && conflicts === 0) {
        conflicts += 1;
        // Another shard's batch lands its own patch between this read and this write.
        const current = (await context.pages.read(MONTH_KEY))?.body ?? '';
        const theirs = patchArticleSitemap(DEFAULT_SITE, current, {
          removeUrls: new Set(),
          add: [{ ...summary(), ...rival, publishedAt: rival.publishedAt as string }],
        });
        await put(page, theirs ?? '');
      }
      return put(page, body, options);
    };
    const mine = article(301, { publishedAt: '2026-11-27T11:00:00.000Z' });
    await streamed(context, undefined, mine);
    expect(conflicts).toBe(1);
    const body = context.pages.body(MONTH_KEY) ?? '';
    expect(body).toContain('/bota/story-300<');
    expect(body).toContain('/bota/story-301<');
  });
});

describe('patchArticleSitemap', () => {
  const site = DEFAULT_SITE;
  const a = summary({ id: 'A', slug: 'a-and-b', publishedAt: '2026-11-02T10:00:00.000Z' });
  const b = summary({ id: 'B', slug: 'b', publishedAt: '2026-11-03T10:00:00.000Z' });
  const c = summary({ id: 'C', slug: 'c', publishedAt: '2026-11-04T10:00:00.000Z' });

  it('equals a full render of the same entries', () => {
    const patched = patchArticleSitemap(site, renderArticleSitemap(site, [a, b]), {
      removeUrls: new Set([`${site.baseUrl}/bota/b`]),
      add: [c],
    });
    expect(patched).toBe(renderArticleSitemap(site, [c, a]));
  });

  it('refuses files it did not write, and growth past the protocol limit', () => {
    const stored = renderArticleSitemap(site, [a]);
    expect(
      patchArticleSitemap(site, stored.replace('<url>', '<!-- x --><url>'), {
        removeUrls: new Set(),
        add: [],
      }),
    ).toBeUndefined();
    expect(patchArticleSitemap(site, 'garbage', { removeUrls: new Set(), add: [] })).toBeUndefined();
    expect(patchArticleSitemap(site, '', { removeUrls: new Set(), add: [b] })).toBeUndefined();
  });

  it('matches entries by their URL as written, escaping included', () => {
    const odd = { ...site, baseUrl: 'https://example.com/news?x=1&y=2' };
    const stored = renderArticleSitemap(odd, [a]);
    expect(stored).toContain('&amp;');
    const patched = patchArticleSitemap(odd, stored, {
      removeUrls: new Set([`${odd.baseUrl}/bota/a-and-b`]),
      add: [],
    });
    expect(entries(patched).size).toBe(0);
  });
});

describe('PageVersionConflictError', () => {
  it('names the key', () => {
    expect(new PageVersionConflictError('k').message).toContain('k');
  });
});
