import type { SiteConfig } from '../config/site';

/**
 * Dates shown to readers, in the newsroom's time zone (site configuration) and saying which: a page
 * rendered once for every reader cannot know the reader's own.
 */

export type DateDisplay = Pick<SiteConfig, 'language' | 'timeZone'>;

/**
 * Shared with the browser refresher so refreshed entries read exactly like the rendered ones; the time
 * zone reaches the refresher through the list's `data-time-zone`, so the script (allowed by its hash)
 * stays the same for every newsroom.
 */
export const LIST_DATE_FORMAT: Intl.DateTimeFormatOptions = {
  day: 'numeric',
  month: 'short',
  hour: '2-digit',
  minute: '2-digit',
  timeZoneName: 'short',
};

const ARTICLE_DATE_FORMAT: Intl.DateTimeFormatOptions = {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  timeZoneName: 'short',
};

/** The instant as canonical ISO 8601 (UTC), or undefined when the stored value is not a date. */
export function isoInstant(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const time = Date.parse(value);
  return Number.isNaN(time) ? undefined : new Date(time).toISOString();
}

function formatter(display: DateDisplay, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  try {
    return new Intl.DateTimeFormat(display.language, { ...options, timeZone: display.timeZone });
  } catch {
    // A malformed language tag or zone in the configuration must not stop every page from rendering.
    return new Intl.DateTimeFormat('en', { ...options, timeZone: 'UTC' });
  }
}

export function formatArticleDate(iso: string, display: DateDisplay): string {
  return formatter(display, ARTICLE_DATE_FORMAT).format(new Date(iso));
}

export function formatListDate(iso: string, display: DateDisplay): string {
  return formatter(display, LIST_DATE_FORMAT).format(new Date(iso));
}

/** Newest first by publication time; a copy, so callers' arrays are never reordered. */
export function newestFirst<T extends { readonly publishedAt: string }>(items: readonly T[]): T[] {
  return [...items].sort((a, b) => (Date.parse(b.publishedAt) || 0) - (Date.parse(a.publishedAt) || 0));
}
