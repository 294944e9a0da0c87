/**
 * The viewer-request function's code as CloudFront runs it: functions/edge/url-rewrite.js with the
 * newsroom's section slugs written in. A CloudFront Function can read no configuration, so the slugs
 * reach it in its code; the CDK app (infra/constructs/site-distribution.ts) and the local site server
 * (local/site-server.ts) both build it here, from the one newsroom config, so the edge and the local
 * stack cannot disagree on which paths are sections.
 */

import { messagesFor } from '../render/messages';

/** What url-rewrite.js holds, once, where the slugs go. */
export const SECTION_SLUGS_PLACEHOLDER = '__SECTION_SLUGS__';

/** What url-rewrite.js holds, once, as a string literal, where the 410 page goes. */
export const GONE_PAGE_PLACEHOLDER = "'__GONE_PAGE__'";

/** CloudFront Functions' limit on the size of a function's code. */
export const CLOUDFRONT_FUNCTION_MAX_BYTES = 10 * 1024;

// The slugs land inside a JavaScript string literal, between slashes: only slug characters may.
const SECTION_SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

export class ViewerRequestCodeError extends Error {
  override name = 'ViewerRequestCodeError';
}

/** The page a withdrawn article's URL answers with its 410, in the newsroom's language. */
export function gonePage(language: string): string {
  const messages = messagesFor(language);
  const text = (value: string) =>
    value.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');
  return (
    `<!doctype html><html lang="${text(language)}"><head><meta charset="utf-8">` +
    '<meta name="viewport" content="width=device-width,initial-scale=1">' +
    `<meta name="robots" content="noindex"><title>${text(messages.goneTitle)}</title></head>` +
    `<body><h1>${text(messages.goneHeading)}</h1>` +
    `<p>${text(messages.goneText)} <a href="/">${text(messages.goneLink)}</a>.</p></body></html>`
  );
}

/**
 * A JavaScript string literal of `value` in ASCII only: the runtime's parser (ES5.1 with some later
 * syntax) needs no U+2028, and every letter beyond ASCII (ë, ç) is an escape, not a byte to mis-decode.
 */
function asciiStringLiteral(value: string): string {
  return JSON.stringify(value).replace(
    /[\u007f-\uffff]/g,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

function replaceOnce(source: string, placeholder: string, value: string): string {
  const parts = source.split(placeholder);
  if (parts.length !== 2) {
    throw new ViewerRequestCodeError(
      `url-rewrite.js must hold ${placeholder} exactly once, not ${parts.length - 1} times`,
    );
  }
  return parts.join(value);
}

/**
 * url-rewrite.js with the newsroom's section slugs and its 410 page (in `language`) written in. A
 * CloudFront Function can read no configuration, so both reach it in its code.
 */
export function viewerRequestCode(source: string, sectionSlugs: readonly string[], language = 'en'): string {
  const invalid = sectionSlugs.find((slug) => !SECTION_SLUG.test(slug));
  if (invalid !== undefined || sectionSlugs.length === 0) {
    throw new ViewerRequestCodeError(`Section slug ${JSON.stringify(invalid)} cannot go into url-rewrite.js`);
  }
  const code = replaceOnce(
    replaceOnce(source, SECTION_SLUGS_PLACEHOLDER, sectionSlugs.join('/')),
    GONE_PAGE_PLACEHOLDER,
    asciiStringLiteral(gonePage(language)),
  );
  const bytes = Buffer.byteLength(code);
  if (bytes > CLOUDFRONT_FUNCTION_MAX_BYTES) {
    throw new ViewerRequestCodeError(
      `url-rewrite.js with ${sectionSlugs.length} sections is ${bytes} bytes; CloudFront allows ${CLOUDFRONT_FUNCTION_MAX_BYTES}`,
    );
  }
  return code;
}
