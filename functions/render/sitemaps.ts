import {
  ErrorLevel,
  normalizeURL,
  type SitemapItem,
  type SitemapItemLoose,
  SitemapItemStream,
  validateSMIOptions,
} from 'sitemap';
import type { SiteConfig } from '../config/site';
import { articlePath } from '../domain/article';
import { articleImage } from './article-image';
import { isoInstant, newestFirst } from './dates';
import { absoluteUrl, HOME_PATH, sectionPath } from './site-paths';
import type { ArticleSummary } from './types';

/**
 * Sitemaps, with the `sitemap` library writing (and escaping) every `<url>` entry.
 *
 * The library's SitemapStream is asynchronous; its item stream is synchronous when it can buffer
 * everything, which keeps these functions string-in, string-out like the rest of the renderer. A check
 * below turns any change in that behaviour into an error instead of a truncated sitemap.
 */

/** The protocol's limit per sitemap file. */
export const SITEMAP_URL_LIMIT = 50_000;
/** Google News reads at most this many entries per news sitemap. */
export const NEWS_SITEMAP_URL_LIMIT = 1_000;
/** Google News only wants articles from the last two days. */
export const NEWS_SITEMAP_WINDOW_MS = 48 * 60 * 60 * 1000;

const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>';
const SITEMAP_NS = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"';
const IMAGE_NS = 'xmlns:image="http://www.google.com/schemas/sitemap-image/1.1"';
const NEWS_NS = 'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"';

function urlEntries(site: SiteConfig, items: readonly SitemapItemLoose[]): string {
  const stream = new SitemapItemStream({ level: ErrorLevel.THROW, highWaterMark: Number.MAX_SAFE_INTEGER });
  for (const item of items) {
    stream.write(
      validateSMIOptions(normalizeURL(item, site.baseUrl), ErrorLevel.THROW) satisfies SitemapItem,
    );
  }
  stream.end();
  const chunks: string[] = [];
  for (let chunk = stream.read(); chunk !== null; chunk = stream.read()) chunks.push(String(chunk));
  const entries = chunks.join('');
  const written = entries.split('</url>').length - 1;
  if (written !== items.length) throw new Error(`Sitemap wrote ${written} of ${items.length} entries`);
  return entries;
}

function urlset(namespaces: readonly string[], entries: string): string {
  return `${XML_DECLARATION}\n<urlset ${namespaces.join(' ')}>${entries}</urlset>\n`;
}

/** How many articles fit in `/sitemap.xml` next to the home and section pages. */
export function sitemapArticleCapacity(site: Pick<SiteConfig, 'sections'>): number {
  return SITEMAP_URL_LIMIT - 1 - site.sections.length;
}

function latestChange(items: readonly ArticleSummary[]): string | undefined {
  const times = items.map((item) => Date.parse(item.updatedAt)).filter((time) => !Number.isNaN(time));
  return times.length > 0 ? new Date(Math.max(...times)).toISOString() : undefined;
}

/**
 * `/sitemap.xml`: the home page, every section page and the articles given. One file holds at most
 * 50,000 URLs, so callers pass at most `sitemapArticleCapacity(site)` articles (the newest are kept
 * beyond that); a larger archive needs a sitemap index, which this site does not have yet.
 */
export function renderSitemap(site: SiteConfig, items: readonly ArticleSummary[], _now?: Date): string {
  const articles = newestFirst(items).slice(0, sitemapArticleCapacity(site));
  const homeLastmod = latestChange(articles);
  const entries: SitemapItemLoose[] = [
    { url: absoluteUrl(site, HOME_PATH), ...(homeLastmod ? { lastmod: homeLastmod } : {}) },
    ...site.sections.map((section) => {
      const lastmod = latestChange(articles.filter((item) => item.section === section.slug));
      return { url: absoluteUrl(site, sectionPath(section.slug)), ...(lastmod ? { lastmod } : {}) };
    }),
    ...articles.map((item) => {
      const lastmod = isoInstant(item.updatedAt) ?? isoInstant(item.publishedAt);
      const image = articleImage(item);
      return {
        url: absoluteUrl(site, articlePath(item)),
        ...(lastmod ? { lastmod } : {}),
        ...(image ? { img: [{ url: image.url }] } : {}),
      };
    }),
  ];
  return urlset([SITEMAP_NS, IMAGE_NS], urlEntries(site, entries));
}

/** Google News accepts ISO 639 codes only (plus zh-cn and zh-tw), so `en-GB` is published as `en`. */
function newsLanguage(language: string): string {
  const lower = language.toLowerCase();
  if (lower === 'zh-cn' || lower === 'zh-tw') return lower;
  return lower.split('-')[0] ?? lower;
}

/**
 * `/news-sitemap.xml`: the articles first published in the 48 hours before `now`, newest first, at most
 * 1,000. Articles dated after `now` are left out until their time comes.
 */
export function renderNewsSitemap(site: SiteConfig, items: readonly ArticleSummary[], now: Date): string {
  const end = now.getTime();
  const start = end - NEWS_SITEMAP_WINDOW_MS;
  const recent = newestFirst(items)
    .filter((item) => {
      const published = Date.parse(item.publishedAt);
      return published > start && published <= end;
    })
    .slice(0, NEWS_SITEMAP_URL_LIMIT);
  const entries: SitemapItemLoose[] = recent.map((item) => ({
    url: absoluteUrl(site, articlePath(item)),
    news: {
      publication: { name: site.name, language: newsLanguage(site.language) },
      publication_date: new Date(Date.parse(item.publishedAt)).toISOString(),
      title: item.title,
    },
  }));
  return urlset([SITEMAP_NS, NEWS_NS], urlEntries(site, entries));
}
