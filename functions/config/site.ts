/**
 * The site's identity and sections: the one place the rest of the code asks what the newsroom is called,
 * where it lives and how it is organised. Deployment-specific values (name, public URL) can be overridden
 * through the environment so one build serves any newsroom.
 */

export interface Section {
  /** URL segment and stored value, e.g. `bota` → `/bota/`. */
  readonly slug: string;
  /** Label shown to readers. */
  readonly name: string;
  /** One sentence for the section page's meta description. */
  readonly description: string;
}

export interface SiteConfig {
  readonly name: string;
  /** Public origin readers use, without a trailing slash, e.g. `https://news.example.com`. */
  readonly baseUrl: string;
  /** BCP 47 language tag for `<html lang>` and feeds. */
  readonly language: string;
  /** IANA time zone the newsroom's readers see times in, e.g. `Europe/Tirane`. */
  readonly timeZone: string;
  readonly description: string;
  readonly sections: readonly Section[];
}

export const SECTIONS: readonly Section[] = [
  { slug: 'bota', name: 'Bota', description: 'World news: international politics, diplomacy and conflicts.' },
  { slug: 'politics', name: 'Politics', description: 'Government, parliament, elections and policy.' },
  { slug: 'business', name: 'Business', description: 'Economy, markets, companies and jobs.' },
  { slug: 'technology', name: 'Technology', description: 'Science, technology and the internet.' },
  { slug: 'sport', name: 'Sport', description: 'Football, basketball and every other game.' },
  { slug: 'culture', name: 'Culture', description: 'Arts, books, film, music and society.' },
  { slug: 'opinion', name: 'Opinion', description: 'Commentary and analysis from our writers.' },
];

export const DEFAULT_SITE: SiteConfig = {
  name: 'Flash News',
  baseUrl: 'http://localhost:3000',
  language: 'en',
  timeZone: 'UTC',
  description:
    'Flash News: the latest news from the world, politics, business, technology, sport and culture.',
  sections: SECTIONS,
};

/**
 * Whether `value` names a time zone `Intl.DateTimeFormat` accepts (canonical names and their aliases).
 * Every function checks its SITE_TIME_ZONE at cold start, and the first `Intl.DateTimeFormat` of a process
 * costs tens of milliseconds (ICU's calendar and locale data) that the API functions, which format no
 * dates, would pay for nothing: UTC and the canonical names are looked up in the list instead (a few
 * milliseconds), and only another name (an alias, or a mistake) is tried on a formatter.
 */
export function isTimeZone(value: string): boolean {
  if (value === 'UTC' || Intl.supportedValuesOf('timeZone').includes(value)) return true;
  try {
    new Intl.DateTimeFormat('en', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

/**
 * Reads the overridable parts from the environment (SITE_NAME, SITE_BASE_URL, SITE_TIME_ZONE); the rest
 * is code. An unknown time zone fails at cold start rather than on the first page.
 */
export function loadSiteConfig(env: NodeJS.ProcessEnv = process.env): SiteConfig {
  const baseUrl = (env.SITE_BASE_URL ?? DEFAULT_SITE.baseUrl).replace(/\/+$/, '');
  const timeZone = env.SITE_TIME_ZONE?.trim() || DEFAULT_SITE.timeZone;
  if (!isTimeZone(timeZone))
    throw new Error(`SITE_TIME_ZONE ${JSON.stringify(timeZone)} is not an IANA time zone`);
  return {
    ...DEFAULT_SITE,
    name: env.SITE_NAME?.trim() || DEFAULT_SITE.name,
    baseUrl,
    timeZone,
  };
}

export function findSection(slug: string, sections: readonly Section[] = SECTIONS): Section | undefined {
  return sections.find((section) => section.slug === slug);
}

export const SECTION_SLUGS = SECTIONS.map((section) => section.slug) as [string, ...string[]];
