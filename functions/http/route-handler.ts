import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import type { TokenVerifier } from '../auth/token-verifier';
import { AppError } from '../domain/errors';
import type { Caller } from '../domain/roles';
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

/** Routes that name a role get their tokens checked by API Gateway's authorizer: they verify none. */
const NO_TOKENS_TO_VERIFY: TokenVerifier = async () => {
  throw new Error('This route verifies no tokens itself');
};

/**
 * A route's handler: the route table's rule for it (functions/http/routes.ts) is applied here, before
 * the operation runs, so no handler decides for itself who may call it.
 *
 * Only `optional` routes verify tokens themselves, and only they are given a verifier: the JWT library's
 * key-set fetching would otherwise be bundled into every function.
 */
export function routeHandler(routeId: string, operation: RouteOperation, verify?: TokenVerifier) {
  const route = routeById(routeId);
  if (route.auth === 'optional' && !verify) {
    throw new Error(`The route ${routeId} is optional: its handler must be given a token verifier`);
  }
  const verifier = verify ?? NO_TOKENS_TO_VERIFY;
  return httpHandler(async (event, context) =>
    operation({ event, context, caller: await authorize(route, event, verifier) }),
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
