import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { beforeEach, describe, expect, it, vi } from 'vitest';
// Also imported as a module (it only declares functions and constants), so that vitest's related-file
// search, which `npm run mutate` uses to pick the tests of a mutated file, knows this file tests it. Its
// `import cf from 'cloudfront'` names the runtime's own module, which only CloudFront provides: a stand-in.
import '../../../functions/edge/url-rewrite.js';
import {
  SECTION_SLUGS_PLACEHOLDER,
  ViewerRequestCodeError,
  viewerRequestCode,
} from '../../../functions/edge/url-rewrite-code';
import { objectKeyForPath } from '../../../functions/render/site-objects';
import { loadViewerRequestFunction } from '../../../local/site-server';

vi.mock('cloudfront', () => ({ default: { kvs: () => ({ get: () => Promise.reject(new Error('none')) }) } }));

interface Request {
  uri: string;
  querystring: Record<string, { value: string; multiValue?: { value: string }[] }>;
}

interface Response {
  statusCode: number;
  statusDescription?: string;
  headers: Record<string, { value: string }>;
  body?: { encoding: string; data: string };
}

const FILE = readFileSync(new URL('../../../functions/edge/url-rewrite.js', import.meta.url), 'utf8');
/** The function as deployed: with a newsroom's sections written in. */
const SECTION_SLUGS = ['bota', 'politics', 'sport'];
const SOURCE = viewerRequestCode(FILE, SECTION_SLUGS);

/** A fake `cloudfront` module: a key-value store that records every key asked for. */
const store = new Map<string, string>();
const reads: string[] = [];
const cloudfront = {
  kvs: () => ({
    async get(key: string): Promise<string> {
      reads.push(key);
      const value = store.get(key);
      // As in CloudFront: a missing key rejects.
      if (value === undefined) throw new Error(`Key not found: ${key}`);
      return value;
    },
  }),
};

// Loaded as the local server and CloudFront do: a script that defines a global `handler`.
const handler = loadViewerRequestFunction(SOURCE, cloudfront) as unknown as (event: {
  request: Request;
}) => Promise<Request | Response>;

beforeEach(() => {
  store.clear();
  reads.length = 0;
});

function viewerRequest(uri: string, querystring: Request['querystring'] = {}): Promise<Request | Response> {
  return handler({ request: { uri, querystring } });
}

async function rewritten(uri: string): Promise<string> {
  const result = await viewerRequest(uri);
  if ('statusCode' in result) throw new Error(`${uri} was redirected`);
  return result.uri;
}

async function redirected(uri: string, querystring: Request['querystring'] = {}): Promise<string> {
  const result = await viewerRequest(uri, querystring);
  if (!('statusCode' in result)) throw new Error(`${uri} was not redirected`);
  expect(result.statusCode).toBe(301);
  return result.headers.location?.value ?? '';
}

