import { createHash } from 'node:crypto';
import { request as httpRequest, type Server } from 'node:http';
import { Readable } from 'node:stream';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import {
  GetObjectCommand,
  HeadObjectCommand,
  NoSuchKey,
  type S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { afterEach, describe, expect, it } from 'vitest';
import { createLocalServer, listenOnLoopback, parseRequestTarget } from '../../../local/local-server';
import {
  createSiteHandler,
  isNotModified,
  localBucketCanHold,
  objectKeyForUri,
  ReadsAfterArrival,
  rangeStillApplies,
  requestedRange,
} from '../../../local/site-server';

describe('requestedRange', () => {
  it.each([
    ['bytes=0-9', { start: 0, end: 9 }],
    ['bytes=5-', { start: 5, end: 99 }],
    ['bytes=-5', { start: 95, end: 99 }],
    ['bytes=90-1000', { start: 90, end: 99 }],
    ['bytes=-1000', { start: 0, end: 99 }],
    ['bytes=99-99', { start: 99, end: 99 }],
    ['Bytes=0-0', { start: 0, end: 0 }],
  ])('%s of 100 bytes is %o', (header, range) => {
    expect(requestedRange(header, 100)).toEqual(range);
  });

  it.each(['bytes=100-', 'bytes=100-200', 'bytes=-0', `bytes=${'9'.repeat(400)}-`])(
    '%s of 100 bytes is unsatisfiable',
    (header) => {
      expect(requestedRange(header, 100)).toBe('unsatisfiable');
    },
  );

  it('finds nothing satisfiable in an empty body', () => {
    expect(requestedRange('bytes=0-', 0)).toBe('unsatisfiable');
    expect(requestedRange('bytes=-5', 0)).toBe('unsatisfiable');
  });

  it.each([
    undefined,
    '',
    'bytes=0-1,5-6',
    'bytes=9-0',
    'bytes=-',
    'bytes=abc',
    'bytes=1.5-2',
    'items=0-9',
    'bytes 0-9',
    'bytes=0-9;x',
  ])('ignores %o: the whole body is sent', (header) => {
    expect(requestedRange(header, 100)).toBeUndefined();
  });
});

describe('conditional requests', () => {
  const etag = '"0123abcd"';

  it.each([
    ['"0123abcd"', true],
    ['W/"0123abcd"', true],
    ['"nope", "0123abcd"', true],
    ['"nope",W/"0123abcd"', true],
    ['*', true],
    // Not an entity tag: those are quoted (RFC 9110 §8.8.3), so it matches nothing.
    ['0123abcd', false],
    ['"nope"', false],
    ['W/"nope", "0123abcde"', false],
    ['', false],
  ])('If-None-Match: %s matches %s', (header, hit) => {
    expect(isNotModified({ 'if-none-match': header }, etag)).toBe(hit);
  });

  it("answers the conditions whatever the request's own Cache-Control says, as CloudFront does", () => {
    expect(isNotModified({ 'if-none-match': etag, 'cache-control': 'no-cache' }, etag)).toBe(true);
  });

  it('lets If-None-Match decide over If-Modified-Since, which decides alone to the second', () => {
    const lastModified = new Date('2026-03-01T10:00:00.750Z');
    const at = (iso: string) => new Date(iso).toUTCString();
    expect(isNotModified({ 'if-modified-since': at('2026-03-01T10:00:00Z') }, etag, lastModified)).toBe(true);
    expect(isNotModified({ 'if-modified-since': at('2026-03-02T00:00:00Z') }, etag, lastModified)).toBe(true);
    expect(isNotModified({ 'if-modified-since': at('2026-03-01T09:59:59Z') }, etag, lastModified)).toBe(
      false,
    );
    expect(isNotModified({ 'if-modified-since': 'yesterday' }, etag, lastModified)).toBe(false);
    expect(
      isNotModified(
        { 'if-none-match': '"nope"', 'if-modified-since': at('2026-03-02T00:00:00Z') },
        etag,
        lastModified,
      ),
    ).toBe(false);
    expect(isNotModified({}, etag, lastModified)).toBe(false);
  });

  it('applies a range under If-Range only to the representation the client has', () => {
    const lastModified = new Date('2026-03-01T10:00:00Z');
    expect(rangeStillApplies(undefined, etag, lastModified)).toBe(true);
    expect(rangeStillApplies(etag, etag, lastModified)).toBe(true);
    expect(rangeStillApplies(`W/${etag}`, etag, lastModified)).toBe(false);
    expect(rangeStillApplies('"other"', etag, lastModified)).toBe(false);
    expect(rangeStillApplies(lastModified.toUTCString(), etag, lastModified)).toBe(true);
    expect(rangeStillApplies(new Date('2026-02-01').toUTCString(), etag, lastModified)).toBe(false);
  });
});

describe('object keys', () => {
  it('decodes the path as S3 does, and malformed encoding names no object', () => {
    expect(objectKeyForUri('/bota/a%20b/index.html')).toBe('bota/a b/index.html');
    expect(objectKeyForUri('/bota%2Fx/index.html')).toBe('bota/x/index.html');
    expect(objectKeyForUri('/a+b.txt')).toBe('a+b.txt');
    expect(objectKeyForUri('/%E0%A4%A/index.html')).toBeUndefined();
    expect(objectKeyForUri('/%ED%A0%80')).toBeUndefined();
  });

  it.each([
    'index.html',
    'bota/some-story/index.html',
    'sitemaps/2026-03.xml',
    `${'a'.repeat(255)}/index.html`,
    `bota/${'é'.repeat(116)}`,
    'a b/c+d.txt',
  ])('the local bucket can hold %s', (key) => {
    expect(localBucketCanHold(key)).toBe(true);
  });

  it.each([
    '',
    '\0/index.html',
    'a\0b/index.html',
    '/index.html',
    'a//b/index.html',
    'a/',
    '..',
    '../flash-news-pages/index.html',
    'a/../b/index.html',
    './index.html',
    `${'a'.repeat(256)}/index.html`,
    `bota/${'a'.repeat(234)}`,
    `bota/${'é'.repeat(117)}`,
    `${'a/'.repeat(512)}x`,
    'bota/index.html._S3rver_object/x.txt',
  ])('the local bucket cannot hold %j', (key) => {
    expect(localBucketCanHold(key)).toBe(false);
  });
});

describe('parseRequestTarget', () => {
  it.each([
    ['/bota/x?a=1', { rawPath: '/bota/x', path: '/bota/x', query: 'a=1' }],
    ['//', { rawPath: '//', path: '//', query: '' }],
    ['//evil.example/x', { rawPath: '//evil.example/x', path: '//evil.example/x', query: '' }],
    ['/a/../b', { rawPath: '/a/../b', path: '/b', query: '' }],
    ['/api/../bota/', { rawPath: '/api/../bota/', path: '/bota/', query: '' }],
    ['/x#frag?no', { rawPath: '/x', path: '/x', query: '' }],
    ['http://localhost/bota/?q=1', { rawPath: '/bota/', path: '/bota/', query: 'q=1' }],
    ['*', { rawPath: '/', path: '/', query: '' }],
  ])('%s', (target, parsed) => {
    expect(parseRequestTarget(target)).toEqual(parsed);
  });
});

// --- The handler, on the real local origin, against a scripted bucket ---------------------------------

const md5 = (body: string) => `"${createHash('md5').update(body).digest('hex')}"`;
const NOT_FOUND_PAGE = '<!doctype html><title>Not found</title>';
const LAST_MODIFIED = new Date('2026-03-01T10:00:00Z');

type Answer = (abortSignal?: AbortSignal) => unknown;

function stored(body: string, { etag = md5(body), contentType = 'text/html; charset=utf-8' } = {}): Answer {
  return () => ({
    Body: Readable.from([Buffer.from(body)]),
    ContentType: contentType,
    CacheControl: 'public, max-age=60',
    ETag: etag,
    LastModified: LAST_MODIFIED,
  });
}

const head =
  (body: string): Answer =>
  () => ({ ContentType: 'text/html; charset=utf-8', CacheControl: 'public, max-age=60', ETag: md5(body) });

/** s3rver's answer when the body file shrinks mid-read: some bytes, then nothing until the socket times out. */
const stalled: Answer = (abortSignal) => {
  const body = new Readable({ read() {} });
  body.push(Buffer.from('<!doctype html><p>half'));
  abortSignal?.addEventListener('abort', () => body.destroy(new Error('aborted')));
  return {
    Body: body,
    ContentType: 'text/html; charset=utf-8',
    ETag: md5('whatever'),
    LastModified: LAST_MODIFIED,
  };
};

const noSuchKey: Answer = () => {
  throw new NoSuchKey({ message: 'The specified key does not exist.', $metadata: { httpStatusCode: 404 } });
};

const internalError: Answer = () => {
  throw new S3ServiceException({
    name: 'InternalError',
    $fault: 'server',
    $metadata: { httpStatusCode: 500 },
    message: 'We encountered an internal error. Please try again.',
  });
};

const connectionRefused: Answer = () => {
  throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:4568'), { code: 'ECONNREFUSED' });
};

/** A bucket that answers each GetObject / HeadObject of a key from a script; the last answer repeats. */
function scriptedBucket(script: { get?: Record<string, Answer[]>; head?: Record<string, Answer[]> }) {
  const gets: string[] = [];
  const next = (answers: Answer[] | undefined, abortSignal?: AbortSignal) => {
    const answer = (answers && answers.length > 1 ? answers.shift() : answers?.[0]) ?? noSuchKey;
    return answer(abortSignal);
  };
  const client = {
    async send(command: unknown, options?: { abortSignal?: AbortSignal }) {
      if (command instanceof GetObjectCommand) {
        const key = command.input.Key ?? '';
        gets.push(key);
        return next(script.get?.[key] ?? script.get?.['*'], options?.abortSignal);
      }
      if (command instanceof HeadObjectCommand) {
        return next(script.head?.[command.input.Key ?? '']);
      }
      throw new Error(`unexpected command ${String(command)}`);
    },
  };
  return { client: client as unknown as S3Client, gets };
}

let server: Server | undefined;

afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((done) => server?.close(done) ?? done(undefined));
  server = undefined;
});

