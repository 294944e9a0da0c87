import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { brotliCompressSync, gzipSync, constants as zlib } from 'node:zlib';
import { GetObjectCommand, HeadObjectCommand, NoSuchKey, type S3Client } from '@aws-sdk/client-s3';
import fresh from 'fresh';
import { cloudFrontModule, type FileEdgeRoutesStore } from '../functions/adapters/file-edge-routes-store';
import { NEWSROOM, SECTIONS } from '../functions/config/site';
import { viewerRequestCode } from '../functions/edge/url-rewrite-code';
import { securityHeadersForHttp } from '../functions/render/security-headers';
import { NOT_FOUND_PATH } from '../functions/render/site-paths';
import { parseRequestTarget, type SiteHandler } from './local-server';

/**
 * The reader's side of the local origin, doing what the CloudFront distribution does in AWS: run the
 * same viewer-request function (functions/edge/url-rewrite.js) on each request, fetch the object from
 * the bucket, answer a missing one with the 404 page and status 404, add the response-headers policy's
 * security headers, compress text, and answer conditional and range requests as CloudFront and S3 do.
 * Whatever the request, the answer is never a 5xx unless the bucket itself cannot be reached (503).
 *
 * Fast enough to demo at scale without giving up read-after-write: everything that can be done once is
 * (the function is compiled once, the headers of an object version and its compressed bodies are built
 * the first time they are needed and kept with that version), and the bucket is asked once per burst
 * of requests for an object, not once per request (see `ReadsAfterArrival`).
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
  body?: { encoding: 'text'; data: string };
}

type ViewerRequestFunction = (event: unknown) => Promise<CloudFrontRequest | CloudFrontResponse>;

/** What the function's `import cf from 'cloudfront'` gives it: the edge routes store's `kvs()`. */
export type CloudFrontModule = ReturnType<typeof cloudFrontModule>;

/** With no store, every key is missing, as in a KeyValueStore that is empty. */
const EMPTY_STORE = cloudFrontModule({ lookup: () => undefined });

/** The runtime's only module import, which a plain script cannot have: it becomes the `cf` parameter. */
const CLOUDFRONT_IMPORT = /^import cf from 'cloudfront';$/m;

/**
 * Loads the CloudFront Function the way the runtime does: a script defining a global `handler`, with
 * `cloudfront` the module the runtime provides (here, over the local edge routes store).
 */
export function loadViewerRequestFunction(
  // With the newsroom's sections written in, as the CDK app deploys it (functions/edge/url-rewrite-code.ts).
  source = viewerRequestCode(
    readFileSync(URL_REWRITE_SOURCE, 'utf8'),
    SECTIONS.map((section) => section.slug),
    NEWSROOM.language,
  ),
  cf: CloudFrontModule = EMPTY_STORE,
): ViewerRequestFunction {
  const script = source.replace(CLOUDFRONT_IMPORT, '');
  return new Function('cf', `${script}\nreturn handler;`)(cf) as ViewerRequestFunction;
}

function viewerRequestEvent(request: IncomingMessage): unknown {
  const target = parseRequestTarget(request.url);
  const querystring: Record<string, { value: string }> = {};
  for (const [name, value] of new URLSearchParams(target.query)) querystring[name] = { value };
  const headers: Record<string, { value: string }> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (typeof value === 'string') headers[name] = { value };
  }
  return {
    version: '1.0',
    context: { eventType: 'viewer-request' },
    viewer: { ip: request.socket.remoteAddress ?? '127.0.0.1' },
    request: { method: request.method ?? 'GET', uri: target.rawPath, querystring, headers, cookies: {} },
  };
}

const COMPRESSIBLE = /^(text\/|application\/(json|xml|rss\+xml|atom\+xml|feed\+json|javascript))/;

type ContentCoding = 'br' | 'gzip';

/** The coding CloudFront would pick for this object and request, if any (brotli first, as it does). */
function contentCodingFor(object: StoredObject, acceptEncoding: string): ContentCoding | undefined {
  // CloudFront compresses objects between 1,000 bytes and 10 MB.
  if (object.body.length < 1000 || !COMPRESSIBLE.test(object.contentType)) return undefined;
  if (/\bbr\b/.test(acceptEncoding)) return 'br';
  if (/\bgzip\b/.test(acceptEncoding)) return 'gzip';
  return undefined;
}

