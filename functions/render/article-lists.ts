import type { SiteConfig } from '../config/site';
import { articlePath } from '../domain/article';
import { type DateDisplay, formatListDate, isoInstant } from './dates';
import { html, type SafeHtml } from './html';
import { LATEST_NEWS_LIST_ID } from './latest-news-script';
import { messagesFor } from './messages';
import { langAttribute } from './page-language';
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