async function origin(s3: S3Client): Promise<number> {
  const site = createSiteHandler(s3, 'pages', { settleMs: 300, stableMs: 20, stallMs: 20 });
  server = createLocalServer(() => ({
    site,
    api: async () => ({ statusCode: 404, headers: {}, body: Buffer.alloc(0) }),
    jwks: { keys: [] },
  }));
  return listenOnLoopback(server, 0);
}

function getBytes(port: number, path: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; headers: Record<string, unknown>; body: Buffer }>(
    (resolve, reject) => {
      const outgoing = httpRequest({ host: '127.0.0.1', port, path, headers }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            body: Buffer.concat(chunks),
          }),
        );
      });
      outgoing.on('error', reject);
      outgoing.end();
    },
  );
}

async function get(port: number, path: string, headers: Record<string, string> = {}) {
  const response = await getBytes(port, path, headers);
  return { ...response, body: response.body.toString() };
}

describe('createSiteHandler', () => {
  it('retries a read that races a rewrite until body and ETag agree', async () => {
    const whole = '<!doctype html><p>whole page</p>';
    const { client } = scriptedBucket({
      get: {
        'bota/story/index.html': [
          stored('<!doctype html><p>half', { etag: md5(whole) }),
          internalError,
          stalled,
          stored(whole, { contentType: 'binary/octet-stream' }),
          stored(whole),
        ],
      },
    });
    const response = await get(await origin(client), '/bota/story');
    expect(response).toMatchObject({ status: 200, body: whole });
    expect(response.headers.etag).toBe(md5(whole));
  });

  it('serves the last whole version while the bucket still names it current', async () => {
    const v1 = '<!doctype html><p>version one</p>';
    const { client } = scriptedBucket({
      get: { 'bota/story/index.html': [stored(v1), stalled] },
      head: { 'bota/story/index.html': [head(v1)] },
    });
    const port = await origin(client);
    expect((await get(port, '/bota/story')).body).toBe(v1);
    // The body file is being rewritten; its MD5 and metadata are still version one's.
    expect(await get(port, '/bota/story')).toMatchObject({ status: 200, body: v1 });
  });

  it('reads the new version once the bucket names it', async () => {
    const v1 = '<!doctype html><p>version one</p>';
    const v2 = '<!doctype html><p>version two</p>';
    const { client } = scriptedBucket({
      get: { 'bota/story/index.html': [stored(v1), stored(v2)] },
      head: { 'bota/story/index.html': [head(v2)] },
    });
    const port = await origin(client);
    expect((await get(port, '/bota/story')).body).toBe(v1);
    expect((await get(port, '/bota/story')).body).toBe(v2);
  });

  it('answers 503 only when the bucket cannot be reached', async () => {
    const { client } = scriptedBucket({ get: { '*': [connectionRefused] } });
    const response = await get(await origin(client), '/bota/story');
    expect(response.status).toBe(503);
    expect(response.headers['content-security-policy']).toBeDefined();
    expect(response.headers['cache-control']).toBe('no-store');
  });

  it('answers the 404 page when the bucket answers but cannot read a key', async () => {
    const { client } = scriptedBucket({
      get: { 'bota/story/index.html': [internalError], '404.html': [stored(NOT_FOUND_PAGE)] },
    });
    const response = await get(await origin(client), '/bota/story');
    expect(response).toMatchObject({ status: 404, body: NOT_FOUND_PAGE });
  });

  it('never asks the bucket for a key it cannot hold', async () => {
    const { client, gets } = scriptedBucket({
      get: { '404.html': [stored(NOT_FOUND_PAGE)] },
      head: { '404.html': [head(NOT_FOUND_PAGE)] },
    });
    const port = await origin(client);
    for (const path of [
      '/%00',
      '/..%2Fother-bucket%2Fsecret.txt',
      `/bota/${'a'.repeat(300)}`,
      '//',
      '/a//b',
    ]) {
      expect(await get(port, path)).toMatchObject({ status: 404, body: NOT_FOUND_PAGE });
    }
    expect(new Set(gets)).toEqual(new Set(['404.html']));
  });
});

