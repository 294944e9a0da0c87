import type { SiteConfig } from '../config/site';
import { absoluteUrl, NEWS_SITEMAP_PATH, SITEMAP_PATH } from './site-paths';

/** `/robots.txt`: everything but the API may be crawled; both sitemaps by absolute URL. */
export function renderRobotsTxt(site: Pick<SiteConfig, 'baseUrl'>): string {
  return [
    'User-agent: *',
    'Disallow: /api/',
    '',
    `Sitemap: ${absoluteUrl(site, SITEMAP_PATH)}`,
    `Sitemap: ${absoluteUrl(site, NEWS_SITEMAP_PATH)}`,
    '',
  ].join('\n');
}