function compress(body: Buffer, coding: ContentCoding): Buffer {
  return coding === 'br'
    ? brotliCompressSync(body, { params: { [zlib.BROTLI_PARAM_QUALITY]: 5 } })
    : gzipSync(body);
}

/** S3 takes the key from the request path, percent-decoded; malformed encoding names no object. */
export function objectKeyForUri(uri: string): string | undefined {
  try {
    return decodeURIComponent(uri).replace(/^\//, '');
  } catch {
    return undefined;
  }
}

const S3_MAX_KEY_BYTES = 1024;
const FILE_NAME_MAX_BYTES = 255;
/** s3rver keeps key `a/b` as the files `a/b._S3rver_object`, `a/b._S3rver_object.md5` and this one. */
const S3RVER_LONGEST_FILE_SUFFIX = '._S3rver_metadata.json';
const S3RVER_FILE_MARKER = '._S3rver_';

/**
 * Whether s3rver can hold `key` faithfully. It maps keys onto files with `path.join`: a NUL, a segment
 * longer than a file name may be, or a folder named like one of its own files make it fail with a 500;
 * an empty segment breaks its routing (the SDK cannot parse the answer); `.` and `..` segments are
 * resolved, so `../other-bucket/key` reads outside the bucket. The renderer writes none of these, and S3
 * caps keys at 1,024 bytes, so for every one of them S3's answer would be "no such key".
 */
export function localBucketCanHold(key: string): boolean {
  if (key === '' || key.includes('\0') || Buffer.byteLength(key) > S3_MAX_KEY_BYTES) return false;
  const segments = key.split('/');
  return segments.every((segment, index) => {
    const room =
      index === segments.length - 1
        ? FILE_NAME_MAX_BYTES - S3RVER_LONGEST_FILE_SUFFIX.length
        : FILE_NAME_MAX_BYTES;
    return (
      segment !== '' &&
      segment !== '.' &&
      segment !== '..' &&
      !segment.includes(S3RVER_FILE_MARKER) &&
      Buffer.byteLength(segment) <= room
    );
  });
}

export interface ByteRange {
  readonly start: number;
  /** Inclusive, as in `Content-Range`. */
  readonly end: number;
}

/**
 * The single byte range a `Range` header asks of a `size`-byte representation (RFC 9110 §14): a range,
 * `'unsatisfiable'` (416), or undefined when the header is to be ignored and the whole body sent. S3
 * serves one range per request, so several ranges are ignored like a malformed header.
 *
 * Not the `range-parser` package: it answers 416 where RFC 9110 and S3 ignore the header (`bytes=9-0`,
 * an invalid range, must be ignored) or serve the whole body (`bytes=-1000` of a 100-byte object).
 */
export function requestedRange(
  header: string | undefined,
  size: number,
): ByteRange | 'unsatisfiable' | undefined {
  if (header === undefined) return undefined;
  const match = /^bytes=(\d*)-(\d*)$/i.exec(header.trim());
  if (!match) return undefined;
  const [, first = '', last = ''] = match;
  if (first === '') {
    if (last === '') return undefined;
    const suffixLength = Number(last);
    if (suffixLength === 0 || size === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - suffixLength), end: size - 1 };
  }
  const start = Number(first);
  const end = last === '' ? size - 1 : Number(last);
  if (end < start && last !== '') return undefined;
  if (start >= size) return 'unsatisfiable';
  return { start, end: Math.min(end, size - 1) };
}

const toWholeSeconds = (date: Date) => Math.floor(date.getTime() / 1000) * 1000;

/**
 * RFC 9110 §13.2.2: `If-None-Match` decides when present (weak comparison, any tag of a list, `*`);
 * otherwise `If-Modified-Since` does. Only the two conditions are handed to `fresh`: CloudFront answers
 * them from its cache whatever the viewer's own `Cache-Control` says, so `no-cache` must not turn a 304
 * into a 200 here either.
 */
export function isNotModified(headers: IncomingHttpHeaders, etag: string, lastModified?: Date): boolean {
  return fresh(
    { 'if-none-match': headers['if-none-match'], 'if-modified-since': headers['if-modified-since'] },
    { etag, 'last-modified': lastModified?.toUTCString() },
  );
}

