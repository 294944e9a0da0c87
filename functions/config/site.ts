import type { ImageResizer, NewsroomConfig, NewsroomLogo, Section } from './newsroom';
import { readNewsroomConfigFromEnv } from './newsroom-file';
import { isTimeZone } from './time-zone';

/**
 * The site's identity and sections: the one place the rest of the code asks what the newsroom is called,
 * where it lives and how it is organised. The newsroom comes from its config file (newsroom.config.json,
 * or the one NEWSROOM_CONFIG names); the deployment-specific values (public URL, and the name and time
 * zone a deployment may override) come from the environment, so one build serves any newsroom.
 */

export type { ImageResizer, NewsroomLogo, Section } from './newsroom';
export { isTimeZone } from './time-zone';

export interface SiteConfig {
  readonly name: string;
  /** Public origin readers use, without a trailing slash, e.g. `https://news.example.com`. */
  readonly baseUrl: string;
  /** BCP 47 language tag for `<html lang>` and feeds. */
  readonly language: string;
  /** BCP 47 locale dates are formatted in, e.g. `sq-AL`; the language when absent. */
  readonly locale?: string;
  /**
   * Only on a page rendered in another language than the newsroom's (functions/render/page-language.ts):
   * the language of the newsroom's own copy (section names, description), which the page marks `lang`.
   */
  readonly copyLanguage?: string;
  /** IANA time zone the newsroom's readers see times in, e.g. `Europe/Tirane`. */
  readonly timeZone: string;
  readonly description: string;
  /** The newsroom's logo, when its config names one. */
  readonly logo?: NewsroomLogo;
  readonly sections: readonly Section[];
  /** Image hosts that serve smaller copies (srcset); none means images are shown as stored. */
  readonly imageResizers?: readonly ImageResizer[];
}

// Replaced at synth by esbuild (infra/constructs/news-function.ts): see NEWSROOM_BUNDLE_DEFINES.
declare const __NEWSROOM_INLINED__: boolean | undefined;
declare const __NEWSROOM_CONFIG__: NewsroomConfig;

/**
 * The newsroom this process serves. A deployed function finds it inlined in its bundle, checked at synth,
 * so its cold start reads no file and runs no validator; everywhere else (`npm start`, the tests, the
 * command-line tools) the file is read and checked here, once, at import.
 */
export const NEWSROOM: NewsroomConfig =
  typeof __NEWSROOM_INLINED__ !== 'undefined' && __NEWSROOM_INLINED__
    ? __NEWSROOM_CONFIG__
    : readNewsroomConfigFromEnv();

/** In reading order; `order` has done its work, and GET /api/sections lists exactly these fields. */
export const SECTIONS: readonly Section[] = NEWSROOM.sections.map(({ slug, name, description }) => ({
  slug,
  name,
  description,
}));

export const DEFAULT_SITE: SiteConfig = {
  name: NEWSROOM.name,
  baseUrl: 'http://localhost:3000',
  language: NEWSROOM.language,
  locale: NEWSROOM.locale,
  timeZone: NEWSROOM.timeZone,
  description: NEWSROOM.description,
  ...(NEWSROOM.logo ? { logo: NEWSROOM.logo } : {}),
  sections: SECTIONS,
  ...(NEWSROOM.imageResizers ? { imageResizers: NEWSROOM.imageResizers } : {}),
};

/**
 * The newsroom with the deployment's overrides from the environment (SITE_NAME, SITE_BASE_URL,
 * SITE_TIME_ZONE). An unknown time zone fails at cold start rather than on the first page.
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
