import type { SiteConfig } from '../config/site';

/** Root-relative clean URLs of everything the site serves besides article pages. */

export const HOME_PATH = '/';
export const RSS_FEED_PATH = '/feed.xml';
export const JSON_FEED_PATH = '/feed.json';
export const SITEMAP_PATH = '/sitemap.xml';
export const NEWS_SITEMAP_PATH = '/news-sitemap.xml';
export const ROBOTS_PATH = '/robots.txt';
export const LATEST_JSON_PATH = '/latest.json';
/** CloudFront's custom error response serves this object, with status 404, for every missing path. */
export const NOT_FOUND_PATH = '/404.html';

export function sectionPath(section: string): string {
  return `/${section}/`;
}

export function sectionFeedPath(section: string): string {
  return `/${section}/feed.xml`;
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
  return ARTICLE_PATH.test(path);
}
