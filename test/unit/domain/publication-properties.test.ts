import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Article, isLive } from '../../../functions/domain/article';
import { createArticleSchema, updateArticleSchema } from '../../../functions/domain/article-input';
import { ArticleService } from '../../../functions/domain/article-service';
import type { AppError } from '../../../functions/domain/errors';
import { isStoredInstant } from '../../../functions/domain/instant';
import { isDue, resolvePublication } from '../../../functions/domain/publication';
import { parseOrThrow } from '../../../functions/domain/validation';
import { InMemoryArticleRepository } from '../../support/in-memory-article-repository';
import { asyncRefusal, refusal } from '../../support/refusal';
import { acceptedTime, refusedTime, type WrittenInstant, writtenInstant } from './instant-arbitraries';

/**
 * The publication rules as properties over random instants, written in random UTC offsets and
 * precisions, against random clocks: what the handlers do (schema, then service), end to end in memory.
 */

const base = { title: 'Property story', section: 'bota', body: 'Body.' };

function serviceAt(clock: number) {
  const repository = new InMemoryArticleRepository();
  let now = new Date(clock);
  const service = new ArticleService(repository, () => now);
  return {
    repository,
    service,
    setClock: (time: number) => {
      now = new Date(time);
    },
  };
}

/** As the create handler does it: the schema first, then the service. */
async function create(service: ArticleService, fields: Record<string, unknown>): Promise<Article> {
  return service.create(parseOrThrow(createArticleSchema, { ...base, ...fields }, 'article'));
}

const INSTANT_FIELDS = ['publishAt', 'publishedAt', 'createdAt', 'updatedAt'] as const;

function expectStoredInstants(article: Article | undefined): void {
  for (const field of INSTANT_FIELDS) {
    const value = article?.[field];
    if (value !== undefined) expect(isStoredInstant(value), `${field} ${value}`).toBe(true);
  }
}

/** A clock and an editor's publishAt relative to it. */
const clockAndInstant = fc.tuple(acceptedTime, writtenInstant(acceptedTime));

const expectRangeRefusal = (error: AppError) => {
  expect(error.status).toBe(400);
  expect(error.details).toEqual([
    {
      field: 'publishAt',
      message: 'publishAt must be from 1990-01-01T00:00:00Z up to, not including, 2100-01-01T00:00:00Z',
    },
  ]);
};

