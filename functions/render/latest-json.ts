import { articlePath } from '../domain/article';
import { LATEST_NEWS_LIMIT } from './article-lists';
import { newestFirst } from './dates';
import type { ArticleSummary } from './types';

/**
 * `/latest.json`: a static snapshot of the newest articles in the same shape as `GET /api/latest`
 * (first page, no cursor), for clients that can live with a minute-old list and should not reach the
 * API at all. URLs are root-relative, like the links in the pages.
 */
export function renderLatestJson(items: readonly ArticleSummary[], limit = LATEST_NEWS_LIMIT): string {
  const latest = newestFirst(items)
    .slice(0, limit)
    .map((item) => ({
      id: item.id,
      slug: item.slug,
      title: item.title,
      ...(item.summary ? { summary: item.summary } : {}),
      section: item.section,
      publishedAt: item.publishedAt,
      url: articlePath(item),
    }));
  return `${JSON.stringify({ items: latest, nextCursor: null })}\n`;
}
