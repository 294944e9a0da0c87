import type { SiteConfig } from '../config/site';
import { type Article, articlePath } from '../domain/article';
import { lastCorrection, newestCorrectionsFirst } from '../domain/corrections';
import { articleImage, heroImage } from './article-image';
import { latestNewsAside } from './article-lists';
import { correctionsBlock } from './corrections';
import { type DateDisplay, formatArticleDate, isoInstant } from './dates';
import { html, type SafeHtml } from './html';
import { newsArticleJsonLd } from './json-ld';
import { renderDocument } from './layout';
import { renderArticleBody } from './markdown';
import { messagesFor } from './messages';
import { inLanguage } from './page-language';
import { sectionName } from './section-name';
import { absoluteUrl, sectionPath } from './site-paths';
import { tagPageHref } from './tag-page';
import type { ArticleSummary } from './types';

/** The meta description's length; feeds render bodies with it too, so they share the body cache. */
export const DESCRIPTION_LENGTH = 160;

function timeElement(iso: string, display: DateDisplay): SafeHtml {
  return html`<time datetime="${iso}">${formatArticleDate(iso, display)}</time>`;
}

/** `corrected`: the time of the latest correction; a silent fix leaves no "Updated" line. */
function byline(
  article: Article,
  published: string,
  corrected: string | undefined,
  site: SiteConfig,
): SafeHtml {
  const messages = messagesFor(site.language);
  return html`<p class="meta">${article.author && html`<span>${messages.byline(article.author)}</span>`}<span>${messages.published} ${timeElement(published, site)}</span>${corrected && html`<span>${messages.updated} ${timeElement(corrected, site)}</span>`}</p>`;
}

function sourceCredit(source: string | undefined, site: SiteConfig): SafeHtml {
  const credit = source?.trim();
  // Printed as "/ REL" after the body, like the newsroom's print style; screen readers hear "Source: REL".
  return html`${credit && html`<p class="source-credit"><span aria-hidden="true">/ </span><span class="visually-hidden">${messagesFor(site.language).source} </span>${credit}</p>`}`;
}

/** The article's tags, each linking to its tag's page; a tag with no slug (no page) stays plain text. */
function tagList(site: SiteConfig, article: Article): SafeHtml {
  if (article.tags.length === 0) return html``;
  const items = article.tags.map((tag) => {
    const href = tagPageHref(tag);
    return href ? html`<li><a href="${href}">${tag}</a></li>` : html`<li>${tag}</li>`;
  });
  return html`<ul class="tags" aria-label="${messagesFor(site.language).tags}">${items}</ul>`;
}

/**
 * An article's page, in the article's language (labels, dates, `lang`). `latest` is the "Latest news"
 * list at publish time; the browser refreshes it, so the page never needs re-rendering when other
 * articles are published.
 */
export function renderArticlePage(
  newsroom: SiteConfig,
  article: Article,
  latest: readonly ArticleSummary[],
): string {
  const site = inLanguage(newsroom, article.language);
  const path = articlePath(article);
  const url = absoluteUrl(site, path);
  const section = sectionName(site, article.section);
  const updated = isoInstant(article.updatedAt) ?? new Date(0).toISOString();
  const published = isoInstant(article.publishedAt) ?? updated;
  // What readers were told changed: the latest correction, never a silent fix (updatedAt).
  const corrected = isoInstant(lastCorrection(article)?.at);
  const modified = corrected ?? published;
  const image = articleImage(article);
  const summary = article.summary?.trim();
  const body = renderArticleBody(article.id, article.body, site.baseUrl, DESCRIPTION_LENGTH, site.language);
  const description = summary || body.excerpt || article.title || site.description;

  const main = html`<article class="article">
<p class="label"><a href="${sectionPath(article.section)}">${section}</a></p>
<h1>${article.title}</h1>
${summary && html`<p class="standfirst">${summary}</p>`}
${byline(article, published, corrected, site)}
${heroImage(site, image)}
<div class="prose">
${body.html}</div>
${sourceCredit(article.source, site)}
${correctionsBlock(article, site)}
${tagList(site, article)}
</article>
${latestNewsAside(site, latest)}`;

  return renderDocument({
    site,
    meta: {
      documentTitle: `${article.title} | ${site.name}`,
      title: article.title,
      description,
      canonicalPath: path,
      image,
      article: { publishedTime: published, modifiedTime: modified, sectionName: section, tags: article.tags },
      feedSection: { slug: article.section, name: section },
      jsonLd: newsArticleJsonLd(site, {
        url,
        headline: article.title,
        description,
        datePublished: published,
        dateModified: modified,
        author: article.author?.trim() || undefined,
        image,
        sectionName: section,
        keywords: article.tags,
        corrections: newestCorrectionsFirst(article),
      }),
    },
    main,
    mainClass: 'page with-aside',
    current: { path: sectionPath(article.section), ariaCurrent: 'true' },
    refreshLatestNews: true,
  });
}
