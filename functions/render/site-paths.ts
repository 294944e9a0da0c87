import type { SiteConfig } from '../config/site';

/** Root-relative clean URLs of everything the site serves besides article pages. */

export const HOME_PATH = '/';
export const RSS_FEED_PATH = '/feed.xml';
export const JSON_FEED_PATH = '/feed.json';
/** A sitemap index: the pages sitemap plus one sitemap per month of publication. */
export const SITEMAP_PATH = '/sitemap.xml';
export const PAGES_SITEMAP_PATH = '/sitemaps/pages.xml';
export const NEWS_SITEMAP_PATH = '/news-sitemap.xml';
export const ROBOTS_PATH = '/robots.txt';
/** The newsroom's wordmark the site writes, for structured data when the config names no logo. */
export const LOGO_PATH = '/logo.svg';
export const LATEST_JSON_PATH = '/latest.json';
/** CloudFront's custom error response serves this object, with status 404, for every missing path. */
export const NOT_FOUND_PATH = '/404.html';

export function sectionPath(section: string): string {
  return `/${section}/`;
}

const TAGS_PREFIX = '/tags/';

/** A tag's page, `/tags/<tag slug>/` (functions/domain/tags.ts); `tags` is a reserved section slug. */
export function tagPath(slug: string): string {
  return `${TAGS_PREFIX}${slug}/`;
}

export function sectionFeedPath(section: string): string {
  return `/${section}/feed.xml`;
}

/** `/sitemaps/2026-11.xml`: the articles first published in that month (UTC). */
export function monthSitemapPath(month: string): string {
  return `/sitemaps/${month}.xml`;
}

/** The UTC month (`YYYY-MM`) of an ISO instant. */
export function publicationMonth(iso: string): string {
  return new Date(iso).toISOString().slice(0, 7);
}

/** The month (`YYYY-MM`) a monthly sitemap's URL or path names, or undefined for any other URL. */
export function monthOfSitemapUrl(url: string): string | undefined {
  return /\/sitemaps\/(\d{4}-(?:0[1-9]|1[0-2]))\.xml$/.exec(url)?.[1];
}

/** The instants that bound a month: `[start, next month's start)`. */
export function monthBounds(month: string): { from: string; to: string } {
  const start = new Date(`${month}-01T00:00:00.000Z`);
  const next = new Date(start);
  next.setUTCMonth(next.getUTCMonth() + 1);
  return { from: start.toISOString(), to: next.toISOString() };
}

export function absoluteUrl(site: Pick<SiteConfig, 'baseUrl'>, path: string): string {
  return `${site.baseUrl}${path}`;
}

const SEGMENT = '[a-z0-9]+(?:-[a-z0-9]+)*';
const ARTICLE_PATH = new RegExp(`^/${SEGMENT}/${SEGMENT}$`);

/**
 * Whether a path has the shape of an article page, `/<section>/<slug>`. Stored paths are checked before
 * an object is written for them, so a corrupt value can never overwrite the home page, a section page,
 * a feed or anything outside the article namespace.
 */
export function isArticlePath(path: string): boolean {
  // `/tags/<slug>` has the shape, but is a tag page's folder (`tags` is a reserved section slug).
  return ARTICLE_PATH.test(path) && !path.startsWith(TAGS_PREFIX);
}
