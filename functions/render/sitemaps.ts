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
import { readerModifiedAt } from '../domain/corrections';
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

/**
 * Pages and entries are dated by what readers were told changed (publication, or the latest correction),
 * the same date the page's own structured data gives: a silent fix moves no `lastmod`.
 */
function latestChange(items: readonly ArticleSummary[]): string | undefined {
  const times = items
    .map((item) => Date.parse(readerModifiedAt(item) ?? ''))
    .filter((time) => !Number.isNaN(time));
  return times.length > 0 ? new Date(Math.max(...times)).toISOString() : undefined;
}

/**
 * `/sitemaps/pages.xml`: the home page and every section page, dated by the newest change among the
 * latest articles given.
 */
export function renderPagesSitemap(site: SiteConfig, latest: readonly ArticleSummary[]): string {
  const homeLastmod = latestChange(latest);
  const entries: SitemapItemLoose[] = [
    { url: absoluteUrl(site, HOME_PATH), ...(homeLastmod ? { lastmod: homeLastmod } : {}) },
    ...site.sections.map((section) => {
      const lastmod = latestChange(latest.filter((item) => item.section === section.slug));
      return { url: absoluteUrl(site, sectionPath(section.slug)), ...(lastmod ? { lastmod } : {}) };
    }),
  ];
  return urlset([SITEMAP_NS], urlEntries(site, entries));
}

/**
 * `/sitemaps/<YYYY-MM>.xml`: the articles given (one month's), newest first, each dated by its last
 * change readers were told of and with its image. A month holds far fewer than the protocol's 50,000 URLs; past that the
 * newest are kept rather than writing an invalid file.
 */
export function renderArticleSitemap(site: SiteConfig, items: readonly ArticleSummary[]): string {
  return urlset([SITEMAP_NS, IMAGE_NS], articleEntries(site, newestFirst(items).slice(0, SITEMAP_URL_LIMIT)));
}

function articleEntries(site: SiteConfig, items: readonly ArticleSummary[]): string {
  const entries: SitemapItemLoose[] = items.map((item) => {
    const lastmod = isoInstant(readerModifiedAt(item)) ?? isoInstant(item.publishedAt);
    const image = articleImage(item);
    return {
      url: absoluteUrl(site, articlePath(item)),
      ...(lastmod ? { lastmod } : {}),
      ...(image ? { img: [{ url: image.url }] } : {}),
    };
  });
  return urlEntries(site, entries);
}

export interface ArticleSitemapChange {
  /** Absolute URLs whose entries go: every path the changed articles had before or have now. */
  readonly removeUrls: ReadonlySet<string>;
  /** Entries to add: the changed articles that are live and belong to this month. */
  readonly add: readonly ArticleSummary[];
}

const XML_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function xmlUnescape(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|apos);/g, (_, name: string) => XML_ENTITIES[name] ?? '');
}

/**
 * A month's sitemap with a batch's changes applied to the sitemap as stored, instead of re-reading the
 * whole month from the table: the work of a publish is bounded by its change, not by the month. Returns
 * undefined when the stored file is not one this module wrote (or would pass the protocol's limit), so
 * the caller renders the month in full instead. The entries added come first (they are the newest).
 */
export function patchArticleSitemap(
  site: SiteConfig,
  stored: string,
  change: ArticleSitemapChange,
): string | undefined {
  const open = stored.indexOf('<urlset ');
  const bodyStart = open < 0 ? -1 : stored.indexOf('>', open) + 1;
  const end = stored.lastIndexOf('</urlset>');
  if (bodyStart <= 0 || end < bodyStart) return undefined;
  const body = stored.slice(bodyStart, end);
  const entries = body.match(/<url>[\s\S]*?<\/url>/g) ?? [];
  // Anything between or around the entries means the file is not ours: rebuild it from the table.
  if (entries.join('') !== body) return undefined;
  const kept = entries.filter((entry) => {
    const loc = /<loc>([^<]*)<\/loc>/.exec(entry)?.[1];
    return loc !== undefined && !change.removeUrls.has(xmlUnescape(loc));
  });
  if (kept.length + change.add.length > SITEMAP_URL_LIMIT) return undefined;
  return urlset([SITEMAP_NS, IMAGE_NS], articleEntries(site, newestFirst(change.add)) + kept.join(''));
}

export interface SitemapIndexEntry {
  /** Root-relative path of a sitemap file. */
  readonly path: string;
  readonly lastmod?: string;
}

/** Whether a `<urlset>` this module wrote has any entry: the protocol allows none to have no `<url>`. */
export function hasUrlEntries(xml: string): boolean {
  return xml.includes('<url>');
}

/** The newest `<lastmod>` in a sitemap this module wrote (its entries' dates), or undefined for none. */
export function newestLastmod(xml: string): string | undefined {
  let newest: number | undefined;
  for (const [, value] of xml.matchAll(/<lastmod>([^<]*)<\/lastmod>/g)) {
    const time = Date.parse(xmlUnescape(value ?? ''));
    if (!Number.isNaN(time) && (newest === undefined || time > newest)) newest = time;
  }
  return newest === undefined ? undefined : new Date(newest).toISOString();
}

/** Each sitemap a stored sitemap index lists, by its absolute URL (`<loc>`), with its `<lastmod>` if any. */
export function storedSitemapIndex(xml: string): ReadonlyMap<string, string | undefined> {
  const entries = new Map<string, string | undefined>();
  for (const [, entry] of xml.matchAll(/<sitemap>([\s\S]*?)<\/sitemap>/g)) {
    const loc = /<loc>([^<]*)<\/loc>/.exec(entry ?? '')?.[1];
    const lastmod = /<lastmod>([^<]*)<\/lastmod>/.exec(entry ?? '')?.[1];
    if (loc !== undefined)
      entries.set(xmlUnescape(loc), lastmod === undefined ? undefined : xmlUnescape(lastmod));
  }
  return entries;
}

function xmlText(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

/**
 * `/sitemap.xml`: a sitemap index of the pages sitemap and the monthly article sitemaps, so a publish
 * re-renders the index and one month's file, never every article of the archive. Each entry's `lastmod`
 * is the newest `lastmod` inside that sitemap (`newestLastmod`), so crawlers fetch only the files that
 * changed.
 */
export function renderSitemapIndex(site: SiteConfig, entries: readonly SitemapIndexEntry[]): string {
  const sitemaps = entries
    .map((entry) => {
      const lastmod = entry.lastmod ? `<lastmod>${xmlText(entry.lastmod)}</lastmod>` : '';
      return `<sitemap><loc>${xmlText(absoluteUrl(site, entry.path))}</loc>${lastmod}</sitemap>`;
    })
    .join('');
  return `${XML_DECLARATION}\n<sitemapindex ${SITEMAP_NS}>${sitemaps}</sitemapindex>\n`;
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
      // Google News files each story under the language it is written in.
      publication: { name: site.name, language: newsLanguage(item.language ?? site.language) },
      publication_date: new Date(Date.parse(item.publishedAt)).toISOString(),
      title: item.title,
    },
  }));
  return urlset([SITEMAP_NS, NEWS_NS], urlEntries(site, entries));
}