/** `If-Range` (RFC 9110 §13.1.5): the range applies only to the representation the client has part of. */
export function rangeStillApplies(ifRange: string | undefined, etag: string, lastModified?: Date): boolean {
  if (ifRange === undefined) return true;
  const value = ifRange.trim();
  // Strong comparison: a weak tag never matches.
  if (value.startsWith('"') || value.startsWith('W/')) return value === etag;
  const date = Date.parse(value);
  return lastModified !== undefined && !Number.isNaN(date) && toWholeSeconds(lastModified) === date;
}

/** What s3rver reports for an object whose metadata file is not written (yet). */
const S3RVER_DEFAULT_CONTENT_TYPE = 'binary/octet-stream';

interface StoredObject {
  readonly body: Buffer;
  readonly contentType: string;
  readonly cacheControl?: string;
  /** s3rver's ETag: the MD5 in its own file, which is written apart from the body. */
  readonly storedEtag?: string;
  /** The body's own MD5, as S3 computes the ETag of an object put in one request. */
  readonly etag: string;
  readonly lastModified?: Date;
}

/** The renderer sets a content type on every object, and s3rver's ETag is the body's MD5. */
function isWhole(object: StoredObject): boolean {
  return object.contentType !== S3RVER_DEFAULT_CONTENT_TYPE && object.storedEtag === object.etag;
}

function sameState(a: StoredObject, b: StoredObject): boolean {
  return (
    a.etag === b.etag &&
    a.storedEtag === b.storedEtag &&
    a.contentType === b.contentType &&
    a.lastModified?.getTime() === b.lastModified?.getTime()
  );
}

/**
 * The last whole version read of each object, least recently used first, within a byte budget. It is
 * revalidated against the bucket on every request, never served on a timer: it is what a read gets while
 * a rewrite of that object is under way, which is what S3 serves until the new object is complete.
 */
class WholeVersions {
  private readonly objects = new Map<string, StoredObject>();
  private bytes = 0;

  constructor(private readonly maxBytes: number) {}

  get(key: string): StoredObject | undefined {
    const object = this.objects.get(key);
    if (object) {
      this.objects.delete(key);
      this.objects.set(key, object);
    }
    return object;
  }

  set(key: string, object: StoredObject): void {
    this.delete(key);
    if (object.body.length > this.maxBytes) return;
    this.objects.set(key, object);
    this.bytes += object.body.length;
    for (const oldest of this.objects.keys()) {
      if (this.bytes <= this.maxBytes) break;
      this.delete(oldest);
    }
  }

  delete(key: string): void {
    const object = this.objects.get(key);
    if (!object) return;
    this.bytes -= object.body.length;
    this.objects.delete(key);
  }
}

interface ObjectHead {
  readonly etag?: string;
  readonly contentType: string;
  readonly cacheControl?: string;
}

/**
 * Whether the bucket still names `known` as the current version. s3rver updates the MD5 (the ETag) and
 * the metadata only after the new body is written, so while they are the old ones, the old object is
 * the one S3 would serve, however far the new body has got.
 */
function stillCurrent(known: StoredObject, head: ObjectHead): boolean {
  return (
    head.etag === known.etag &&
    head.contentType === known.contentType &&
    head.cacheControl === known.cacheControl
  );
}

const isMissing = (error: unknown) =>
  error instanceof NoSuchKey || ['NoSuchKey', 'NotFound'].includes((error as Error).name);

/** A key the renderer never writes, asked for only to learn whether the bucket answers at all. */
const REACHABILITY_PROBE_KEY = '.local-site-server-probe';

/** The bucket did not answer at all: the one failure readers see as a 5xx. */
export class BucketUnreachableError extends Error {
  override name = 'BucketUnreachableError';
}

/**
 * Shares bucket reads between requests without ever answering a request with what the bucket said
 * before it arrived: a request joins a read of its key only if that read has not been sent yet, so every
 * answer comes from a read that began after the request did, which is exactly the read-after-write a
 * request of its own would get. One read of a key runs at a time. The next one is sent once the running
 * one has ended and the requests that arrived in the same turn of the event loop have joined it, so
 * under load one HEAD answers a whole burst of readers.
 */
export class ReadsAfterArrival<T> {
  private readonly reads = new Map<string, { running?: Promise<T>; next?: Promise<T> }>();

  constructor(private readonly read: (key: string) => Promise<T>) {}

  get(key: string): Promise<T> {
    let state = this.reads.get(key);
    if (!state) {
      state = {};
      this.reads.set(key, state);
    }
    state.next ??= this.readNext(key, state);
    return state.next;
  }

