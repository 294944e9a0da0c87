import type { SiteConfig } from '../config/site';
import { primaryLanguage, sameLanguage } from '../domain/language';

/**
 * A page speaks its article's language: labels, dates, quotes and every language tag follow it, while
 * the newsroom's own copy (section names, its description) stays in the newsroom's language and is
 * marked so. The rest of the render code just reads `site.language` and `site.locale` of the site it is
 * given; this module makes the site a page in another language is rendered with.
 */

/** One derived site per newsroom site and language, so the per-site caches (chrome, dates) keep working. */
const derived = new WeakMap<SiteConfig, Map<string, SiteConfig>>();

/**
 * The site as a page in `language` sees it: `language` as the page's, the locale its dates are written
 * in (the newsroom's when the language is the newsroom's, so `sq` on an `sq-AL` newsroom stays `sq-AL`;
 * else the language's own), and `copyLanguage` naming the language of the newsroom's copy.
 */
export function inLanguage(site: SiteConfig, language: string | undefined): SiteConfig {
  if (language === undefined || language === site.language) return site;
  let byLanguage = derived.get(site);
  if (byLanguage === undefined) {
    byLanguage = new Map();
    derived.set(site, byLanguage);
  }
  let page = byLanguage.get(language);
  if (page === undefined) {
    const hasRegion = language.includes('-');
    const newsroomLanguage = site.copyLanguage ?? site.language;
    page = {
      ...site,
      language,
      locale: hasRegion || !sameLanguage(language, site.language) ? language : (site.locale ?? language),
      ...(sameLanguage(language, newsroomLanguage) ? {} : { copyLanguage: newsroomLanguage }),
    };
    byLanguage.set(language, page);
  }
  return page;
}

/**
 * The `lang` attribute text in another language needs inside a page: the other language when it is not
 * the page's, else nothing (an attribute repeating the page's language says nothing).
 */
export function langAttribute(pageLanguage: string, textLanguage: string | undefined): string | undefined {
  return textLanguage !== undefined && !sameLanguage(textLanguage, pageLanguage) ? textLanguage : undefined;
}

/**
 * Open Graph's `og:locale` (`language_TERRITORY`): the locale's region when it has one, else the
 * language's likeliest (`sq` → `sq_AL`, `en` → `en_US`).
 */
export function openGraphLocale(site: Pick<SiteConfig, 'language' | 'locale'>): string {
  const tag = site.locale && sameLanguage(site.locale, site.language) ? site.locale : site.language;
  try {
    const locale = new Intl.Locale(tag).maximize();
    return locale.region ? `${locale.language}_${locale.region}` : locale.language;
  } catch {
    return primaryLanguage(site.language);
  }
}