describe('ReadsAfterArrival', () => {
  /** A read per call, each resolved by hand, numbered in the order they started. */
  function manualReads() {
    const started: { key: string; resolve: (value: number) => void; reject: (error: Error) => void }[] = [];
    const reads = new ReadsAfterArrival<number>(
      (key) =>
        new Promise<number>((resolve, reject) => {
          started.push({ key, resolve, reject });
        }),
    );
    return { reads, started };
  }

  /** Lets the reads that are due be sent: they go out in the event loop's next turn. */
  const nextTurn = async () => {
    for (let turn = 0; turn < 3; turn += 1) await new Promise((resolve) => setImmediate(resolve));
  };

  it('lets requests that arrive together share one read', async () => {
    const { reads, started } = manualReads();
    const answers = Promise.all([reads.get('a'), reads.get('a'), reads.get('a')]);
    await nextTurn();
    expect(started).toHaveLength(1);
    started[0]?.resolve(1);
    expect(await answers).toEqual([1, 1, 1]);
  });

  it('never answers a request with a read that began before it arrived', async () => {
    const { reads, started } = manualReads();
    const first = reads.get('a');
    await nextTurn();
    // These arrive while the first read runs: they share the next one, sent once it has ended.
    const later = [reads.get('a'), reads.get('a')];
    await nextTurn();
    expect(started).toHaveLength(1);
    started[0]?.resolve(1);
    expect(await first).toBe(1);
    await nextTurn();
    expect(started).toHaveLength(2);
    started[1]?.resolve(2);
    expect(await Promise.all(later)).toEqual([2, 2]);
  });

  it('reads different keys independently, and starts afresh after a failed read', async () => {
    const { reads, started } = manualReads();
    const a = reads.get('a');
    const b = reads.get('b');
    await nextTurn();
    const afterA = reads.get('a');
    await nextTurn();
    expect(started.map((read) => read.key)).toEqual(['a', 'b']);
    started[0]?.reject(new Error('bucket down'));
    started[1]?.resolve(20);
    await expect(a).rejects.toThrow('bucket down');
    expect(await b).toBe(20);
    await nextTurn();
    started[2]?.resolve(3);
    expect(await afterA).toBe(3);
    const again = reads.get('a');
    await nextTurn();
    expect(started).toHaveLength(4);
    started[3]?.resolve(4);
    expect(await again).toBe(4);
  });
});