  private async readNext(key: string, state: { running?: Promise<T>; next?: Promise<T> }): Promise<T> {
    await state.running?.then(
      () => undefined,
      () => undefined,
    );
    await new Promise((resolve) => setImmediate(resolve));
    // Sent now: whoever arrives from here on waits for the read after this one.
    state.next = undefined;
    const running = this.read(key);
    state.running = running;
    try {
      return await running;
    } finally {
      if (state.running === running) state.running = undefined;
      if (!state.running && !state.next) this.reads.delete(key);
    }
  }
}

const PLAIN_NOT_FOUND_BODY = Buffer.from('Not found');
/** What a missing object gets when the bucket has no 404 page either. */
const PLAIN_NOT_FOUND: StoredObject = {
  body: PLAIN_NOT_FOUND_BODY,
  contentType: 'text/plain; charset=utf-8',
  etag: `"${createHash('md5').update(PLAIN_NOT_FOUND_BODY).digest('hex')}"`,
};

export interface SiteHandlerOptions {
  /** How long a read keeps retrying an object that is being rewritten or failing to read (default 3 s). */
  readonly settleMs?: number;
  /**
   * How long an object whose body matches its ETag but has no content type must stay unchanged to be
   * taken as stored that way, rather than as metadata not yet written (default 200 ms).
   */
  readonly stableMs?: number;
  /** How long an object's body may stop arriving before the read is abandoned and retried (default 250 ms). */
  readonly stallMs?: number;
  /** The most bytes of last whole versions kept (default 64 MiB). */
  readonly wholeVersionBytes?: number;
  /**
   * Where the bucket reports each key it has written or deleted, once the write is done and before it
   * answers the writer (s3rver emits an `event` for PutObject, CopyObject, POST uploads, completed
   * multipart uploads and DeleteObject; not for DeleteObjects, which the renderer never uses). With it,
   * a whole version is served without asking the bucket until its key is reported changed, as CloudFront
   * serves from the edge until an invalidation; without it, each burst of readers asks once.
   */
  readonly objectChanges?: (listener: (key: string) => void) => void;
  /** The edge routes store the viewer-request function reads (301s and 410s); none: an empty store. */
  readonly edgeRoutes?: Pick<FileEdgeRoutesStore, 'lookup'>;
}

