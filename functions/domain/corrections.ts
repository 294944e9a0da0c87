import type { Article, ArticleCorrection } from './article';
import { AppError } from './errors';

/**
 * Corrections, as readers see them. A PATCH with a `correction` note appends one and tells readers (the
 * page, its structured data, the feeds and sitemaps date the article by it); a PATCH without one is a
 * silent fix that moves no date a reader or a crawler sees. Pure: no SDK, no I/O.
 */

/**
 * Corrections one article may carry. They are never removed, and lists (feeds, sitemaps) carry them, so
 * the list is bounded; an article wrong this often wants a new article, not a 51st note.
 */
export const MAX_CORRECTIONS = 50;

/** The latest correction, if the article has any. */
export function lastCorrection(article: Pick<Article, 'corrections'>): ArticleCorrection | undefined {
  return article.corrections?.at(-1);
}

/**
 * When readers were last told that the article changed: its latest correction, otherwise its first
 * publication. `updatedAt` is not it: that moves on every silent fix too.
 */
export function readerModifiedAt(article: Pick<Article, 'corrections' | 'publishedAt'>): string | undefined {
  return lastCorrection(article)?.at ?? article.publishedAt;
}

/** Newest first, as the page and the feeds show them; a copy, so the article's own list keeps its order. */
export function newestCorrectionsFirst(article: Pick<Article, 'corrections'>): ArticleCorrection[] {
  return [...(article.corrections ?? [])].reverse();
}

function refused(message: string): AppError {
  return new AppError('validation_failed', 'The article is invalid', [{ field: 'correction', message }]);
}

/**
 * The article's corrections with `note` appended at `at`. A correction is for what readers have seen: an
 * article never published (a draft, one in review, one still scheduled) is fixed without one. The
 * existing corrections are kept as they are, whatever the rest of the patch says.
 */
export function withCorrection(
  current: Pick<Article, 'corrections' | 'publishedAt'>,
  note: string,
  at: string,
): readonly ArticleCorrection[] {
  if (current.publishedAt === undefined) {
    throw refused(
      'a correction is for an article readers have seen; this one was never published, so edit it without one',
    );
  }
  const existing = current.corrections ?? [];
  if (existing.length >= MAX_CORRECTIONS) {
    throw refused(`an article carries at most ${MAX_CORRECTIONS} corrections; this one has them all`);
  }
  return [...existing, { at, note }];
}