describe('url-rewrite CloudFront Function', () => {
  it('is a self-contained cloudfront-js-2.0 script', async () => {
    expect(SOURCE).toMatch(/^async function handler\(event\) \{/m);
    // Its one import is the runtime's own module, on the first lines as the runtime requires.
    expect(SOURCE.match(/\bimport\b[\s(]/g)).toHaveLength(1);
    expect(SOURCE).toMatch(/^import cf from 'cloudfront';\n\nconst edgeRoutes = cf\.kvs\(\);$/m);
    expect(SOURCE).not.toMatch(/\b(export|require)\b[\s(]/);
    // CloudFront Functions' code size limit, with room for a newsroom's sections.
    expect(Buffer.byteLength(FILE)).toBeLessThan(8 * 1024);
    // Not in the runtime: optional chaining, nullish coalescing, for...of.
    expect(SOURCE).not.toMatch(/\?\.|\?\?|for \(const [^;]* of /);
  });

  it.each([
    ['/', '/index.html'],
    ['/bota/', '/bota/index.html'],
    ['/bota/some-story', '/bota/some-story/index.html'],
    ['/feed.xml', '/feed.xml'],
    ['/feed.json', '/feed.json'],
    ['/bota/feed.xml', '/bota/feed.xml'],
    ['/robots.txt', '/robots.txt'],
    ['/sitemap.xml', '/sitemap.xml'],
    ['/news-sitemap.xml', '/news-sitemap.xml'],
    ['/404.html', '/404.html'],
  ])('serves %s from %s', async (uri, objectUri) => {
    expect(await rewritten(uri)).toBe(objectUri);
  });

  it('agrees with the renderer on where every kind of path is stored', async () => {
    for (const path of ['/', '/politics/', '/politics/a-b-c', '/politics/feed.xml', '/latest.json']) {
      expect(await rewritten(path)).toBe(`/${objectKeyForPath(path)}`);
    }
  });

  it('sends a section without its trailing slash to the section page, keeping the query', async () => {
    expect(await redirected('/bota')).toBe('/bota/');
    expect(await redirected('/bota', { utm_source: { value: 'app' } })).toBe('/bota/?utm_source=app');
    expect(
      await redirected('/bota', {
        tag: { value: 'a', multiValue: [{ value: 'a' }, { value: 'b c' }] },
        flag: { value: '' },
      }),
    ).toBe('/bota/?tag=a&tag=b%20c&flag');
  });

  it('keeps a query that arrived percent-encoded as it is, never encoding it twice', async () => {
    expect(await redirected('/bota', { q: { value: 'a%20b+c' }, 'utm%5Bx%5D': { value: '~1.0_x-y' } })).toBe(
      '/bota/?q=a%20b+c&utm%5Bx%5D=~1.0_x-y',
    );
  });

  it('redirects permanently, and lets browsers and CloudFront keep the redirect for an hour', async () => {
    expect(await viewerRequest('/bota')).toEqual({
      statusCode: 301,
      statusDescription: 'Moved Permanently',
      headers: { location: { value: '/bota/' }, 'cache-control': { value: 'public, max-age=3600' } },
    });
  });

  it('leaves a request whose URI is not a path as it is, without failing', async () => {
    for (const uri of ['bota', '*', 'http://news.example.com/bota', '', undefined, 42]) {
      const request = { uri, querystring: {} } as unknown as Request;
      expect(await handler({ request })).toEqual({ uri, querystring: {} });
    }
  });

  it('serves a tag page from its folder, sends /tags/x to /tags/x/, and never asks the store about it', async () => {
    expect(await rewritten('/tags/nato/')).toBe(`/${objectKeyForPath('/tags/nato/')}`);
    expect(await rewritten('/tags/the-hague/')).toBe('/tags/the-hague/index.html');
    expect(await redirected('/tags/nato')).toBe('/tags/nato/');
    expect(await redirected('/tags/nato', { utm_source: { value: 'app' } })).toBe(
      '/tags/nato/?utm_source=app',
    );
    // Not a tag page: left to the general path (its 404).
    expect(await rewritten('/tags/')).toBe('/tags/index.html');
    expect(await rewritten('/tags/a/b/')).toBe('/tags/a/b/index.html');
    expect(reads).toEqual([]);
  });

  it('sends an article with a trailing slash to its canonical URL', async () => {
    expect(await redirected('/bota/some-story/')).toBe('/bota/some-story');
  });

  it('answers a path outside the sections with its 404 at once, never a redirect first', async () => {
    // Served from keys that do not exist: the bucket's miss is the 404 page.
    expect(await rewritten('/does-not-exist')).toBe('/does-not-exist/index.html');
    expect(await rewritten('/does-not-exist/')).toBe('/does-not-exist/index.html');
    expect(await rewritten('/does-not-exist/story/')).toBe('/does-not-exist/story/index.html');
    expect(await rewritten('/bota/some-story/more/')).toBe('/bota/some-story/more/index.html');
    // A section's name as a part of a segment is not the section.
    expect(await rewritten('/bot')).toBe('/bot/index.html');
    expect(await rewritten('/botanica')).toBe('/botanica/index.html');
    expect(await rewritten('/politics-and-more')).toBe('/politics-and-more/index.html');
    for (const slug of SECTION_SLUGS) expect(await redirected(`/${slug}`)).toBe(`/${slug}/`);
  });

  it('has the sections written in from the list it is built with, and refuses what cannot go there', () => {
    expect(FILE.split(SECTION_SLUGS_PLACEHOLDER)).toHaveLength(2);
    expect(SOURCE).toContain("'/bota/politics/sport/'");
    expect(SOURCE).not.toContain(SECTION_SLUGS_PLACEHOLDER);
    for (const slugs of [[], ["x'; alert(1); '"], ['a/b'], ['Bota'], ['']]) {
      expect(() => viewerRequestCode(FILE, slugs), JSON.stringify(slugs)).toThrow(ViewerRequestCodeError);
    }
    expect(() => viewerRequestCode(SOURCE, ['bota'])).toThrow(/exactly once/);
    // Under CloudFront's 10 KB with far more sections than a newsroom has (the limit is checked, too).
    const many = Array.from({ length: 100 }, (_, index) => `section-number-${index}`);
    expect(Buffer.byteLength(viewerRequestCode(FILE, many))).toBeLessThan(10 * 1024);
    const tooMany = Array.from({ length: 1_000 }, (_, index) => `section-number-${index}`);
    expect(() => viewerRequestCode(FILE, tooMany)).toThrow(/CloudFront allows 10240/);
  });

  it('redirects only segments a slug could be: at most 80 characters', async () => {
    const long = viewerRequestCode(FILE, ['a'.repeat(80), 'a'.repeat(81)]);
    const handlerOf = loadViewerRequestFunction(long, cloudfront) as unknown as typeof handler;
    expect(await handlerOf({ request: { uri: `/${'a'.repeat(80)}`, querystring: {} } })).toMatchObject({
      statusCode: 301,
    });
    expect(await handlerOf({ request: { uri: `/${'a'.repeat(81)}`, querystring: {} } })).toEqual({
      uri: `/${'a'.repeat(81)}/index.html`,
      querystring: {},
    });
    expect(await rewritten(`/bota/${'b'.repeat(256)}/`)).toBe(`/bota/${'b'.repeat(256)}/index.html`);
  });

  it('serves a path that could be read as another host as a path (its 404), never redirecting it', async () => {
    const cases: [uri: string, served: string][] = [
      ['//evil.example', '//evil.example'],
      ['//evil.example/', '//evil.example/index.html'],
      ['//evil', '//evil/index.html'],
      ['//evil/', '//evil/index.html'],
      ['/\\evil.example', '/\\evil.example'],
      ['/\\evil', '/\\evil/index.html'],
      ['/\\evil/', '/\\evil/index.html'],
      ['/\\/evil', '/\\/evil/index.html'],
      ['/bota/\\evil/', '/bota/\\evil/index.html'],
      ['/%5Cevil', '/%5Cevil/index.html'],
      ['/%2F%2Fevil', '/%2F%2Fevil/index.html'],
      ['///evil', '///evil/index.html'],
      ['///evil/', '///evil/index.html'],
    ];
    for (const [uri, served] of cases) {
      expect(await viewerRequest(uri), uri).toEqual({ uri: served, querystring: {} });
    }
  });

  it('never redirects off-site, whatever the path looks like', async () => {
    const segment = fc.stringMatching(/^[A-Za-z0-9_\-\\/%.:@ ]{0,12}$/);
    // Whatever the store holds for the path, too: a hostile value is never followed off-site.
    store.set('/bota/x', '//evil.example/x');
    await fc.assert(
      fc.asyncProperty(
        fc.array(segment, { minLength: 1, maxLength: 3 }),
        fc.boolean(),
        async (segments, slash) => {
          const result = await viewerRequest(`/${segments.join('/')}${slash ? '/' : ''}`);
          if ('statusCode' in result) {
            // A Location of `//host` or `/\host` is another site to a browser.
            expect(result.headers.location?.value).toMatch(/^\/[A-Za-z0-9_-]/);
          }
        },
      ),
      { numRuns: 2_000 },
    );
  });

  it('cannot be made to put a line break into the Location header', async () => {
    const location = await redirected('/bota', { q: { value: 'x\r\nSet-Cookie: a=b' } });
    expect(location).not.toMatch(/[\r\n]/);
  });

  it('never touches the API', async () => {
    for (const uri of ['/api', '/api/', '/api/latest', '/api/articles/01J', '/api/articles/01J/']) {
      expect(await viewerRequest(uri)).toEqual({ uri, querystring: {} });
    }
  });

  describe('with the edge routes store', () => {
    it('answers an old path of a moved article with a 301 to its newest path, keeping the query', async () => {
      store.set('/bota/old-story', '/sport/new-story');
      expect(await viewerRequest('/bota/old-story', { utm_source: { value: 'app' } })).toEqual({
        statusCode: 301,
        statusDescription: 'Moved Permanently',
        headers: {
          location: { value: '/sport/new-story?utm_source=app' },
          'cache-control': { value: 'public, max-age=3600' },
        },
      });
      expect(reads).toEqual(['/bota/old-story']);
    });

    it('answers a withdrawn article with 410 Gone and a small page of its own', async () => {
      store.set('/bota/taken-down', 'gone');
      const result = (await viewerRequest('/bota/taken-down')) as Response;
      expect(result.statusCode).toBe(410);
      expect(result.statusDescription).toBe('Gone');
      expect(result.headers['content-type']?.value).toBe('text/html; charset=utf-8');
      expect(result.headers['cache-control']?.value).toBe('no-cache');
      expect(result.body?.encoding).toBe('text');
      const page = result.body?.data ?? '';
      expect(page).toMatch(/^<!doctype html><html lang="en"><head><meta charset="utf-8">/);
      expect(page).toContain('<title>Gone</title>');
      expect(page).toContain('<meta name="robots" content="noindex">');
      expect(page).toMatch(/<\/html>$/);
      // No external resources: nothing to load, nothing the CSP could block.
      expect(page).not.toMatch(/<(script|link|img|style)\b|src=|https?:/i);
    });

    it("says it in the newsroom's language, written into the code in ASCII escapes", async () => {
      const albanian = viewerRequestCode(FILE, SECTION_SLUGS, 'sq');
      // The page adds no byte beyond ASCII to the code: its Albanian letters are \u escapes.
      const beyondAscii = (code: string) => [...code].filter((char) => char.charCodeAt(0) > 0x7f).join('');
      expect(beyondAscii(albanian)).toBe(beyondAscii(FILE));
      const sqHandler = loadViewerRequestFunction(albanian, cloudfront) as unknown as typeof handler;
      store.set('/bota/taken-down', 'gone');
      const result = (await sqHandler({ request: { uri: '/bota/taken-down', querystring: {} } })) as Response;
      expect(result.statusCode).toBe(410);
      const page = result.body?.data ?? '';
      expect(page).toMatch(/^<!doctype html><html lang="sq">/);
      expect(page).toContain('<h1>Ky lajm nuk është më i disponueshëm</h1>');
      expect(page).toContain('<a href="/">Lexo lajmet e fundit</a>');
    });

    it('serves the page from the bucket when the store does not hold the path (one read, no error)', async () => {
      expect(await rewritten('/bota/some-story')).toBe('/bota/some-story/index.html');
      expect(reads).toEqual(['/bota/some-story']);
    });

    it('never asks the store about a path that is not an article', async () => {
      store.set('/bota', '/sport/x');
      store.set('/bota/', 'gone');
      for (const uri of [
        '/',
        '/bota/',
        '/bota/feed.xml',
        '/feed.xml',
        '/api/latest',
        '/a/b/c',
        '/bota/story/',
      ]) {
        await viewerRequest(uri);
      }
      await viewerRequest('/bota');
      await viewerRequest(`/bota/${'b'.repeat(81)}`);
      await viewerRequest('/bota/%2F%2Fevil');
      expect(reads).toEqual([]);
    });

    it('ignores a stored value that is not another article path, serving the page instead', async () => {
      const hostile = [
        '//evil.example/x',
        '/\\evil.example/x',
        'https://evil.example/x',
        '/bota/x\r\nSet-Cookie: a=b',
        '/bota',
        '/bota/x/y',
        '/bota/self',
        'GONE',
        '',
      ];
      for (const value of hostile) {
        store.set('/bota/self', value);
        expect(await viewerRequest('/bota/self'), value).toEqual({
          uri: '/bota/self/index.html',
          querystring: {},
        });
      }
    });

    it('serves the page when the store itself fails', async () => {
      const failing = loadViewerRequestFunction(SOURCE, {
        kvs: () => ({
          get: async () => {
            throw new Error('store unavailable');
          },
        }),
      });
      expect(await failing({ request: { uri: '/bota/story', querystring: {} } })).toEqual({
        uri: '/bota/story/index.html',
        querystring: {},
      });
    });
  });
});
