import { request as httpRequest } from 'node:http';
import { DeleteObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { LOCAL_CREDENTIALS } from '../../local/emulators';
import { origin } from './support/api';

/**
 * The local origin's reader side, over raw HTTP: fetch would resolve `..` and encode what it sends, and
 * these tests need the exact request line a hostile client can send.
 */

interface RawResponse {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: Buffer;
}

function send(method: string, path: string, headers: Record<string, string> = {}): Promise<RawResponse> {
  const { hostname, port } = new URL(origin());
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest({
      host: hostname === 'localhost' ? '127.0.0.1' : hostname,
      port,
      method,
      path,
      headers,
    });
    outgoing.on('response', (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () =>
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) }),
      );
      response.on('error', reject);
    });
    // CONNECT is answered on the socket, not as a response.
    outgoing.on('connect', (response, socket) => {
      socket.destroy();
      resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.alloc(0) });
    });
    outgoing.on('error', reject);
    outgoing.end();
  });
}

const s3 = new S3Client({
  region: 'us-east-1',
  credentials: LOCAL_CREDENTIALS,
  endpoint: inject('s3Endpoint'),
  forcePathStyle: true,
});
const bucketName = inject('bucketName');
const PREFIX = 'site-server-test';
const written: string[] = [];

async function put(key: string, body: string | Buffer, contentType = 'text/plain; charset=utf-8') {
  written.push(key);
  await s3.send(new PutObjectCommand({ Bucket: bucketName, Key: key, Body: body, ContentType: contentType }));
}

let notFoundPage: Buffer;

beforeAll(async () => {
  const page = await send('GET', '/404.html');
  expect(page.status).toBe(200);
  notFoundPage = page.body;
});

afterAll(async () => {
  for (const key of new Set(written))
    await s3.send(new DeleteObjectCommand({ Bucket: bucketName, Key: key }));
  s3.destroy();
});

