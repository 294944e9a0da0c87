import type { SiteConfig } from '../config/site';
import { articlePath } from '../domain/article';
import { articleImage } from './article-image';
import { type DateDisplay, formatListDate, isoInstant, newestFirst } from './dates';
import { html, type SafeHtml } from './html';
import { LATEST_NEWS_LIST_ID } from './latest-news-script';
import { messagesFor } from './messages';
import { langAttribute } from './page-language';
import { pictureElement } from './responsive-image';
import type { ArticleSummary } from './types';

/** How many entries the "Latest news" list shows, rendered and refreshed alike. */
export const LATEST_NEWS_LIMIT = 10;

export function listTime(value: string, display: DateDisplay): SafeHtml {
  const iso = isoInstant(value);
  return html`${iso && html`<time datetime="${iso}">${formatListDate(iso, display)}</time>`}`;
}

/** A link to an article, marked with the article's language when it is not the page's. */
function articleLink(site: SiteConfig, item: ArticleSummary): SafeHtml {
  const lang = langAttribute(site.language, item.language ?? site.copyLanguage);
  return html`<a href="${articlePath(item)}"${lang && html` lang="${lang}"`}>${item.title}</a>`;
}

/** The "Latest news" aside; its list is what the browser refresher replaces. */
export function latestNewsAside(site: SiteConfig, items: readonly ArticleSummary[]): SafeHtml {
  return html`<aside class="latest" aria-labelledby="latest-news-heading">
<h2 id="latest-news-heading">${messagesFor(site.language).latestNews}</h2>
<ol id="${LATEST_NEWS_LIST_ID}" data-limit="${LATEST_NEWS_LIMIT}" data-time-zone="${site.timeZone}" data-locale="${site.locale ?? site.language}">
${items
  .slice(0, LATEST_NEWS_LIMIT)
  .map((item) => html`<li>${articleLink(site, item)} ${listTime(item.publishedAt, site)}</li>\n`)}</ol>
</aside>`;
}

export interface HeadlineOptions {
  /** Heading level of the headline, so the page outline stays in order wherever the list sits. */
  readonly level: 2 | 3;
  readonly showSummary: boolean;
}

export function headline(site: SiteConfig, item: ArticleSummary, options: HeadlineOptions): SafeHtml {
  const heading = articleLink(site, item);
  return html`${options.level === 2 ? html`<h2 class="headline">${heading}</h2>` : html`<h3 class="headline">${heading}</h3>`}
${options.showSummary && item.summary && html`<p>${item.summary}</p>`}
<p class="meta">${listTime(item.publishedAt, site)}</p>`;
}

export function headlineList(
  site: SiteConfig,
  items: readonly ArticleSummary[],
  options: HeadlineOptions,
): SafeHtml {
  return html`<ul class="headlines">
${items.map((item) => html`<li>${headline(site, item, options)}</li>\n`)}</ul>`;
}

export interface CardOptions extends HeadlineOptions {
  /** How wide the card's thumbnail is shown (`sizes`), for the browser to pick from `srcset`. */
  readonly sizes: string;
  /** Cards above the fold leave loading to the browser; the rest load as they scroll near. */
  readonly loading: 'auto' | 'lazy';
}

/**
 * A story as a card: its thumbnail (cropped to 16:9) above the headline. A story without a picture gets
 * a text card instead, its summary filling the space, so no empty box stands where a photo would be.
 */
export function storyCard(site: SiteConfig, item: ArticleSummary, options: CardOptions): SafeHtml {
  const image = articleImage(item);
  const thumbnail =
    image &&
    pictureElement(site, image, { sizes: options.sizes, loading: options.loading, className: 'thumb' });
  return html`<li class="${image ? 'card' : 'card text-only'}">${thumbnail}
${headline(site, item, { ...options, showSummary: options.showSummary || !image })}
</li>`;
}

export function storyCards(
  site: SiteConfig,
  items: readonly ArticleSummary[],
  options: CardOptions,
): SafeHtml {
  return html`<ul class="cards">
${items.map((item) => html`${storyCard(site, item, options)}\n`)}</ul>`;
}

/**
 * Newest first, with the story that leads the page first: the newest one editors marked `featured`, or
 * the newest of all when none is. The home page and every section page choose their lead the same way.
 */
export function leadFirst(items: readonly ArticleSummary[]): ArticleSummary[] {
  const newest = newestFirst(items);
  const lead = newest.find((item) => item.featured === true) ?? newest[0];
  return lead === undefined ? [] : [lead, ...newest.filter((item) => item !== lead)];
}

/**
 * The story that leads a page: its picture as large as the column (fetched first: it is the largest
 * thing above the fold), then a headline larger than any other on the page, the summary and the time.
 */
export function leadStory(site: SiteConfig, item: ArticleSummary, sizes: string): SafeHtml {
  const image = articleImage(item);
  const heading = articleLink(site, item);
  return html`<article class="${image ? 'lead-story' : 'lead-story text-only'}">
${image && html`<figure class="lead-picture">${pictureElement(site, image, { sizes, loading: 'priority' })}</figure>`}
<h2 class="headline">${heading}</h2>
${item.summary && html`<p class="standfirst">${item.summary}</p>`}
<p class="meta">${listTime(item.publishedAt, site)}</p>
</article>`;
}
