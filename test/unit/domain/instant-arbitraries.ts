import fc from 'fast-check';
import { EARLIEST_INSTANT, INSTANT_RANGE_END } from '../../../functions/domain/instant';

/**
 * fast-check generators of the date-times editors send: an instant, written in some UTC offset with some
 * precision, plus the instant (in milliseconds) the text stands for.
 */

export const EARLIEST_TIME = Date.parse(EARLIEST_INSTANT);
export const RANGE_END_TIME = Date.parse(INSTANT_RANGE_END);

/** Offsets in use around the world, the odd ones included, besides any whole minute in -12:00..+14:00. */
const KNOWN_OFFSETS = [-720, -570, -210, 0, 330, 345, 390, 525, 765, 840];
export const utcOffsetMinutes = fc.oneof(
  fc.constantFrom(...KNOWN_OFFSETS),
  fc.integer({ min: -720, max: 840 }),
);

/** An instant the API accepts. */
export const acceptedTime = fc.integer({ min: EARLIEST_TIME, max: RANGE_END_TIME - 1 });

/** An instant whose local date-time still has a four-digit year anywhere in -12:00..+14:00. */
const FOUR_DIGIT_YEARS = {
  min: Date.parse('0000-01-02T00:00:00Z'),
  max: Date.parse('9999-12-30T00:00:00Z'),
};

/** An instant the API refuses: before 1990 or from 2100 on, but still writable with a four-digit year. */
export const refusedTime = fc.oneof(
  fc.integer({ min: FOUR_DIGIT_YEARS.min, max: EARLIEST_TIME - 1 }),
  fc.integer({ min: RANGE_END_TIME, max: FOUR_DIGIT_YEARS.max }),
  // The edges, where an off-by-one would hide.
  fc.integer({ min: EARLIEST_TIME - 14 * 3_600_000, max: EARLIEST_TIME - 1 }),
  fc.integer({ min: RANGE_END_TIME, max: RANGE_END_TIME + 14 * 3_600_000 }),
);

const pad = (value: number, width = 2) => String(value).padStart(width, '0');

export interface WrittenInstant {
  readonly text: string;
  /** The instant the text stands for, to the millisecond (digits beyond it are cut off). */
  readonly time: number;
}

/** `time` as an editor in `offsetMinutes` would write it, with whole seconds, milliseconds or more. */
export function writeInstant(
  time: number,
  offsetMinutes: number,
  precision: 'seconds' | 'milliseconds' | 'nanoseconds',
  extraDigits = '000000',
  zulu = true,
): WrittenInstant {
  const local = new Date(time + offsetMinutes * 60_000);
  const date = `${pad(local.getUTCFullYear(), 4)}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())}`;
  const clock = `${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())}`;
  const millis = pad(local.getUTCMilliseconds(), 3);
  const fraction = { seconds: '', milliseconds: `.${millis}`, nanoseconds: `.${millis}${extraDigits}` }[
    precision
  ];
  const sign = offsetMinutes < 0 ? '-' : '+';
  const absolute = Math.abs(offsetMinutes);
  const zone =
    offsetMinutes === 0 && zulu ? 'Z' : `${sign}${pad(Math.floor(absolute / 60))}:${pad(absolute % 60)}`;
  return {
    text: `${date}T${clock}${fraction}${zone}`,
    time: precision === 'seconds' ? time - local.getUTCMilliseconds() : time,
  };
}

/** Some instant's date-time text, in a random offset and precision. */
export function writtenInstant(times: fc.Arbitrary<number>): fc.Arbitrary<WrittenInstant> {
  return fc
    .tuple(
      times,
      utcOffsetMinutes,
      fc.constantFrom('seconds' as const, 'milliseconds' as const, 'nanoseconds' as const),
      fc.stringMatching(/^\d{6}$/),
      fc.boolean(),
    )
    .map(([time, offset, precision, extra, zulu]) => writeInstant(time, offset, precision, extra, zulu));
}
