/**
 * Dates shown to readers. Times are shown in UTC and say so: the site configuration has no newsroom
 * time zone, and a page rendered once for every reader cannot know the reader's.
 */

/** Shared with the browser refresher so refreshed entries read exactly like the rendered ones. */
export const LIST_DATE_FORMAT: Intl.DateTimeFormatOptions = {
  day: 'numeric',
  month: 'short',
  hour: '2-digit',
  minute: '2-digit',
  timeZone: 'UTC',
  timeZoneName: 'short',
};

const ARTICLE_DATE_FORMAT: Intl.DateTimeFormatOptions = {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  timeZone: 'UTC',
  timeZoneName: 'short',
};

/** The instant as canonical ISO 8601 (UTC), or undefined when the stored value is not a date. */
export function isoInstant(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const time = Date.parse(value);
  return Number.isNaN(time) ? undefined : new Date(time).toISOString();
}

function formatter(language: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  try {
    return new Intl.DateTimeFormat(language, options);
  } catch {
    // A malformed language tag in the configuration must not stop every page from rendering.
    return new Intl.DateTimeFormat('en', options);
  }
}

export function formatArticleDate(iso: string, language: string): string {
  return formatter(language, ARTICLE_DATE_FORMAT).format(new Date(iso));
}

export function formatListDate(iso: string, language: string): string {
  return formatter(language, LIST_DATE_FORMAT).format(new Date(iso));
}

/** Newest first by publication time; a copy, so callers' arrays are never reordered. */
export function newestFirst<T extends { readonly publishedAt: string }>(items: readonly T[]): T[] {
  return [...items].sort((a, b) => (Date.parse(b.publishedAt) || 0) - (Date.parse(a.publishedAt) || 0));
}
