/**
 * Whether `value` names a time zone `Intl.DateTimeFormat` accepts (canonical names and their aliases).
 * Every function checks its SITE_TIME_ZONE at cold start, and the first `Intl.DateTimeFormat` of a process
 * costs tens of milliseconds (ICU's calendar and locale data) that the API functions, which format no
 * dates, would pay for nothing: UTC and the canonical names are looked up in the list instead (a few
 * milliseconds), and only another name (an alias, or a mistake) is tried on a formatter.
 */
export function isTimeZone(value: string): boolean {
  if (value === 'UTC' || Intl.supportedValuesOf('timeZone').includes(value)) return true;
  try {
    new Intl.DateTimeFormat('en', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}
