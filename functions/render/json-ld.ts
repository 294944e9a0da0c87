import type { NewsroomLogo, SiteConfig } from '../config/site';
import { type SafeHtml, trustedHtml } from './html';
import { LOGO_HEIGHT, LOGO_WIDTH } from './logo-svg';
import { LOGO_PATH } from './site-paths';

const UNSAFE: Readonly<Record<string, string>> = {
  '<': '\\u003c',
  '>': '\\u003e',
  '&': '\\u0026',
  '\u2028': '\\u2028',
  '\u2029': '\\u2029',
};
const UNSAFE_CHARACTER = /[<>&\u2028\u2029]/;
const UNSAFE_CHARACTERS = /[<>&\u2028\u2029]/g;

/**
 * JSON for a `<script type="application/ld+json">` block. Escaping `<` and `>` means no field can close
 * the element or open a comment; `&` keeps the text inert in XHTML parsers; U+2028/U+2029 are escaped
 * because older JavaScript parsers treat them as line ends.
 */
export function serializeJsonLd(value: unknown): string {
  const json = JSON.stringify(value);
  return UNSAFE_CHARACTER.test(json)
    ? json.replace(UNSAFE_CHARACTERS, (character) => UNSAFE[character] ?? character)
    : json;
}

export function jsonLdScript(value: unknown): SafeHtml {
  return trustedHtml(`<script type="application/ld+json">${serializeJsonLd(value)}</script>`);
}

export interface NewsArticleFacts {
  readonly url: string;
  readonly headline: string;
  readonly description: string;
  readonly datePublished: string;
  readonly dateModified: string;
  readonly author?: string;
  /** The writer's own page on the site, when there is one (there are no author pages yet). */
  readonly authorUrl?: string;
  /** The article's photo; its size, caption and credit are given when known. */
  readonly image?: {
    readonly url: string;
    readonly width?: number;
    readonly height?: number;
    readonly caption?: string;
    readonly credit?: string;
  };
  readonly sectionName: string;
  readonly keywords: readonly string[];
  /** Shown on the page; given as schema.org CorrectionComments too, newest first like the page. */
  readonly corrections?: readonly { readonly at: string; readonly note: string }[];
}

/**
 * The publisher's logo when the newsroom's config names none: the wordmark the publisher writes at
 * `/logo.svg` (functions/render/logo-svg.ts) with every batch's index objects, and repair keeps.
 */
export const DEFAULT_LOGO: NewsroomLogo = { url: LOGO_PATH, width: LOGO_WIDTH, height: LOGO_HEIGHT };

function absolute(site: SiteConfig, url: string): string {
  return url.startsWith('/') ? `${site.baseUrl}${url}` : url;
}

function logoUrl(site: SiteConfig): string {
  return absolute(site, (site.logo ?? DEFAULT_LOGO).url);
}

function organization(site: SiteConfig) {
  return { '@type': 'Organization', name: site.name, url: `${site.baseUrl}/` };
}

function publisher(site: SiteConfig) {
  const { width, height } = site.logo ?? DEFAULT_LOGO;
  return { ...organization(site), logo: { '@type': 'ImageObject', url: logoUrl(site), width, height } };
}

/**
 * A named writer is a Person of the newsroom. Its `url` must identify the writer (schema.org, and Google's
 * guidelines for `author.url`): the site's home page would not, so it is given only for an author page;
 * `worksFor` links the writer to the newsroom, whose URL that is.
 */
function person(site: SiteConfig, name: string, url: string | undefined) {
  return {
    '@type': 'Person',
    name,
    ...(url ? { url: absolute(site, url) } : {}),
    worksFor: organization(site),
  };
}

function imageObject(image: NonNullable<NewsArticleFacts['image']>) {
  return {
    '@type': 'ImageObject',
    url: image.url,
    ...(image.width !== undefined && image.height !== undefined
      ? { width: image.width, height: image.height }
      : {}),
    ...(image.caption ? { caption: image.caption } : {}),
    ...(image.credit ? { creditText: image.credit } : {}),
  };
}

export function newsArticleJsonLd(site: SiteConfig, facts: NewsArticleFacts): Record<string, unknown> {
  return {
    '@context': 'https://schema.org',
    '@type': 'NewsArticle',
    headline: facts.headline,
    description: facts.description,
    url: facts.url,
    mainEntityOfPage: { '@type': 'WebPage', '@id': facts.url },
    datePublished: facts.datePublished,
    dateModified: facts.dateModified,
    // Without a named writer the newsroom itself is the author, as Google's guidelines allow.
    author: facts.author ? [person(site, facts.author, facts.authorUrl)] : [organization(site)],
    publisher: publisher(site),
    // Search engines want an image for every article: without its own, the newsroom's logo stands in.
    image: [facts.image ? imageObject(facts.image) : logoUrl(site)],
    articleSection: facts.sectionName,
    ...(facts.keywords.length > 0 ? { keywords: [...facts.keywords] } : {}),
    ...(facts.corrections && facts.corrections.length > 0
      ? {
          correction: facts.corrections.map(({ at, note }) => ({
            '@type': 'CorrectionComment',
            text: note,
            datePublished: at,
          })),
        }
      : {}),
    inLanguage: site.language,
    isAccessibleForFree: true,
  };
}

export function webSiteJsonLd(site: SiteConfig): Record<string, unknown> {
  return {
    '@context': 'https://schema.org',
    '@type': 'WebSite',
    name: site.name,
    url: `${site.baseUrl}/`,
    description: site.description,
    inLanguage: site.language,
    publisher: publisher(site),
  };
}
