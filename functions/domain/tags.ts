import { slugFromTitle } from './slug';

/**
 * Tags as the site addresses them: a tag's page is `/tags/<slug>/`, its slug made from the tag's text
 * with the same transliteration as article slugs ("The Hague" → `the-hague`, "Ballkani Perëndimor" →
 * `ballkani-perendimor`). Tags are free text, so two spellings of one tag ("NATO", "Nato") share a slug
 * and a page, and a tag with no Latin transliteration (emoji, CJK) has no slug, no page and no link.
 */
export function tagSlug(tag: string): string {
  return slugFromTitle(tag);
}

/**
 * An article's tags by slug, the text of each as first written on the article; tags without a slug are
 * left out, and two tags with one slug are one entry.
 */
export function tagsBySlug(article: { readonly tags?: readonly string[] }): ReadonlyMap<string, string> {
  const bySlug = new Map<string, string>();
  for (const tag of article.tags ?? []) {
    const slug = tagSlug(tag);
    if (slug !== '' && !bySlug.has(slug)) bySlug.set(slug, tag.trim());
  }
  return bySlug;
}

/** The slugs of an article's tags (see `tagsBySlug`). */
export function tagSlugsOf(article: { readonly tags?: readonly string[] } | undefined): ReadonlySet<string> {
  return new Set(article ? tagsBySlug(article).keys() : []);
}
