import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  EARLIEST_INSTANT,
  INSTANT_RANGE_END,
  isStoredInstant,
  normaliseInstant,
  parseInstant,
  storedInstant,
} from '../../../functions/domain/instant';
import { refusal } from '../../support/refusal';
import { acceptedTime, refusedTime, writeInstant, writtenInstant } from './instant-arbitraries';

const RANGE_MESSAGE = 'at must be from 1990-01-01T00:00:00Z up to, not including, 2100-01-01T00:00:00Z';

describe('parseInstant', () => {
  it('reads a date-time with an offset as the UTC instant it names', () => {
    expect(parseInstant('2026-11-27T23:15:00+05:45', 'at')).toEqual({
      ok: true,
      time: Date.parse('2026-11-27T17:30:00Z'),
      iso: '2026-11-27T17:30:00.000Z',
    });
  });

  it('cuts digits past the millisecond off instead of rounding into the next year', () => {
    expect(parseInstant('2099-12-31T23:59:59.9999999Z', 'at')).toMatchObject({
      ok: true,
      iso: '2099-12-31T23:59:59.999Z',
    });
  });

  it('does not read two-digit years as the twentieth century', () => {
    expect(parseInstant('0095-06-01T00:00:00Z', 'at')).toEqual({ ok: false, problem: RANGE_MESSAGE });
  });

  it('names the field in every problem', () => {
    for (const value of ['x', '2026-02-30T00:00:00Z', '2026-01-01T00:00:60Z', '1980-01-01T00:00:00Z']) {
      const parsed = parseInstant(value, 'publishAt');
      expect(parsed.ok).toBe(false);
      if (!parsed.ok) expect(parsed.problem).toMatch(/^publishAt /);
    }
  });

  it('accepts both ends of the range as they are documented: from the first, up to the last', () => {
    expect(parseInstant('1990-01-01T00:00:00Z', 'at').ok).toBe(true);
    expect(parseInstant('1989-12-31T23:59:59.999Z', 'at').ok).toBe(false);
    expect(parseInstant('2099-12-31T23:59:59.999Z', 'at').ok).toBe(true);
    expect(parseInstant('2100-01-01T00:00:00Z', 'at').ok).toBe(false);
    expect(EARLIEST_INSTANT).toBe('1990-01-01T00:00:00.000Z');
    expect(INSTANT_RANGE_END).toBe('2100-01-01T00:00:00.000Z');
  });

  describe('properties', () => {
    it('reads every accepted instant, in any offset and precision, as the instant it names', () => {
      fc.assert(
        fc.property(writtenInstant(acceptedTime), ({ text, time }) => {
          expect(parseInstant(text, 'at')).toEqual({ ok: true, time, iso: new Date(time).toISOString() });
        }),
      );
    });

    it('refuses every instant outside the range, in any offset, naming the range', () => {
      fc.assert(
        fc.property(writtenInstant(refusedTime), ({ text }) => {
          expect(parseInstant(text, 'at')).toEqual({ ok: false, problem: RANGE_MESSAGE });
        }),
      );
    });

    it('stores a fixed-width UTC string that round-trips to the same instant and normalises to itself', () => {
      fc.assert(
        fc.property(writtenInstant(acceptedTime), ({ text, time }) => {
          const stored = normaliseInstant(text, 'at');
          expect(stored).toHaveLength(24);
          expect(stored.endsWith('Z')).toBe(true);
          expect(isStoredInstant(stored)).toBe(true);
          expect(Date.parse(stored)).toBe(time);
          expect(new Date(Date.parse(stored)).toISOString()).toBe(stored);
          expect(normaliseInstant(stored, 'at')).toBe(stored);
        }),
      );
    });

    it('orders stored instants as strings exactly as it orders them in time (what the indexes rely on)', () => {
      fc.assert(
        fc.property(writtenInstant(acceptedTime), writtenInstant(acceptedTime), (a, b) => {
          const [first, second] = [normaliseInstant(a.text, 'at'), normaliseInstant(b.text, 'at')];
          expect(first < second).toBe(a.time < b.time);
          expect(first === second).toBe(a.time === b.time);
        }),
      );
    });

    it('is the same instant whichever offset it is written in', () => {
      fc.assert(
        fc.property(acceptedTime, fc.integer({ min: -720, max: 840 }), (time, offset) => {
          const utc = normaliseInstant(writeInstant(time, 0, 'milliseconds').text, 'at');
          expect(normaliseInstant(writeInstant(time, offset, 'milliseconds').text, 'at')).toBe(utc);
        }),
      );
    });
  });
});

describe('normaliseInstant', () => {
  it('refuses with a 400 naming the field', () => {
    const error = refusal(() => normaliseInstant('9999-12-31T23:59:59-05:00', 'publishAt'));
    expect(error.status).toBe(400);
    expect(error.code).toBe('validation_failed');
    expect(error.details).toEqual([
      {
        field: 'publishAt',
        message: 'publishAt must be from 1990-01-01T00:00:00Z up to, not including, 2100-01-01T00:00:00Z',
      },
    ]);
  });
});

describe('storedInstant', () => {
  it('is the ISO string of a clock reading within the range', () => {
    expect(storedInstant(new Date('2026-03-01T12:00:00Z'))).toBe('2026-03-01T12:00:00.000Z');
  });

  it.each([new Date('2100-01-01T00:00:00Z'), new Date('1989-12-31T23:59:59Z'), new Date(Number.NaN)])(
    'fails loudly (a fault of ours, not a 400) for the clock reading %s',
    (time) => {
      expect(() => storedInstant(time)).toThrow(RangeError);
    },
  );
});

describe('isStoredInstant', () => {
  it.each([
    ['2026-03-01T12:00:00.000Z', true],
    ['2026-03-01T12:00:00Z', false],
    ['2026-03-01T13:00:00.000+01:00', false],
    ['+010000-01-01T00:00:00.000Z', false],
    ['2100-01-01T00:00:00.000Z', false],
    ['2026-02-30T12:00:00.000Z', false],
    [undefined, false],
    [1_772_366_400_000, false],
  ])('%j is %s', (value, expected) => {
    expect(isStoredInstant(value)).toBe(expected);
  });
});
