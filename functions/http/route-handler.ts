import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import type { TokenVerifier } from '../auth/token-verifier';
import { AppError } from '../domain/errors';
import type { Caller } from '../domain/roles';
import { tokenVerifierFromEnv } from '../shared/token-verifier';
import { authorize } from './editor-auth';
import { httpHandler } from './http-handler';
import type { HttpResult } from './responses';
import { routeById } from './routes';

export interface AuthorizedRequest {
  readonly event: APIGatewayProxyEventV2;
  readonly context: Context;
  /** Undefined for an anonymous caller, which only `public` and `optional` routes let through. */
  readonly caller: Caller | undefined;
}

export type RouteOperation = (request: AuthorizedRequest) => Promise<HttpResult>;

/**
 * A route's handler: the route table's rule for it (functions/http/routes.ts) is applied here, before
 * the operation runs, so no handler decides for itself who may call it.
 */
export function routeHandler(
  routeId: string,
  operation: RouteOperation,
  verify: TokenVerifier = tokenVerifierFromEnv(),
) {
  const route = routeById(routeId);
  return httpHandler(async (event, context) =>
    operation({ event, context, caller: await authorize(route, event, verify) }),
  );
}

/**
 * The caller of a route that names a role, which authorize() has let through only with a token; this
 * only tells the type checker so.
 */
export function signedIn(request: AuthorizedRequest): Caller {
  if (!request.caller) throw new AppError('unauthorized', 'A bearer token is required');
  return request.caller;
}
