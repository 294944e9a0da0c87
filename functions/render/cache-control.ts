/**
 * Cache-Control of every kind of object the renderer produces. `max-age` is for browsers, `s-maxage`
 * for CloudFront.
 *
 * - Article pages are immutable until they change, and then CloudFront is invalidated by their exact
 *   path, so the edge keeps them for a year; browsers re-check after a minute so readers see
 *   corrections soon.
 * - Everything that lists articles (home, sections, feeds, sitemaps, latest.json) changes with every
 *   publish and is never invalidated: a short edge lifetime, served stale while CloudFront refetches
 *   in the background, and kept serving if the origin fails.
 * - Redirect pages change only when their article moves again, which is invalidated like an article.
 */

export type CachedObjectKind =
  | 'article'
  | 'redirect'
  | 'index-page'
  | 'feed'
  | 'sitemap'
  | 'latest-json'
  | 'not-found'
  | 'robots';

const LISTING = 'public, max-age=60, s-maxage=60, stale-while-revalidate=300, stale-if-error=86400';

export const CACHE_CONTROL: Readonly<Record<CachedObjectKind, string>> = {
  article: 'public, max-age=60, s-maxage=31536000',
  redirect: 'public, max-age=3600, s-maxage=31536000',
  'index-page': LISTING,
  feed: LISTING,
  sitemap: LISTING,
  'latest-json': 'public, max-age=30, s-maxage=30, stale-while-revalidate=120, stale-if-error=86400',
  // Served by CloudFront's error response for any missing path: short, so a page published a moment
  // after someone asked for it is not hidden behind a cached 404.
  'not-found': 'public, max-age=60, s-maxage=60',
  robots: 'public, max-age=3600, s-maxage=3600',
};

export function cacheControlFor(kind: CachedObjectKind): string {
  return CACHE_CONTROL[kind];
}
