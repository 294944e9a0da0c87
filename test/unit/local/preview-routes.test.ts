import { describe, expect, it } from 'vitest';
import { ROUTES } from '../../../functions/http/routes';
import { PREVIEW_API_PATHS } from '../../../infra/constructs/site-distribution';
import { buildEvent, matchRoute } from '../../../local/api-gateway';
import { CACHED_API_PATHS } from '../../../local/local-server';

/** The local gateway hands previews their query strings as CloudFront's preview behaviours do, uncached. */

const TOKEN = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl';

function eventFor(method: string, url: string) {
  const path = url.split('?')[0] as string;
  const matched = matchRoute(ROUTES, method, path);
  if (!matched) throw new Error(`No route for ${method} ${path}`);
  const request = { method, url, headers: {}, body: Buffer.alloc(0), sourceIp: '127.0.0.1' };
  return { route: matched.route, event: buildEvent(request, matched, undefined) };
}

describe('previews through the local gateway', () => {
  it('passes the token of a preview link on, whole', () => {
    const { route, event } = eventFor('GET', `/api/preview?token=${TOKEN}`);
    expect(route.id).toBe('OpenPreviewLink');
    expect(event.queryStringParameters).toEqual({ token: TOKEN });
    expect(event.rawQueryString).toBe(`token=${TOKEN}`);
  });

  it('passes revision on, with the article from the path', () => {
    const { route, event } = eventFor('GET', '/api/articles/01JDXYZABCDEFGHJKMNPQRSTVW/preview?revision=2');
    expect(route.id).toBe('PreviewArticle');
    expect(event.pathParameters).toEqual({ id: '01JDXYZABCDEFGHJKMNPQRSTVW' });
    expect(event.queryStringParameters).toEqual({ revision: '2' });
  });

  it('routes POST …/preview-link to its own handler, not to the article', () => {
    expect(eventFor('POST', '/api/articles/some-slug/preview-link').route.id).toBe('CreatePreviewLink');
  });

  it('never caches a preview at the local edge, as CloudFront never does', () => {
    for (const path of ['/api/preview', '/api/articles/some-slug/preview']) {
      expect(CACHED_API_PATHS).not.toContain(path);
    }
    // CloudFront's patterns for them, in the same shape the routes have.
    expect(PREVIEW_API_PATHS).toEqual(['/api/preview', '/api/articles/*/preview']);
  });
});
