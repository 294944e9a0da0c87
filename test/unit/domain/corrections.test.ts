import { beforeEach, describe, expect, it } from 'vitest';
import type { Article } from '../../../functions/domain/article';
import { updateArticleSchema } from '../../../functions/domain/article-input';
import { ArticleService } from '../../../functions/domain/article-service';
import {
  lastCorrection,
  MAX_CORRECTIONS,
  newestCorrectionsFirst,
  readerModifiedAt,
  withCorrection,
} from '../../../functions/domain/corrections';
import { AppError } from '../../../functions/domain/errors';
import { parseOrThrow } from '../../../functions/domain/validation';
import { InMemoryArticleRepository } from '../../support/in-memory-article-repository';
import { asyncRefusal, refusal } from '../../support/refusal';

const START = new Date('2026-12-01T08:00:00.000Z');
const MINUTE = 60_000;

describe('the correction field of a patch', () => {
  const problems = (input: unknown) => {
    try {
      parseOrThrow(updateArticleSchema, input, 'article');
    } catch (error) {
      expect(error).toBeInstanceOf(AppError);
      return (error as AppError).details ?? [];
    }
    throw new Error('expected a refusal');
  };

  it('is trimmed plain text, and enough on its own to make a patch', () => {
    expect(updateArticleSchema.parse({ correction: '  The summit is in The Hague.  ' })).toEqual({
      correction: 'The summit is in The Hague.',
    });
    expect(updateArticleSchema.parse({ correction: 'x'.repeat(1000) }).correction).toHaveLength(1000);
  });

  it.each([
    ['empty', '   ', 'correction must not be empty'],
    ['too long', 'x'.repeat(1001), 'correction must be at most 1000 characters'],
    ['not text', 42, 'correction must be a string'],
    ['null: a correction cannot be taken back', null, 'correction must be a string'],
    ['a control character', 'a\u0007b', 'correction must be a single line without control characters'],
  ])('refuses one that is %s, naming the field', (_case, correction, message) => {
    expect(problems({ correction })).toEqual([{ field: 'correction', message }]);
  });

  it('has no way to replace or remove the list: `corrections` is not a field a patch may send', () => {
    expect(problems({ corrections: [] })).toContainEqual(expect.objectContaining({ field: 'corrections' }));
  });
});

describe('withCorrection and the dates readers see', () => {
  const published = { publishedAt: '2026-12-01T08:00:00.000Z' };

  it('appends, keeping the earlier corrections as they were', () => {
    const first = withCorrection(published, 'First.', '2026-12-01T09:00:00.000Z');
    const second = withCorrection(
      { ...published, corrections: first },
      'Second.',
      '2026-12-02T09:00:00.000Z',
    );
    expect(second).toEqual([
      { at: '2026-12-01T09:00:00.000Z', note: 'First.' },
      { at: '2026-12-02T09:00:00.000Z', note: 'Second.' },
    ]);
    expect(lastCorrection({ corrections: second })?.note).toBe('Second.');
    expect(newestCorrectionsFirst({ corrections: second }).map((c) => c.note)).toEqual(['Second.', 'First.']);
    expect(second.map((c) => c.note)).toEqual(['First.', 'Second.']);
  });

  it('dates an article by its latest correction, otherwise by its publication', () => {
    expect(readerModifiedAt(published)).toBe(published.publishedAt);
    expect(readerModifiedAt({ ...published, corrections: [] })).toBe(published.publishedAt);
    expect(
      readerModifiedAt({ ...published, corrections: [{ at: '2026-12-03T00:00:00.000Z', note: 'x' }] }),
    ).toBe('2026-12-03T00:00:00.000Z');
  });

  it('refuses a correction to an article readers never saw, naming the field', () => {
    const error = refusal(() => withCorrection({}, 'Fixed.', '2026-12-01T09:00:00.000Z'));
    expect(error.code).toBe('validation_failed');
    expect(error.status).toBe(400);
    expect(error.details).toEqual([
      { field: 'correction', message: expect.stringContaining('never published') },
    ]);
  });

  it(`refuses a correction beyond the ${MAX_CORRECTIONS}th`, () => {
    const full = Array.from({ length: MAX_CORRECTIONS }, (_, index) => ({
      at: new Date(START.getTime() + index * MINUTE).toISOString(),
      note: `Correction ${index}`,
    }));
    expect(withCorrection({ ...published, corrections: full.slice(1) }, 'Last one.', 'x')).toHaveLength(
      MAX_CORRECTIONS,
    );
    const error = refusal(() => withCorrection({ ...published, corrections: full }, 'One more.', 'x'));
    expect(error.status).toBe(400);
    expect(error.details).toEqual([
      { field: 'correction', message: expect.stringContaining(`at most ${MAX_CORRECTIONS}`) },
    ]);
  });
});

