import { describe, expect, it } from 'vitest';
import { tagSlug, tagSlugsOf, tagsBySlug } from '../../../functions/domain/tags';

describe('tagSlug', () => {
  it.each([
    ['The Hague', 'the-hague'],
    ['NATO', 'nato'],
    ['Ballkani Perëndimor', 'ballkani-perendimor'],
    ['Çështja e Veriut', 'ceshtja-e-veriut'],
    ['  EU–Serbia talks ', 'eu-serbia-talks'],
    ['COVID-19', 'covid-19'],
  ])('%s → %s', (tag, slug) => {
    expect(tagSlug(tag)).toBe(slug);
  });

  it('is empty for a tag with no Latin transliteration, which then has no page', () => {
    expect(tagSlug('🔥')).toBe('');
    expect(tagSlug('---')).toBe('');
  });
});

describe('tagsBySlug', () => {
  it('keeps one entry per slug, with the text as first written, and leaves out tags without a slug', () => {
    const tags = tagsBySlug({ tags: ['NATO', 'The Hague', 'Nato', '🔥', 'nato '] });
    expect([...tags]).toEqual([
      ['nato', 'NATO'],
      ['the-hague', 'The Hague'],
    ]);
  });

  it('reads an absent list as no tags', () => {
    expect(tagSlugsOf({})).toEqual(new Set());
    expect(tagSlugsOf(undefined)).toEqual(new Set());
    expect(tagSlugsOf({ tags: ['A b', 'a-B'] })).toEqual(new Set(['a-b']));
  });
});