describe('createSiteHandler under load', () => {
  it('asks the bucket once per burst, and a request after a write gets the new version', async () => {
    const v1 = `<!doctype html><p>version one</p>${'x'.repeat(2000)}`;
    const v2 = `<!doctype html><p>version two</p>${'y'.repeat(2000)}`;
    let current = v1;
    let heads = 0;
    const client = {
      async send(command: unknown) {
        if (command instanceof HeadObjectCommand) {
          heads += 1;
          await new Promise((resolve) => setTimeout(resolve, 20));
          return head(current)();
        }
        if (command instanceof GetObjectCommand) return stored(current)();
        throw new Error(`unexpected command ${String(command)}`);
      },
    } as unknown as S3Client;
    const port = await origin(client);
    expect((await get(port, '/bota/story')).body).toBe(v1);

    heads = 0;
    const burst = await Promise.all(Array.from({ length: 20 }, () => get(port, '/bota/story')));
    expect(burst.every((response) => response.status === 200 && response.body === v1)).toBe(true);
    expect(heads).toBeLessThan(20);

    current = v2;
    expect((await get(port, '/bota/story')).body).toBe(v2);
  });

  it('serves each coding of a version from the compressed body it made once', async () => {
    const page = `<!doctype html><p>${'a compressible page '.repeat(200)}</p>`;
    const { client } = scriptedBucket({
      get: { 'bota/story/index.html': [stored(page)] },
      head: { 'bota/story/index.html': [head(page)] },
    });
    const port = await origin(client);
    for (const [coding, decompress] of [
      ['br', brotliDecompressSync],
      ['gzip', gunzipSync],
      ['br', brotliDecompressSync],
    ] as const) {
      const response = await getBytes(port, '/bota/story', { 'accept-encoding': coding });
      expect(response.headers['content-encoding']).toBe(coding);
      expect(response.headers.vary).toBe('Accept-Encoding');
      expect(decompress(response.body).toString()).toBe(page);
    }
    const identity = await getBytes(port, '/bota/story');
    expect(identity.headers['content-encoding']).toBeUndefined();
    expect(identity.body.toString()).toBe(page);
  });
});

