import type { SiteConfig } from '../config/site';
import { type Article, articlePath, isLive } from '../domain/article';
import { tagSlugsOf } from '../domain/tags';
import { type CachedObjectKind, cacheControlFor } from './cache-control';
import {
  HOME_PATH,
  isArticlePath,
  JSON_FEED_PATH,
  LATEST_JSON_PATH,
  LOGO_PATH,
  monthSitemapPath,
  NEWS_SITEMAP_PATH,
  NOT_FOUND_PATH,
  PAGES_SITEMAP_PATH,
  publicationMonth,
  ROBOTS_PATH,
  RSS_FEED_PATH,
  SITEMAP_PATH,
  sectionFeedPath,
  sectionPath,
  tagPath,
} from './site-paths';

/**
 * Where each URL lives in the bucket. Clean URLs map to `index.html` objects in a folder of their own
 * (`/bota/some-story` → `bota/some-story/index.html`), which the edge URL rewrite
 * (functions/edge/url-rewrite.js) mirrors; paths with a file extension are stored as they are.
 */

export const CONTENT_TYPES = {
  html: 'text/html; charset=utf-8',
  rss: 'application/rss+xml; charset=utf-8',
  jsonFeed: 'application/feed+json; charset=utf-8',
  xml: 'application/xml; charset=utf-8',
  json: 'application/json; charset=utf-8',
  text: 'text/plain; charset=utf-8',
  svg: 'image/svg+xml; charset=utf-8',
} as const;

export type ContentType = (typeof CONTENT_TYPES)[keyof typeof CONTENT_TYPES];

export interface SiteObject {
  /** Root-relative URL readers use. */
  readonly path: string;
  /** S3 object key. */
  readonly key: string;
  readonly contentType: ContentType;
  readonly cacheControl: string;
  /** Stored with the object so that repair can tell a stale page from a current one (see provenance). */
  readonly provenance?: Readonly<Record<string, string>>;
}

export function objectKeyForPath(path: string): string {
  if (!path.startsWith('/')) throw new Error(`Not a root-relative path: ${path}`);
  const lastSegment = path.slice(path.lastIndexOf('/') + 1);
  if (lastSegment === '') return `${path.slice(1)}index.html`;
  if (lastSegment.includes('.')) return path.slice(1);
  return `${path.slice(1)}/index.html`;
}

/** The article path an object key serves, when the key is an article or redirect page's; else undefined. */
export function articlePathOfKey(key: string): string | undefined {
  const suffix = '/index.html';
  if (!key.endsWith(suffix)) return undefined;
  const path = `/${key.slice(0, -suffix.length)}`;
  return isArticlePath(path) ? path : undefined;
}

function siteObject(path: string, contentType: ContentType, kind: CachedObjectKind): SiteObject {
  return { path, key: objectKeyForPath(path), contentType, cacheControl: cacheControlFor(kind) };
}

export function articlePageObject(path: string): SiteObject {
  return siteObject(path, CONTENT_TYPES.html, 'article');
}

/**
 * Provenance of an article page: the article and the version it was rendered from. A page whose stored
 * version differs from the table's missed a change.
 */
export function articleProvenance(article: Pick<Article, 'id' | 'version'>): Record<string, string> {
  return { 'article-id': article.id, 'article-version': String(article.version) };
}

/** Provenance of a redirect page: where it sends readers. */
export function redirectProvenance(targetPath: string): Record<string, string> {
  return { 'redirect-to': targetPath };
}

/** What the table says a live article puts in the bucket: the fields repair lists it by. */
export type LiveArticleRef = Pick<Article, 'id' | 'section' | 'slug' | 'previousPaths' | 'version'>;

/** The page of a live article, with the provenance repair compares. */
export function livePageObject<T extends LiveArticleRef>(
  article: T,
): ProvenancedObject & { readonly article: T } {
  return { ...articlePageObject(articlePath(article)), provenance: articleProvenance(article), article };
}

/**
 * The redirect pages a live article keeps at its earlier paths. Stored paths that are not article-shaped
 * are left out, so a corrupt value can never overwrite anything outside the article namespace.
 */
export function liveRedirectObjects(article: LiveArticleRef): RedirectObject[] {
  const target = articlePath(article);
  return [...new Set(article.previousPaths)]
    .filter((path) => path !== target && isArticlePath(path))
    .map((path) => redirectPageObject(path, target));
}

