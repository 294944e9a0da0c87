/**
 * URL checks for untrusted values. Browsers ignore ASCII whitespace and control characters inside a
 * scheme (`java\tscript:`), so they are removed before the scheme is looked at.
 */

// biome-ignore lint/suspicious/noControlCharactersInRegex: these are exactly the characters to strip.
const IGNORED_BY_BROWSERS = /[\u0000-\u0020\u007f-\u009f]/g;
const SCHEME = /^([a-z][a-z0-9+.-]*):/i;
const LINK_SCHEMES = new Set(['http', 'https', 'mailto']);

/** An absolute http(s) URL, normalised by the WHATWG parser, or undefined when it is anything else. */
export function httpUrl(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (!/^https?:\/\//i.test(trimmed)) return undefined;
  try {
    const url = new URL(trimmed);
    // Stryker disable next-line ConditionalExpression: after the check above the scheme is always http(s)
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Whether a link target in article Markdown may become a link: http(s) and mailto, or a relative
 * reference (which resolves to this site). Anything with another scheme (`javascript:`, `data:`,
 * `vbscript:`, `file:`) is refused.
 */
export function isAllowedLinkTarget(value: string): boolean {
  const cleaned = value.replace(IGNORED_BY_BROWSERS, '');
  if (cleaned.startsWith('\\') || cleaned.startsWith('/\\')) return false;
  const scheme = SCHEME.exec(cleaned)?.[1];
  if (scheme !== undefined) return LINK_SCHEMES.has(scheme.toLowerCase());
  // A colon before any '/', '?' or '#' would make some parsers see a scheme; refuse the ambiguity.
  const colon = cleaned.indexOf(':');
  if (colon === -1) return true;
  const firstDelimiter = cleaned.search(/[/?#]/);
  // Stryker disable next-line EqualityOperator: a delimiter and the colon are never at the same index
  return firstDelimiter !== -1 && firstDelimiter < colon;
}

/** Whether an absolute link leaves the site, for `rel` hints on external links. */
export function isExternalLink(href: string, baseUrl: string): boolean {
  if (!/^https?:\/\//i.test(href) && !href.startsWith('//')) return false;
  try {
    return new URL(href, baseUrl).origin !== new URL(baseUrl).origin;
  } catch {
    return true;
  }
}
