import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { JSONWebKeySet } from 'jose';
import { API_REFERENCE_PATH, OPENAPI_PATH } from '../functions/openapi/reference-endpoints';
import { securityHeadersForHttp } from '../functions/render/security-headers';
import { GATEWAY_MAX_BODY_BYTES, type GatewayRequest, type GatewayResponse } from './api-gateway';
import { LOOPBACK } from './emulators';
import { LOCAL_JWKS_PATH } from './local-issuer';

/**
 * The one local origin, arranged like the CloudFront distribution: `/api/*` goes to the API gateway
 * (the public reads through an edge cache, as CloudFront caches them), the local issuer publishes its key
 * set, and every other path is the site, served from the bucket.
 */

export type SiteHandler = (request: IncomingMessage, response: ServerResponse) => Promise<void>;

export interface LocalServerRoutes {
  readonly api: (request: GatewayRequest) => Promise<GatewayResponse>;
  readonly site: SiteHandler;
  readonly jwks: JSONWebKeySet;
}

export class PortInUseError extends Error {
  override name = 'PortInUseError';
  constructor(readonly port: number) {
    super(
      `Port ${port} on ${LOOPBACK} is already in use. Stop whatever uses it, or choose another: PORT=${port + 1} npm start`,
    );
  }
}

function lowerCaseNames(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
}

function readBody(request: IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      // Past the gateway's limit the rest is drained, not kept: the answer is a 413 either way.
      if (size <= GATEWAY_MAX_BODY_BYTES + 1) chunks.push(chunk);
    });
    request.on('end', () => resolve(size > GATEWAY_MAX_BODY_BYTES ? undefined : Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

/** CloudFront's response-headers policy covers the API's behaviours too. Built once. */
const API_SECURITY_HEADERS: Readonly<Record<string, string>> = lowerCaseNames(securityHeadersForHttp());

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
  });
  response.end(JSON.stringify(body));
}

export function isApiPath(pathname: string): boolean {
  return pathname === '/api' || pathname.startsWith('/api/');
}

export interface RequestTarget {
  /** The path exactly as sent: CloudFront hands it on (to its function, then the origin) unnormalised. */
  readonly rawPath: string;
  /** The path with dot segments resolved, which is what CloudFront matches cache behaviours against. */
  readonly path: string;
  /** The query string, without its `?`. */
  readonly query: string;
}

/**
 * Splits a request target without treating a path that starts with `//` as a host name, as
 * `new URL(target, base)` would (and throw on `//`). Proxies' absolute-form targets are accepted too.
 */
