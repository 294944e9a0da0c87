/**
 * CloudFront Function (runtime cloudfront-js-2.0), viewer request: maps the site's clean URLs to the
 * S3 object keys the renderer writes (functions/render/site-objects.ts), sends the two non-canonical
 * spellings of a page to the canonical one, and answers moved or withdrawn articles from the edge
 * routes store (a KeyValueStore the render function keeps, functions/publishing/edge-routes.ts):
 *
 *   /                 → /index.html
 *   /bota/            → /bota/index.html
 *   /bota             → 301 /bota/            (a section without its trailing slash)
 *   /nope             → /nope/index.html       (not a section: the 404 page at once, no redirect first)
 *   /bota/some-story  → 301 <stored path> when the store maps it to one (an old URL of a moved article),
 *                       410 when the store says "gone" (unpublished or deleted),
 *                       else /bota/some-story/index.html
 *   /bota/some-story/ → 301 /bota/some-story  (in a section; /nope/x/ → /nope/x/index.html, its 404)
 *   /tags/nato/       → /tags/nato/index.html  (a tag's page: a folder, like a section)
 *   /tags/nato        → 301 /tags/nato/
 *   /feed.xml, /bota/feed.xml, /robots.txt: unchanged (the last segment has a file extension)
 *   /api, /api/...: unchanged (API behaviour; never rewritten)
 *
 * Self-contained on purpose: CloudFront Functions have no modules besides `cloudfront`, and the local
 * server evaluates this same file (with its own `cloudfront` module) to serve what CloudFront serves.
 * Both fill in the section slugs first (functions/edge/url-rewrite-code.ts), from the newsroom config.
 */
import cf from 'cloudfront';

const edgeRoutes = cf.kvs();

// Only tidy, slug-like paths are redirected, so a Location header can never point off-site
// (`//evil.example`, `/\evil.example`) whatever a request contains. Slugs and sections are at most 80
// characters (functions/domain/slug.ts), so a longer segment names no page and goes straight to the 404.
const REDIRECTABLE_SEGMENT = /^[A-Za-z0-9_-]{1,80}$/;

// The newsroom's section slugs between slashes ("/bota/politics/"), written in by viewerRequestCode when the
// function is built (the CDK app) or loaded (the local server), from the one newsroom config: only a path
// in a section can be a page worth redirecting to, so nothing else waits for a 301 before its 404.
const SECTION_SLUGS = '/__SECTION_SLUGS__/';

// Tag pages (functions/render/site-paths.ts); `tags` is a reserved section slug, so it never names a section.
const TAGS = 'tags';

function isSection(segment) {
  return SECTION_SLUGS.indexOf(`/${segment}/`) !== -1;
}

function isApiPath(uri) {
  return uri === '/api' || uri.indexOf('/api/') === 0;
}

// Query values usually arrive percent-encoded and are kept as they are; anything else is encoded, so a
// value can neither split the query nor put a line break into the Location header.
const ENCODED_QUERY_PART = /^[A-Za-z0-9._~%+-]*$/;

function queryPart(text) {
  return ENCODED_QUERY_PART.test(text) ? text : encodeURIComponent(text);
}

function queryString(querystring) {
  const parts = [];
  const names = Object.keys(querystring);
  for (let n = 0; n < names.length; n++) {
    const name = names[n];
    const entry = querystring[name];
    // biome-ignore lint/complexity/useOptionalChain: optional chaining is not in the CloudFront Functions runtime.
    const values = entry && entry.multiValue ? entry.multiValue : [entry];
    for (let i = 0; i < values.length; i++) {
      // biome-ignore lint/complexity/useOptionalChain: as above.
      const value = values[i] && values[i].value;
      parts.push(value ? `${queryPart(name)}=${queryPart(value)}` : queryPart(name));
    }
  }
  return parts.length > 0 ? `?${parts.join('&')}` : '';
}

// The store's value for a withdrawn article (edge-routes.ts writes the same word).
const GONE = 'gone';
// A small page of its own, in the newsroom's language (written in by url-rewrite-code.ts): the
// function's answer never reaches the bucket, so it cannot use the site's.
const GONE_PAGE = '__GONE_PAGE__';

function redirect(location, request) {
  return {
    statusCode: 301,
    statusDescription: 'Moved Permanently',
    headers: {
      location: { value: location + queryString(request.querystring || {}) },
      'cache-control': { value: 'public, max-age=3600' },
    },
  };
}

function gone() {
  return {
    statusCode: 410,
    statusDescription: 'Gone',
    headers: {
      'content-type': { value: 'text/html; charset=utf-8' },
      // A takedown can be reversed: readers must not keep the 410 once the story is back.
      'cache-control': { value: 'no-cache' },
    },
    body: { encoding: 'text', data: GONE_PAGE },
  };
}

// A missing key is the usual case, and `get` rejects for it; any store failure serves the page as before.
async function edgeRouteOf(path) {
  try {
    return await edgeRoutes.get(path);
  } catch (_missing) {
    return undefined;
  }
}

function isArticleTarget(value, path) {
  if (typeof value !== 'string' || value === path || value.charAt(0) !== '/') return false;
  const segments = value.slice(1).split('/');
  return segments.length === 2 && allRedirectable(segments);
}

function allRedirectable(segments) {
  // Stryker disable next-line EqualityOperator: one more round tests "undefined", which passes
  for (let i = 0; i < segments.length; i++) {
    if (!REDIRECTABLE_SEGMENT.test(segments[i])) return false;
  }
  return true;
}

// biome-ignore lint/correctness/noUnusedVariables: CloudFront (and the local server) call `handler` by name.
async function handler(event) {
  const request = event.request;
  const uri = request.uri;

  if (typeof uri !== 'string' || uri.charAt(0) !== '/' || isApiPath(uri)) return request;
  // Stryker disable next-line ConditionalExpression,StringLiteral,BlockStatement: the general path also maps / to /index.html
  if (uri === '/') {
    request.uri = '/index.html';
    return request;
  }

  const trailingSlash = uri.charAt(uri.length - 1) === '/';
  const trimmed = trailingSlash ? uri.slice(0, -1) : uri;
  const segments = trimmed.slice(1).split('/');
  const last = segments[segments.length - 1];

  if (!trailingSlash && last.indexOf('.') !== -1) return request;

  if (allRedirectable(segments)) {
    const inSection = isSection(segments[0]);
    if (segments.length === 1 && !trailingSlash && inSection) return redirect(`${uri}/`, request);
    if (segments.length === 2 && trailingSlash && inSection) return redirect(trimmed, request);
    // A tag's page is a folder of its own; it is never an article, so it is never in the store.
    if (segments.length === 2 && segments[0] === TAGS) {
      if (!trailingSlash) return redirect(`${uri}/`, request);
      request.uri = `${uri}index.html`;
      return request;
    }
    // Only an article-shaped path can be in the store: one read, and none for anything else.
    if (segments.length === 2) {
      const route = await edgeRouteOf(uri);
      if (route === GONE) return gone();
      // A value that is not another article's path (a corrupt entry) is ignored, never followed.
      if (isArticleTarget(route, uri)) return redirect(route, request);
    }
  }

  request.uri = `${trimmed}/index.html`;
  return request;
}