export function redirectPageObject(path: string, targetPath: string): RedirectObject {
  return {
    ...siteObject(path, CONTENT_TYPES.html, 'redirect'),
    provenance: redirectProvenance(targetPath),
    targetPath,
  };
}

export function notFoundPageObject(): SiteObject {
  return siteObject(NOT_FOUND_PATH, CONTENT_TYPES.html, 'not-found');
}

export function robotsTxtObject(): SiteObject {
  return siteObject(ROBOTS_PATH, CONTENT_TYPES.text, 'robots');
}

/** The generated wordmark (functions/render/logo-svg.ts); changes only with the newsroom's name. */
export function logoObject(): SiteObject {
  return siteObject(LOGO_PATH, CONTENT_TYPES.svg, 'robots');
}

/** Objects that list articles and are re-rendered (coalesced per batch) when a live article changes. */
export type IndexObject = SiteObject &
  (
    | {
        readonly kind:
          | 'home'
          | 'rss-feed'
          | 'json-feed'
          | 'sitemap'
          | 'pages-sitemap'
          | 'news-sitemap'
          | 'latest-json';
      }
    | { readonly kind: 'section-page' | 'section-rss-feed'; readonly section: string }
    | { readonly kind: 'month-sitemap'; readonly month: string }
    | { readonly kind: 'tag-page'; readonly tag: string }
  );

export function siteIndexObjects(): IndexObject[] {
  return [
    { kind: 'home', ...siteObject(HOME_PATH, CONTENT_TYPES.html, 'index-page') },
    { kind: 'rss-feed', ...siteObject(RSS_FEED_PATH, CONTENT_TYPES.rss, 'feed') },
    { kind: 'json-feed', ...siteObject(JSON_FEED_PATH, CONTENT_TYPES.jsonFeed, 'feed') },
    { kind: 'sitemap', ...siteObject(SITEMAP_PATH, CONTENT_TYPES.xml, 'sitemap') },
    { kind: 'pages-sitemap', ...siteObject(PAGES_SITEMAP_PATH, CONTENT_TYPES.xml, 'sitemap') },
    { kind: 'news-sitemap', ...siteObject(NEWS_SITEMAP_PATH, CONTENT_TYPES.xml, 'sitemap') },
    { kind: 'latest-json', ...siteObject(LATEST_JSON_PATH, CONTENT_TYPES.json, 'latest-json') },
  ];
}

export function sectionIndexObjects(section: string): IndexObject[] {
  return [
    { kind: 'section-page', section, ...siteObject(sectionPath(section), CONTENT_TYPES.html, 'index-page') },
    { kind: 'section-rss-feed', section, ...siteObject(sectionFeedPath(section), CONTENT_TYPES.rss, 'feed') },
  ];
}

/** The sitemap of the articles first published in one month (`YYYY-MM`). */
export function monthSitemapObject(month: string): IndexObject {
  return {
    kind: 'month-sitemap',
    month,
    ...siteObject(monthSitemapPath(month), CONTENT_TYPES.xml, 'sitemap'),
  };
}

/** A tag's page (`tag` is the tag's slug): deleted rather than left empty when its last article leaves. */
export function tagPageObject(tag: string): IndexObject {
  return { kind: 'tag-page', tag, ...siteObject(tagPath(tag), CONTENT_TYPES.html, 'index-page') };
}

/**
 * Every index object of the site, for a full re-render: `months` are those with published articles,
 * `tags` the slugs of the tags live articles carry.
 */
export function allIndexObjects(
  site: Pick<SiteConfig, 'sections'>,
  months: readonly string[] = [],
  tags: Iterable<string> = [],
): IndexObject[] {
  return [
    ...siteIndexObjects(),
    ...site.sections.flatMap((section) => sectionIndexObjects(section.slug)),
    ...months.map(monthSitemapObject),
    ...[...new Set(tags)].sort().map(tagPageObject),
  ];
}

/** One entry per key, first occurrence kept: what the stream handler renders once per batch. */
export function coalesceIndexObjects(objects: Iterable<IndexObject>): IndexObject[] {
  const byKey = new Map<string, IndexObject>();
  for (const object of objects) if (!byKey.has(object.key)) byKey.set(object.key, object);
  return [...byKey.values()];
}

/** An article or redirect page: the objects repair checks against the table. */
export interface ProvenancedObject extends SiteObject {
  readonly provenance: Readonly<Record<string, string>>;
}

export interface RedirectObject extends ProvenancedObject {
  /** Root-relative path of the live article the redirect page points to. */
  readonly targetPath: string;
}

