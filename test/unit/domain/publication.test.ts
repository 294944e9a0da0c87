import { describe, expect, it } from 'vitest';
import { isDue, type PublicationState, resolvePublication } from '../../../functions/domain/publication';
import { refusal } from '../../support/refusal';

const now = new Date('2026-03-01T12:00:00.000Z');
const future = '2026-03-02T08:00:00.000Z';
const past = '2026-02-01T08:00:00.000Z';

describe('resolvePublication', () => {
  describe('draft and unpublished', () => {
    it('stays a draft, without a publication time', () => {
      expect(resolvePublication('draft', undefined, undefined, now)).toEqual({ status: 'draft' });
    });

    it('keeps a planned publishAt on a draft, normalised to UTC', () => {
      expect(resolvePublication('draft', '2026-03-02T09:00:00+01:00', undefined, now)).toEqual({
        status: 'draft',
        publishAt: future,
      });
    });

    it('keeps the first publication time when unpublishing', () => {
      const current: PublicationState = { status: 'published', publishedAt: past };
      expect(resolvePublication('unpublished', undefined, current, now)).toEqual({
        status: 'unpublished',
        publishedAt: past,
      });
    });
  });

  describe('scheduled', () => {
    it('schedules for a future publishAt', () => {
      expect(resolvePublication('scheduled', future, undefined, now)).toEqual({
        status: 'scheduled',
        publishAt: future,
      });
    });

    it.each([
      ['without publishAt', undefined],
      ['with a past publishAt', past],
      ['with publishAt equal to now', now.toISOString()],
    ])('refuses %s with a 400 naming publishAt', (_, publishAt) => {
      const error = refusal(() => resolvePublication('scheduled', publishAt, undefined, now));
      expect(error.status).toBe(400);
      expect(error.code).toBe('validation_failed');
      expect(error.details).toEqual([
        { field: 'publishAt', message: 'publishAt must be in the future to schedule an article' },
      ]);
    });

    it('keeps the first publication time of an article scheduled again', () => {
      expect(
        resolvePublication('scheduled', future, { status: 'unpublished', publishedAt: past }, now),
      ).toEqual({
        status: 'scheduled',
        publishAt: future,
        publishedAt: past,
      });
    });
  });

  describe('published', () => {
    it('publishes now without publishAt', () => {
      expect(resolvePublication('published', undefined, undefined, now)).toEqual({
        status: 'published',
        publishedAt: now.toISOString(),
      });
    });

    it('holds back a future publishAt as scheduled', () => {
      expect(resolvePublication('published', future, undefined, now)).toEqual({
        status: 'scheduled',
        publishAt: future,
      });
    });

    it('backdates to a past publishAt', () => {
      expect(resolvePublication('published', past, undefined, now)).toEqual({
        status: 'published',
        publishAt: past,
        publishedAt: past,
      });
    });

    it('normalises a publishAt with an offset to UTC', () => {
      expect(resolvePublication('published', '2026-02-01T09:00:00+01:00', undefined, now)).toMatchObject({
        status: 'published',
        publishedAt: past,
      });
    });

    it('keeps the first publication time on republishing', () => {
      const firstPublished = '2026-01-15T10:00:00.000Z';
      const unpublished = resolvePublication(
        'unpublished',
        undefined,
        { status: 'published', publishedAt: firstPublished },
        now,
      );
      const republished = resolvePublication(
        'published',
        undefined,
        unpublished,
        new Date('2026-04-01T00:00:00Z'),
      );
      expect(republished).toEqual({ status: 'published', publishedAt: firstPublished });
    });

    it('keeps the first publication time even when republished with another past publishAt', () => {
      const firstPublished = '2026-01-15T10:00:00.000Z';
      expect(
        resolvePublication('published', past, { status: 'unpublished', publishedAt: firstPublished }, now),
      ).toMatchObject({ status: 'published', publishedAt: firstPublished });
    });
  });
});

