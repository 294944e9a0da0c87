import { describe, expect, it } from 'vitest';
import type { Article } from '../../../functions/domain/article';
import { CACHE_CONTROL } from '../../../functions/render/cache-control';
import {
  allIndexObjects,
  CONTENT_TYPES,
  coalesceIndexObjects,
  type IndexObject,
  objectKeyForPath,
  planArticleChange,
} from '../../../functions/render/site-objects';
import { article, SITE } from './support/fixtures';

const published = (overrides: Partial<Article> = {}) => article({ status: 'published', ...overrides });

function indexKeys(indexes: readonly IndexObject[]): string[] {
  return indexes.map((index) => index.key).sort();
}

const SITE_WIDE = [
  'feed.json',
  'feed.xml',
  'index.html',
  'latest.json',
  'news-sitemap.xml',
  'sitemap.xml',
  'sitemaps/pages.xml',
];
/** The monthly sitemap of the fixture article's publication. */
const MONTH = 'sitemaps/2025-06.xml';
/** The pages of the fixture's tags, re-rendered with every change of a live article carrying them. */
const TAG_PAGES = ['tags/nato/index.html', 'tags/usa/index.html'];

describe('objectKeyForPath', () => {
  it.each([
    ['/', 'index.html'],
    ['/bota/', 'bota/index.html'],
    ['/bota/some-story', 'bota/some-story/index.html'],
    ['/feed.xml', 'feed.xml'],
    ['/feed.json', 'feed.json'],
    ['/bota/feed.xml', 'bota/feed.xml'],
    ['/sitemap.xml', 'sitemap.xml'],
    ['/news-sitemap.xml', 'news-sitemap.xml'],
    ['/robots.txt', 'robots.txt'],
    ['/latest.json', 'latest.json'],
    ['/404.html', '404.html'],
  ])('stores %s at %s', (path, key) => {
    expect(objectKeyForPath(path)).toBe(key);
  });

  it('refuses paths that are not root-relative', () => {
    expect(() => objectKeyForPath('bota/x')).toThrow();
  });
});

describe('allIndexObjects', () => {
  it('adds one page per tag slug, a listing cached like a section page', () => {
    const objects = allIndexObjects(SITE, [], ['the-hague', 'nato', 'nato']).filter(
      (object) => object.kind === 'tag-page',
    );
    expect(objects.map(({ path, key }) => [path, key])).toEqual([
      ['/tags/nato/', 'tags/nato/index.html'],
      ['/tags/the-hague/', 'tags/the-hague/index.html'],
    ]);
    expect(objects[0]?.cacheControl).toBe(CACHE_CONTROL['index-page']);
    expect(objects[0]?.contentType).toBe(CONTENT_TYPES.html);
  });

  it('covers the site-wide objects and each section page and feed, with types and caching', () => {
    const objects = allIndexObjects(SITE, ['2025-05', '2025-06']);
    expect(objects.map((object) => object.path)).toEqual([
      '/',
      '/feed.xml',
      '/feed.json',
      '/sitemap.xml',
      '/sitemaps/pages.xml',
      '/news-sitemap.xml',
      '/latest.json',
      ...SITE.sections.flatMap((section) => [`/${section.slug}/`, `/${section.slug}/feed.xml`]),
      '/sitemaps/2025-05.xml',
      '/sitemaps/2025-06.xml',
    ]);
    const byPath = new Map(objects.map((object) => [object.path, object]));
    expect(byPath.get('/')?.contentType).toBe(CONTENT_TYPES.html);
    expect(byPath.get('/feed.xml')?.contentType).toBe('application/rss+xml; charset=utf-8');
    expect(byPath.get('/feed.json')?.contentType).toBe('application/feed+json; charset=utf-8');
    expect(byPath.get('/sitemap.xml')?.contentType).toBe('application/xml; charset=utf-8');
    expect(byPath.get('/')?.cacheControl).toBe(CACHE_CONTROL['index-page']);
    expect(byPath.get('/bota/feed.xml')?.cacheControl).toBe(CACHE_CONTROL.feed);
  });
});

