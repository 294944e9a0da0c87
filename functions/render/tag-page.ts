import type { SiteConfig } from '../config/site';
import { tagSlug } from '../domain/tags';
import { headlineList } from './article-lists';
import { BoundedCache } from './bounded-cache';
import { newestFirst } from './dates';
import { html } from './html';
import { renderDocument } from './layout';
import { messagesFor } from './messages';
import { tagPath } from './site-paths';
import type { ArticleSummary } from './types';

/**
 * A tag's slug is a transliteration (most of an article page's render time once it has a few tags), and
 * a newsroom reuses a small vocabulary of tags: each tag's link is worked out once and remembered.
 */
const hrefs = new BoundedCache<string, string>(10_000, () => 1);

/** Where an article's tag links: its page, or nowhere for a tag without a slug (functions/domain/tags.ts). */
export function tagPageHref(tag: string): string | undefined {
  let href = hrefs.get(tag);
  if (href === undefined) {
    const slug = tagSlug(tag);
    href = slug ? tagPath(slug) : '';
    hrefs.set(tag, href);
  }
  return href || undefined;
}

/** How many headlines a tag page shows. */
export const TAG_PAGE_ITEMS = 30;

/**
 * The tag's text as the newest article carrying it writes it ("NATO", where an older one wrote "Nato"):
 * the page's heading. `slug` when no listed article carries it (the empty page).
 */
export function tagTextOf(slug: string, items: readonly ArticleSummary[]): string {
  for (const item of newestFirst(items)) {
    const tag = item.tags.find((candidate) => tagSlug(candidate) === slug);
    if (tag !== undefined) return tag.trim();
  }
  return slug;
}

/** A tag's page: the newest articles carrying it, as headlines with their summaries. */
export function renderTagPage(site: SiteConfig, slug: string, items: readonly ArticleSummary[]): string {
  const messages = messagesFor(site.language);
  const tagged = newestFirst(items).slice(0, TAG_PAGE_ITEMS);
  const tag = tagTextOf(slug, tagged);
  const main = html`<div class="intro">
<h1>${tag}</h1>
</div>
${tagged.length > 0 ? headlineList(site, tagged, { level: 2, showSummary: true }) : html`<p>${messages.noNewsWithTag}</p>`}`;

  return renderDocument({
    site,
    meta: {
      documentTitle: `${messages.tagTitle(tag)} | ${site.name}`,
      title: `${messages.tagTitle(tag)}: ${site.name}`,
      description: messages.tagDescription(tag, site.name),
      canonicalPath: tagPath(slug),
    },
    main,
  });
}
