import type { APIGatewayProxyEventV2, APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import type { JWTPayload } from 'jose';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { createTokenVerifier, type TokenVerifier } from '../../../functions/auth/token-verifier';
import { parseGroupsClaim, requireRole } from '../../../functions/http/editor-auth';
import { readJsonBody } from '../../../functions/http/request';
import { ROUTES, type RouteDefinition } from '../../../functions/http/routes';
import {
  buildEvent,
  createApiGateway,
  flattenClaims,
  GATEWAY_MAX_BODY_BYTES,
  type GatewayRequest,
  type LambdaHandler,
  type MatchedRoute,
  matchRoute,
} from '../../../local/api-gateway';
import { refusal } from '../../support/refusal';
import { AUDIENCE, createTestIssuer, EDITOR_CLAIMS, ISSUER, type TestIssuer } from '../auth/test-issuer';

const route = (method: string, path: string) =>
  ROUTES.find((candidate) => candidate.method === method && candidate.path === path) as RouteDefinition;

function request(overrides: Partial<GatewayRequest> = {}): GatewayRequest {
  return {
    method: 'GET',
    url: '/api/latest',
    headers: { host: 'localhost:3000' },
    body: Buffer.alloc(0),
    sourceIp: '127.0.0.1',
    ...overrides,
  };
}

describe('matchRoute', () => {
  it('matches a route without parameters', () => {
    expect(matchRoute(ROUTES, 'GET', '/api/latest')).toEqual({
      route: route('GET', '/api/latest'),
      pathParameters: {},
    });
  });

  it('matches a route by method and extracts its path parameters', () => {
    const matched = matchRoute(ROUTES, 'PATCH', '/api/articles/01JQ7Z9K3M4N5P6Q7R8S9TVWXY');
    expect(matched?.route.id).toBe('UpdateArticle');
    expect(matched?.pathParameters).toEqual({ id: '01JQ7Z9K3M4N5P6Q7R8S9TVWXY' });
  });

  it('decodes percent-encoded path parameters', () => {
    expect(matchRoute(ROUTES, 'GET', '/api/articles/%C3%ABnd%C3%ABrr%20x')?.pathParameters).toEqual({
      id: 'ëndërr x',
    });
  });

  it('is undefined when only the method differs', () => {
    expect(matchRoute(ROUTES, 'PUT', '/api/articles/abc')).toBeUndefined();
    expect(matchRoute(ROUTES, 'POST', '/api/latest')).toBeUndefined();
    expect(matchRoute(ROUTES, 'get', '/api/latest')).toBeUndefined();
  });

  it.each(['/api/articles/a/b', '/api/articles/', '/api/latest/', '/api/lates', '/api', '/apiXlatest', '/'])(
    'is undefined for the path %j',
    (path) => {
      expect(matchRoute(ROUTES, 'GET', path)).toBeUndefined();
    },
  );

  it('treats regular-expression characters in route paths literally', () => {
    const routes: RouteDefinition[] = [
      {
        id: 'Dotted',
        method: 'GET',
        path: '/api/v1.0/items',
        handler: 'dotted',
        auth: 'public',
        tableAccess: 'none',
      },
    ];
    expect(matchRoute(routes, 'GET', '/api/v1.0/items')).toBeDefined();
    expect(matchRoute(routes, 'GET', '/api/v1x0/items')).toBeUndefined();
  });
});

describe('flattenClaims', () => {
  it('flattens claims the way the HTTP API JWT authorizer does', () => {
    expect(
      flattenClaims({
        sub: 'editor-1',
        'cognito:groups': ['editors', 'admins'],
        exp: 1_772_366_400,
        email_verified: true,
        address: { country: 'AL' },
        empty: [],
      }),
    ).toEqual({
      sub: 'editor-1',
      'cognito:groups': '[editors admins]',
      exp: '1772366400',
      email_verified: 'true',
      address: '{"country":"AL"}',
      empty: '[]',
    });
  });
});

describe('flattenClaims and the groups a handler reads back', () => {
  const groupsOf = (groups: unknown) =>
    parseGroupsClaim(flattenClaims({ 'cognito:groups': groups } as JWTPayload)['cognito:groups']);

  it.each<[string, unknown, string[]]>([
    ['an array of names', ['readers', 'editors'], ['readers', 'editors']],
    ['an array of one', ['editors'], ['editors']],
    ['an empty array', [], []],
  ])('round-trips %s', (_, groups, expected) => {
    expect(groupsOf(groups)).toEqual(expected);
  });

  it.each<[string, unknown, string]>([
    ['a name with a space', ['readers editors'], '[]'],
    ['a name with a tab', ['readers\teditors'], '[]'],
    ['a name with brackets', ['[editors]'], '[]'],
    ['a nested array', ['readers', ['editors']], '[readers]'],
    ['a deeper nested array', [[['editors']]], '[]'],
    ['an object', [{ name: 'editors' }], '[]'],
    ['null and an empty name', [null, ''], '[]'],
  ])('leaves out what would not read back as itself: %s', (_, groups, flattened) => {
    expect(flattenClaims({ 'cognito:groups': groups } as JWTPayload)['cognito:groups']).toBe(flattened);
    expect(groupsOf(groups)).not.toContain('editors');
  });

  it.each<[string, unknown]>([
    ['a comma-separated string', 'readers,editors'],
    ['a space-separated string', 'readers editors'],
  ])('passes %s through as one group, which is not editors', (_, groups) => {
    expect(groupsOf(groups)).toEqual([groups]);
  });

  it('keeps numbers and booleans in arrays, as text', () => {
    expect(flattenClaims({ list: [1, true, 'a'] } as JWTPayload).list).toBe('[1 true a]');
  });
});

describe('buildEvent', () => {
  const getArticle: MatchedRoute = {
    route: route('GET', '/api/articles/{id}'),
    pathParameters: { id: 'abc' },
  };
  const latest: MatchedRoute = { route: route('GET', '/api/latest'), pathParameters: {} };
  const now = new Date('2026-03-01T12:00:00.000Z');

  it('has the payload format 2.0 shape', () => {
    const event = buildEvent(
      request({
        url: '/api/articles/abc?draft=1',
        headers: { host: 'localhost:3000', 'user-agent': 'curl/8', accept: 'application/json' },
        sourceIp: '192.0.2.10',
      }),
      getArticle,
      undefined,
      now,
    );

    expect(event).toMatchObject({
      version: '2.0',
      routeKey: 'GET /api/articles/{id}',
      rawPath: '/api/articles/abc',
      rawQueryString: 'draft=1',
      headers: { host: 'localhost:3000', 'user-agent': 'curl/8', accept: 'application/json' },
      queryStringParameters: { draft: '1' },
      pathParameters: { id: 'abc' },
      isBase64Encoded: false,
      requestContext: {
        routeKey: 'GET /api/articles/{id}',
        stage: '$default',
        domainName: 'localhost:3000',
        http: {
          method: 'GET',
          path: '/api/articles/abc',
          protocol: 'HTTP/1.1',
          sourceIp: '192.0.2.10',
          userAgent: 'curl/8',
        },
        timeEpoch: now.getTime(),
      },
    });
    expect(event.requestContext.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(event.body).toBeUndefined();
  });

  it('gives every request its own request id', () => {
    const first = buildEvent(request(), latest, undefined);
    const second = buildEvent(request(), latest, undefined);
    expect(first.requestContext.requestId).not.toBe(second.requestContext.requestId);
  });

  it('lower-cases header names and joins repeated headers', () => {
    const event = buildEvent(
      request({
        headers: { 'X-Custom': 'a', accept: ['text/html', 'application/json'] as unknown as string },
      }),
      latest,
      undefined,
    );
    expect(event.headers).toEqual({ 'x-custom': 'a', accept: 'text/html,application/json' });
  });

  it('comma-joins repeated query parameters and decodes them', () => {
    const event = buildEvent(
      request({ url: '/api/latest?tag=a&tag=b&section=bota&q=%C3%AB%20x' }),
      latest,
      undefined,
    );
    expect(event.queryStringParameters).toEqual({ tag: 'a,b', section: 'bota', q: 'ë x' });
    expect(event.rawQueryString).toBe('tag=a&tag=b&section=bota&q=%C3%AB%20x');
  });

  it('leaves out query and path parameters when there are none', () => {
    const event = buildEvent(request(), latest, undefined);
    expect(event).not.toHaveProperty('queryStringParameters');
    expect(event).not.toHaveProperty('pathParameters');
    expect(event.rawQueryString).toBe('');
  });

  it('moves cookies out of the headers', () => {
    const event = buildEvent(request({ headers: { cookie: 'a=1; b=2' } }), latest, undefined);
    expect(event.cookies).toEqual(['a=1', 'b=2']);
    expect(event.headers).not.toHaveProperty('cookie');
  });

  it('attaches authorizer claims only when given', () => {
    const anonymous = buildEvent(request(), latest, undefined) as APIGatewayProxyEventV2WithJWTAuthorizer;
    expect(anonymous.requestContext.authorizer).toBeUndefined();

    const claims = { sub: 'editor-1', 'cognito:groups': '[editors]' };
    const authorized = buildEvent(request(), latest, claims) as APIGatewayProxyEventV2WithJWTAuthorizer;
    expect(authorized.requestContext.authorizer.jwt).toEqual({ claims, scopes: null });
  });

  it.each([
    'application/json',
    'application/json; charset=utf-8',
    'application/merge-patch+json',
    'text/plain',
  ])('passes a %s body as text', (contentType) => {
    const body = '{"title":"Ëndërr"}';
    const event = buildEvent(
      request({ method: 'POST', headers: { 'content-type': contentType }, body: Buffer.from(body) }),
      latest,
      undefined,
    );
    expect(event.body).toBe(body);
    expect(event.isBase64Encoded).toBe(false);
  });

  it.each([
    ['a lone continuation', [0xc3, 0x28]],
    ['0xFF', [0xff]],
    ['an overlong encoding', [0xc0, 0xaf]],
    ['a UTF-8-encoded surrogate', [0xed, 0xa0, 0x80]],
    ['a truncated sequence', [0xe2, 0x82]],
  ])('passes a JSON body with %s in a string as its bytes, in base64, never repaired', (_, invalid) => {
    const bytes = Buffer.concat([Buffer.from('{"title":"a'), Buffer.from(invalid), Buffer.from('b"}')]);
    const event = buildEvent(
      request({ method: 'POST', headers: { 'content-type': 'application/json' }, body: bytes }),
      latest,
      undefined,
    );
    expect(event.isBase64Encoded).toBe(true);
    expect(Buffer.from(event.body ?? '', 'base64')).toEqual(bytes);
    expect(event.body).not.toContain('\uFFFD');
    // And the handler's body reader refuses those bytes.
    expect(refusal(() => readJsonBody(event))).toMatchObject({ status: 400, code: 'invalid_json' });
  });

  it('passes a JSON body that contains U+FFFD itself as text: it is valid UTF-8', () => {
    const body = '{"title":"a\uFFFDb"}';
    const event = buildEvent(
      request({ method: 'POST', headers: { 'content-type': 'application/json' }, body: Buffer.from(body) }),
      latest,
      undefined,
    );
    expect(event).toMatchObject({ body, isBase64Encoded: false });
    expect(readJsonBody(event)).toEqual({ title: 'a\uFFFDb' });
  });

  it.each(['image/png', 'application/octet-stream', undefined])(
    'passes a %s body as base64',
    (contentType) => {
      const bytes = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0xff]);
      const event = buildEvent(
        request({ method: 'POST', headers: contentType ? { 'content-type': contentType } : {}, body: bytes }),
        latest,
        undefined,
      );
      expect(event.isBase64Encoded).toBe(true);
      expect(Buffer.from(event.body ?? '', 'base64')).toEqual(bytes);
    },
  );
});

