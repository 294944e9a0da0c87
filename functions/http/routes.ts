/**
 * The HTTP API's route table: the single source of truth for both the CDK HTTP API (infra/) and the
 * local gateway (local/). Adding a route here adds it in both places.
 */

import type { Role } from '../domain/roles';

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'DELETE';

/**
 * - `public`: no token needed.
 * - `optional`: no authorizer (anonymous readers are welcome), but a bearer token, when sent, is verified
 *   by the handler itself and widens what the caller may see (a contributor's own drafts, every draft
 *   for an editor).
 * - a role (`contributor`, `editor`, `admin`): the least role the route needs. API Gateway's JWT
 *   authorizer must accept the token; functions/http/route-handler.ts then checks the role its groups
 *   grant (functions/domain/roles.ts), and the domain what that role may do to which article.
 */
export type RouteAuth = 'public' | 'optional' | Role;

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
  /** Whether the handler mints or checks preview links (needs their key, derived from the cursor secret). */
  readonly usesPreviewKey?: boolean;
}

export const ROUTES: readonly RouteDefinition[] = [
  {
    id: 'CreateArticle',
    method: 'POST',
    path: '/api/articles',
    handler: 'create-article',
    auth: 'contributor',
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
    // Contributors edit their own drafts; functions/domain/article-access.ts says which.
    auth: 'contributor',
    tableAccess: 'read-write',
  },
  {
    id: 'DeleteArticle',
    method: 'DELETE',
    path: '/api/articles/{id}',
    handler: 'delete-article',
    auth: 'admin',
    tableAccess: 'read-write',
  },
  {
    id: 'PreviewArticle',
    method: 'GET',
    path: '/api/articles/{id}/preview',
    handler: 'preview-article',
    auth: 'editor',
    tableAccess: 'read',
  },
  {
    id: 'CreatePreviewLink',
    method: 'POST',
    path: '/api/articles/{id}/preview-link',
    handler: 'create-preview-link',
    auth: 'editor',
    tableAccess: 'read',
    usesPreviewKey: true,
  },
  {
    id: 'OpenPreviewLink',
    method: 'GET',
    path: '/api/preview',
    handler: 'open-preview-link',
    // The signed link is the credential: whoever holds it may see that one version of that one article.
    auth: 'public',
    tableAccess: 'read',
    usesPreviewKey: true,
  },
  {
    id: 'ListArticleRevisions',
    method: 'GET',
    path: '/api/articles/{id}/revisions',
    handler: 'list-article-revisions',
    auth: 'editor',
    tableAccess: 'read',
  },
  {
    id: 'GetArticleRevision',
    method: 'GET',
    path: '/api/articles/{id}/revisions/{version}',
    handler: 'get-article-revision',
    auth: 'editor',
    tableAccess: 'read',
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

/** Whether API Gateway's JWT authorizer guards the route: every route that names a role. */
export function requiresToken(route: Pick<RouteDefinition, 'auth'>): boolean {
  return route.auth !== 'public' && route.auth !== 'optional';
}

export function routeById(id: string): RouteDefinition {
  const route = ROUTES.find((candidate) => candidate.id === id);
  if (!route) throw new Error(`No route ${id} in the route table`);
  return route;
}

/** API Gateway's route key, e.g. `PATCH /api/articles/{id}`. */
/** Whether the route's function reads the cursor secret: for cursors, or to derive the preview key. */
export function readsCursorSecret(route: Pick<RouteDefinition, 'usesCursor' | 'usesPreviewKey'>): boolean {
  return route.usesCursor === true || route.usesPreviewKey === true;
}

export function routeKey(route: Pick<RouteDefinition, 'method' | 'path'>): string {
  return `${route.method} ${route.path}`;
}
