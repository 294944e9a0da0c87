import type { SiteConfig } from '../config/site';
import { presentSummary } from '../http/article-presenter';
import { LATEST_NEWS_LIMIT } from './article-lists';
import { newestFirst } from './dates';
import type { ArticleSummary } from './types';

/**
 * `/latest.json`: a static snapshot of the newest articles, entry for entry what `GET /api/latest`
 * returns for its first page (the same presenter writes both), for clients that can live with a
 * minute-old list and should not reach the API at all.
 */
export function renderLatestJson(
  site: SiteConfig,
  items: readonly ArticleSummary[],
  limit = LATEST_NEWS_LIMIT,
): string {
  const latest = newestFirst(items)
    .slice(0, limit)
    .map((item) => presentSummary(item, site));
  return `${JSON.stringify({ items: latest, nextCursor: null })}\n`;
}
