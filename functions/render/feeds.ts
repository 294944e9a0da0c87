import { Feed, type Item } from 'feed';
import type { Section, SiteConfig } from '../config/site';
import { articlePath } from '../domain/article';
import { readerModifiedAt } from '../domain/corrections';
import { articleImage } from './article-image';
import { DESCRIPTION_LENGTH } from './article-page';
import { correctionTexts } from './corrections';
import { isoInstant, newestFirst } from './dates';
import { escapeHtml } from './html';
import { renderArticleBody } from './markdown';
import { inLanguage, langAttribute } from './page-language';
import { sectionName } from './section-name';
import {
  absoluteUrl,
  HOME_PATH,
  JSON_FEED_PATH,
  RSS_FEED_PATH,
  sectionFeedPath,
  sectionPath,
} from './site-paths';
import type { ArticleSummary } from './types';

/**
 * Feeds: RSS 2.0 at `/feed.xml` and `/<section>/feed.xml`, written by the `feed` library, and JSON Feed
 * 1.1 at `/feed.json`, written here (the library's v6 writes only JSON Feed 1.0: one `author`, no
 * `language`; 1.1 is a few plain JSON fields). Items carry absolute URLs and the article id as a stable
 * GUID, so a slug change does not look like a new story to feed readers, and the full story: the same
 * sanitized HTML as the page's body (RSS `content:encoded`, JSON `content_html`), with the byline
 * (`dc:creator`, `authors`).
 *
 * An item is dated by what readers were told: its publication, or its latest correction, whose notes the
 * item's content carries. A silent fix (`updatedAt` alone) changes no date here.
 */

/** Items per feed; callers may pass more, the newest are kept. */
export const FEED_ITEM_LIMIT = 50;

/**
 * A feed's entry: a listed article and, when the caller read it, its body (Markdown). Without a body the
 * item's content is its summary, as before full content: a feed is never held up for want of one.
 */
export type FeedArticle = ArticleSummary & { readonly body?: string };

export const JSON_FEED_VERSION = 'https://jsonfeed.org/version/1.1';

/** Characters XML 1.0 forbids (controls, lone surrogates); one in a title would break the whole feed. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const XML_INVALID = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|\p{Cs}/gu;

function cleanText(text: string): string {
  return text.replace(XML_INVALID, '');
}

/**
 * The library writes titles as CDATA and only splits the first `]]>`, so a second one would end the
 * section early and let the rest of the title be read as markup.
 */
function cdataText(text: string): string {
  return cleanText(text).replaceAll(']]>', ']] >');
}

/**
 * HTML for a CDATA section: `]]>` would end it, and in HTML `]]&gt;` is the same text. The renderer
 * escapes every `>` of text and attributes, so this only guards against a change there.
 */
function cdataHtml(html: string): string {
  return cleanText(html).replaceAll(']]>', ']]&gt;');
}

interface FeedScope {
  readonly title: string;
  readonly description: string;
  readonly homePath: string;
  readonly rssPath: string;
  readonly jsonPath?: string;
}

function imageType(url: string): string {
  const extension = new URL(url).pathname.split('.').pop()?.toLowerCase();
  switch (extension) {
    case 'png':
      return 'image/png';
    case 'gif':
      return 'image/gif';
    case 'webp':
      return 'image/webp';
    case 'avif':
      return 'image/avif';
    default:
      return 'image/jpeg';
  }
}

/** The correction lines as HTML paragraphs, newest first; empty for an item never corrected. */
function correctionParagraphs(site: SiteConfig, item: ArticleSummary): string {
  return correctionTexts(item, site)
    .map((line) => `<p>${escapeHtml(line)}</p>`)
    .join('');
}

/**
 * The item's full content as HTML: the body exactly as the page renders it (the same cached rendering),
 * then the corrections; without a body, the summary (or the title) as a paragraph.
 */
function contentHtml(site: SiteConfig, item: FeedArticle): string {
  const corrections = correctionParagraphs(site, item);
  const body =
    item.body === undefined
      ? `<p>${escapeHtml(item.summary?.trim() || item.title)}</p>`
      : renderArticleBody(
          item.id,
          item.body,
          site.baseUrl,
          DESCRIPTION_LENGTH,
          site.language,
        ).html.toString();
  return cdataHtml(`${body}${corrections}`);
}

/** An item's dates: publication, and the last change readers were told of (a correction). */
function itemDates(item: ArticleSummary): { readonly published: Date; readonly modified: Date } {
  const published = new Date(isoInstant(item.publishedAt) ?? 0);
  const modified = new Date(isoInstant(readerModifiedAt(item)) ?? published.getTime());
  return { published, modified };
}

function categoryNames(site: SiteConfig, item: ArticleSummary): string[] {
  return [sectionName(site, item.section), ...item.tags].map(cleanText);
}

/**
 * An item is written in its article's language (quotes, correction labels), which the item states when
 * it is not the feed's.
 */
