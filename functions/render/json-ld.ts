import type { SiteConfig } from '../config/site';
import { type SafeHtml, trustedHtml } from './html';

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
  readonly imageUrl?: string;
  readonly sectionName: string;
  readonly keywords: readonly string[];
  /** Shown on the page; given as schema.org CorrectionComments too, newest first like the page. */
  readonly corrections?: readonly { readonly at: string; readonly note: string }[];
}

function publisher(site: SiteConfig) {
  return { '@type': 'Organization', name: site.name, url: `${site.baseUrl}/` };
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
    author: facts.author ? [{ '@type': 'Person', name: facts.author }] : [publisher(site)],
    publisher: publisher(site),
    ...(facts.imageUrl ? { image: [facts.imageUrl] } : {}),
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
