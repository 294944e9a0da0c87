import { describe, expect, it } from 'vitest';
import {
  disambiguatedSlug,
  isValidSlug,
  MAX_SLUG_LENGTH,
  SLUG_PATTERN,
  slugFromTitle,
} from '../../../functions/domain/slug';

describe('slugFromTitle', () => {
  it('lower-cases words and joins them with single hyphens', () => {
    expect(slugFromTitle('Rutte: US is fully committed to NATO')).toBe('rutte-us-is-fully-committed-to-nato');
  });

  it.each([
    ['Ëndërr e çmendur', 'enderr-e-cmendur'],
    ['Straße der Einheit', 'strasse-der-einheit'],
    ['Привет мир', 'privet-mir'],
    ['São Paulo', 'sao-paulo'],
    ['Ørsted Œuvre', 'orsted-oeuvre'],
  ])('transliterates %j to ASCII', (title, slug) => {
    expect(slugFromTitle(title)).toBe(slug);
  });

  it('drops punctuation and collapses runs of separators', () => {
    expect(slugFromTitle("Don't stop — now!!!")).toBe('dont-stop-now');
    expect(slugFromTitle('Hello...World')).toBe('hello-world');
    expect(slugFromTitle('  --Leading and trailing--  ')).toBe('leading-and-trailing');
    expect(slugFromTitle('Rock & Roll')).toBe('rock-and-roll');
  });

  it('does not split camel-cased words', () => {
    expect(slugFromTitle('iPhone sales fall')).toBe('iphone-sales-fall');
  });

  it('yields an empty string for scripts without a Latin transliteration', () => {
    expect(slugFromTitle('你好世界')).toBe('');
    expect(slugFromTitle('🔥🔥🔥')).toBe('');
    expect(slugFromTitle('!!!')).toBe('');
  });

  it('cuts a long title at a word boundary within the maximum length', () => {
    const words = Array.from({ length: 30 }, (_, index) => `word${index}`);
    const slug = slugFromTitle(words.join(' '));
    expect(slug.length).toBeLessThanOrEqual(MAX_SLUG_LENGTH);
    expect(slug).toMatch(SLUG_PATTERN);
    // Every part is a whole word of the title, in order.
    expect(slug.split('-')).toEqual(words.slice(0, slug.split('-').length));
    // And the cut keeps as many whole words as fit.
    const next = words[slug.split('-').length];
    expect(`${slug}-${next}`.length).toBeGreaterThan(MAX_SLUG_LENGTH);
  });

  it('keeps a word that ends exactly at the maximum length', () => {
    const title = `${'a'.repeat(39)} ${'b'.repeat(40)} tail`;
    expect(slugFromTitle(title)).toBe(`${'a'.repeat(39)}-${'b'.repeat(40)}`);
  });

  it('never cuts a long headline mid-word: the word that would cross the limit is left out whole', () => {
    const title =
      'NATO chief Rutte says the alliance stands fully committed to defending every member state against attack';
    // The 80th character falls inside "member".
    expect(slugFromTitle(title)).toBe(
      'nato-chief-rutte-says-the-alliance-stands-fully-committed-to-defending-every',
    );
  });

  it('cuts a single over-long word at the maximum length', () => {
    expect(slugFromTitle('x'.repeat(120))).toBe('x'.repeat(MAX_SLUG_LENGTH));
  });

  it('leaves a title of exactly the maximum length whole', () => {
    const title = `${'a'.repeat(40)} ${'b'.repeat(39)}`;
    expect(slugFromTitle(title)).toHaveLength(MAX_SLUG_LENGTH);
  });
});

describe('disambiguatedSlug', () => {
  const id = '01JQ7Z9K3M4N5P6Q7R8S9TVWXY';

  it('appends the lower-cased tail of the id', () => {
    expect(disambiguatedSlug('budget-vote', id)).toBe('budget-vote-9tvwxy');
  });

  it('gives different slugs to different articles with the same title', () => {
    const other = '01JQ7Z9K3M4N5P6Q7R8S9TVWXZ';
    expect(disambiguatedSlug('budget-vote', id)).not.toBe(disambiguatedSlug('budget-vote', other));
    expect(disambiguatedSlug('budget-vote', id)).not.toBe('budget-vote');
  });

  it('stays valid and within the maximum length for a base of the maximum length', () => {
    const base = slugFromTitle(Array.from({ length: 30 }, (_, index) => `word${index}`).join(' '));
    const slug = disambiguatedSlug(base, id);
    expect(isValidSlug(slug)).toBe(true);
    expect(slug.length).toBeLessThanOrEqual(MAX_SLUG_LENGTH);
    expect(slug.endsWith('-9tvwxy')).toBe(true);
  });

  it('never leaves a double hyphen where the base was cut', () => {
    // 72 characters, then a hyphen at the cut position.
    const base = `${'a'.repeat(72)}-${'b'.repeat(7)}`;
    const slug = disambiguatedSlug(base, id);
    expect(slug).toBe(`${'a'.repeat(72)}-9tvwxy`);
    expect(isValidSlug(slug)).toBe(true);
  });

  it('falls back to an id-based slug for an empty base', () => {
    const slug = disambiguatedSlug('', id);
    expect(slug).toBe(`article-${id.toLowerCase()}`);
    expect(isValidSlug(slug)).toBe(true);
  });
});

describe('isValidSlug', () => {
  it.each(['a', 'budget-vote', 'covid-19', '2026-elections', 'x'.repeat(MAX_SLUG_LENGTH)])(
    'accepts %j',
    (slug) => {
      expect(isValidSlug(slug)).toBe(true);
    },
  );

  it.each([
    '',
    'Budget',
    'budget vote',
    'budget--vote',
    '-budget',
    'budget-',
    'budget_vote',
    'bu/dget',
    'çaj',
    'x'.repeat(MAX_SLUG_LENGTH + 1),
  ])('refuses %j', (slug) => {
    expect(isValidSlug(slug)).toBe(false);
  });
});
