import { describe, expect, it } from 'vitest';
import { CACHE_CONTROL, cacheControlFor } from '../../../functions/render/cache-control';

function parse(value: string): Map<string, number | true> {
  return new Map(
    value.split(',').map((part) => {
      const [name, seconds] = part.trim().split('=');
      return [name ?? '', seconds === undefined ? true : Number(seconds)];
    }),
  );
}

describe('Cache-Control', () => {
  it('keeps article pages a year at the edge (invalidated on change) and a minute in browsers', () => {
    const article = parse(cacheControlFor('article'));
    expect(article.get('public')).toBe(true);
    expect(article.get('s-maxage')).toBe(31_536_000);
    expect(article.get('max-age')).toBe(60);
  });

  it.each(['index-page', 'feed', 'sitemap', 'latest-json'] as const)(
    'keeps %s short at the edge and serves it stale while revalidating',
    (kind) => {
      const directives = parse(CACHE_CONTROL[kind]);
      expect(directives.get('s-maxage')).toBeLessThanOrEqual(60);
      expect(directives.get('max-age')).toBeLessThanOrEqual(60);
      expect(directives.get('stale-while-revalidate')).toBeGreaterThan(0);
    },
  );

  it('gives every kind a public, well-formed value', () => {
    for (const value of Object.values(CACHE_CONTROL)) {
      expect(value).toMatch(/^public(, [a-z-]+=\d+)+$/);
    }
    expect(parse(CACHE_CONTROL['not-found']).get('s-maxage')).toBeLessThanOrEqual(60);
    expect(parse(CACHE_CONTROL.robots).get('max-age')).toBeGreaterThan(0);
    expect(parse(CACHE_CONTROL.redirect).get('s-maxage')).toBe(31_536_000);
  });
});
