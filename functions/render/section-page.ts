import type { Section, SiteConfig } from '../config/site';
import { headlineList, latestNewsAside, leadFirst, leadStory, storyCards } from './article-lists';
import { html } from './html';
import { renderDocument } from './layout';
import { messagesFor } from './messages';
import { sectionPath } from './site-paths';
import type { ArticleSummary } from './types';

/** Cards under the section's lead story, before the plain list of headlines. */
const SECTION_CARDS = 4;
const LEAD_SIZES = '(min-width: 64rem) 46rem, 100vw';
const CARD_SIZES = '(min-width: 64rem) 15rem, (min-width: 40rem) 45vw, 7rem';

/**
 * A section's page, built like the front page: its lead story (the newest featured one in the section,
 * else the newest) with its picture, the next
 * few as cards with thumbnails, the rest as headlines with summaries, and the site's "Latest news"
 * beside them (refreshed in the browser). `latest` is that list at render time.
 */
export function renderSectionPage(
  site: SiteConfig,
  section: Section,
  items: readonly ArticleSummary[],
  latest: readonly ArticleSummary[] = [],
): string {
  const [lead, ...rest] = leadFirst(items.filter((item) => item.section === section.slug));
  const cards = rest.slice(0, SECTION_CARDS);
  const listed = rest.slice(SECTION_CARDS);
  const main = html`<div class="intro">
<h1>${section.name}</h1>
<p class="tagline">${section.description}</p>
</div>
<div class="columns">
<div>
${
  lead
    ? html`${leadStory(site, lead, LEAD_SIZES)}
${cards.length > 0 && storyCards(site, cards, { level: 2, showSummary: false, sizes: CARD_SIZES, loading: 'lazy' })}
${listed.length > 0 && headlineList(site, listed, { level: 2, showSummary: true })}`
    : html`<p>${messagesFor(site.language).noNewsInSection}</p>`
}
</div>
${latestNewsAside(site, latest)}
</div>`;

  return renderDocument({
    site,
    meta: {
      documentTitle: `${section.name} | ${site.name}`,
      title: `${section.name}: ${site.name}`,
      description: section.description,
      canonicalPath: sectionPath(section.slug),
      feedSection: { slug: section.slug, name: section.name },
    },
    main,
    current: { path: sectionPath(section.slug), ariaCurrent: 'page' },
    refreshLatestNews: true,
  });
}
