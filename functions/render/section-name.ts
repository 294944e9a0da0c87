import { findSection, type SiteConfig } from '../config/site';

/** The readers' name of a section; an article filed under a section since removed keeps its slug. */
export function sectionName(site: Pick<SiteConfig, 'sections'>, slug: string): string {
  return findSection(slug, site.sections)?.name ?? slug;
}
