import type { Section, SiteConfig } from '../config/site';
import { headlineList, latestNewsAside, leadFirst, leadStory, storyCard, storyCards } from './article-lists';
import { html, type SafeHtml } from './html';
import { webSiteJsonLd } from './json-ld';
import { renderDocument } from './layout';
import { messagesFor } from './messages';
import { HOME_PATH, sectionPath } from './site-paths';
import type { ArticleSummary } from './types';

/** Stories in the grid beside the lead: two rows of two on a desktop. */
export const TOP_STORIES = 4;
/** Per section block: its lead card and a few headlines. */
const SECTION_BLOCK_ITEMS = 4;

/** The lead's picture spans about three fifths of a wide page, the whole width of a phone. */
const LEAD_SIZES = '(min-width: 64rem) 40rem, 100vw';
/** Top-story thumbnails: two to a row beside the lead on a wide page, a small one beside the headline on a phone. */
const TOP_STORY_SIZES = '(min-width: 64rem) 13rem, (min-width: 40rem) 45vw, 7rem';
const SECTION_LEAD_SIZES = '(min-width: 64rem) 20rem, (min-width: 40rem) 45vw, 7rem';

export interface FrontPagePlan {
  readonly lead?: ArticleSummary;
  readonly topStories: readonly ArticleSummary[];
  /** Configured sections in order, each with the stories not already above; sections left empty are out. */
  readonly sections: readonly { readonly section: Section; readonly items: readonly ArticleSummary[] }[];
}

/**
 * Which story goes where: the lead is the newest story editors marked `featured`, or the newest of all
 * when none is; the top stories are the newest of the rest; each section block gets its newest stories
 * not shown above, so no story appears twice in the page's main column.
 */
export function planFrontPage(site: SiteConfig, items: readonly ArticleSummary[]): FrontPagePlan {
  const [lead, ...rest] = leadFirst(items);
  const topStories = rest.slice(0, TOP_STORIES);
  const below = rest.slice(TOP_STORIES);
  const sections = site.sections
    .map((section) => ({
      section,
      items: below.filter((item) => item.section === section.slug).slice(0, SECTION_BLOCK_ITEMS),
    }))
    .filter((block) => block.items.length > 0);
  return { lead, topStories, sections };
}

function sectionBlock(site: SiteConfig, section: Section, items: readonly ArticleSummary[]): SafeHtml {
  const [first, ...others] = items;
  return html`<section class="section-group" aria-labelledby="section-${section.slug}">
<h2 id="section-${section.slug}"><a href="${sectionPath(section.slug)}">${section.name}</a></h2>
${first && html`<ul class="cards single">${storyCard(site, first, { level: 3, showSummary: true, sizes: SECTION_LEAD_SIZES, loading: 'lazy' })}</ul>`}
${others.length > 0 && headlineList(site, others, { level: 3, showSummary: false })}
<p class="more"><a href="${sectionPath(section.slug)}">${messagesFor(site.language).moreIn(section.name)}</a></p>
</section>`;
}

/**
 * The home page, a front page: the lead story with its picture and, beside it, the top stories with
 * thumbnails; below, a block for each configured section (in the configured order) and the "Latest news"
 * list, which the browser keeps fresh. `items` are the latest published articles, any order.
 */
export function renderHomePage(site: SiteConfig, items: readonly ArticleSummary[]): string {
  const messages = messagesFor(site.language);
  const { lead, topStories, sections } = planFrontPage(site, items);

  const main = html`<h1 class="visually-hidden">${messages.homeTitle(site.name)}</h1>
${
  lead
    ? html`<div class="top">
${leadStory(site, lead, LEAD_SIZES)}
${
  topStories.length > 0 &&
  html`<section class="top-stories" aria-labelledby="top-stories-heading">
<h2 id="top-stories-heading" class="kicker">${messages.topStories}</h2>
${storyCards(site, topStories, { level: 3, showSummary: false, sizes: TOP_STORY_SIZES, loading: 'auto' })}
</section>`
}
</div>`
    : html`<p>${messages.noNewsYet}</p>`
}
<div class="columns">
<div class="section-grid">
${sections.map((block) => sectionBlock(site, block.section, block.items))}</div>
${latestNewsAside(site, items)}
</div>`;

  return renderDocument({
    site,
    meta: {
      documentTitle: messages.homeTitle(site.name),
      title: site.name,
      description: site.description,
      canonicalPath: HOME_PATH,
      jsonLd: webSiteJsonLd(site),
    },
    main,
    current: { path: HOME_PATH, ariaCurrent: 'page' },
    refreshLatestNews: true,
  });
}
