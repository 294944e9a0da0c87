import { AppError } from './errors';

/**
 * Instants: every point in time the API stores (`publishAt`, `publishedAt`, `createdAt`, `updatedAt`,
 * slug `claimedAt`).
 *
 * The rule: an instant is accepted from 1990-01-01T00:00:00Z up to, not including,
 * 2100-01-01T00:00:00Z, and is stored as the UTC `toISOString()` form with millisecond precision
 * (`YYYY-MM-DDTHH:mm:ss.sssZ`, always 24 characters). Why a range at all: outside years 0000-9999
 * `toISOString()` switches to six-digit years with a sign (`+010000-…`), whose string order is not
 * time order, and DynamoDB's index sort keys (`Latest`, `DueForPublication`) order instants as strings.
 * Why this range: old enough for archive imports, far enough for any schedule, and it rejects the
 * typos (`0026`, `20266`) that would otherwise put a story at the far end of every list.
 *
 * Instants are compared as numbers (`Date.parse`, `getTime`), never as strings: the string form is for
 * storage and keys, where the fixed width above makes both orders agree.
 */

export const EARLIEST_INSTANT = '1990-01-01T00:00:00.000Z';
/** Exclusive: the first instant that is no longer accepted. */
export const INSTANT_RANGE_END = '2100-01-01T00:00:00.000Z';
const EARLIEST_TIME = Date.parse(EARLIEST_INSTANT);
const RANGE_END_TIME = Date.parse(INSTANT_RANGE_END);
const RANGE_TEXT = 'from 1990-01-01T00:00:00Z up to, not including, 2100-01-01T00:00:00Z';

/** The offsets time zones actually use (Etc/GMT+12 to Pacific/Kiritimati). */
const MIN_OFFSET_MINUTES = -12 * 60;
const MAX_OFFSET_MINUTES = 14 * 60;

/**
 * RFC 3339 date-times: a full date, `T`, a full time with an optional fraction of a second, and a time
 * zone (`Z` or `±HH:MM`). The fields are captured loosely (any two digits) so that each way of being
 * wrong can be named below instead of the whole value being "not a date-time".
 */
const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:Z|([+-])(\d{2}):(\d{2}))$/;

const STORED_FORM = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

export type ParsedInstant =
  | { readonly ok: true; readonly time: number; readonly iso: string }
  | { readonly ok: false; readonly problem: string };

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

function daysIn(year: number, month: number): number {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return month === 2 && leap ? 29 : (MONTH_DAYS[month - 1] ?? 0);
}

function inRange(time: number): boolean {
  return time >= EARLIEST_TIME && time < RANGE_END_TIME;
}

/**
 * Reads an editor's date-time, naming `field` in every problem. Digits past the millisecond are cut
 * off (not rounded), so an instant never moves into the next second, minute or year.
 */
export function parseInstant(value: string, field: string): ParsedInstant {
  const match = DATE_TIME.exec(value);
  if (!match) {
    return {
      ok: false,
      problem: `${field} must be an ISO 8601 date-time with a time zone, e.g. 2026-11-27T18:00:00Z or 2026-11-27T19:00:00+01:00`,
    };
  }
  const [, y = '', mo = '', d = '', h = '', mi = '', s = '', fraction = '', sign, oh = '00', om = '00'] =
    match;
  const [year, month, day, hour, minute, second] = [y, mo, d, h, mi, s].map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const date = `${y}-${mo}-${d}`;
  if (month < 1 || month > 12) {
    return { ok: false, problem: `${field} is not a calendar date: ${date} has no month ${mo}` };
  }
  if (day < 1 || day > daysIn(year, month)) {
    return {
      ok: false,
      problem: `${field} is not a calendar date: ${date} does not exist (${y}-${mo} has ${daysIn(year, month)} days)`,
    };
  }
  if (second === 60) {
    return {
      ok: false,
      problem: `${field} is a leap second (:60), which is not accepted; use :59 or the next minute`,
    };
  }
  if (hour > 23 || minute > 59 || second > 59) {
    return { ok: false, problem: `${field} is not a time of day: ${h}:${mi}:${s}` };
  }
  const offset = (sign === '-' ? -1 : 1) * (Number(oh) * 60 + Number(om));
  if (Number(om) > 59 || offset < MIN_OFFSET_MINUTES || offset > MAX_OFFSET_MINUTES) {
    return { ok: false, problem: `${field} has a UTC offset outside -12:00 to +14:00` };
  }

  // setUTCFullYear, unlike Date.UTC, does not read years 0-99 as 1900-1999.
  const local = new Date(0);
  local.setUTCFullYear(year, month - 1, day);
  local.setUTCHours(hour, minute, second, Number(fraction.padEnd(3, '0').slice(0, 3)));
  const time = local.getTime() - offset * 60_000;
  if (!inRange(time)) return { ok: false, problem: `${field} must be ${RANGE_TEXT}` };
  return { ok: true, time, iso: new Date(time).toISOString() };
}

/** The stored form of an editor's date-time, or a 400 naming `field`. */
export function normaliseInstant(value: string, field: string): string {
  const parsed = parseInstant(value, field);
  if (!parsed.ok) {
    throw new AppError('validation_failed', `${field} is invalid`, [{ field, message: parsed.problem }]);
  }
  return parsed.iso;
}

/**
 * The stored form of an instant of our own clock. A clock outside the range is a fault on our side,
 * not the caller's: it fails loudly (a 500) rather than writing an instant that would sort wrongly.
 */
export function storedInstant(time: Date): string {
  const ms = time.getTime();
  if (!inRange(ms)) {
    throw new RangeError(
      `The clock reads ${Number.isNaN(ms) ? 'an invalid date' : ms}, outside ${RANGE_TEXT}`,
    );
  }
  return time.toISOString();
}

/** Whether `value` is an instant in its stored form: canonical, within the range, and round-tripping. */
export function isStoredInstant(value: unknown): value is string {
  if (typeof value !== 'string' || !STORED_FORM.test(value)) return false;
  const time = Date.parse(value);
  return inRange(time) && new Date(time).toISOString() === value;
}
