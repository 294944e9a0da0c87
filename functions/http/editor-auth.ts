import type { APIGatewayProxyEventV2, APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import type { JWTPayload } from 'jose';
import { bearerToken, InvalidTokenError, type TokenVerifier } from '../auth/token-verifier';
import { AppError } from '../domain/errors';
import { header } from './request';

export const EDITORS_GROUP = 'editors';
const GROUPS_CLAIM = 'cognito:groups';

export interface Editor {
  readonly subject: string;
  readonly username?: string;
  readonly groups: readonly string[];
}

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

function editorFromClaims(claims: Record<string, unknown>): Editor {
  const subject = typeof claims.sub === 'string' ? claims.sub : '';
  if (!subject) throw new AppError('unauthorized', 'The token has no subject');
  const username = claims['cognito:username'] ?? claims.username;
  return {
    subject,
    username: typeof username === 'string' ? username : undefined,
    groups: parseGroupsClaim(claims[GROUPS_CLAIM]),
  };
}

function requireEditorsGroup(editor: Editor): Editor {
  if (!editor.groups.includes(EDITORS_GROUP)) {
    throw new AppError(
      'forbidden',
      `This needs an editor: the token's user is not in the "${EDITORS_GROUP}" group`,
    );
  }
  return editor;
}

/** Claims that API Gateway's JWT authorizer verified and attached to the event, if any. */
function authorizerClaims(event: APIGatewayProxyEventV2): Record<string, unknown> | undefined {
  return (event as APIGatewayProxyEventV2WithJWTAuthorizer).requestContext.authorizer?.jwt?.claims;
}

/** For `editor` routes: the authorizer has already checked the token; the handler checks the group. */
export function requireEditor(event: APIGatewayProxyEventV2): Editor {
  const claims = authorizerClaims(event);
  if (!claims) throw new AppError('unauthorized', 'A bearer token is required');
  return requireEditorsGroup(editorFromClaims(claims));
}

/**
 * For `optional` routes, which have no authorizer: anonymous callers are welcome, but a token that is
 * sent must be valid (401 otherwise) and must belong to an editor to count (403 otherwise), so a
 * misconfigured client learns about it instead of silently seeing less.
 */
export async function optionalEditor(
  event: APIGatewayProxyEventV2,
  verify: TokenVerifier,
): Promise<Editor | undefined> {
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
  return requireEditorsGroup(editorFromClaims(payload));
}