describe('the local site server, whatever the request', () => {
  const HOSTILE_PATHS = [
    '/%00',
    '/a%00b',
    '/bota/%00/x',
    '/index.html%00',
    '/robots.txt%00',
    '/bota%2Fx',
    '/%2F',
    '/%2F%2F',
    '/bota/%2F..%2F..%2Fx.txt',
    `/bota/${'a'.repeat(256)}`,
    `/bota/${'a'.repeat(2000)}`,
    `/${'a'.repeat(240)}.html`,
    `/${'%C3%A9'.repeat(200)}`,
    `/bota/${'x'.repeat(8000)}`,
    `/${'a/'.repeat(600)}x`,
    '/%',
    '/%zz',
    '/%E0%A4%A',
    '/%C0%AF',
    '/%ED%A0%80',
    '/..',
    '/../..',
    '/a/../b',
    '/a/./b',
    '/.',
    '/./',
    '/%2e%2e',
    '/%2e%2e/',
    '/bota/..%2F..%2Fetc%2Fpasswd',
    // s3rver maps keys onto files: these would read the home page from outside the bucket's folder.
    `/..%2F${bucketName}%2Findex.html`,
    `/bota/..%2F..%2F..%2F${bucketName}%2Findex.html`,
    '/bota/index.html._S3rver_object/x.txt',
    '/index.html._S3rver_metadata.json',
    '//',
    '///',
    '/a//b',
    '//index.html',
    '/a\\b',
    '/api/../bota/x',
  ];

  it('answers every hostile path with the 404 page and status 404, to GET and HEAD, never a 5xx', async () => {
    const wrong: string[] = [];
    for (const path of HOSTILE_PATHS) {
      for (const method of ['GET', 'HEAD']) {
        const response = await send(method, path);
        const right =
          response.status === 404 &&
          /^text\/html/.test(String(response.headers['content-type'])) &&
          response.headers['content-security-policy'] !== undefined &&
          (method === 'HEAD' || response.body.equals(notFoundPage));
        if (!right) wrong.push(`${method} ${path.slice(0, 80)} → ${response.status}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('answers a segment longer than any slug with the 404 page, without a redirect first', async () => {
    for (const path of [`/${'a'.repeat(256)}`, `/${'a'.repeat(2000)}`, `/bota/${'a'.repeat(81)}/`]) {
      const response = await send('GET', path);
      expect(response.status).toBe(404);
      expect(response.body.equals(notFoundPage)).toBe(true);
    }
  });

  it('refuses every other method with 403, as the site behaviour does, CONNECT included', async () => {
    const answers: Record<string, number> = {};
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'TRACE', 'PROPFIND', 'CONNECT']) {
      answers[method] = (await send(method, method === 'CONNECT' ? '127.0.0.1:1' : '/')).status;
    }
    expect(
      Object.values(answers).every((status) => status === 403),
      JSON.stringify(answers),
    ).toBe(true);
  });
});

describe('reads racing rewrites of the same object', () => {
  it('always get one whole body, old or new, and then the last one written', async () => {
    const key = `${PREFIX}/race.txt`;
    const bodies = [1500, 20_000, 60_000, 5000, 300].map(
      (size, index) => `${String.fromCharCode(65 + index)}${'x'.repeat(size)}\n`,
    );
    await put(key, bodies[0] as string);

    let writing = true;
    const writer = async (offset: number) => {
      for (let i = 0; i < 40; i += 1) await put(key, bodies[(i + offset) % bodies.length] as string);
    };
    const seen: { status: number; whole: boolean }[] = [];
    const reader = async () => {
      while (writing) {
        const response = await send('GET', `/${key}`);
        seen.push({ status: response.status, whole: bodies.includes(response.body.toString()) });
      }
    };
    const readers = Array.from({ length: 6 }, reader);
    await Promise.all([writer(0), writer(2)]);
    writing = false;
    await Promise.all(readers);

    expect(seen.length).toBeGreaterThan(0);
    expect(seen.filter((read) => read.status !== 200 || !read.whole)).toEqual([]);

    // Read-after-write: once a PUT has returned, readers get that object.
    const last = `last ${'z'.repeat(3000)}`;
    await put(key, last);
    expect((await send('GET', `/${key}`)).body.toString()).toBe(last);
  });
});

describe('conditional and range requests', () => {
  const key = `${PREFIX}/range.txt`;
  const path = `/${key}`;
  const content = Buffer.from(
    Array.from({ length: 2000 }, (_, i) => String.fromCharCode(97 + (i % 26))).join(''),
  );
  let etag: string;
  let lastModified: string;

  beforeAll(async () => {
    await put(key, content);
    const response = await send('GET', path);
    etag = String(response.headers.etag);
    lastModified = String(response.headers['last-modified']);
  });

  it('answers If-None-Match with 304 when any tag matches, weakly, or for *', async () => {
    for (const ifNoneMatch of [etag, `W/${etag}`, `"nope", ${etag}`, `"nope",W/${etag}`, '*']) {
      const response = await send('GET', path, { 'if-none-match': ifNoneMatch });
      expect(response.status, ifNoneMatch).toBe(304);
      expect(response.headers.etag).toBe(etag);
      expect(response.body.length).toBe(0);
    }
    expect((await send('GET', path, { 'if-none-match': '"nope", W/"other"' })).status).toBe(200);
  });

  it('answers If-Modified-Since, unless If-None-Match is sent', async () => {
    expect((await send('GET', path, { 'if-modified-since': lastModified })).status).toBe(304);
    const earlier = new Date(Date.parse(lastModified) - 86_400_000).toUTCString();
    expect((await send('GET', path, { 'if-modified-since': earlier })).status).toBe(200);
    expect(
      (await send('GET', path, { 'if-none-match': '"nope"', 'if-modified-since': lastModified })).status,
    ).toBe(200);
  });

  it.each([
    ['bytes=0-9', 0, 9],
    ['bytes=-5', 1995, 1999],
    ['bytes=5-', 5, 1999],
    ['bytes=1990-99999', 1990, 1999],
  ])('answers Range %s with 206 and the identity bytes', async (range, start, end) => {
    const response = await send('GET', path, { range, 'accept-encoding': 'gzip, br' });
    expect(response.status).toBe(206);
    expect(response.headers['content-range']).toBe(`bytes ${start}-${end}/2000`);
    expect(response.headers['content-encoding']).toBeUndefined();
    expect(response.headers['content-length']).toBe(String(end - start + 1));
    expect(response.body.equals(content.subarray(start, end + 1))).toBe(true);
  });

  it.each(['bytes=2000-', 'bytes=5000-6000', 'bytes=-0'])('answers Range %s with 416', async (range) => {
    const response = await send('GET', path, { range });
    expect(response.status).toBe(416);
    expect(response.headers['content-range']).toBe('bytes */2000');
  });

  it.each(['bytes=0-1,5-6', 'bytes=9-0', 'bytes=abc', 'items=0-9'])(
    'ignores Range %s: 200 with the whole body',
    async (range) => {
      const response = await send('GET', path, { range });
      expect(response.status).toBe(200);
      expect(response.headers['accept-ranges']).toBe('bytes');
      expect(response.body.equals(content)).toBe(true);
    },
  );

  it('applies a range under If-Range only while the representation is unchanged', async () => {
    expect((await send('GET', path, { range: 'bytes=0-9', 'if-range': etag })).status).toBe(206);
    expect((await send('GET', path, { range: 'bytes=0-9', 'if-range': '"older"' })).status).toBe(200);
  });

  it('answers HEAD with the headers GET gets, and no body', async () => {
    const cases: [string, Record<string, string>][] = [
      [path, { 'accept-encoding': 'gzip' }],
      [path, { range: 'bytes=0-9' }],
      [path, { range: 'bytes=2000-' }],
      [path, { 'if-none-match': `W/${etag}` }],
      ['/', { 'accept-encoding': 'br' }],
      ['/bota/no-such-page', { 'accept-encoding': 'gzip' }],
      ['/bota', {}],
    ];
    for (const [target, headers] of cases) {
      const [got, head] = [await send('GET', target, headers), await send('HEAD', target, headers)];
      const { date: _getDate, ...getHeaders } = got.headers;
      const { date: _headDate, ...headHeaders } = head.headers;
      expect(head.status, `${target} ${JSON.stringify(headers)}`).toBe(got.status);
      expect(headHeaders).toEqual(getHeaders);
      expect(head.body.length).toBe(0);
    }
  });
});
