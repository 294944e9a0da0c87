import { decodeTime } from 'ulid';
import { describe, expect, it } from 'vitest';
import { ARTICLE_ID_PATTERN, isArticleId, newArticleId } from '../../../functions/domain/ids';

describe('newArticleId', () => {
  it('is a 26-character ULID in Crockford base32', () => {
    const id = newArticleId(new Date('2026-03-01T12:00:00.000Z'));
    expect(id).toMatch(ARTICLE_ID_PATTERN);
    expect(id).toMatch(/^[0-9A-Z]{26}$/);
    expect(id).not.toMatch(/[ILOU]/);
  });

  it('encodes the creation time', () => {
    const when = new Date('2027-06-15T08:30:00.123Z');
    expect(decodeTime(newArticleId(when))).toBe(when.getTime());
  });

  it('sorts by creation time', () => {
    const times = ['2028-01-01T00:00:00.000Z', '2028-01-01T00:00:00.001Z', '2028-01-02T00:00:00.000Z'];
    const ids = times.map((time) => newArticleId(new Date(time)));
    expect([...ids].reverse().sort()).toEqual(ids);
  });

  it('stays unique and increasing within one millisecond', () => {
    const when = new Date('2029-01-01T00:00:00.000Z');
    const ids = Array.from({ length: 100 }, () => newArticleId(when));
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
  });
});

describe('isArticleId', () => {
  it('accepts an id it made', () => {
    expect(isArticleId(newArticleId(new Date('2030-01-01T00:00:00.000Z')))).toBe(true);
  });

  it.each([
    '',
    'budget-vote',
    '01jq7z9k3m4n5p6q7r8s9tvwxy',
    '01JQ7Z9K3M4N5P6Q7R8S9TVWX',
    '01JQ7Z9K3M4N5P6Q7R8S9TVWXYZ',
    '01JQ7Z9K3M4N5P6Q7R8S9TVWXI',
    '01JQ7Z9K3M4N5P6Q7R8S9TVWXU',
  ])('refuses %j', (value) => {
    expect(isArticleId(value)).toBe(false);
  });
});