describe('resolvePublication with instants at the edges', () => {
  it.each(['published', 'scheduled', 'draft'] as const)(
    'refuses a %s article with the year-9999 publishAt that used to publish at once, naming the range',
    (status) => {
      const error = refusal(() => resolvePublication(status, '9999-12-31T23:59:59-05:00', undefined, now));
      expect(error.status).toBe(400);
      expect(error.details).toEqual([
        {
          field: 'publishAt',
          message: 'publishAt must be from 1990-01-01T00:00:00Z up to, not including, 2100-01-01T00:00:00Z',
        },
      ]);
    },
  );

  it('refuses an impossible date and a leap second, saying which', () => {
    expect(
      refusal(() => resolvePublication('published', '2026-02-30T08:00:00Z', undefined, now)).details,
    ).toEqual([
      {
        field: 'publishAt',
        message: 'publishAt is not a calendar date: 2026-02-30 does not exist (2026-02 has 28 days)',
      },
    ]);
    expect(
      refusal(() => resolvePublication('published', '2016-12-31T23:59:60Z', undefined, now)).details,
    ).toEqual([
      {
        field: 'publishAt',
        message: 'publishAt is a leap second (:60), which is not accepted; use :59 or the next minute',
      },
    ]);
  });

  it('compares instants, not strings: a time written later in the day can be the earlier instant', () => {
    // 12:30+01:00 is 11:30Z: past at 12:00Z, though "12:30" sorts after "12:00" as text.
    expect(resolvePublication('published', '2026-03-01T12:30:00+01:00', undefined, now)).toEqual({
      status: 'published',
      publishAt: '2026-03-01T11:30:00.000Z',
      publishedAt: '2026-03-01T11:30:00.000Z',
    });
    // 11:30-01:00 is 12:30Z: future, though "11:30" sorts before "12:00" as text.
    expect(resolvePublication('published', '2026-03-01T11:30:00-01:00', undefined, now)).toEqual({
      status: 'scheduled',
      publishAt: '2026-03-01T12:30:00.000Z',
    });
  });

  it('treats publishAt equal to now as past, to the millisecond', () => {
    expect(resolvePublication('published', '2026-03-01T13:00:00.000+01:00', undefined, now).status).toBe(
      'published',
    );
    expect(resolvePublication('published', '2026-03-01T13:00:00.001+01:00', undefined, now).status).toBe(
      'scheduled',
    );
  });
});

describe('isDue', () => {
  it('compares instants as numbers, whatever the text looks like', () => {
    // Text that sorts before now but is later in time, and the reverse.
    expect(isDue({ status: 'scheduled', publishAt: '+010000-01-01T00:00:00.000Z' }, now)).toBe(false);
    expect(isDue({ status: 'scheduled', publishAt: '2026-03-01T11:30:00-01:00' }, now)).toBe(false);
    expect(isDue({ status: 'scheduled', publishAt: '2026-03-01T12:30:00+01:00' }, now)).toBe(true);
  });

  it('is never due for a publishAt that is no date at all', () => {
    expect(isDue({ status: 'scheduled', publishAt: 'soon' }, now)).toBe(false);
  });

  it('is due when a scheduled article reaches its publishAt', () => {
    expect(isDue({ status: 'scheduled', publishAt: now.toISOString() }, now)).toBe(true);
    expect(isDue({ status: 'scheduled', publishAt: past }, now)).toBe(true);
  });

  it('is not due before its publishAt', () => {
    expect(isDue({ status: 'scheduled', publishAt: future }, now)).toBe(false);
  });

  it('is never due unless scheduled with a publishAt', () => {
    expect(isDue({ status: 'draft', publishAt: past }, now)).toBe(false);
    expect(isDue({ status: 'published', publishAt: past }, now)).toBe(false);
    expect(isDue({ status: 'unpublished', publishAt: past }, now)).toBe(false);
    expect(isDue({ status: 'scheduled' }, now)).toBe(false);
  });
});
