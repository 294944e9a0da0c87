import { isUtf8 } from 'node:buffer';
import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type { JWTPayload } from 'jose';
import { bearerToken, type TokenVerifier } from '../functions/auth/token-verifier';
import { type RouteDefinition, requiresToken, routeKey } from '../functions/http/routes';

/**
 * The local stand-in for API Gateway (HTTP API, payload format 2.0): matches a request against the
 * shared route table, plays the JWT authorizer on `editor` routes, builds the event Lambda would
 * receive and turns the handler's result back into an HTTP response. Pure functions, so the exact
 * event shape is unit-tested; the server around it is local/local-server.ts.
 */

export type LambdaHandler = (
  event: APIGatewayProxyEventV2,
  context: Context,
) => Promise<APIGatewayProxyStructuredResultV2>;

export interface MatchedRoute {
  readonly route: RouteDefinition;
  readonly pathParameters: Record<string, string>;
}

export interface GatewayRequest {
  readonly method: string;
  /** Path and query string as received, e.g. `/api/latest?limit=5`. */
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
  readonly sourceIp: string;
}

/** API Gateway's own limit on a request payload. */
export const GATEWAY_MAX_BODY_BYTES = 10 * 1024 * 1024;

interface CompiledPath {
  readonly pattern: RegExp;
  readonly names: readonly string[];
}

/** Route paths are compiled once, not on every request. */
const compiledPaths = new Map<string, CompiledPath>();

function compile(path: string): CompiledPath {
  const known = compiledPaths.get(path);
  if (known) return known;
  const names: string[] = [];
  const source = path
    .split('/')
    .map((segment) => {
      const parameter = /^\{(\w+)\}$/.exec(segment);
      if (!parameter?.[1]) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      names.push(parameter[1]);
      return '([^/]+)';
    })
    .join('/');
  const compiled = { pattern: new RegExp(`^${source}$`), names };
  compiledPaths.set(path, compiled);
  return compiled;
}

export function matchRoute(
  routes: readonly RouteDefinition[],
  method: string,
  path: string,
): MatchedRoute | undefined {
  for (const route of routes) {
    if (route.method !== method) continue;
    const { pattern, names } = compile(route.path);
    const match = pattern.exec(path);
    if (!match) continue;
    const pathParameters: Record<string, string> = {};
    try {
      names.forEach((name, index) => {
        pathParameters[name] = decodeURIComponent(match[index + 1] ?? '');
      });
    } catch {
      // Malformed percent-encoding (`%zz`) names no resource: no route, not a server error.
      return undefined;
    }
    return { route, pathParameters };
  }
  return undefined;
}

/** An array element that reads back as itself from the flattened `[a b]` form. */
function flattenableElement(element: unknown): string | undefined {
  if (typeof element !== 'string' && typeof element !== 'number' && typeof element !== 'boolean') {
    return undefined;
  }
  const text = String(element);
  return text !== '' && !/[\s[\]]/.test(text) ? text : undefined;
}

/**
 * Claims as the HTTP API JWT authorizer hands them over: every value a string, arrays flattened to
 * `[a b]` (bracketed, space-separated), objects as JSON.
 *
 * An array element that would not read back as itself is left out: a string with whitespace or brackets
 * (`"readers editors"` would come back as two groups, one of them `editors`), a nested array (which
 * `join` would spread into its parent) or an object. Cognito's group names never contain such
 * characters, so real tokens lose nothing; a crafted one cannot gain a group.
 */
export function flattenClaims(payload: JWTPayload): Record<string, string> {
  const claims: Record<string, string> = {};
  for (const [name, value] of Object.entries(payload)) {
    if (Array.isArray(value)) {
      const elements = value.map(flattenableElement).filter((element) => element !== undefined);
      claims[name] = `[${elements.join(' ')}]`;
    } else if (typeof value === 'object' && value !== null) claims[name] = JSON.stringify(value);
    else claims[name] = String(value);
  }
  return claims;
}

const TEXT_MEDIA =
  /^(text\/[^;]+|application\/([a-z0-9.+-]*\+)?(json|xml|x-www-form-urlencoded|javascript))\s*(;|$)/i;

function singleValued(headers: IncomingHttpHeaders): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || name === 'cookie') continue;
    result[name.toLowerCase()] = Array.isArray(value) ? value.join(',') : value;
  }
  return result;
}