export function parseRequestTarget(target = '/'): RequestTarget {
  let rawPath = '/';
  let query = '';
  if (target.startsWith('/')) {
    const end = target.search(/[?#]/);
    rawPath = end === -1 ? target : target.slice(0, end);
    if (target[end] === '?') query = target.slice(end + 1).replace(/#.*$/s, '');
  } else if (URL.canParse(target)) {
    const url = new URL(target);
    rawPath = url.pathname;
    query = url.search.slice(1);
  }
  const path = URL.canParse(`http://localhost${rawPath}`)
    ? new URL(`http://localhost${rawPath}`).pathname
    : '/';
  return { rawPath, path, query };
}

// --- The edge cache of the public API reads --------------------------------------------------------

/**
 * The cache behaviours of `/api/*` in infra/constructs/site-distribution.ts, mirrored (a unit test keeps
 * the two in step): the exact paths `/api/latest`, `/api/sections` and the API's own description use the
 * `PublicApiCache` policy, every other API path has caching disabled.
 */
export const CACHED_API_PATHS: readonly string[] = [
  '/api/latest',
  '/api/sections',
  OPENAPI_PATH,
  API_REFERENCE_PATH,
];
/** The `PublicApiCache` policy's TTL bounds, in seconds. */
export const PUBLIC_API_CACHE_TTL = { min: 0, default: 30, max: 300 } as const;
/** The policy's cache key: the query (see `edgeCacheKey`) and this header; no cookie. */
export const PUBLIC_API_CACHE_KEY_HEADERS: readonly string[] = ['origin'];

/** Methods that change nothing: every other one on `/api/*` empties the edge cache (see `EdgeCache`). */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** What CloudFront caches by default among what an origin answers; errors carry `no-store` here. */
const CACHEABLE_STATUSES = new Set([200, 203, 300, 301, 410]);

export interface EdgeLifetime {
  /** How long the answer is served without asking the origin. */
  readonly ttlMs: number;
  /** How much longer it is served while one request refreshes it in the background. */
  readonly staleWhileRevalidateMs: number;
  /** How much longer it is served when the origin fails (5xx) instead. */
  readonly staleIfErrorMs: number;
}

function directiveSeconds(directives: Map<string, string | undefined>, name: string): number | undefined {
  const value = directives.get(name);
  return value !== undefined && /^\d+$/.test(value) ? Number(value) : undefined;
}

/**
 * How long CloudFront keeps an origin's answer under a cache policy (CloudFront Developer Guide,
 * "Managing how long content stays in the cache"): `s-maxage`, else `max-age`, held within the policy's
 * minimum and maximum TTL; the default TTL when the answer says neither; not at all for `no-store`,
 * `no-cache` or `private` while the minimum TTL is 0 (with a higher minimum it keeps them that long).
 * `stale-while-revalidate` and `stale-if-error` are honoured as CloudFront honours them. Undefined: not
 * cached. `Expires` is not read: the handlers never send it.
 */
export function edgeLifetime(
  statusCode: number,
  cacheControl: string | undefined,
  ttl: { readonly min: number; readonly default: number; readonly max: number } = PUBLIC_API_CACHE_TTL,
): EdgeLifetime | undefined {
  if (!CACHEABLE_STATUSES.has(statusCode)) return undefined;
  const directives = new Map<string, string | undefined>();
  for (const part of (cacheControl ?? '').split(',')) {
    const [name = '', value] = part.trim().split('=', 2);
    if (name) directives.set(name.toLowerCase(), value?.replace(/^"(.*)"$/, '$1'));
  }
  let seconds: number;
  if (directives.has('no-store') || directives.has('no-cache') || directives.has('private')) {
    seconds = ttl.min;
  } else {
    const lifetime = directiveSeconds(directives, 's-maxage') ?? directiveSeconds(directives, 'max-age');
    seconds = lifetime === undefined ? ttl.default : Math.min(Math.max(lifetime, ttl.min), ttl.max);
  }
  if (seconds <= 0) return undefined;
  return {
    ttlMs: seconds * 1000,
    staleWhileRevalidateMs: (directiveSeconds(directives, 'stale-while-revalidate') ?? 0) * 1000,
    staleIfErrorMs: (directiveSeconds(directives, 'stale-if-error') ?? 0) * 1000,
  };
}

/**
 * The cache key: the path, the query and the `Origin` header. The policy keys on the allow-listed query
 * parameters only, and CloudFront forwards only those; the local gateway gets the query whole (so an
 * unknown parameter is still refused there), so the whole query is the key: never a wrong answer, at
 * worst a miss more.
 */
export function edgeCacheKey(path: string, query: string, headers: IncomingHttpHeaders): string {
  return `${path}?${query}\n${headers.origin ?? ''}`;
}

/**
 * The headers a cached behaviour hands the origin: only the cache key's. CloudFront forwards no
 * Authorization header and no cookie on a behaviour whose cache policy leaves them out of the key and
 * that has no origin request policy, and sends the origin's own host name as Host, so an answer can
 * depend on nothing that is not in the key, and a request with a token is answered from the cache like
 * any other.
 */
export function forwardedToCachedOrigin(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  const forwarded: IncomingHttpHeaders = {};
  for (const name of PUBLIC_API_CACHE_KEY_HEADERS) {
    if (headers[name] !== undefined) forwarded[name] = headers[name];
  }
  return forwarded;
}

/** Entries the local edge keeps at most, oldest dropped first: cursors make keys without end. */
const EDGE_CACHE_MAX_ENTRIES = 1000;

interface CachedAnswer {
  readonly statusCode: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer;
  readonly storedAt: number;
  readonly lifetime: EdgeLifetime;
}

type Origin = (request: GatewayRequest) => Promise<GatewayResponse>;

export interface EdgeAnswer extends GatewayResponse {
  /** Seconds since the origin gave this answer, when it came from the cache. */
  readonly age?: number;
}

/**
 * CloudFront's cache for the public API reads, in front of the local gateway. One local departure,
 * on purpose: a write through this origin (any other method on `/api/*`) empties it, so an editor, and
 * the integration tests, read their own writes at once. In AWS the lists may lag a write by up to their
 * `s-maxage`; locally only what changes the table without this origin (the scheduler's publishes) does.
 */
export class EdgeCache {
  private readonly answers = new Map<string, CachedAnswer>();
  private readonly refreshing = new Set<string>();
  /** Bumped by every write: an answer fetched before it must not be stored after it. */
  private generation = 0;

  constructor(
    private readonly origin: Origin,
    private readonly now: () => number = Date.now,
  ) {}

  /** A write is coming through: whatever is cached may be about to change. */
  invalidateAll(): void {
    this.generation += 1;
    this.answers.clear();
  }

  /** The answer to a GET of a cached behaviour; `age` (seconds) is set when it came from the cache. */
  async get(key: string, request: GatewayRequest): Promise<EdgeAnswer> {
    const cached = this.answers.get(key);
    const age = cached ? this.now() - cached.storedAt : Number.POSITIVE_INFINITY;
    if (cached && age < cached.lifetime.ttlMs) return this.hit(cached);
    if (cached && age < cached.lifetime.ttlMs + cached.lifetime.staleWhileRevalidateMs) {
      this.refreshInBackground(key, request);
      return this.hit(cached);
    }
    const fallback =
      cached && age < cached.lifetime.ttlMs + cached.lifetime.staleIfErrorMs ? cached : undefined;
    try {
      const answer = await this.fetch(key, request);
      return fallback && answer.statusCode >= 500 ? this.hit(fallback) : answer;
    } catch (error) {
      if (fallback) return this.hit(fallback);
      throw error;
    }
  }

  private hit({ statusCode, headers, body, storedAt }: CachedAnswer): EdgeAnswer {
    return { statusCode, headers, body, age: Math.floor((this.now() - storedAt) / 1000) };
  }

  private async fetch(key: string, request: GatewayRequest): Promise<GatewayResponse> {
    const generation = this.generation;
    const answer = await this.origin(request);
    // A 5xx leaves what is cached alone: it may still be served under stale-if-error.
    if (generation !== this.generation || answer.statusCode >= 500) return answer;
    const lifetime = edgeLifetime(answer.statusCode, answer.headers['cache-control']);
    this.answers.delete(key);
    if (lifetime) this.answers.set(key, { ...answer, storedAt: this.now(), lifetime });
    for (const oldest of this.answers.keys()) {
      if (this.answers.size <= EDGE_CACHE_MAX_ENTRIES) break;
      this.answers.delete(oldest);
    }
    return answer;
  }

  private refreshInBackground(key: string, request: GatewayRequest): void {
    if (this.refreshing.has(key)) return;
    this.refreshing.add(key);
    this.fetch(key, request)
      .catch((error: unknown) =>
        console.error('[local-server] refreshing a cached API answer failed:', error),
      )
      .finally(() => this.refreshing.delete(key));
  }
}

export function createLocalServer(getRoutes: () => LocalServerRoutes | undefined): Server {
  const edgeCache = new EdgeCache(async (request) => {
    const routes = getRoutes();
    if (routes) return routes.api(request);
    return {
      statusCode: 503,
      headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' },
      body: Buffer.from(
        JSON.stringify({ error: { code: 'starting', message: 'The local stack is stopping' } }),
      ),
    };
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const routes = getRoutes();
    if (!routes) {
      sendJson(response, 503, { error: { code: 'starting', message: 'The local stack is still starting' } });
      return;
    }
    try {
      const target = parseRequestTarget(request.url);
      const pathname = target.path;
      if (pathname === LOCAL_JWKS_PATH) {
        sendJson(response, 200, routes.jwks);
        return;
      }
      if (!isApiPath(pathname)) {
        await routes.site(request, response);
        return;
      }
      const body = await readBody(request);
      if (!body) {
        sendJson(response, 413, {
          message: 'Request Entity Too Large',
          error: { code: 'payload_too_large', message: 'The request body is too large' },
        });
        return;
      }
      const forwarded: GatewayRequest = {
        method: request.method ?? 'GET',
        url: request.url ?? '/',
        headers: request.headers,
        body,
        sourceIp: request.socket.remoteAddress ?? LOOPBACK,
      };
      let result: EdgeAnswer;
      const edgeHeaders: Record<string, string> = {};
      if (forwarded.method === 'GET' && CACHED_API_PATHS.includes(pathname)) {
        result = await edgeCache.get(edgeCacheKey(pathname, target.query, request.headers), {
          ...forwarded,
          headers: forwardedToCachedOrigin(request.headers),
          body: Buffer.alloc(0),
        });
        edgeHeaders['x-cache'] = result.age === undefined ? 'Miss from cloudfront' : 'Hit from cloudfront';
        if (result.age !== undefined) edgeHeaders.age = String(result.age);
      } else {
        try {
          result = await routes.api(forwarded);
        } finally {
          if (!SAFE_METHODS.has(forwarded.method)) edgeCache.invalidateAll();
        }
      }
      response.writeHead(result.statusCode, { ...API_SECURITY_HEADERS, ...result.headers, ...edgeHeaders });
      response.end(result.body);
    } catch (error) {
      console.error('[local-server] request failed:', error);
      if (!response.headersSent) {
        sendJson(response, 500, {
          error: { code: 'internal_error', message: 'Something went wrong on our side' },
        });
      } else {
        response.end();
      }
    }
  }

  const server = createServer((request, response) => {
    // Whatever happens in a request, it must not become an unhandled rejection, which ends the process.
    handle(request, response).catch((error: unknown) => {
      console.error('[local-server] could not answer a request:', error);
      response.destroy();
    });
  });
  // CloudFront refuses CONNECT like any method its behaviours do not allow; Node would drop the socket.
  server.on('connect', (_request: IncomingMessage, socket: Duplex) => {
    socket.on('error', () => socket.destroy());
    socket.end('HTTP/1.1 403 Forbidden\r\ncontent-length: 0\r\nconnection: close\r\n\r\n');
  });
  return server;
}

export function listenOnLoopback(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) =>
      reject(error.code === 'EADDRINUSE' ? new PortInUseError(port) : error);
    server.once('error', onError);
    server.listen(port, LOOPBACK, () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    });
  });
}
