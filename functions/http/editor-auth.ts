import type { APIGatewayProxyEventV2, APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import type { JWTPayload } from 'jose';
import { bearerToken, InvalidTokenError, type TokenVerifier } from '../auth/token-verifier';
import { AppError } from '../domain/errors';
import { A_ROLE, type Caller, hasRole, ROLE_GROUPS, ROLES, type Role, roleOfGroups } from '../domain/roles';
import { header } from './request';
import type { RouteDefinition } from './routes';

const GROUPS_CLAIM = 'cognito:groups';

/**
 * API Gateway's HTTP API JWT authorizer flattens an array claim to one string: the elements, each as it
 * is, between brackets and separated by single spaces (`["editors","admins"]` → `"[editors admins]"`).
 * Cognito group names contain no whitespace, so that form splits back unambiguously; nothing else does.
 */
const FLATTENED_ARRAY = /^\[(?:[^\s[\]]+(?: [^\s[\]]+)*)?\]$/;

/**
 * Groups as they reach a handler, read so that only a group really named `editors` makes an editor:
 * - a JSON array (a verified token's claim): its string elements, each matched whole; anything else in
 *   it (numbers, nested arrays, objects) names no group;
 * - the authorizer's flattened form, exactly `[a b]`: split on its single spaces;
 * - any other string is one group name, matched whole: `"readers,editors"` or `"readers editors"` is
 *   a group of that name, not two groups, so it is never `editors`.
 */
export function parseGroupsClaim(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((group): group is string => typeof group === 'string');
  if (typeof value !== 'string' || value === '') return [];
  if (FLATTENED_ARRAY.test(value)) return value.slice(1, -1).split(' ').filter(Boolean);
  return [value];
}

function callerFromClaims(claims: Record<string, unknown>): Caller {
  const subject = typeof claims.sub === 'string' ? claims.sub : '';
  if (!subject) throw new AppError('unauthorized', 'The token has no subject');
  const username = claims['cognito:username'] ?? claims.username;
  return {
    subject,
    username: typeof username === 'string' ? username : undefined,
    role: roleOfGroups(parseGroupsClaim(claims[GROUPS_CLAIM])),
  };
}

/** The groups that grant at least `least`, for telling a refused caller what they lack. */
function groupsGranting(least: Role): string {
  return ROLES.filter((role) => hasRole(role, least))
    .map((role) => `"${ROLE_GROUPS[role]}"`)
    .join(' or ');
}

/** Claims that API Gateway's JWT authorizer verified and attached to the event, if any. */
function authorizerClaims(event: APIGatewayProxyEventV2): Record<string, unknown> | undefined {
  return (event as APIGatewayProxyEventV2WithJWTAuthorizer).requestContext.authorizer?.jwt?.claims;
}

/** For routes that name a role: the authorizer has already checked the token; this checks the role. */
export function requireRole(event: APIGatewayProxyEventV2, least: Role): Caller {
  const claims = authorizerClaims(event);
  if (!claims) throw new AppError('unauthorized', 'A bearer token is required');
  const caller = callerFromClaims(claims);
  if (!hasRole(caller.role, least)) {
    throw new AppError(
      'forbidden',
      `This needs ${A_ROLE[least]}: the token's user is in none of the groups ${groupsGranting(least)}`,
    );
  }
  return caller;
}

/**
 * For `optional` routes, which have no authorizer: anonymous callers are welcome, but a token that is
 * sent must be valid (401 otherwise), so a misconfigured client learns about it instead of silently
 * seeing less. A valid token whose groups grant no role is a reader's, who sees what anyone sees.
 */
export async function optionalCaller(
  event: APIGatewayProxyEventV2,
  verify: TokenVerifier,
): Promise<Caller | undefined> {
  const authorization = header(event, 'authorization');
  if (authorization === undefined) return undefined;
  const token = bearerToken(authorization);
  if (!token) throw new AppError('unauthorized', 'The Authorization header must be "Bearer <token>"');
  let payload: JWTPayload;
  try {
    payload = await verify(token);
  } catch (error) {
    if (error instanceof InvalidTokenError)
      throw new AppError('unauthorized', 'The bearer token is invalid or expired');
    throw error;
  }
  return callerFromClaims(payload);
}

/**
 * The one place a route's rule from the route table is enforced: the caller it lets through, undefined
 * for anonymous callers of `public` and `optional` routes.
 */
export async function authorize(
  route: Pick<RouteDefinition, 'auth'>,
  event: APIGatewayProxyEventV2,
  verify: TokenVerifier,
): Promise<Caller | undefined> {
  if (route.auth === 'public') return undefined;
  if (route.auth === 'optional') return optionalCaller(event, verify);
  return requireRole(event, route.auth);
}
