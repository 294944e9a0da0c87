import type { SiteConfig } from '../config/site';
import { type Article, type ArticleSummary, articlePath } from '../domain/article';
import type { RevisionSummary } from '../domain/revisions';

/** The article as the API returns it: every field plus the absolute URL of its rendered page. */
export function presentArticle(article: Article, site: SiteConfig) {
  return {
    ...article,
    corrections: article.corrections ?? [],
    // Stored only when true (functions/domain/article-service.ts); readers of the API always get a boolean.
    featured: article.featured === true,
    url: `${site.baseUrl}${articlePath(article)}`,
  };
}

/**
 * One version of an article (GET /api/articles/{id}/revisions/{version}): as presentArticle shows it, plus
 * the fields that version changed, when the version before it is kept.
 */
export function presentRevision(article: Article, changes: readonly string[] | undefined, site: SiteConfig) {
  return { ...presentArticle(article, site), ...(changes === undefined ? {} : { changes }) };
}

/** An entry of GET /api/articles/{id}/revisions: who made the version, when, and what it changed. */
export function presentRevisionSummary(summary: RevisionSummary) {
  return {
    version: summary.version,
    updatedAt: summary.updatedAt,
    ...(summary.updatedBy === undefined ? {} : { updatedBy: summary.updatedBy }),
    ...(summary.changes === undefined ? {} : { changes: summary.changes }),
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
    language: summary.language ?? site.language,
    publishedAt: summary.publishedAt,
    url: `${site.baseUrl}${articlePath(summary)}`,
  };
}