function rssItem(feedSite: SiteConfig, item: FeedArticle): Item {
  const site = inLanguage(feedSite, item.language);
  const ownLanguage = langAttribute(feedSite.language, item.language);
  const image = articleImage(item);
  const summary = item.summary?.trim();
  const author = item.author?.trim();
  const { published, modified } = itemDates(item);
  const corrections = correctionParagraphs(site, item);
  // An RSS description is HTML and the summary is plain text. A corrected item's description says so
  // after the summary, in the same HTML.
  const description = corrections
    ? `${summary ? `<p>${escapeHtml(summary)}</p>` : ''}${corrections}`
    : summary && escapeHtml(summary);
  return {
    id: item.id,
    title: cdataText(item.title),
    link: absoluteUrl(site, articlePath(item)),
    date: modified,
    // RSS has no modification date and writes `published` as pubDate.
    published,
    category: categoryNames(site, item).map((name) => ({ name })),
    ...(image ? { image: { url: image.url, type: imageType(image.url), length: 0 } } : {}),
    ...(description ? { description: cleanText(description) } : {}),
    // Full content (content:encoded), always: with it the library declares the content namespace and
    // Dublin Core's, which dc:creator needs.
    content: contentHtml(site, item),
    // RSS's own <author> wants an e-mail address, which the newsroom does not publish: the byline is
    // Dublin Core's creator, a name.
    extensions: [
      ...(author ? [{ name: 'dc:creator', objects: { _cdata: cdataText(author) } }] : []),
      ...(ownLanguage ? [{ name: 'dc:language', objects: { _text: ownLanguage } }] : []),
    ],
  };
}

function buildRss(
  site: SiteConfig,
  scope: FeedScope,
  items: readonly FeedArticle[],
  now: Date | undefined,
): Feed {
  const newest = newestFirst(items).slice(0, FEED_ITEM_LIMIT);
  const feed = new Feed({
    title: cleanText(scope.title),
    description: cleanText(scope.description),
    id: absoluteUrl(site, scope.homePath),
    link: absoluteUrl(site, scope.homePath),
    language: site.language,
    updated: lastUpdate(newest, now),
    generator: false,
    ttl: 5,
    feedLinks: {
      rss: absoluteUrl(site, scope.rssPath),
      ...(scope.jsonPath ? { json: absoluteUrl(site, scope.jsonPath) } : {}),
    },
  });
  for (const item of newest) feed.addItem(rssItem(site, item));
  return feed;
}

/** Derived from the content, not the clock, so an unchanged feed renders to identical bytes. */
function lastUpdate(newest: readonly ArticleSummary[], now: Date | undefined): Date {
  const lastChange = Math.max(
    ...newest.map((item) => Date.parse(readerModifiedAt(item) ?? '') || Date.parse(item.publishedAt) || 0),
    -Infinity,
  );
  return Number.isFinite(lastChange) ? new Date(lastChange) : (now ?? new Date(0));
}

function siteScope(site: SiteConfig): FeedScope {
  return {
    title: site.name,
    description: site.description,
    homePath: HOME_PATH,
    rssPath: RSS_FEED_PATH,
    jsonPath: JSON_FEED_PATH,
  };
}

/** `/feed.xml`: the site's latest articles as RSS 2.0. */
export function renderRssFeed(site: SiteConfig, items: readonly FeedArticle[], now?: Date): string {
  return buildRss(site, siteScope(site), items, now).rss2();
}

function jsonFeedItem(feedSite: SiteConfig, item: FeedArticle): Record<string, unknown> {
  const site = inLanguage(feedSite, item.language);
  const image = articleImage(item);
  const summary = item.summary?.trim();
  const author = item.author?.trim();
  const { published, modified } = itemDates(item);
  return {
    id: item.id,
    url: absoluteUrl(site, articlePath(item)),
    title: cleanText(item.title),
    content_html: contentHtml(site, item),
    // Plain text, as JSON Feed's summary is.
    ...(summary ? { summary: cleanText(summary) } : {}),
    ...(image ? { image: image.url } : {}),
    date_published: published.toISOString(),
    date_modified: modified.toISOString(),
    // Without a byline the item has the feed's authors: the newsroom.
    ...(author ? { authors: [{ name: cleanText(author) }] } : {}),
    tags: categoryNames(site, item),
    language: site.language,
  };
}

/** `/feed.json`: the same as JSON Feed 1.1. */
export function renderJsonFeed(site: SiteConfig, items: readonly FeedArticle[], _now?: Date): string {
  const scope = siteScope(site);
  const home = absoluteUrl(site, scope.homePath);
  const feed = {
    version: JSON_FEED_VERSION,
    title: cleanText(scope.title),
    home_page_url: home,
    feed_url: absoluteUrl(site, JSON_FEED_PATH),
    description: cleanText(scope.description),
    language: site.language,
    authors: [{ name: cleanText(site.name), url: home }],
    items: newestFirst(items)
      .slice(0, FEED_ITEM_LIMIT)
      .map((item) => jsonFeedItem(site, item)),
  };
  return JSON.stringify(feed, null, 2);
}

/** `/<section>/feed.xml`: one section's latest articles as RSS 2.0; other sections' items are ignored. */
export function renderSectionRssFeed(
  site: SiteConfig,
  section: Section,
  items: readonly FeedArticle[],
  now?: Date,
): string {
  const scope: FeedScope = {
    title: `${site.name}: ${section.name}`,
    description: section.description,
    homePath: sectionPath(section.slug),
    rssPath: sectionFeedPath(section.slug),
  };
  return buildRss(
    site,
    scope,
    items.filter((item) => item.section === section.slug),
    now,
  ).rss2();
}
