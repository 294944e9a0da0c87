import type { SiteConfig } from '../config/site';
import type { Article } from '../domain/article';
import type { ArticleRepository } from '../domain/article-repository';
import { LATEST_NEWS_LIMIT } from '../render/article-lists';
import { renderArticlePage } from '../render/article-page';
import { securityHeadersForHttp } from '../render/security-headers';
import type { HttpResult } from './responses';

/**
 * A preview is the article's page exactly as the renderer would write it, answered instead of written:
 * never stored by any cache (`no-store`), never indexed, and with no Referer sent from it, so neither an
 * unpublished headline nor a preview link's token leaks to the sites its images and links point to.
 * The site's security headers come with it (CloudFront's policy sets the same at the edge), so its
 * inline script and stylesheet run under the same hash-only policy as on the site.
 */
export const PREVIEW_HEADERS: Readonly<Record<string, string>> = {
  ...Object.fromEntries(
    Object.entries(securityHeadersForHttp()).map(([name, value]) => [name.toLowerCase(), value]),
  ),
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  'x-robots-tag': 'noindex, nofollow, noarchive',
  'referrer-policy': 'no-referrer',
};

/**
 * The page with the "Latest news" list as it stands now, as functions/publishing/site-publisher.ts
 * renders a live article's page: the newest published articles, the article itself left out.
 */
export async function previewResponse(
  site: SiteConfig,
  articles: Pick<ArticleRepository, 'listLatest'>,
  article: Article,
): Promise<HttpResult> {
  const latest = await articles.listLatest({ limit: LATEST_NEWS_LIMIT + 1 });
  const others = latest.items.filter((item) => item.id !== article.id);
  return { statusCode: 200, headers: { ...PREVIEW_HEADERS }, body: renderArticlePage(site, article, others) };
}
