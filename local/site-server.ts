import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { brotliCompressSync, gzipSync, constants as zlib } from 'node:zlib';
import { GetObjectCommand, NoSuchKey, type S3Client } from '@aws-sdk/client-s3';
import { securityHeadersForHttp } from '../functions/render/security-headers';
import { NOT_FOUND_PATH } from '../functions/render/site-paths';
import type { SiteHandler } from './local-server';

/**
 * The reader's side of the local origin, doing what the CloudFront distribution does in AWS: run the
 * same viewer-request function (functions/edge/url-rewrite.js) on each request, fetch the object from
 * the bucket, answer a missing one with the 404 page and status 404, add the response-headers policy's
 * security headers, compress text, and answer conditional requests with 304.
 */

export const URL_REWRITE_SOURCE = new URL('../functions/edge/url-rewrite.js', import.meta.url);

interface CloudFrontRequest {
  method: string;
  uri: string;
  querystring: Record<string, { value: string }>;
  headers: Record<string, { value: string }>;
  cookies: Record<string, { value: string }>;
}

interface CloudFrontResponse {
  statusCode: number;
  statusDescription?: string;
  headers?: Record<string, { value: string }>;
}

type ViewerRequestFunction = (event: unknown) => CloudFrontRequest | CloudFrontResponse;

/** Loads the CloudFront Function the way the runtime does: a script defining a global `handler`. */
export function loadViewerRequestFunction(
  source = readFileSync(URL_REWRITE_SOURCE, 'utf8'),
): ViewerRequestFunction {
  return new Function(`${source}\nreturn handler;`)() as ViewerRequestFunction;
}

function viewerRequestEvent(request: IncomingMessage): unknown {
  const url = new URL(request.url ?? '/', 'http://localhost');
  const querystring: Record<string, { value: string }> = {};
  for (const [name, value] of url.searchParams) querystring[name] = { value };
  const headers: Record<string, { value: string }> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (typeof value === 'string') headers[name] = { value };
  }
  return {
    version: '1.0',
    context: { eventType: 'viewer-request' },
    viewer: { ip: request.socket.remoteAddress ?? '127.0.0.1' },
    request: { method: request.method ?? 'GET', uri: url.pathname, querystring, headers, cookies: {} },
  };
}

const COMPRESSIBLE = /^(text\/|application\/(json|xml|rss\+xml|atom\+xml|feed\+json|javascript))/;

function encode(
  body: Buffer,
  contentType: string,
  acceptEncoding: string,
): { body: Buffer; encoding?: string } {
  // CloudFront compresses objects between 1,000 bytes and 10 MB.
  if (body.length < 1000 || !COMPRESSIBLE.test(contentType)) return { body };
  if (/\bbr\b/.test(acceptEncoding)) {
    return {
      body: brotliCompressSync(body, { params: { [zlib.BROTLI_PARAM_QUALITY]: 5 } }),
      encoding: 'br',
    };
  }
  if (/\bgzip\b/.test(acceptEncoding)) return { body: gzipSync(body), encoding: 'gzip' };
  return { body };
}

/** What s3rver reports for an object whose metadata file is not written (yet). */
const S3RVER_DEFAULT_CONTENT_TYPE = 'binary/octet-stream';

interface StoredObject {
  readonly body: Buffer;
  readonly contentType: string;
  readonly cacheControl?: string;
  readonly etag?: string;
  readonly lastModified?: Date;
}

/** The renderer sets a content type on every object, and s3rver's ETag is the body's MD5. */
function isWhole(object: StoredObject): boolean {
  const md5 = createHash('md5').update(object.body).digest('hex');
  return object.contentType !== S3RVER_DEFAULT_CONTENT_TYPE && object.etag === `"${md5}"`;
}

export function createSiteHandler(s3: S3Client, bucketName: string): SiteHandler {
  const viewerRequest = loadViewerRequestFunction();
  const securityHeaders = securityHeadersForHttp();

  async function readObject(key: string): Promise<StoredObject | undefined> {
    try {
      const object = await s3.send(new GetObjectCommand({ Bucket: bucketName, Key: key }));
      return {
        body: Buffer.from((await object.Body?.transformToByteArray()) ?? []),
        contentType: object.ContentType ?? S3RVER_DEFAULT_CONTENT_TYPE,
        cacheControl: object.CacheControl,
        etag: object.ETag,
        lastModified: object.LastModified,
      };
    } catch (error) {
      if (error instanceof NoSuchKey || (error as Error).name === 'NoSuchKey') return undefined;
      throw error;
    }
  }

  /**
   * S3 replaces an object atomically; s3rver writes the body, then its metadata, in separate files, so a
   * read during a write can see a partial body or no metadata. Such a read is retried briefly, so readers
   * get what S3 would serve: the old object or the new one, whole.
   */
  async function getObject(key: string): Promise<StoredObject | undefined> {
    let object = await readObject(key);
    for (let attempt = 1; object && !isWhole(object) && attempt <= 10; attempt += 1) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      object = await readObject(key);
    }
    return object;
  }

  return async (request: IncomingMessage, response: ServerResponse) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      // The site's cache behaviour allows GET and HEAD only; CloudFront refuses the rest with 403.
      response.writeHead(403, { 'content-type': 'text/plain; charset=utf-8', ...securityHeaders });
      response.end('This distribution is not configured to allow the HTTP request method that was used.');
      return;
    }

    const result = viewerRequest(viewerRequestEvent(request));
    if ('statusCode' in result) {
      const headers: Record<string, string> = { ...securityHeaders };
      for (const [name, { value }] of Object.entries(result.headers ?? {})) headers[name] = value;
      response.writeHead(result.statusCode, headers);
      response.end();
      return;
    }

    let status = 200;
    let key: string | undefined;
    try {
      key = decodeURIComponent(result.uri).replace(/^\//, '');
    } catch {
      // Malformed percent-encoding names no object: the reader gets the 404 page.
    }
    let object = key === undefined ? undefined : await getObject(key);
    if (!object) {
      status = 404;
      object = (await getObject(NOT_FOUND_PATH.slice(1))) ?? {
        body: Buffer.from('Not found'),
        contentType: 'text/plain; charset=utf-8',
      };
    }

    const headers: Record<string, string> = { 'content-type': object.contentType, ...securityHeaders };
    if (object.cacheControl) headers['cache-control'] = object.cacheControl;
    if (status === 200 && object.etag) {
      headers.etag = object.etag;
      if (request.headers['if-none-match'] === object.etag) {
        response.writeHead(304, headers);
        response.end();
        return;
      }
    }
    if (object.lastModified) headers['last-modified'] = object.lastModified.toUTCString();
    const encoded = encode(object.body, object.contentType, String(request.headers['accept-encoding'] ?? ''));
    if (encoded.encoding) {
      headers['content-encoding'] = encoded.encoding;
      headers.vary = 'Accept-Encoding';
    }
    headers['content-length'] = String(encoded.body.length);
    response.writeHead(status, headers);
    response.end(request.method === 'HEAD' ? undefined : encoded.body);
  };
}
