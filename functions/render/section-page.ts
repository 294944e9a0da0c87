import type { Section, SiteConfig } from '../config/site';
import { headlineList } from './article-lists';
import { newestFirst } from './dates';
import { html } from './html';
import { renderDocument } from './layout';
import { sectionPath } from './site-paths';
import type { ArticleSummary } from './types';

/** A section's page: its latest headlines with their summaries, newest first. */
export function renderSectionPage(
  site: SiteConfig,
  section: Section,
  items: readonly ArticleSummary[],
): string {
  const inSection = newestFirst(items.filter((item) => item.section === section.slug));
  const main = html`<div class="intro">
<h1>${section.name}</h1>
<p class="standfirst">${section.description}</p>
</div>
${inSection.length > 0 ? headlineList(site, inSection, { level: 2, showSummary: true }) : html`<p>No news in this section yet.</p>`}`;

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
  });
}