describe('createApiGateway', () => {
  let issuer: TestIssuer;
  let verifyToken: TokenVerifier;

  beforeAll(async () => {
    issuer = await createTestIssuer();
    verifyToken = createTokenVerifier({ issuer: ISSUER, audience: AUDIENCE, keys: issuer.keys });
  });

  /** A gateway whose handlers record the events they get and answer 200 with the route id. */
  function gatewayWith(handler?: LambdaHandler) {
    const events: APIGatewayProxyEventV2[] = [];
    const loaded: string[] = [];
    const gateway = createApiGateway({
      routes: ROUTES,
      verifyToken,
      loadHandler: async (definition) => {
        loaded.push(definition.id);
        return (
          handler ??
          (async (event) => {
            events.push(event);
            return {
              statusCode: 200,
              headers: { 'Content-Type': 'application/json', ETag: '"1"' },
              body: JSON.stringify({ route: definition.id }),
            };
          })
        );
      },
    });
    return { gateway, events, loaded };
  }

  const json = (body: Buffer) => JSON.parse(body.toString('utf8')) as Record<string, unknown>;

  it('refuses an editor route without a token with 401, without calling the handler', async () => {
    const { gateway, events, loaded } = gatewayWith();
    const response = await gateway(request({ method: 'POST', url: '/api/articles' }));
    expect(response.statusCode).toBe(401);
    expect(json(response.body)).toMatchObject({ message: 'Unauthorized', error: { code: 'unauthorized' } });
    expect(events).toEqual([]);
    expect(loaded).toEqual([]);
  });

  it.each(['Basic dXNlcjpwYXNz', 'Bearer not.a.token'])(
    'refuses an editor route with the Authorization %j with 401',
    async (authorization) => {
      const { gateway, events } = gatewayWith();
      const response = await gateway(
        request({ method: 'DELETE', url: '/api/articles/abc', headers: { authorization } }),
      );
      expect(response.statusCode).toBe(401);
      expect(events).toEqual([]);
    },
  );

  it('refuses an editor route with an expired token with 401', async () => {
    const { gateway, events } = gatewayWith();
    const token = await issuer.sign(EDITOR_CLAIMS, { expiresIn: Math.floor(Date.now() / 1000) - 60 });
    const response = await gateway(
      request({ method: 'PATCH', url: '/api/articles/abc', headers: { authorization: `Bearer ${token}` } }),
    );
    expect(response.statusCode).toBe(401);
    expect(events).toEqual([]);
  });

  it('hands the flattened claims of a valid token to an editor route', async () => {
    const { gateway, events } = gatewayWith();
    const token = await issuer.sign({ ...EDITOR_CLAIMS, 'cognito:groups': ['editors', 'admins'] });
    const response = await gateway(
      request({
        method: 'PATCH',
        url: '/api/articles/abc',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'if-match': '"1"' },
        body: Buffer.from('{"title":"New"}'),
      }),
    );

    expect(response.statusCode).toBe(200);
    expect(json(response.body)).toEqual({ route: 'UpdateArticle' });
    const event = events[0] as APIGatewayProxyEventV2WithJWTAuthorizer;
    expect(event.routeKey).toBe('PATCH /api/articles/{id}');
    expect(event.pathParameters).toEqual({ id: 'abc' });
    expect(event.body).toBe('{"title":"New"}');
    expect(event.requestContext.authorizer.jwt.claims).toMatchObject({
      sub: 'editor-1',
      iss: ISSUER,
      aud: AUDIENCE,
      'cognito:groups': '[editors admins]',
      'cognito:username': 'jane',
    });
    for (const value of Object.values(event.requestContext.authorizer.jwt.claims))
      expect(typeof value).toBe('string');
  });

  it('refuses an editor route with a token issued in the future with 401, without calling the handler', async () => {
    const { gateway, events } = gatewayWith();
    const token = await issuer.sign(EDITOR_CLAIMS, { issuedAt: Math.floor(Date.now() / 1000) + 3600 });
    const response = await gateway(
      request({ method: 'DELETE', url: '/api/articles/abc', headers: { authorization: `Bearer ${token}` } }),
    );
    expect(response.statusCode).toBe(401);
    expect(events).toEqual([]);
  });

  it('refuses an editor route with a token that is not valid yet (nbf) with 401', async () => {
    const { gateway, events } = gatewayWith();
    const token = await issuer.sign(EDITOR_CLAIMS, { notBefore: Math.floor(Date.now() / 1000) + 3600 });
    const response = await gateway(
      request({ method: 'DELETE', url: '/api/articles/abc', headers: { authorization: `Bearer ${token}` } }),
    );
    expect(response.statusCode).toBe(401);
    expect(events).toEqual([]);
  });

  it.each<[string, unknown]>([
    ['one comma-separated name', ['readers,editors']],
    ['one space-separated name', ['readers editors']],
    ['a nested array', ['readers', ['editors']]],
    ['a comma-separated string', 'readers,editors'],
    ['a space-separated string', 'readers editors'],
  ])('hands a token whose groups are %s to the handler without the editors group', async (_, groups) => {
    const { gateway, events } = gatewayWith();
    const token = await issuer.sign({ ...EDITOR_CLAIMS, 'cognito:groups': groups });
    await gateway(
      request({ method: 'DELETE', url: '/api/articles/abc', headers: { authorization: `Bearer ${token}` } }),
    );
    const event = events[0] as APIGatewayProxyEventV2WithJWTAuthorizer;
    expect(parseGroupsClaim(event.requestContext.authorizer.jwt.claims['cognito:groups'])).not.toContain(
      'editors',
    );
    expect(refusal(() => requireRole(event, 'editor')).status).toBe(403);
  });

  it('lower-cases the header names of the handler’s result', async () => {
    const { gateway } = gatewayWith();
    const response = await gateway(request());
    expect(response.headers).toEqual({ 'content-type': 'application/json', etag: '"1"' });
  });

  it('passes no claims to a public route, even with a token', async () => {
    const { gateway, events } = gatewayWith();
    const token = await issuer.sign(EDITOR_CLAIMS);
    const response = await gateway(
      request({ url: '/api/latest?limit=5', headers: { authorization: `Bearer ${token}` } }),
    );
    expect(response.statusCode).toBe(200);
    const event = events[0] as APIGatewayProxyEventV2WithJWTAuthorizer;
    expect(event.requestContext.authorizer).toBeUndefined();
    expect(event.queryStringParameters).toEqual({ limit: '5' });
  });

  it('leaves an optional route’s token to the handler: no authorizer, the header passed on', async () => {
    const { gateway, events } = gatewayWith();
    const response = await gateway(
      request({ url: '/api/articles/abc', headers: { authorization: 'Bearer whatever' } }),
    );
    expect(response.statusCode).toBe(200);
    const event = events[0] as APIGatewayProxyEventV2WithJWTAuthorizer;
    expect(event.requestContext.authorizer).toBeUndefined();
    expect(event.headers.authorization).toBe('Bearer whatever');
  });

  it.each([
    ['an unknown path', 'GET', '/api/nothing'],
    ['a known path with another method', 'PUT', '/api/articles/abc'],
    ['a path outside the API', 'GET', '/'],
  ])('answers %s with 404', async (_, method, url) => {
    const { gateway, loaded } = gatewayWith();
    const response = await gateway(request({ method, url }));
    expect(response.statusCode).toBe(404);
    expect(json(response.body)).toMatchObject({ message: 'Not Found', error: { code: 'not_found' } });
    expect(loaded).toEqual([]);
  });

  it('answers a body over the gateway limit with 413 before checking the token', async () => {
    const { gateway, loaded } = gatewayWith();
    const response = await gateway(
      request({ method: 'POST', url: '/api/articles', body: Buffer.alloc(GATEWAY_MAX_BODY_BYTES + 1, 0x20) }),
    );
    expect(response.statusCode).toBe(413);
    expect(json(response.body)).toMatchObject({ error: { code: 'payload_too_large' } });
    expect(loaded).toEqual([]);
  });

  it('answers a handler that throws with a generic 500 that leaks nothing', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      const { gateway } = gatewayWith(async () => {
        throw new Error('secret table name flash-news-articles');
      });
      const response = await gateway(request());
      expect(response.statusCode).toBe(500);
      expect(json(response.body)).toEqual({
        message: 'Internal Server Error',
        error: { code: 'internal_error', message: 'Something went wrong on our side' },
      });
      expect(response.body.toString()).not.toContain('flash-news-articles');
      expect(logged).toHaveBeenCalled();
    } finally {
      logged.mockRestore();
    }
  });

  it('decodes a base64 result body and defaults a missing status to 200', async () => {
    const { gateway } = gatewayWith(async () => ({
      body: Buffer.from('binary').toString('base64'),
      isBase64Encoded: true,
    }));
    const response = await gateway(request());
    expect(response.statusCode).toBe(200);
    expect(response.body.toString()).toBe('binary');
  });

  it('gives an empty body for a result without one', async () => {
    const { gateway } = gatewayWith(async () => ({ statusCode: 204 }));
    const response = await gateway(request({ method: 'GET', url: '/api/sections' }));
    expect(response.statusCode).toBe(204);
    expect(response.body.length).toBe(0);
  });
});
