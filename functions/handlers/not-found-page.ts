import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { getS3Client } from '../adapters/s3-client';
import { S3PageStore } from '../adapters/s3-page-store';
import { ENV, getStringFromEnv } from '../config/environment';
import type { PageStore } from '../publishing/page-store';
import { NOT_FOUND_PATH } from '../render/site-paths';
import { logger } from '../shared/observability';

/**
 * The secondary origin of the site's cache behaviour (infra/constructs/not-found-responder.ts): CloudFront
 * asks it only after the pages bucket answered 403 or 404, so whatever it is asked, the answer is the
 * site's 404 page with status 404. The page is read from the bucket, where the renderer keeps it current,
 * and kept for a minute, so a burst of missing URLs costs one S3 read per function instance.
 */

export const NOT_FOUND_KEY = NOT_FOUND_PATH.slice(1);
/** As long as CloudFront may keep the stored 404 page itself (CACHE_CONTROL['not-found']). */
export const NOT_FOUND_PAGE_TTL_MS = 60_000;

/**
 * `no-store`: CloudFront keeps no 404 for a path (the distribution's error caching TTL for 404 is 0, and
 * it only grows with a max-age or s-maxage here), so a first publication at a path needs no invalidation.
 */
export const NOT_FOUND_CACHE_CONTROL = 'no-store';

/** Before the first render the bucket has no 404 page: the status must still be 404. */
export const FALLBACK_NOT_FOUND_PAGE =
  '<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="robots" content="noindex">' +
  '<meta name="viewport" content="width=device-width, initial-scale=1"><title>Page not found</title>' +
  '</head><body><h1>Page not found</h1><p>There is no page at this address.</p>' +
  '<p><a href="/">Go to the home page</a></p></body></html>';

/**
 * Failing over also happens when the bucket cannot be reached at all; then the page asked for may well
 * exist, and the honest answer is "try again", not "not found".
 */
export const UNAVAILABLE_PAGE =
  '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Temporarily unavailable</title>' +
  '</head><body><h1>Temporarily unavailable</h1><p>Please try again in a moment.</p></body></html>';
export const UNAVAILABLE_RETRY_AFTER_SECONDS = 10;

const HTML = 'text/html; charset=utf-8';

type FunctionUrlResult = APIGatewayProxyStructuredResultV2;

export interface NotFoundPageOptions {
  /** @default Date.now */
  readonly now?: () => number;
  /** @default NOT_FOUND_PAGE_TTL_MS */
  readonly ttlMs?: number;
}

/** The handler, around whatever can read the bucket (S3 in AWS, a fake in unit tests). */
export function notFoundPageHandler(
  pages: Pick<PageStore, 'read'>,
  options: NotFoundPageOptions = {},
): () => Promise<FunctionUrlResult> {
  const now = options.now ?? Date.now;
  const ttlMs = options.ttlMs ?? NOT_FOUND_PAGE_TTL_MS;
  let cached: { readonly body: string; readonly readAt: number } | undefined;

  return async (): Promise<FunctionUrlResult> => {
    const time = now();
    if (cached === undefined || time - cached.readAt >= ttlMs) {
      try {
        const page = await pages.read(NOT_FOUND_KEY);
        cached = { body: page?.body || FALLBACK_NOT_FOUND_PAGE, readAt: time };
      } catch (error) {
        // A page read a minute ago is still the right page; only an instance that never read it cannot tell.
        logger.error('Could not read the 404 page from the bucket', { key: NOT_FOUND_KEY, error });
        if (cached === undefined) {
          return {
            statusCode: 503,
            headers: {
              'content-type': HTML,
              'cache-control': NOT_FOUND_CACHE_CONTROL,
              'retry-after': String(UNAVAILABLE_RETRY_AFTER_SECONDS),
            },
            body: UNAVAILABLE_PAGE,
          };
        }
      }
    }
    return {
      statusCode: 404,
      headers: { 'content-type': HTML, 'cache-control': NOT_FOUND_CACHE_CONTROL },
      body: cached.body,
    };
  };
}

export const handler = notFoundPageHandler(new S3PageStore(getS3Client(), getStringFromEnv(ENV.bucketName)));
