/**
 * What every list (home, section pages, "Latest news", feeds, sitemaps) needs of a published article:
 * the domain's list entry, re-exported so the renderer's callers import one name from one place.
 * `publishedAt` is required because only published articles are ever listed.
 */
export type { ArticleSummary } from '../domain/article';
