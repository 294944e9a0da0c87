import type { Article, ArticleStatus } from './article';
import { AppError } from './errors';
import { normaliseInstant, storedInstant } from './instant';

/**
 * Publication rules. An editor asks for a status and may give a `publishAt`; what the article becomes
 * depends on the clock:
 * - `published` with a future `publishAt` is held back as `scheduled` until then;
 * - `published` with a past (or present) `publishAt` is backdated to it (imports of older stories);
 * - `scheduled` needs a future `publishAt`;
 * - `publishedAt` is set on first publication and kept across unpublish/republish, so URLs, feeds and
 *   sitemaps keep their original date.
 * `publishAt` must lie in the range of functions/domain/instant.ts and is stored in its UTC form; "future"
 * and "past" compare instants as numbers, never as strings.
 */

export type RequestedStatus = ArticleStatus;

export interface PublicationState {
  readonly status: ArticleStatus;
  readonly publishAt?: string;
  readonly publishedAt?: string;
}

export function resolvePublication(
  requested: RequestedStatus,
  publishAt: string | undefined,
  current: PublicationState | undefined,
  now: Date,
): PublicationState {
  // Also re-checks a publishAt kept from storage, so nothing outside the range is ever written back.
  const normalisedPublishAt = publishAt === undefined ? undefined : normaliseInstant(publishAt, 'publishAt');
  const inFuture = normalisedPublishAt !== undefined && Date.parse(normalisedPublishAt) > now.getTime();
  const kept = { publishAt: normalisedPublishAt, publishedAt: current?.publishedAt };

  switch (requested) {
    case 'draft':
    case 'review':
    case 'unpublished':
      return { status: requested, ...kept };
    case 'scheduled':
      if (!inFuture) {
        throw new AppError('validation_failed', 'The article cannot be scheduled', [
          { field: 'publishAt', message: 'publishAt must be in the future to schedule an article' },
        ]);
      }
      return { status: 'scheduled', ...kept };
    case 'published':
      if (inFuture) return { status: 'scheduled', ...kept };
      return {
        status: 'published',
        publishAt: normalisedPublishAt,
        publishedAt: current?.publishedAt ?? normalisedPublishAt ?? storedInstant(now),
      };
  }
}

/** A scheduled article whose time has come is published at its planned time. */
export function isDue(article: Pick<Article, 'status' | 'publishAt'>, now: Date): boolean {
  return (
    article.status === 'scheduled' &&
    article.publishAt !== undefined &&
    Date.parse(article.publishAt) <= now.getTime()
  );
}
