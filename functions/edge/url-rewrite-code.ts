/**
 * The viewer-request function's code as CloudFront runs it: functions/edge/url-rewrite.js with the
 * newsroom's section slugs written in. A CloudFront Function can read no configuration, so the slugs
 * reach it in its code; the CDK app (infra/constructs/site-distribution.ts) and the local site server
 * (local/site-server.ts) both build it here, from the one newsroom config, so the edge and the local
 * stack cannot disagree on which paths are sections.
 */

/** What url-rewrite.js holds, once, where the slugs go. */
export const SECTION_SLUGS_PLACEHOLDER = '__SECTION_SLUGS__';

/** CloudFront Functions' limit on the size of a function's code. */
export const CLOUDFRONT_FUNCTION_MAX_BYTES = 10 * 1024;

// The slugs land inside a JavaScript string literal, between slashes: only slug characters may.
const SECTION_SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

export class ViewerRequestCodeError extends Error {
  override name = 'ViewerRequestCodeError';
}

export function viewerRequestCode(source: string, sectionSlugs: readonly string[]): string {
  const parts = source.split(SECTION_SLUGS_PLACEHOLDER);
  if (parts.length !== 2) {
    throw new ViewerRequestCodeError(
      `url-rewrite.js must hold ${SECTION_SLUGS_PLACEHOLDER} exactly once, not ${parts.length - 1} times`,
    );
  }
  const invalid = sectionSlugs.find((slug) => !SECTION_SLUG.test(slug));
  if (invalid !== undefined || sectionSlugs.length === 0) {
    throw new ViewerRequestCodeError(`Section slug ${JSON.stringify(invalid)} cannot go into url-rewrite.js`);
  }
  const code = parts.join(sectionSlugs.join('/'));
  const bytes = Buffer.byteLength(code);
  if (bytes > CLOUDFRONT_FUNCTION_MAX_BYTES) {
    throw new ViewerRequestCodeError(
      `url-rewrite.js with ${sectionSlugs.length} sections is ${bytes} bytes; CloudFront allows ${CLOUDFRONT_FUNCTION_MAX_BYTES}`,
    );
  }
  return code;
}
