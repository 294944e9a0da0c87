/** The rendering core's public surface: articles and lists in, strings and object plans out. */

export { renderArticlePage } from './article-page';
export { CACHE_CONTROL, type CachedObjectKind, cacheControlFor } from './cache-control';
export { FEED_ITEM_LIMIT, renderJsonFeed, renderRssFeed, renderSectionRssFeed } from './feeds';
export { renderHomePage } from './home-page';
export { renderLatestJson } from './latest-json';
export { LATEST_NEWS_SCRIPT, LATEST_NEWS_SCRIPT_HASH } from './latest-news-script';
export { renderNotFoundPage } from './not-found-page';
export { renderRedirectPage } from './redirect-page';
export { renderRobotsTxt } from './robots-txt';
export { renderSectionPage } from './section-page';
export { SECURITY_HEADERS, type SecurityHeaders, securityHeadersForHttp } from './security-headers';
export {
  type ArticleChangePlan,
  allIndexObjects,
  articlePageObject,
  CONTENT_TYPES,
  type ContentType,
  coalesceIndexObjects,
  type IndexObject,
  notFoundPageObject,
  objectKeyForPath,
  planArticleChange,
  type RedirectObject,
  redirectPageObject,
  robotsTxtObject,
  type SiteObject,
  sectionIndexObjects,
  siteIndexObjects,
} from './site-objects';
export * from './site-paths';
export {
  NEWS_SITEMAP_URL_LIMIT,
  NEWS_SITEMAP_WINDOW_MS,
  renderArticleSitemap,
  renderNewsSitemap,
  renderPagesSitemap,
  renderSitemapIndex,
  SITEMAP_URL_LIMIT,
  type SitemapIndexEntry,
} from './sitemaps';
export { STYLESHEET, STYLESHEET_HASH } from './stylesheet';
export type { ArticleSummary } from './types';
