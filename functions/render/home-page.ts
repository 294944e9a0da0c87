import type { Section, SiteConfig } from '../config/site';
import { articleImage, heroImage } from './article-image';
import { headline, headlineList } from './article-lists';
import { newestFirst } from './dates';
import { html, type SafeHtml } from './html';
import { webSiteJsonLd } from './json-ld';
import { renderDocument } from './layout';
import { HOME_PATH, sectionPath } from './site-paths';
import type { ArticleSummary } from './types';

/** Headlines per section on the home page: its lead plus a few more. */
const HOME_SECTION_LIMIT = 5;

function topStory(site: SiteConfig, item: ArticleSummary): SafeHtml {
  return html`<article class="lead">
${heroImage(articleImage(item))}
${headline(site, item, { level: 2, showSummary: true })}
</article>`;
}

function sectionGroup(site: SiteConfig, section: Section, items: readonly ArticleSummary[]): SafeHtml {
  const [lead, ...rest] = items;
  return html`<section class="section-group" aria-labelledby="section-${section.slug}">
<h2 id="section-${section.slug}"><a href="${sectionPath(section.slug)}">${section.name}</a></h2>
${lead && html`<div class="lead">${headline(site, lead, { level: 3, showSummary: true })}</div>`}
${rest.length > 0 && headlineList(site, rest, { level: 3, showSummary: false })}
</section>`;
}

/**
 * The home page: the newest story as the top story, then each configured section (in the configured
 * order) with its newest story as lead and a few more headlines. `items` are the latest published
 * articles, any order; sections with nothing recent are left out.
 */
export function renderHomePage(site: SiteConfig, items: readonly ArticleSummary[]): string {
  const [top, ...others] = newestFirst(items);
  const groups = site.sections
    .map((section) => ({
      section,
      items: others.filter((item) => item.section === section.slug).slice(0, HOME_SECTION_LIMIT),
    }))
    .filter((group) => group.items.length > 0);

  const main = html`<h1 class="visually-hidden">${site.name}: latest news</h1>
${top ? topStory(site, top) : html`<p>No news has been published yet.</p>`}
${
  groups.length > 0 &&
  html`<div class="section-grid">
${groups.map((group) => sectionGroup(site, group.section, group.items))}</div>`
}`;

  return renderDocument({
    site,
    meta: {
      documentTitle: `${site.name}: latest news`,
      title: site.name,
      description: site.description,
      canonicalPath: HOME_PATH,
      jsonLd: webSiteJsonLd(site),
    },
    main,
    current: { path: HOME_PATH, ariaCurrent: 'page' },
  });
}
