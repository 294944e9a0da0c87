import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
// Also imported as a module (it only declares functions and constants), so that vitest's related-file
// search, which `npm run mutate` uses to pick the tests of a mutated file, knows this file tests it.
import '../../../functions/edge/url-rewrite.js';
import { objectKeyForPath } from '../../../functions/render/site-objects';

interface Request {
  uri: string;
  querystring: Record<string, { value: string; multiValue?: { value: string }[] }>;
}

interface Response {
  statusCode: number;
  headers: Record<string, { value: string }>;
}

const SOURCE = readFileSync(new URL('../../../functions/edge/url-rewrite.js', import.meta.url), 'utf8');

// Loaded as the local server and CloudFront do: a plain script that defines a global `handler`.
const handler = new Function(`${SOURCE}\nreturn handler;`)() as (event: {
  request: Request;
}) => Request | Response;

function viewerRequest(uri: string, querystring: Request['querystring'] = {}): Request | Response {
  return handler({ request: { uri, querystring } });
}

function rewritten(uri: string): string {
  const result = viewerRequest(uri);
  if ('statusCode' in result) throw new Error(`${uri} was redirected`);
  return result.uri;
}

function redirected(uri: string, querystring: Request['querystring'] = {}): string {
  const result = viewerRequest(uri, querystring);
  if (!('statusCode' in result)) throw new Error(`${uri} was not redirected`);
  expect(result.statusCode).toBe(301);
  return result.headers.location?.value ?? '';
}

describe('url-rewrite CloudFront Function', () => {
  it('is a self-contained cloudfront-js-2.0 script', () => {
    expect(SOURCE).toMatch(/^function handler\(event\) \{/m);
    expect(SOURCE).not.toMatch(/\b(import|export|require)\b[\s(]/);
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
  ])('serves %s from %s', (uri, objectUri) => {
    expect(rewritten(uri)).toBe(objectUri);
  });

  it('agrees with the renderer on where every kind of path is stored', () => {
    for (const path of ['/', '/politics/', '/politics/a-b-c', '/politics/feed.xml', '/latest.json']) {
      expect(rewritten(path)).toBe(`/${objectKeyForPath(path)}`);
    }
  });

  it('sends a section without its trailing slash to the section page, keeping the query', () => {
    expect(redirected('/bota')).toBe('/bota/');
    expect(redirected('/bota', { utm_source: { value: 'app' } })).toBe('/bota/?utm_source=app');
    expect(
      redirected('/bota', {
        tag: { value: 'a', multiValue: [{ value: 'a' }, { value: 'b c' }] },
        flag: { value: '' },
      }),
    ).toBe('/bota/?tag=a&tag=b%20c&flag');
  });

  it('keeps a query that arrived percent-encoded as it is, never encoding it twice', () => {
    expect(redirected('/bota', { q: { value: 'a%20b+c' }, 'utm%5Bx%5D': { value: '~1.0_x-y' } })).toBe(
      '/bota/?q=a%20b+c&utm%5Bx%5D=~1.0_x-y',
    );
  });

  it('redirects permanently, and lets browsers and CloudFront keep the redirect for an hour', () => {
    expect(viewerRequest('/bota')).toEqual({
      statusCode: 301,
      statusDescription: 'Moved Permanently',
      headers: { location: { value: '/bota/' }, 'cache-control': { value: 'public, max-age=3600' } },
    });
  });

  it('leaves a request whose URI is not a path as it is, without failing', () => {
    for (const uri of ['bota', '*', 'http://news.example.com/bota', '', undefined, 42]) {
      const request = { uri, querystring: {} } as unknown as Request;
      expect(handler({ request })).toEqual({ uri, querystring: {} });
    }
  });

  it('sends an article with a trailing slash to its canonical URL', () => {
    expect(redirected('/bota/some-story/')).toBe('/bota/some-story');
  });

  it('redirects only segments a slug could be: at most 80 characters', () => {
    expect(redirected(`/${'a'.repeat(80)}`)).toBe(`/${'a'.repeat(80)}/`);
    expect(rewritten(`/${'a'.repeat(81)}`)).toBe(`/${'a'.repeat(81)}/index.html`);
    expect(rewritten(`/bota/${'b'.repeat(256)}/`)).toBe(`/bota/${'b'.repeat(256)}/index.html`);
  });

  it('serves a path that could be read as another host as a path (its 404), never redirecting it', () => {
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
      expect(viewerRequest(uri), uri).toEqual({ uri: served, querystring: {} });
    }
  });

  it('never redirects off-site, whatever the path looks like', () => {
    const segment = fc.stringMatching(/^[A-Za-z0-9_\-\\/%.:@ ]{0,12}$/);
    fc.assert(
      fc.property(fc.array(segment, { minLength: 1, maxLength: 3 }), fc.boolean(), (segments, slash) => {
        const result = viewerRequest(`/${segments.join('/')}${slash ? '/' : ''}`);
        if ('statusCode' in result) {
          // A Location of `//host` or `/\host` is another site to a browser.
          expect(result.headers.location?.value).toMatch(/^\/[A-Za-z0-9_-]/);
        }
      }),
      { numRuns: 2_000 },
    );
  });

  it('cannot be made to put a line break into the Location header', () => {
    const location = redirected('/bota', { q: { value: 'x\r\nSet-Cookie: a=b' } });
    expect(location).not.toMatch(/[\r\n]/);
  });

  it('never touches the API', () => {
    for (const uri of ['/api', '/api/', '/api/latest', '/api/articles/01J', '/api/articles/01J/']) {
      expect(viewerRequest(uri)).toEqual({ uri, querystring: {} });
    }
  });
});
