import slugify from '@sindresorhus/slugify';

/** Long enough to stay readable, short enough for a tidy URL. */
export const MAX_SLUG_LENGTH = 80;

/** Lower-case ASCII words joined by single hyphens: what every stored slug must look like. */
export const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/**
 * A URL slug from a headline, transliterated to ASCII (ë→e, ç→c, ß→ss, Cyrillic→Latin) and cut at a word
 * boundary. Scripts without a Latin transliteration (CJK, emoji) yield an empty string; callers fall
 * back to an id-based slug then.
 */
export function slugFromTitle(title: string): string {
  const full = slugify(title, { decamelize: false });
  if (full.length <= MAX_SLUG_LENGTH) return full;
  const cut = full.slice(0, MAX_SLUG_LENGTH + 1);
  const lastHyphen = cut.lastIndexOf('-');
  return (lastHyphen > 0 ? cut.slice(0, lastHyphen) : cut.slice(0, MAX_SLUG_LENGTH)).replace(/-+$/, '');
}

/**
 * A slug that is still free when the natural one is taken: the id's random tail makes it unique
 * without another round trip to find a free counter.
 */
export function disambiguatedSlug(base: string, articleId: string): string {
  const suffix = articleId.slice(-6).toLowerCase();
  const room = MAX_SLUG_LENGTH - suffix.length - 1;
  const head = base.slice(0, room).replace(/-+$/, '');
  return head ? `${head}-${suffix}` : `article-${articleId.toLowerCase()}`;
}

export function isValidSlug(value: string): boolean {
  return value.length <= MAX_SLUG_LENGTH && SLUG_PATTERN.test(value);
}
