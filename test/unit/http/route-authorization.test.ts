import { readFileSync } from 'node:fs';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTokenVerifier, type TokenVerifier } from '../../../functions/auth/token-verifier';
import { authorize } from '../../../functions/http/editor-auth';
import { routeHandler } from '../../../functions/http/route-handler';
import { ROUTES, type RouteDefinition, routeKey } from '../../../functions/http/routes';
import {
  ADMITTED,
  CALLER_GROUPS,
  CALLER_KINDS,
  type CallerKind,
  refusalStatus,
} from '../../support/route-rules';
import { AUDIENCE, createTestIssuer, ISSUER, type TestIssuer } from '../auth/test-issuer';
import { httpEvent } from './event';

const ROLE_OF: Partial<Record<CallerKind, string>> = {
  contributor: 'contributor',
  editor: 'editor',
  admin: 'admin',
};

let issuer: TestIssuer;
let verify: TokenVerifier;

beforeAll(async () => {
  issuer = await createTestIssuer();
  verify = createTokenVerifier({ issuer: ISSUER, audience: AUDIENCE, keys: issuer.keys });
});

/**
 * The event as the route's handler receives it: the bearer token in its header and, on routes guarded by
 * API Gateway's JWT authorizer, the claims it verified, flattened as the authorizer does.
 */
async function eventFor(route: RouteDefinition, identity: CallerKind): Promise<APIGatewayProxyEventV2> {
  const groups = CALLER_GROUPS[identity];
  const base = { method: route.method, path: route.path };
  if (groups === undefined) return httpEvent(base);
  const subject = `${identity.replace(' ', '-')}-1`;
  const token = await issuer.sign(
    { 'cognito:groups': [...groups], 'cognito:username': identity },
    { subject },
  );
  const guarded = !['public', 'optional'].includes(route.auth);
  return httpEvent({
    ...base,
    headers: { authorization: `Bearer ${token}` },
    ...(guarded ? { claims: { sub: subject, 'cognito:groups': `[${groups.join(' ')}]` } } : {}),
  });
}

const cases = ROUTES.flatMap((route) =>
  CALLER_KINDS.map((identity) => [routeKey(route), identity, route] as const),
);

describe('every route × every caller', () => {
  it.each(cases)('%s as %s: allowed exactly when the route table says so', async (_, identity, route) => {
    const admitted = ADMITTED[route.auth].includes(identity);
    const outcome = await authorize(route, await eventFor(route, identity), verify).then(
      (caller) => ({ caller }),
      (error: { status: number }) => ({ status: error.status }),
    );
    if (admitted) {
      expect(outcome).toHaveProperty('caller');
      if ('caller' in outcome && route.auth !== 'public')
        expect(outcome.caller?.role).toBe(ROLE_OF[identity]);
    } else {
      expect(outcome).toEqual({ status: refusalStatus(identity) });
    }
  });

  it.each(cases)('%s as %s: the route’s handler applies the same rule', async (_, identity, route) => {
    let ran = false;
    const handler = routeHandler(
      route.id,
      async ({ caller }) => {
        ran = true;
        return { statusCode: 299, body: caller?.role ?? '' };
      },
      verify,
    );
    const response = await handler(await eventFor(route, identity), {} as Context);
    const admitted = ADMITTED[route.auth].includes(identity);
    expect(ran).toBe(admitted);
    expect(response.statusCode).toBe(admitted ? 299 : refusalStatus(identity));
  });
});

describe('the route table is what the handlers enforce', () => {
  it.each(ROUTES.filter((route) => route.auth !== 'public'))(
    '$id: its handler module is built by routeHandler from its own route',
    (route) => {
      const source = readFileSync(
        new URL(`../../../functions/handlers/${route.handler}.ts`, import.meta.url),
        'utf8',
      );
      expect(source).toMatch(new RegExp(`routeHandler\\(\\s*'${route.id}'`));
      expect(source).not.toMatch(/requireRole|optionalCaller|authorize\(/);
    },
  );

  it('refuses to build the handler of an optional route without a token verifier', () => {
    const optional = ROUTES.filter((route) => route.auth === 'optional');
    expect(optional.length).toBeGreaterThan(0);
    for (const route of optional) {
      expect(() => routeHandler(route.id, async () => ({ statusCode: 200 }))).toThrow(/verifier/);
    }
  });

  it('refuses to build a handler for a route the table does not have', () => {
    expect(() => routeHandler('NoSuchRoute', async () => ({ statusCode: 200 }), verify)).toThrow(
      /NoSuchRoute/,
    );
  });
});
