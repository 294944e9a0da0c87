import type { SiteConfig } from '../config/site';
import { articlePath } from '../domain/article';
import { type DateDisplay, formatListDate, isoInstant } from './dates';
import { html, type SafeHtml } from './html';
import { LATEST_NEWS_LIST_ID } from './latest-news-script';
import type { ArticleSummary } from './types';

/** How many entries the "Latest news" list shows, rendered and refreshed alike. */
export const LATEST_NEWS_LIMIT = 10;

export function listTime(value: string, display: DateDisplay): SafeHtml {
  const iso = isoInstant(value);
  return html`${iso && html`<time datetime="${iso}">${formatListDate(iso, display)}</time>`}`;
}

/** The "Latest news" aside; its list is what the browser refresher replaces. */
export function latestNewsAside(site: SiteConfig, items: readonly ArticleSummary[]): SafeHtml {
  return html`<aside class="latest" aria-labelledby="latest-news-heading">
<h2 id="latest-news-heading">Latest news</h2>
<ol id="${LATEST_NEWS_LIST_ID}" data-limit="${LATEST_NEWS_LIMIT}" data-time-zone="${site.timeZone}">
${items
  .slice(0, LATEST_NEWS_LIMIT)
  .map(
    (item) =>
      html`<li><a href="${articlePath(item)}">${item.title}</a> ${listTime(item.publishedAt, site)}</li>\n`,
  )}</ol>
</aside>`;
}

export interface HeadlineOptions {
  /** Heading level of the headline, so the page outline stays in order wherever the list sits. */
  readonly level: 2 | 3;
  readonly showSummary: boolean;
}

export function headline(site: SiteConfig, item: ArticleSummary, options: HeadlineOptions): SafeHtml {
  const heading = html`<a href="${articlePath(item)}">${item.title}</a>`;
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