export interface ArticleChangePlan {
  /** The article page to render from the new image and put, when the article is live. */
  readonly putArticle?: SiteObject & { readonly article: Article };
  /** Redirect pages to render and put, at the paths the live article had before. */
  readonly putRedirects: readonly RedirectObject[];
  /** Pages that must disappear: the article left the site, so its page and its redirects go. */
  readonly deletes: readonly SiteObject[];
  /** Listing objects to re-render; coalesce them across a batch with `coalesceIndexObjects`. */
  readonly indexes: readonly IndexObject[];
  /**
   * CloudFront paths to invalidate: every article or redirect path put or deleted, both as readers ask
   * for it and as the edge rewrite turns it into an object path (CloudFront caches under the latter).
   * Listing objects are short-lived and are never invalidated.
   */
  readonly invalidationPaths: readonly string[];
  /** Stored paths that are not article-shaped and were therefore left alone; worth logging. */
  readonly ignoredPaths: readonly string[];
}

function liveImage(image: Article | undefined): Article | undefined {
  return image !== undefined && isLive(image) ? image : undefined;
}

function sameStrings(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((value, index) => value === b[index]);
}

/**
 * What a change to one article (a DynamoDB stream record's old and new images; either is undefined on
 * insert or delete) means for the bucket. Pure: the caller renders and writes.
 */
export function planArticleChange(
  site: Pick<SiteConfig, 'sections'>,
  oldImage: Article | undefined,
  newImage: Article | undefined,
): ArticleChangePlan {
  const before = liveImage(oldImage);
  const after = liveImage(newImage);
  const ignoredPaths = new Set<string>();
  const usable = (path: string): boolean => {
    if (isArticlePath(path)) return true;
    ignoredPaths.add(path);
    return false;
  };

  const afterPath = after && articlePath(after);
  const beforePath = before && articlePath(before);
  const published = after !== undefined && afterPath !== undefined && usable(afterPath);
  const putArticle = published ? livePageObject(after) : undefined;

  const putRedirects: RedirectObject[] = [];
  const deletes: SiteObject[] = [];

  if (published) {
    const moved = beforePath !== undefined && beforePath !== afterPath;
    const redirectsChanged =
      before === undefined || moved || !sameStrings(before.previousPaths, after.previousPaths);
    if (redirectsChanged) {
      const sources = new Set([...after.previousPaths, ...(moved ? [beforePath] : [])]);
      sources.delete(afterPath);
      for (const path of sources) {
        if (usable(path)) putRedirects.push(redirectPageObject(path, afterPath));
      }
    }
  } else if (before !== undefined && beforePath !== undefined) {
    // A redirect to a page that no longer exists would only lead readers to a 404.
    const gone = new Set([beforePath, ...before.previousPaths]);
    for (const path of gone) if (usable(path)) deletes.push(articlePageObject(path));
  }

  const indexes: IndexObject[] = [];
  if (before !== undefined || after !== undefined) {
    indexes.push(...siteIndexObjects());
    const sections = new Set([before?.section, after?.section]);
    for (const section of site.sections) {
      if (sections.has(section.slug)) indexes.push(...sectionIndexObjects(section.slug));
    }
    const months = new Set(
      [before?.publishedAt, after?.publishedAt].flatMap((time) => (time ? [publicationMonth(time)] : [])),
    );
    for (const month of months) indexes.push(monthSitemapObject(month));
    // Both sides: a tag the change removed must lose the article, one it added must gain it.
    for (const tag of new Set([...tagSlugsOf(before), ...tagSlugsOf(after)]))
      indexes.push(tagPageObject(tag));
  }

  // A path that served nothing before was never cached (CloudFront keeps no 404 for it), so a first
  // publication invalidates nothing; a live page re-rendered in place, or a return to a path that held a
  // redirect, must be invalidated.
  const servedBefore =
    before !== undefined &&
    afterPath !== undefined &&
    (afterPath === beforePath || before.previousPaths.includes(afterPath));
  const changed = [...(putArticle && servedBefore ? [putArticle] : []), ...putRedirects, ...deletes];
  const invalidationPaths = [...new Set(changed.flatMap((object) => [object.path, `/${object.key}`]))];

  return {
    ...(putArticle ? { putArticle } : {}),
    putRedirects,
    deletes,
    indexes,
    invalidationPaths,
    ignoredPaths: [...ignoredPaths],
  };
}