describe('publication properties', () => {
  it('a future publishAt never publishes: published or scheduled, the article is scheduled and not live', async () => {
    await fc.assert(
      fc.asyncProperty(
        clockAndInstant.filter(([clock, at]) => at.time > clock),
        fc.constantFrom('published', 'scheduled'),
        async ([clock, at], status) => {
          const { service, repository, setClock } = serviceAt(clock);
          const article = await create(service, { status, publishAt: at.text });
          expect(article.status).toBe('scheduled');
          expect(isLive(article)).toBe(false);
          expect(article.publishedAt).toBeUndefined();
          expect(Date.parse(article.publishAt ?? '')).toBe(at.time);
          // Not due a millisecond early, whatever the clock does in between.
          setClock(at.time - 1);
          expect(await service.publishDue()).toBe(0);
          expect(repository.storedArticle(article.id)?.status).toBe('scheduled');
        },
      ),
    );
  });

  it('a past (or present) publishAt never schedules: published, backdated to it', async () => {
    await fc.assert(
      fc.asyncProperty(
        clockAndInstant.filter(([clock, at]) => at.time <= clock),
        async ([clock, at]) => {
          const { service } = serviceAt(clock);
          const article = await create(service, { status: 'published', publishAt: at.text });
          expect(article.status).toBe('published');
          expect(isLive(article)).toBe(true);
          expect(Date.parse(article.publishedAt ?? '')).toBe(at.time);
          expect(article.publishedAt).toBe(article.publishAt);
        },
      ),
    );
  });

  it('scheduling for a past or present publishAt is refused, and stores nothing', async () => {
    await fc.assert(
      fc.asyncProperty(
        clockAndInstant.filter(([clock, at]) => at.time <= clock),
        async ([clock, at]) => {
          const { service, repository } = serviceAt(clock);
          const error = await asyncRefusal(create(service, { status: 'scheduled', publishAt: at.text }));
          expect(error.status).toBe(400);
          expect(error.details).toEqual([
            { field: 'publishAt', message: 'publishAt must be in the future to schedule an article' },
          ]);
          expect(repository.articleCount()).toBe(0);
          expect(repository.allClaims()).toEqual([]);
        },
      ),
    );
  });

  it('a publishAt outside the range is refused whatever the status, naming the range', async () => {
    await fc.assert(
      fc.asyncProperty(
        acceptedTime,
        writtenInstant(refusedTime),
        fc.constantFrom('draft', 'scheduled', 'published'),
        async (clock, at, status) => {
          const { service, repository } = serviceAt(clock);
          expectRangeRefusal(await asyncRefusal(create(service, { status, publishAt: at.text })));
          expectRangeRefusal(
            refusal(() => parseOrThrow(updateArticleSchema, { publishAt: at.text }, 'update')),
          );
          // The service checks it too, for callers that skip the schema.
          expectRangeRefusal(refusal(() => resolvePublication(status, at.text, undefined, new Date(clock))));
          expect(repository.articleCount()).toBe(0);
        },
      ),
    );
  });

  it('a scheduled article is published by the scheduler exactly when its time has come, at that time', async () => {
    await fc.assert(
      fc.asyncProperty(clockAndInstant, acceptedTime, async ([clock, at], later) => {
        fc.pre(at.time > clock && later >= clock);
        const { service, repository, setClock } = serviceAt(clock);
        const article = await create(service, { status: 'scheduled', publishAt: at.text });
        setClock(later);
        const stored = () => repository.storedArticle(article.id);
        expect(isDue(stored() as Article, new Date(later))).toBe(at.time <= later);
        expect(await service.publishDue()).toBe(at.time <= later ? 1 : 0);
        if (at.time <= later) {
          expect(stored()).toMatchObject({ status: 'published', publishedAt: article.publishAt });
        } else {
          expect(stored()?.status).toBe('scheduled');
        }
        expectStoredInstants(stored());
      }),
    );
  });

  it('an update follows the same rules as a create', async () => {
    await fc.assert(
      fc.asyncProperty(clockAndInstant, async ([clock, at]) => {
        const { service } = serviceAt(clock);
        const draft = await create(service, {});
        const input = parseOrThrow(
          updateArticleSchema,
          { status: 'published', publishAt: at.text },
          'update',
        );
        const updated = await service.update(draft.id, 1, input);
        if (at.time > clock) {
          expect(updated).toMatchObject({ status: 'scheduled', publishedAt: undefined });
        } else {
          expect(updated.status).toBe('published');
          expect(Date.parse(updated.publishedAt ?? '')).toBe(at.time);
        }
      }),
    );
  });

  it('whatever is stored is a stored instant that round-trips to the instant the editor meant', async () => {
    await fc.assert(
      fc.asyncProperty(
        clockAndInstant,
        fc.constantFrom('draft', 'published', 'scheduled'),
        async ([clock, at]: [number, WrittenInstant], status) => {
          fc.pre(status !== 'scheduled' || at.time > clock);
          const { service, repository } = serviceAt(clock);
          const article = await create(service, { status, publishAt: at.text });
          const stored = repository.storedArticle(article.id);
          expectStoredInstants(stored);
          expect(Date.parse(stored?.publishAt ?? '')).toBe(at.time);
          expect(Date.parse(stored?.createdAt ?? '')).toBe(clock);
          for (const field of INSTANT_FIELDS) {
            const value = stored?.[field];
            if (value !== undefined) expect(new Date(Date.parse(value)).toISOString()).toBe(value);
          }
        },
      ),
    );
  });
});