export function buildEvent(
  request: GatewayRequest,
  matched: MatchedRoute,
  claims: Record<string, string> | undefined,
  now = new Date(),
): APIGatewayProxyEventV2 {
  const url = new URL(request.url, 'http://localhost');
  const headers = singleValued(request.headers);
  const query: Record<string, string> = {};
  for (const [name, value] of url.searchParams) {
    // Repeated parameters are comma-joined, as HTTP APIs do.
    query[name] = name in query ? `${query[name]},${value}` : value;
  }
  const cookies = request.headers.cookie?.split(/;\s*/).filter(Boolean);
  // A text body goes as a string only if it is valid UTF-8; anything else goes as base64, so the handler
  // sees the bytes that were sent (and can refuse them) instead of text "repaired" with U+FFFD.
  const isText = TEXT_MEDIA.test(headers['content-type'] ?? '') && isUtf8(request.body);
  const hasBody = request.body.length > 0;
  const key = routeKey(matched.route);
  const requestId = randomUUID();

  return {
    version: '2.0',
    routeKey: key,
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    ...(cookies?.length ? { cookies } : {}),
    headers,
    ...(Object.keys(query).length ? { queryStringParameters: query } : {}),
    ...(Object.keys(matched.pathParameters).length ? { pathParameters: matched.pathParameters } : {}),
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: headers.host ?? 'localhost',
      domainPrefix: (headers.host ?? 'localhost').split('.')[0] ?? 'localhost',
      http: {
        method: request.method,
        path: url.pathname,
        protocol: 'HTTP/1.1',
        sourceIp: request.sourceIp,
        userAgent: headers['user-agent'] ?? '',
      },
      requestId,
      routeKey: key,
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
      ...(claims ? { authorizer: { jwt: { claims, scopes: null } } } : {}),
    },
    ...(hasBody
      ? {
          body: isText ? request.body.toString('utf8') : request.body.toString('base64'),
          isBase64Encoded: !isText,
        }
      : { isBase64Encoded: false }),
  } as APIGatewayProxyEventV2;
}

export function lambdaContext(functionName: string, timeoutMs = 10_000): Context {
  const deadline = Date.now() + timeoutMs;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:${functionName}`,
    memoryLimitInMB: '512',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

export interface GatewayResponse {
  readonly statusCode: number;
  readonly headers: Record<string, string>;
  readonly body: Buffer;
}

function gatewayError(
  statusCode: number,
  gatewayMessage: string,
  code: string,
  message: string,
): GatewayResponse {
  // API Gateway answers its own refusals with `{"message": ...}`; the `error` object is the API's
  // contract, so local clients get both and code written against either works in both places.
  return {
    statusCode,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' },
    body: Buffer.from(JSON.stringify({ message: gatewayMessage, error: { code, message } })),
  };
}

export interface ApiGatewayOptions {
  readonly routes: readonly RouteDefinition[];
  readonly verifyToken: TokenVerifier;
  readonly loadHandler: (route: RouteDefinition) => Promise<LambdaHandler>;
}

export function createApiGateway(options: ApiGatewayOptions) {
  return async (request: GatewayRequest): Promise<GatewayResponse> => {
    const path = new URL(request.url, 'http://localhost').pathname;
    const matched = matchRoute(options.routes, request.method, path);
    if (!matched)
      return gatewayError(404, 'Not Found', 'not_found', `No route for ${request.method} ${path}`);
    if (request.body.length > GATEWAY_MAX_BODY_BYTES) {
      return gatewayError(
        413,
        'Request Entity Too Large',
        'payload_too_large',
        'The request body is too large',
      );
    }

    let claims: Record<string, string> | undefined;
    if (requiresToken(matched.route)) {
      const header = request.headers.authorization;
      const token = bearerToken(Array.isArray(header) ? header[0] : header);
      const unauthorized = () =>
        gatewayError(401, 'Unauthorized', 'unauthorized', 'A valid bearer token is required');
      if (!token) return unauthorized();
      try {
        claims = flattenClaims(await options.verifyToken(token));
      } catch {
        return unauthorized();
      }
    }

    const handler = await options.loadHandler(matched.route);
    let result: APIGatewayProxyStructuredResultV2;
    try {
      result = await handler(buildEvent(request, matched, claims), lambdaContext(matched.route.handler));
    } catch (error) {
      // Lambda would log this to CloudWatch; the caller only learns that it failed.
      console.error(`[gateway] ${matched.route.handler} threw:`, error);
      return gatewayError(500, 'Internal Server Error', 'internal_error', 'Something went wrong on our side');
    }
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(result.headers ?? {}))
      headers[name.toLowerCase()] = String(value);
    const body = result.body
      ? Buffer.from(result.body, result.isBase64Encoded ? 'base64' : 'utf8')
      : Buffer.alloc(0);
    return { statusCode: result.statusCode ?? 200, headers, body };
  };
}