describe('planArticleChange', () => {
  it('publishes a new article: its page, the site-wide indexes and its section', () => {
    const plan = planArticleChange(SITE, undefined, published());
    expect(plan.putArticle?.key).toBe('bota/rutte-us-is-fully-committed-to-nato/index.html');
    expect(plan.putArticle?.path).toBe('/bota/rutte-us-is-fully-committed-to-nato');
    expect(plan.putArticle?.cacheControl).toBe(CACHE_CONTROL.article);
    expect(plan.putArticle?.contentType).toBe(CONTENT_TYPES.html);
    expect(plan.putRedirects).toEqual([]);
    expect(plan.deletes).toEqual([]);
    expect(indexKeys(plan.indexes)).toEqual(
      [...SITE_WIDE, MONTH, 'bota/feed.xml', 'bota/index.html', ...TAG_PAGES].sort(),
    );
    // Nothing was served at the new path, so nothing is cached there to invalidate.
    expect(plan.invalidationPaths).toEqual([]);
  });

  it('re-renders the monthly sitemaps of both publication dates when a date moves', () => {
    const plan = planArticleChange(
      SITE,
      published(),
      published({ publishedAt: '2025-05-31T23:00:00.000Z', version: 2 }),
    );
    expect(indexKeys(plan.indexes)).toEqual(expect.arrayContaining(['sitemaps/2025-05.xml', MONTH]));
  });

  it('does nothing for drafts and scheduled articles that never went live', () => {
    for (const [before, after] of [
      [undefined, article({ status: 'draft' })],
      [article({ status: 'draft' }), article({ status: 'scheduled', title: 'Later' })],
      [article({ status: 'draft' }), undefined],
    ] as const) {
      const plan = planArticleChange(SITE, before, after);
      expect(plan.putArticle).toBeUndefined();
      expect(plan.putRedirects).toEqual([]);
      expect(plan.deletes).toEqual([]);
      expect(plan.indexes).toEqual([]);
      expect(plan.invalidationPaths).toEqual([]);
    }
  });

  it('re-renders an edited live article in place without touching its redirects', () => {
    const before = published({ previousPaths: ['/bota/old'] });
    const plan = planArticleChange(SITE, before, { ...before, body: 'Corrected.', version: 4 });
    expect(plan.putArticle?.article.body).toBe('Corrected.');
    expect(plan.putRedirects).toEqual([]);
    expect(plan.deletes).toEqual([]);
    expect(indexKeys(plan.indexes)).toEqual(
      [...SITE_WIDE, MONTH, 'bota/feed.xml', 'bota/index.html', ...TAG_PAGES].sort(),
    );
    expect(plan.invalidationPaths).toEqual([
      '/bota/rutte-us-is-fully-committed-to-nato',
      '/bota/rutte-us-is-fully-committed-to-nato/index.html',
    ]);
  });

  it('moves a live article: new page, redirects at every old path, both sections re-rendered', () => {
    const before = published({ slug: 'first-slug', previousPaths: ['/bota/oldest-slug'] });
    const after = published({
      slug: 'second-slug',
      section: 'politics',
      previousPaths: ['/bota/oldest-slug', '/bota/first-slug'],
    });
    const plan = planArticleChange(SITE, before, after);
    expect(plan.putArticle?.key).toBe('politics/second-slug/index.html');
    expect(plan.putRedirects.map((redirect) => [redirect.key, redirect.targetPath])).toEqual([
      ['bota/oldest-slug/index.html', '/politics/second-slug'],
      ['bota/first-slug/index.html', '/politics/second-slug'],
    ]);
    expect(plan.putRedirects[0]?.cacheControl).toBe(CACHE_CONTROL.redirect);
    expect(plan.deletes).toEqual([]);
    expect(indexKeys(plan.indexes)).toEqual(
      [
        ...SITE_WIDE,
        MONTH,
        'bota/feed.xml',
        'bota/index.html',
        'politics/feed.xml',
        'politics/index.html',
        ...TAG_PAGES,
      ].sort(),
    );
    expect(plan.invalidationPaths).toEqual(
      expect.arrayContaining(['/bota/first-slug', '/bota/first-slug/index.html', '/bota/oldest-slug']),
    );
    // The new path never served anything.
    expect(plan.invalidationPaths).not.toContain('/politics/second-slug');
  });

  it('redirects the old path even when previousPaths does not list it yet', () => {
    const plan = planArticleChange(SITE, published({ slug: 'a' }), published({ slug: 'b' }));
    expect(plan.putRedirects.map((redirect) => redirect.path)).toEqual(['/bota/a']);
  });

  it('never writes a redirect over the page of a slug the article returned to', () => {
    const before = published({ slug: 'b', previousPaths: ['/bota/a'] });
    const after = published({ slug: 'a', previousPaths: ['/bota/a', '/bota/b'] });
    const plan = planArticleChange(SITE, before, after);
    expect(plan.putArticle?.path).toBe('/bota/a');
    expect(plan.putRedirects.map((redirect) => redirect.path)).toEqual(['/bota/b']);
    // The returning path held a cached redirect page, which must go.
    expect(plan.invalidationPaths).toContain('/bota/a');
  });

  it('restores redirects when an article is republished', () => {
    const before = article({ status: 'unpublished', previousPaths: ['/bota/old'] });
    const plan = planArticleChange(SITE, before, { ...before, status: 'published' });
    expect(plan.putArticle).toBeDefined();
    expect(plan.putRedirects.map((redirect) => redirect.path)).toEqual(['/bota/old']);
  });

  it.each([
    ['unpublished', (a: Article): Article | undefined => ({ ...a, status: 'unpublished' })],
    ['deleted', (): Article | undefined => undefined],
  ])('removes the page and its redirects when a live article is %s', (_name, change) => {
    const before = published({ previousPaths: ['/bota/old'] });
    const plan = planArticleChange(SITE, before, change(before));
    expect(plan.putArticle).toBeUndefined();
    expect(plan.putRedirects).toEqual([]);
    expect(plan.deletes.map((object) => object.key)).toEqual([
      'bota/rutte-us-is-fully-committed-to-nato/index.html',
      'bota/old/index.html',
    ]);
    expect(indexKeys(plan.indexes)).toEqual(
      [...SITE_WIDE, MONTH, 'bota/feed.xml', 'bota/index.html', ...TAG_PAGES].sort(),
    );
    expect(plan.invalidationPaths).toEqual([
      '/bota/rutte-us-is-fully-committed-to-nato',
      '/bota/rutte-us-is-fully-committed-to-nato/index.html',
      '/bota/old',
      '/bota/old/index.html',
    ]);
  });

  it('never writes or deletes outside the article namespace, whatever the stored paths say', () => {
    const corrupt = [
      '/',
      '/bota/',
      '/feed.xml',
      '/../etc/passwd',
      '//evil.example/x',
      '/bota/x/y',
      '/Bota/X',
      'bota/x',
      // A tag page's folder: never a redirect, never deleted as an article's.
      '/tags/nato',
    ];
    const live = planArticleChange(
      SITE,
      published({ slug: 'a' }),
      published({ slug: 'b', previousPaths: corrupt }),
    );
    expect(live.putRedirects.map((redirect) => redirect.key)).toEqual(['bota/a/index.html']);
    expect(live.ignoredPaths).toEqual(corrupt);
    const gone = planArticleChange(SITE, published({ previousPaths: corrupt }), undefined);
    expect(gone.deletes.map((object) => object.key)).toEqual([
      'bota/rutte-us-is-fully-committed-to-nato/index.html',
    ]);
  });

  it('ignores sections that are not configured when choosing section indexes', () => {
    const plan = planArticleChange(SITE, undefined, published({ section: 'retired' }));
    expect(indexKeys(plan.indexes)).toEqual([...SITE_WIDE, MONTH, ...TAG_PAGES].sort());
  });
});

describe('coalesceIndexObjects', () => {
  it('keeps one of each index object across a batch', () => {
    const first = planArticleChange(SITE, undefined, published({ slug: 'a' }));
    const second = planArticleChange(SITE, undefined, published({ slug: 'b', section: 'politics' }));
    const third = planArticleChange(SITE, undefined, published({ slug: 'c' }));
    const merged = coalesceIndexObjects([...first.indexes, ...second.indexes, ...third.indexes]);
    expect(indexKeys(merged)).toEqual(
      [
        ...SITE_WIDE,
        MONTH,
        'bota/feed.xml',
        'bota/index.html',
        'politics/feed.xml',
        'politics/index.html',
        ...TAG_PAGES,
      ].sort(),
    );
  });
});
