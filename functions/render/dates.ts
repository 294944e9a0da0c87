import type { SiteConfig } from '../config/site';
import { primaryLanguage } from '../domain/language';

/**
 * Dates shown to readers, in the newsroom's time zone (site configuration) and saying which: a page
 * rendered once for every reader cannot know the reader's own.
 */

/** Dates are written in the locale (the language when none), with the language's clock. */
export type DateDisplay = Pick<SiteConfig, 'language' | 'locale' | 'timeZone'>;

function localeOf(display: DateDisplay): string {
  return display.locale ?? display.language;
}

/**
 * Shared with the browser refresher so refreshed entries read exactly like the rendered ones; the time
 * zone reaches the refresher through the list's `data-time-zone`, so the script (allowed by its hash)
 * stays the same for every newsroom.
 */
export const LIST_DATE_FORMAT: Intl.DateTimeFormatOptions = {
  day: 'numeric',
  month: 'short',
  // `numeric`, not `2-digit`: "8:30 AM" in English; a 24-hour locale still writes "08:30".
  hour: 'numeric',
  minute: '2-digit',
  timeZoneName: 'short',
};

const ARTICLE_DATE_FORMAT: Intl.DateTimeFormatOptions = {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  hour: 'numeric',
  minute: '2-digit',
  timeZoneName: 'short',
};

/**
 * The clock a language's newsrooms print when the locale data (CLDR) says otherwise: CLDR gives Albanian
 * a 12-hour clock ("8:30 p.d."), while Albanian news is timed on the 24-hour clock ("08:30"). Keyed by
 * primary language; shared with the browser refresher, like LIST_DATE_FORMAT.
 */
export const HOUR_CYCLE_BY_LANGUAGE: Readonly<Record<string, 'h23'>> = { sq: 'h23' };

/** `options` with the language's hour cycle when it has its own (and the options show an hour). */
export function withHourCycle(
  language: string,
  options: Intl.DateTimeFormatOptions,
): Intl.DateTimeFormatOptions {
  const hourCycle = HOUR_CYCLE_BY_LANGUAGE[primaryLanguage(language)];
  return hourCycle && options.hour !== undefined ? { ...options, hourCycle } : options;
}

/** A day without a time, as corrections are dated: "Correction, 1 December 2026: …". */
const DAY_DATE_FORMAT: Intl.DateTimeFormatOptions = { day: 'numeric', month: 'long', year: 'numeric' };

/**
 * Every page repeats the instants of its "Latest news" list, so the answers for recent values are kept.
 * Both maps are bounded by clearing them when full: a re-render starts over, nothing grows without end.
 */
const MEMO_LIMIT = 10_000;

function remember<V>(memo: Map<string, V>, key: string, value: V): V {
  if (memo.size >= MEMO_LIMIT) memo.clear();
  memo.set(key, value);
  return value;
}

const instants = new Map<string, string | undefined>();

function parseInstant(value: string): string | undefined {
  const time = Date.parse(value);
  return Number.isNaN(time) ? undefined : new Date(time).toISOString();
}

/** The instant as canonical ISO 8601 (UTC), or undefined when the stored value is not a date. */
export function isoInstant(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  return instants.has(value) ? instants.get(value) : remember(instants, value, parseInstant(value));
}

interface DateFormat {
  readonly format: Intl.DateTimeFormat;
  /** Formatted text by ISO instant. */
  readonly texts: Map<string, string>;
}

interface SiteDateFormats {
  readonly article: DateFormat;
  readonly list: DateFormat;
  readonly day: DateFormat;
}

function build(display: DateDisplay, options: Intl.DateTimeFormatOptions): DateFormat {
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat(localeOf(display), {
      ...withHourCycle(display.language, options),
      timeZone: display.timeZone,
    });
  } catch {
    // A malformed language tag or zone in the configuration must not stop every page from rendering.
    format = new Intl.DateTimeFormat('en', { ...options, timeZone: 'UTC' });
  }
  return { format, texts: new Map() };
}

/**
 * Building a formatter costs far more than formatting with one (it was most of an article page's render
 * time), and a site has few locales and one zone: its formatters are built once, by locale and zone.
 */
const siteFormats = new Map<string, Map<string, SiteDateFormats>>();

function formatsFor(display: DateDisplay): SiteDateFormats {
  const key = `${localeOf(display)} ${display.language}`;
  let byZone = siteFormats.get(key);
  if (byZone === undefined) {
    byZone = new Map();
    siteFormats.set(key, byZone);
  }
  let formats = byZone.get(display.timeZone);
  if (formats === undefined) {
    formats = {
      article: build(display, ARTICLE_DATE_FORMAT),
      list: build(display, LIST_DATE_FORMAT),
      day: build(display, DAY_DATE_FORMAT),
    };
    byZone.set(display.timeZone, formats);
  }
  return formats;
}

function formatWith({ format, texts }: DateFormat, iso: string): string {
  return texts.get(iso) ?? remember(texts, iso, format.format(new Date(iso)));
}

export function formatArticleDate(iso: string, display: DateDisplay): string {
  return formatWith(formatsFor(display).article, iso);
}

/** The day of an instant in the site's time zone, without a time. */
export function formatDayDate(iso: string, display: DateDisplay): string {
  return formatWith(formatsFor(display).day, iso);
}

export function formatListDate(iso: string, display: DateDisplay): string {
  return formatWith(formatsFor(display).list, iso);
}

/** Newest first by publication time; a copy, so callers' arrays are never reordered. */
export function newestFirst<T extends { readonly publishedAt: string }>(items: readonly T[]): T[] {
  return [...items].sort((a, b) => (Date.parse(b.publishedAt) || 0) - (Date.parse(a.publishedAt) || 0));
}