export function createSiteHandler(
  s3: S3Client,
  bucketName: string,
  {
    settleMs = 3000,
    stableMs = 200,
    stallMs = 250,
    wholeVersionBytes = 64 * 1024 * 1024,
    objectChanges,
    edgeRoutes,
  }: SiteHandlerOptions = {},
): SiteHandler {
  const viewerRequest = loadViewerRequestFunction(undefined, edgeRoutes && cloudFrontModule(edgeRoutes));
  const securityHeaders = securityHeadersForHttp();
  const wholeVersions = new WholeVersions(wholeVersionBytes);
  /** Keys whose last whole version the bucket has not reported changed since it was read. */
  const unchanged = new Set<string>();
  /** How many changes of each key were reported: a read that saw one change under it proves nothing. */
  const changeCounts = new Map<string, number>();
  objectChanges?.((key) => {
    unchanged.delete(key);
    changeCounts.set(key, (changeCounts.get(key) ?? 0) + 1);
  });

  /** Undefined when there is no such object. */
  async function headObject(key: string): Promise<ObjectHead | undefined> {
    try {
      const head = await s3.send(new HeadObjectCommand({ Bucket: bucketName, Key: key }));
      return {
        etag: head.ETag,
        contentType: head.ContentType ?? S3RVER_DEFAULT_CONTENT_TYPE,
        cacheControl: head.CacheControl,
      };
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  }

  /** Undefined when there is no such object. */
  async function readObject(key: string): Promise<StoredObject | undefined> {
    const reading = new AbortController();
    let stall: NodeJS.Timeout | undefined;
    try {
      const object = await s3.send(new GetObjectCommand({ Bucket: bucketName, Key: key }), {
        abortSignal: reading.signal,
      });
      // When s3rver's body file shrinks mid-read, it has sent fewer bytes than its Content-Length and
      // the connection idles until its keep-alive timeout (5 s); a stalled read is abandoned and retried.
      stall = setTimeout(() => reading.abort(), stallMs);
      const chunks: Buffer[] = [];
      for await (const chunk of (object.Body ?? []) as AsyncIterable<Uint8Array>) {
        chunks.push(Buffer.from(chunk));
        stall.refresh();
      }
      const body = Buffer.concat(chunks);
      return {
        body,
        contentType: object.ContentType ?? S3RVER_DEFAULT_CONTENT_TYPE,
        cacheControl: object.CacheControl,
        storedEtag: object.ETag,
        etag: `"${createHash('md5').update(body).digest('hex')}"`,
        lastModified: object.LastModified,
      };
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    } finally {
      clearTimeout(stall);
    }
  }

  /**
   * Whether the bucket answers at all. Not HeadBucket: s3rver answers it by listing the bucket, reading
   * every object's metadata, so a rewrite anywhere in the bucket can fail it. A key nobody writes is
   * answered from one `stat`.
   */
  async function bucketIsReachable(): Promise<boolean> {
    try {
      const probe = await s3.send(new GetObjectCommand({ Bucket: bucketName, Key: REACHABILITY_PROBE_KEY }));
      (probe.Body as Readable | undefined)?.destroy();
      return true;
    } catch (error) {
      return error instanceof NoSuchKey || (error as Error).name === 'NoSuchKey';
    }
  }

  /**
   * S3 replaces an object atomically. s3rver truncates and rewrites the body file, then the MD5 and
   * metadata files, so a read during a rewrite can get a partial body, a stale MD5, no metadata, a 500
   * (half-written metadata JSON) or a body cut short. Such reads are retried until body and ETag agree,
   * and meanwhile the last whole version is served while the bucket still names it current, so readers
   * get what S3 would serve: the old object or the new one, whole.
   */
  async function readSettled(key: string): Promise<StoredObject | undefined> {
    const deadline = Date.now() + settleMs;
    let pause = 5;
    let unsettled: StoredObject | undefined;
    let unsettledSince = 0;
    let failure: unknown;
    for (;;) {
      try {
        const known = wholeVersions.get(key);
        if (known) {
          const head = await headObject(key);
          if (!head) {
            wholeVersions.delete(key);
            return undefined;
          }
          if (stillCurrent(known, head)) return known;
        }
        const object = await readObject(key);
        failure = undefined;
        if (!object) {
          wholeVersions.delete(key);
          return undefined;
        }
        if (isWhole(object)) {
          wholeVersions.set(key, object);
          return object;
        }
        if (!unsettled || !sameState(unsettled, object)) {
          unsettled = object;
          unsettledSince = Date.now();
        } else if (object.storedEtag === object.etag && Date.now() - unsettledSince >= stableMs) {
          // Put without a content type: this is how the bucket holds it.
          wholeVersions.set(key, object);
          return object;
        }
      } catch (error) {
        failure = error;
      }
      if (Date.now() >= deadline) break;
      await sleep(pause);
      pause = Math.min(pause * 2, 100);
    }
    if (failure && !(await bucketIsReachable())) {
      throw new BucketUnreachableError(`The bucket ${bucketName} cannot be reached`, { cause: failure });
    }
    // Rewritten without pause for the whole wait: the last whole version is the freshest that is whole.
    const known = wholeVersions.get(key);
    if (known) return known;
    // Never whole (its MD5 file does not match the body): it is the bucket's state, so serve it.
    if (unsettled) return unsettled;
    // The bucket answers but cannot read this key: it holds no object a reader could get.
    console.warn(`[site] could not read ${JSON.stringify(key.slice(0, 200))}; answering 404:`, failure);
    return undefined;
  }

  const reads = new ReadsAfterArrival(readSettled);

  async function getObject(key: string | undefined): Promise<StoredObject | undefined> {
    if (key === undefined || !localBucketCanHold(key)) return undefined;
    if (!objectChanges) return reads.get(key);
    const known = unchanged.has(key) ? wholeVersions.get(key) : undefined;
    if (known) return known;
    const changesBefore = changeCounts.get(key) ?? 0;
    const object = await reads.get(key);
    // Trusted only if no write of the key ended while it was being read, and only a whole version.
    if (object && (changeCounts.get(key) ?? 0) === changesBefore && wholeVersions.get(key) === object) {
      unchanged.add(key);
    }
    return object;
  }

  /** What is built once per object version and kept with it: its headers and compressed bodies. */
  interface Representation {
    /** As the object itself (200, and the 304, 206 and 416 about it). */
    readonly found: Readonly<Record<string, string>>;
    /** As the 404 page standing in for a missing object: conditions and ranges do not refer to it. */
    readonly standIn: Readonly<Record<string, string>>;
    readonly compressed: Partial<Record<ContentCoding, Buffer>>;
  }
  const representations = new WeakMap<StoredObject, Representation>();

  function representationOf(object: StoredObject): Representation {
    let representation = representations.get(object);
    if (!representation) {
      const headers: Record<string, string> = { 'content-type': object.contentType, ...securityHeaders };
      if (object.lastModified) headers['last-modified'] = object.lastModified.toUTCString();
      const found = {
        ...headers,
        ...(object.cacheControl ? { 'cache-control': object.cacheControl } : {}),
        etag: object.etag,
        'accept-ranges': 'bytes',
      };
      // As the not-found function answers in AWS: a 404 is never cached, so a page published a moment
      // later is not hidden behind it.
      const standIn = { ...headers, 'cache-control': 'no-store' };
      representation = { found, standIn, compressed: {} };
      representations.set(object, representation);
    }
    return representation;
  }

  const forbidden = {
    headers: { 'content-type': 'text/plain; charset=utf-8', ...securityHeaders },
    body: 'This distribution is not configured to allow the HTTP request method that was used.',
  };

  async function serve(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      // The site's cache behaviour allows GET and HEAD only; CloudFront refuses the rest with 403.
      response.writeHead(403, forbidden.headers);
      response.end(forbidden.body);
      return;
    }

    const result = await viewerRequest(viewerRequestEvent(request));
    if ('statusCode' in result) {
      // A generated response (a redirect, or the 410 page): CloudFront sends its body as the function gave it.
      const body = Buffer.from(result.body?.data ?? '', 'utf8');
      const headers: Record<string, string> = { ...securityHeaders, 'content-length': String(body.length) };
      for (const [name, { value }] of Object.entries(result.headers ?? {})) headers[name] = value;
      response.writeHead(result.statusCode, headers);
      response.end(request.method === 'HEAD' ? undefined : body);
      return;
    }

    let status = 200;
    let object = await getObject(objectKeyForUri(result.uri));
    if (!object) {
      status = 404;
      object = (await getObject(NOT_FOUND_PATH.slice(1))) ?? PLAIN_NOT_FOUND;
    }
    const representation = representationOf(object);

    let range: ByteRange | 'unsatisfiable' | undefined;
    if (status === 200) {
      if (isNotModified(request.headers, object.etag, object.lastModified)) {
        response.writeHead(304, representation.found);
        response.end();
        return;
      }
      const ifRange = request.headers['if-range'];
      if (
        rangeStillApplies(typeof ifRange === 'string' ? ifRange : undefined, object.etag, object.lastModified)
      ) {
        range = requestedRange(request.headers.range, object.body.length);
      }
    }

    const headers: Record<string, string> = {
      ...(status === 200 ? representation.found : representation.standIn),
    };
    let body = object.body;
    if (range === 'unsatisfiable') {
      status = 416;
      headers['content-range'] = `bytes */${object.body.length}`;
      body = Buffer.alloc(0);
    } else if (range) {
      // Ranges address the identity representation, so a partial answer is never compressed.
      status = 206;
      headers['content-range'] = `bytes ${range.start}-${range.end}/${object.body.length}`;
      body = object.body.subarray(range.start, range.end + 1);
    } else {
      const coding = contentCodingFor(object, String(request.headers['accept-encoding'] ?? ''));
      if (coding) {
        // Once per version and coding: CloudFront, too, keeps the compressed object it made.
        representation.compressed[coding] ??= compress(object.body, coding);
        body = representation.compressed[coding];
        headers['content-encoding'] = coding;
        headers.vary = 'Accept-Encoding';
      }
    }
    headers['content-length'] = String(body.length);
    response.writeHead(status, headers);
    response.end(request.method === 'HEAD' ? undefined : body);
  }

  return async (request: IncomingMessage, response: ServerResponse) => {
    try {
      await serve(request, response);
    } catch (error) {
      if (!(error instanceof BucketUnreachableError)) throw error;
      console.error('[site]', error.message, error.cause);
      response.writeHead(503, {
        'content-type': 'text/plain; charset=utf-8',
        'cache-control': 'no-store',
        'retry-after': '1',
        ...securityHeaders,
      });
      response.end('The site is unavailable for a moment: its bucket cannot be reached.');
    }
  };
}
