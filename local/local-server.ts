import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { JSONWebKeySet } from 'jose';
import { securityHeadersForHttp } from '../functions/render/security-headers';
import { GATEWAY_MAX_BODY_BYTES, type GatewayRequest, type GatewayResponse } from './api-gateway';
import { LOOPBACK } from './emulators';
import { LOCAL_JWKS_PATH } from './local-issuer';

/**
 * The one local origin, arranged like the CloudFront distribution: `/api/*` goes to the API gateway,
 * the local issuer publishes its key set, and every other path is the site, served from the bucket.
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

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
  });
  response.end(JSON.stringify(body));
}

function lowerCaseNames(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
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

export function createLocalServer(getRoutes: () => LocalServerRoutes | undefined): Server {
  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const routes = getRoutes();
    if (!routes) {
      sendJson(response, 503, { error: { code: 'starting', message: 'The local stack is still starting' } });
      return;
    }
    try {
      const pathname = parseRequestTarget(request.url).path;
      if (pathname === LOCAL_JWKS_PATH) {
        sendJson(response, 200, routes.jwks);
        return;
      }
      if (!isApiPath(pathname)) {
        await routes.site(request, response);
        return;
      }
      const body = await readBody(request);
      const result = body
        ? await routes.api({
            method: request.method ?? 'GET',
            url: request.url ?? '/',
            headers: request.headers,
            body,
            sourceIp: request.socket.remoteAddress ?? LOOPBACK,
          })
        : undefined;
      if (!result) {
        sendJson(response, 413, {
          message: 'Request Entity Too Large',
          error: { code: 'payload_too_large', message: 'The request body is too large' },
        });
        return;
      }
      // CloudFront's response-headers policy covers the API's behaviours too.
      response.writeHead(result.statusCode, {
        ...lowerCaseNames(securityHeadersForHttp()),
        ...result.headers,
      });
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