describe('ArticleService.update with and without a correction', () => {
  let now: Date;
  let repository: InMemoryArticleRepository;
  let service: ArticleService;
  let article: Article;

  beforeEach(async () => {
    now = START;
    repository = new InMemoryArticleRepository();
    service = new ArticleService(repository, () => now);
    article = await service.create({
      title: 'Summit opens in Brussels',
      section: 'bota',
      body: 'The summit opens in Brussels.',
      status: 'published',
    });
    now = new Date(START.getTime() + 30 * MINUTE);
  });

  it('a patch with a correction appends it, dated now, and stores it', async () => {
    const corrected = await service.update(article.id, 1, {
      body: 'The summit opens in The Hague.',
      correction: 'An earlier version said the summit was in Brussels.',
    });
    const at = now.toISOString();
    expect(corrected.corrections).toEqual([
      { at, note: 'An earlier version said the summit was in Brussels.' },
    ]);
    expect(corrected.updatedAt).toBe(at);
    expect(repository.storedArticle(article.id)?.corrections).toEqual(corrected.corrections);
    expect(readerModifiedAt(corrected)).toBe(at);
  });

  it('a silent fix changes no date readers see, and keeps earlier corrections untouched', async () => {
    const silent = await service.update(article.id, 1, { title: 'Summit opens in The Hague' });
    expect(silent.corrections).toBeUndefined();
    expect(readerModifiedAt(silent)).toBe(article.publishedAt);

    now = new Date(now.getTime() + MINUTE);
    const corrected = await service.update(article.id, 2, { correction: 'The venue was wrong.' });
    now = new Date(now.getTime() + MINUTE);
    const fixedAgain = await service.update(article.id, 3, { body: 'Typo fixed.', status: 'published' });
    expect(fixedAgain.corrections).toEqual(corrected.corrections);
    expect(readerModifiedAt(fixedAgain)).toBe(corrected.updatedAt);
  });

  it('refuses a correction to a draft, storing nothing', async () => {
    const draft = await service.create({ title: 'Draft', section: 'bota', body: 'Text.' });
    const error = await asyncRefusal(service.update(draft.id, 1, { correction: 'Nothing to correct.' }));
    expect(error.status).toBe(400);
    expect(error.details?.map((problem) => problem.field)).toEqual(['correction']);
    expect(repository.storedArticle(draft.id)?.version).toBe(1);
  });

  it('refuses a correction that would publish a draft for the first time', async () => {
    const draft = await service.create({ title: 'Draft', section: 'bota', body: 'Text.' });
    const error = await asyncRefusal(
      service.update(draft.id, 1, { status: 'published', correction: 'Not seen yet.' }),
    );
    expect(error.details?.map((problem) => problem.field)).toEqual(['correction']);
    expect(repository.storedArticle(draft.id)?.status).toBe('draft');
  });

  it('accepts a correction to an article taken down after readers saw it', async () => {
    await service.update(article.id, 1, { status: 'unpublished' });
    const corrected = await service.update(article.id, 2, { correction: 'Retracted claim corrected.' });
    expect(corrected.corrections).toHaveLength(1);
    expect(corrected.status).toBe('unpublished');
  });
});
