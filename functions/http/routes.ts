/**
 * The HTTP API's route table: the single source of truth for both the CDK HTTP API (infra/) and the
 * local gateway (local/). Adding a route here adds it in both places.
 */

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'DELETE';

/**
 * - `public`: no token needed.
 * - `editor`: API Gateway's JWT authorizer must accept the token; the handler then requires the
 *   `editors` group.
 * - `optional`: no authorizer (anonymous readers are welcome), but a bearer token, when sent, is verified
 *   by the handler itself and widens what the caller may see (drafts).
 */
export type RouteAuth = 'public' | 'editor' | 'optional';

/** What the handler does to the articles table; the infrastructure grants exactly this. */
export type TableAccess = 'none' | 'read' | 'read-write';

export interface RouteDefinition {
  /** PascalCase id, used for construct ids and function names. */
  readonly id: string;
  readonly method: HttpMethod;
  /** API Gateway path syntax: `{name}` is a path parameter. */
  readonly path: string;
  /** Module under `functions/handlers/` exporting `handler`. */
  readonly handler: string;
  readonly auth: RouteAuth;
  readonly tableAccess: TableAccess;
  /** Whether the handler signs or checks pagination cursors (needs the cursor secret). */
  readonly usesCursor?: boolean;
}

export const ROUTES: readonly RouteDefinition[] = [
  {
    id: 'CreateArticle',
    method: 'POST',
    path: '/api/articles',
    handler: 'create-article',
    auth: 'editor',
    tableAccess: 'read-write',
  },
  {
    id: 'GetArticle',
    method: 'GET',
    path: '/api/articles/{id}',
    handler: 'get-article',
    auth: 'optional',
    tableAccess: 'read',
  },
  {
    id: 'UpdateArticle',
    method: 'PATCH',
    path: '/api/articles/{id}',
    handler: 'update-article',
    auth: 'editor',
    tableAccess: 'read-write',
  },
  {
    id: 'DeleteArticle',
    method: 'DELETE',
    path: '/api/articles/{id}',
    handler: 'delete-article',
    auth: 'editor',
    tableAccess: 'read-write',
  },
  {
    id: 'ListLatest',
    method: 'GET',
    path: '/api/latest',
    handler: 'list-latest',
    auth: 'public',
    tableAccess: 'read',
    usesCursor: true,
  },
  {
    id: 'ListSections',
    method: 'GET',
    path: '/api/sections',
    handler: 'list-sections',
    auth: 'public',
    tableAccess: 'none',
  },
  {
    id: 'GetOpenApiDocument',
    method: 'GET',
    path: '/api/openapi.json',
    handler: 'get-openapi-document',
    auth: 'public',
    tableAccess: 'none',
  },
  {
    id: 'GetApiReference',
    method: 'GET',
    path: '/api/docs',
    handler: 'get-api-reference',
    auth: 'public',
    tableAccess: 'none',
  },
];

/** API Gateway's route key, e.g. `PATCH /api/articles/{id}`. */
export function routeKey(route: Pick<RouteDefinition, 'method' | 'path'>): string {
  return `${route.method} ${route.path}`;
}
