import { describe, expect, it } from 'vitest';
import {
  formatArticleDate,
  formatListDate,
  isoInstant,
  LIST_DATE_FORMAT,
  withHourCycle,
} from '../../../functions/render/dates';

const ISO = '2025-06-24T10:30:00.000Z';

describe('dates shown to readers', () => {
  it('formats in each site’s own language and zone, whichever was formatted before', () => {
    const utc = formatArticleDate(ISO, { language: 'en', timeZone: 'UTC' });
    const tirane = formatArticleDate(ISO, { language: 'en', timeZone: 'Europe/Tirane' });
    const german = formatArticleDate(ISO, { language: 'de', timeZone: 'UTC' });
    expect(utc).toMatch(/June 24, 2025.*10:30.*UTC/);
    expect(tirane).toMatch(/12:30/);
    expect(german).toMatch(/24\. Juni 2025/);
    expect(formatArticleDate(ISO, { language: 'en', timeZone: 'UTC' })).toBe(utc);
    expect(formatListDate(ISO, { language: 'en', timeZone: 'UTC' })).not.toBe(utc);
  });

  it('writes times the way each language does: 8:30 AM in English, 24-hour in German and Albanian', () => {
    const morning = '2026-12-01T08:30:00.000Z';
    const evening = '2026-12-01T20:05:00.000Z';
    expect(formatArticleDate(morning, { language: 'en', timeZone: 'UTC' })).toBe(
      'December 1, 2026 at 8:30 AM UTC',
    );
    expect(formatListDate(morning, { language: 'en', timeZone: 'UTC' })).toMatch(/Dec 1, 8:30 AM UTC/);
    expect(formatArticleDate(evening, { language: 'de', timeZone: 'Europe/Berlin' })).toMatch(/21:05/);
    // CLDR gives Albanian a 12-hour clock; its news is timed on the 24-hour one.
    const albanian = formatArticleDate(evening, { language: 'sq', timeZone: 'Europe/Tirane' });
    expect(albanian).toMatch(/1 dhjetor 2026.*21:05/);
    expect(albanian).not.toMatch(/p\.?m|m\.?d/i);
    expect(formatListDate(morning, { language: 'sq-AL', timeZone: 'Europe/Tirane' })).toMatch(/09:30/);
    expect(withHourCycle('sq', { day: 'numeric' })).toEqual({ day: 'numeric' });
  });

  it('falls back to English in UTC when the configured language or zone is malformed', () => {
    const fallback = formatListDate(ISO, { language: 'en', timeZone: 'UTC' });
    expect(formatListDate(ISO, { language: 'not a tag!!', timeZone: 'UTC' })).toBe(fallback);
    expect(formatListDate(ISO, { language: 'en', timeZone: 'Mars/Olympus' })).toBe(fallback);
  });

  it('formats every instant right, however many have been formatted', () => {
    const display = { language: 'en', timeZone: 'America/New_York' };
    const reference = new Intl.DateTimeFormat('en', { ...LIST_DATE_FORMAT, timeZone: display.timeZone });
    const start = Date.parse('2025-01-01T00:00:00.000Z');
    for (let index = 0; index < 12_000; index += 1) {
      const iso = new Date(start + index * 3_600_000).toISOString();
      expect(formatListDate(iso, display)).toBe(reference.format(new Date(iso)));
    }
  });
});

describe('isoInstant', () => {
  it('gives the canonical UTC instant, the same every time, and undefined for what is not a date', () => {
    for (let round = 0; round < 2; round += 1) {
      expect(isoInstant('2025-06-24T12:30:00+02:00')).toBe(ISO);
      expect(isoInstant('not a date')).toBeUndefined();
      expect(isoInstant(undefined)).toBeUndefined();
    }
  });
});