describe('createSiteHandler told of changes by the bucket', () => {
  async function originWithChanges(s3: S3Client) {
    let report: (key: string) => void = () => undefined;
    const site = createSiteHandler(s3, 'pages', {
      settleMs: 300,
      stableMs: 20,
      stallMs: 20,
      objectChanges: (listener) => {
        report = listener;
      },
    });
    server = createLocalServer(() => ({
      site,
      api: async () => ({ statusCode: 404, headers: {}, body: Buffer.alloc(0) }),
      jwks: { keys: [] },
    }));
    return { port: await listenOnLoopback(server, 0), changed: (key: string) => report(key) };
  }

  /** A bucket holding one object whose version the test changes, counting what it is asked. */
  function oneObject(key: string, first: string) {
    const state: { current: string; heads: number; gets: number; duringGet: () => void } = {
      current: first,
      heads: 0,
      gets: 0,
      duringGet: () => undefined,
    };
    const client = {
      async send(command: unknown) {
        if (command instanceof HeadObjectCommand && command.input.Key === key) {
          state.heads += 1;
          return head(state.current)();
        }
        if (command instanceof GetObjectCommand && command.input.Key === key) {
          state.gets += 1;
          const answer = stored(state.current)();
          state.duringGet();
          return answer;
        }
        return noSuchKey();
      },
    } as unknown as S3Client;
    return { client, state };
  }

  it('serves a whole version without asking the bucket until its key is reported changed', async () => {
    const key = 'bota/story/index.html';
    const { client, state } = oneObject(key, '<!doctype html><p>one</p>');
    const { port, changed } = await originWithChanges(client);
    expect((await get(port, '/bota/story')).body).toBe('<!doctype html><p>one</p>');
    const asked = state.heads + state.gets;
    for (let i = 0; i < 5; i += 1)
      expect((await get(port, '/bota/story')).body).toBe('<!doctype html><p>one</p>');
    expect(state.heads + state.gets).toBe(asked);

    state.current = '<!doctype html><p>two</p>';
    changed('some/other/key.html');
    expect((await get(port, '/bota/story')).body).toBe('<!doctype html><p>one</p>');
    changed(key);
    expect((await get(port, '/bota/story')).body).toBe('<!doctype html><p>two</p>');
  });

  it('does not trust a version read while a write of its key ended', async () => {
    const key = 'bota/story/index.html';
    const { client, state } = oneObject(key, '<!doctype html><p>one</p>');
    const { port, changed } = await originWithChanges(client);
    // The write ends (and is reported) while the old version is being read.
    state.duringGet = () => {
      state.current = '<!doctype html><p>two</p>';
      state.duringGet = () => undefined;
      changed(key);
    };
    expect((await get(port, '/bota/story')).body).toBe('<!doctype html><p>one</p>');
    expect((await get(port, '/bota/story')).body).toBe('<!doctype html><p>two</p>');
  });
});
