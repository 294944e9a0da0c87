import type { SiteConfig } from '../config/site';
import { html, type SafeHtml } from './html';
import { jsonLdScript } from './json-ld';
import { openGraphLocale } from './page-language';
import { absoluteUrl, JSON_FEED_PATH, RSS_FEED_PATH, sectionFeedPath } from './site-paths';

export interface PageImage {
  /** Absolute http(s) URL, already checked. */
  readonly url: string;
  readonly alt?: string;
  /** Stored size in pixels, when editors gave it. */
  readonly width?: number;
  readonly height?: number;
  /** Shown under the photo on the article's page, and given to search engines. */
  readonly caption?: string;
  readonly credit?: string;
}

export interface ArticleFacts {
  readonly publishedTime: string;
  readonly modifiedTime: string;
  readonly sectionName: string;
  readonly tags: readonly string[];
}

export interface PageMeta {
  /** Text of the `<title>` element. */
  readonly documentTitle: string;
  /** Title for social cards, without the site name. */
  readonly title: string;
  readonly description: string;
  /** Root-relative path of the canonical URL; none for pages served at arbitrary URLs (404). */
  readonly canonicalPath?: string;
  readonly noindex?: boolean;
  readonly image?: PageImage;
  readonly article?: ArticleFacts;
  /** The section whose feed is advertised next to the site's. */
  readonly feedSection?: { readonly slug: string; readonly name: string };
  readonly jsonLd?: unknown;
}

function feedLinks(site: SiteConfig, section: PageMeta['feedSection']): SafeHtml {
  return html`<link rel="alternate" type="application/rss+xml" title="${site.name}" href="${absoluteUrl(site, RSS_FEED_PATH)}">
<link rel="alternate" type="application/feed+json" title="${site.name}" href="${absoluteUrl(site, JSON_FEED_PATH)}">
${section && html`<link rel="alternate" type="application/rss+xml" title="${`${site.name}: ${section.name}`}" href="${absoluteUrl(site, sectionFeedPath(section.slug))}">`}`;
}

function openGraph(site: SiteConfig, meta: PageMeta): SafeHtml {
  const url = meta.canonicalPath === undefined ? undefined : absoluteUrl(site, meta.canonicalPath);
  const { article, image } = meta;
  return html`<meta property="og:type" content="${article ? 'article' : 'website'}">
<meta property="og:site_name" content="${site.name}">
<meta property="og:locale" content="${openGraphLocale(site)}">
<meta property="og:title" content="${meta.title}">
<meta property="og:description" content="${meta.description}">
${url && html`<meta property="og:url" content="${url}">`}
${image && html`<meta property="og:image" content="${image.url}">`}
${image?.width !== undefined && html`<meta property="og:image:width" content="${image.width}">`}
${image?.height !== undefined && html`<meta property="og:image:height" content="${image.height}">`}
${image?.alt && html`<meta property="og:image:alt" content="${image.alt}">`}
${
  article &&
  html`<meta property="article:published_time" content="${article.publishedTime}">
<meta property="article:modified_time" content="${article.modifiedTime}">
<meta property="article:section" content="${article.sectionName}">
${article.tags.map((tag) => html`<meta property="article:tag" content="${tag}">\n`)}`
}
<meta name="twitter:card" content="${image ? 'summary_large_image' : 'summary'}">
<meta name="twitter:title" content="${meta.title}">
<meta name="twitter:description" content="${meta.description}">
${image && html`<meta name="twitter:image" content="${image.url}">`}
${image?.alt && html`<meta name="twitter:image:alt" content="${image.alt}">`}`;
}

/** Everything in `<head>` that describes the page to search engines, social sites and feed readers. */
export function headMeta(site: SiteConfig, meta: PageMeta): SafeHtml {
  return html`<title>${meta.documentTitle}</title>
<meta name="description" content="${meta.description}">
${meta.noindex && html`<meta name="robots" content="noindex">`}
${meta.canonicalPath !== undefined && html`<link rel="canonical" href="${absoluteUrl(site, meta.canonicalPath)}">`}
${openGraph(site, meta)}
${feedLinks(site, meta.feedSection)}
${meta.jsonLd !== undefined && jsonLdScript(meta.jsonLd)}`;
}
