import type { SiteConfig } from '../config/site';
import { type Article, type ArticleSummary, articlePath } from '../domain/article';

/** The article as the API returns it: every field plus the absolute URL of its rendered page. */
export function presentArticle(article: Article, site: SiteConfig) {
  return {
    ...article,
    corrections: article.corrections ?? [],
    url: `${site.baseUrl}${articlePath(article)}`,
  };
}

/** A `/api/latest` entry: just what a headline list needs. */
export function presentSummary(summary: ArticleSummary, site: SiteConfig) {
  return {
    id: summary.id,
    slug: summary.slug,
    title: summary.title,
    summary: summary.summary ?? null,
    section: summary.section,
    publishedAt: summary.publishedAt,
    url: `${site.baseUrl}${articlePath(summary)}`,
  };
}
