import type { SiteConfig } from '../config/site';
import { headMeta, type PageMeta } from './head-meta';
import { html, type SafeHtml, trustedHtml } from './html';
import { LATEST_NEWS_SCRIPT } from './latest-news-script';
import { messagesFor } from './messages';
import { HOME_PATH, JSON_FEED_PATH, RSS_FEED_PATH, SITEMAP_PATH, sectionPath } from './site-paths';
import { STYLESHEET } from './stylesheet';

export interface DocumentOptions {
  readonly site: SiteConfig;
  readonly meta: PageMeta;
  readonly main: SafeHtml;
  /** Class of `<main>`: `page` or `page with-aside`. */
  readonly mainClass?: string;
  /** Which header link is the current page (`page`) or contains it (`true`). */
  readonly current?: { readonly path: string; readonly ariaCurrent: 'page' | 'true' };
  /** Adds the "Latest news" refresher; only pages with that list need it. */
  readonly refreshLatestNews?: boolean;
  /** Extra `<head>` markup, e.g. a redirect page's meta refresh. */
  readonly extraHead?: SafeHtml;
}

function ariaCurrent(path: string, current: DocumentOptions['current']): 'page' | 'true' | undefined {
  return current?.path === path ? current.ariaCurrent : undefined;
}

function siteHeader(site: SiteConfig, current: DocumentOptions['current']): SafeHtml {
  const homeCurrent = ariaCurrent(HOME_PATH, current);
  return html`<header class="site-header">
<div class="bar">
<a class="site-name" href="${HOME_PATH}"${homeCurrent && html` aria-current="${homeCurrent}"`}>${site.name}</a>
<nav class="sections" aria-label="${messagesFor(site.language).sectionsNavigation}">
<ul${site.copyLanguage && html` lang="${site.copyLanguage}"`}>
${site.sections.map((section) => {
  const path = sectionPath(section.slug);
  const state = ariaCurrent(path, current);
  return html`<li><a href="${path}"${state && html` aria-current="${state}"`}>${section.name}</a></li>\n`;
})}</ul>
</nav>
</div>
</header>`;
}

interface SiteChrome {
  readonly footer: SafeHtml;
  /** The header's links: only these can be marked current. */
  readonly linkPaths: ReadonlySet<string>;
  /** The header by which of its links is current, if any. */
  readonly headers: Map<string, SafeHtml>;
}

/**
 * Header and footer depend only on the site (configuration, immutable) and on which header link is
 * current, so each is built once per site rather than for every page.
 */
const chrome = new WeakMap<SiteConfig, SiteChrome>();

function chromeOf(site: SiteConfig): SiteChrome {
  let built = chrome.get(site);
  if (built === undefined) {
    const linkPaths = new Set([HOME_PATH, ...site.sections.map((section) => sectionPath(section.slug))]);
    built = { footer: siteFooter(site), linkPaths, headers: new Map() };
    chrome.set(site, built);
  }
  return built;
}

function cachedHeader(site: SiteConfig, current: DocumentOptions['current']): SafeHtml {
  const { linkPaths, headers } = chromeOf(site);
  // A current path that is none of the header's links (a section since removed) marks nothing.
  const marked = current !== undefined && linkPaths.has(current.path) ? current : undefined;
  const key = marked === undefined ? '' : `${marked.ariaCurrent} ${marked.path}`;
  let header = headers.get(key);
  if (header === undefined) {
    header = siteHeader(site, marked);
    headers.set(key, header);
  }
  return header;
}

function siteFooter(site: SiteConfig): SafeHtml {
  const links = messagesFor(site.language).feedsAndSitemap;
  return html`<footer class="site-footer">
<div class="page">
<p${site.copyLanguage && html` lang="${site.copyLanguage}"`}>${site.description}</p>
<p><a href="${RSS_FEED_PATH}">${links.rss}</a> · <a href="${JSON_FEED_PATH}">${links.jsonFeed}</a> · <a href="${SITEMAP_PATH}">${links.sitemap}</a></p>
</div>
</footer>`;
}

/** Conditional parts of the head leave empty lines behind; the head has no whitespace-sensitive text. */
function withoutBlankLines(markup: SafeHtml): SafeHtml {
  return trustedHtml(markup.toString().replace(/\n\s*\n/g, '\n'));
}

/**
 * The stylesheet is most of the head; cleaned once, it is left out of every page's scan. No blank line
 * can span its edges (`<style>` and `</style>` are not whitespace), so the result is the same.
 */
const STYLE_ELEMENT_TEXT = withoutBlankLines(trustedHtml(STYLESHEET));

/** A complete HTML5 document: header with the sections, the page's main content, footer. */
export function renderDocument(options: DocumentOptions): string {
  const { site, meta } = options;
  const head = html`${withoutBlankLines(html`<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
${headMeta(site, meta)}
<link rel="icon" href="data:,">
<style>`)}${STYLE_ELEMENT_TEXT}${withoutBlankLines(html`</style>
${options.extraHead}`)}`;
  return html`<!doctype html>
<html lang="${site.language}">
<head>
${head}
</head>
<body>
<a class="skip-link" href="#main">${messagesFor(site.language).skipToContent}</a>
${cachedHeader(site, options.current)}
<main id="main" class="${options.mainClass ?? 'page'}" tabindex="-1">
${options.main}
</main>
${chromeOf(site).footer}
${options.refreshLatestNews && html`<script>${trustedHtml(LATEST_NEWS_SCRIPT)}</script>`}
</body>
</html>
`.toString();
}
