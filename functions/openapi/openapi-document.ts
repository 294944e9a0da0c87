import * as z from 'zod';
import { A_ROLE, hasRole, ROLE_GROUPS, ROLES } from '../domain/roles';
import { IDEMPOTENCY_KEY, MAX_BODY_BYTES } from '../http/request';
import { RETRY_AFTER_SECONDS } from '../http/responses';
import { ROUTES, type RouteDefinition, requiresToken } from '../http/routes';
import { codesOfStatus } from './error-responses';
import { type HeaderName, type HeaderParameterName, OPERATIONS, type OperationSpec } from './operations';
import {
  articleResponseSchema,
  articleRevisionSchema,
  errorBodySchema,
  gatewayRefusalSchema,
  latestItemSchema,
  latestPageSchema,
  openApiDocumentSchema,
  previewLinkSchema,
  revisionListSchema,
  revisionSummarySchema,
  sectionListSchema,
  sectionSchema,
  timestampSchema,
} from './response-schemas';

/**
 * The OpenAPI 3.1 document of the API, built from the route table (paths, methods, auth), the zod schemas
 * the handlers validate with (request bodies and queries) and the response schemas (response-schemas.ts).
 * Pure and deterministic: the same code gives the same document, which is what GET /api/openapi.json
 * serves and `npm run openapi` writes to docs/openapi.json.
 */

export const OPENAPI_VERSION = '3.1.0';
/** The contract's version: raise it when a change could break a client. */
export const API_VERSION = '1.0.0';

// biome-ignore lint/suspicious/noExplicitAny: JSON Schema and OpenAPI objects are plain JSON, built generically.
type Json = Record<string, any>;

const ref = (kind: 'schemas' | 'responses' | 'parameters' | 'headers', name: string) => ({
  $ref: `#/components/${kind}/${name}`,
});

/** A zod schema as a JSON Schema (2020-12, OpenAPI 3.1's dialect), ready to sit inside the document. */
function jsonSchemaOf(schema: z.core.$ZodType, io: 'input' | 'output'): Json {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io, target: 'draft-2020-12' }) as Json;
  return rest;
}

/** The response schemas as components, referring to each other (`LatestPage` → `LatestItem`). */
function responseSchemaComponents(): Json {
  const registry = z.registry<{ id: string }>();
  registry.add(timestampSchema, { id: 'Timestamp' });
  registry.add(articleResponseSchema, { id: 'Article' });
  registry.add(latestItemSchema, { id: 'LatestItem' });
  registry.add(latestPageSchema, { id: 'LatestPage' });
  registry.add(sectionSchema, { id: 'Section' });
  registry.add(sectionListSchema, { id: 'SectionList' });
  registry.add(openApiDocumentSchema, { id: 'OpenApiDocument' });
  registry.add(articleRevisionSchema, { id: 'ArticleRevision' });
  registry.add(revisionSummarySchema, { id: 'RevisionSummary' });
  registry.add(revisionListSchema, { id: 'RevisionList' });
  registry.add(previewLinkSchema, { id: 'PreviewLink' });
  const { schemas } = z.toJSONSchema(registry, {
    io: 'output',
    target: 'draft-2020-12',
    uri: (id) => `#/components/schemas/${id}`,
  }) as { schemas: Record<string, Json> };
  return Object.fromEntries(
    Object.entries(schemas).map(([id, { $schema: _dialect, $id: _id, ...schema }]) => [id, schema]),
  );
}

/** Notes on request fields that their schema cannot say; a note for a field no schema has is a mistake. */
const REQUEST_FIELD_NOTES: Readonly<Record<string, string>> = {
  section: 'A section slug (GET /api/sections)',
  body: 'Markdown; raw HTML is not rendered',
  source: 'Agency or source credit shown after the body, e.g. REL',
  tags: 'At most 20, each at most 40 characters; duplicates are dropped',
  imageUrl: 'Absolute http(s) URL; needs `imageAlt`',
  language:
    "BCP 47 tag of the article's language, one the page labels exist in (`en`, `sq`, with any region: " +
    "`sq-AL`); stored in canonical form. Absent (or `null` on update): the newsroom's language",
  imageCaption: 'One line shown under the photo on the article page',
  imageCredit: 'Who took or owns the photo, shown as "Photo: <credit>"',
  imageWidth: "The image's width in pixels, with `imageHeight`; only with `imageUrl`. Pages reserve its box",
  imageHeight: "The image's height in pixels, with `imageWidth`; only with `imageUrl`",
  featured:
    "Puts the story forward to lead the home page and its section's page: on each, the newest featured story among the latest leads; `false` or `null` takes it off",
  status: 'Default `draft` on create; on update it publishes, schedules or unpublishes',
  publishAt:
    'ISO 8601 date-time with seconds and a time zone (`2026-11-27T18:00:00Z`, `…+01:00`), from 1990 to ' +
    '2099; returned in UTC. In the future with `published` it schedules, in the past it backdates',
  slug: 'Lower-case letters and digits separated by single hyphens; derived from the title when absent',
};

function withFieldNotes(schema: Json): Json {
  const properties: Json = {};
  for (const [name, property] of Object.entries<Json>(schema.properties ?? {})) {
    const note = REQUEST_FIELD_NOTES[name];
    properties[name] = note ? { description: note, ...property } : property;
  }
  return { ...schema, properties };
}

function requestSchemaComponents(): Json {
  const components: Json = {};
  for (const { requestBody } of Object.values(OPERATIONS)) {
    if (requestBody)
      components[requestBody.component] = withFieldNotes(jsonSchemaOf(requestBody.schema, 'input'));
  }
  const described = new Set(
    Object.values<Json>(components).flatMap((schema) => Object.keys(schema.properties)),
  );
  const unknown = Object.keys(REQUEST_FIELD_NOTES).filter((name) => !described.has(name));
  if (unknown.length > 0) throw new Error(`Notes for fields no request schema has: ${unknown.join(', ')}`);
  return components;
}

const HEADERS: Readonly<Record<HeaderName | 'Retry-After' | 'WWW-Authenticate', Json>> = {
  ETag: {
    description: 'The article\'s version as a strong entity tag, e.g. `"3"`: send it back as `If-Match`',
    schema: { type: 'string', pattern: '^"\\d+"$' },
  },
  Location: {
    description: 'Path of the new article',
    schema: { type: 'string', pattern: '^/api/articles/' },
  },
  'Cache-Control': {
    description: 'Public reads are cacheable for a short time; anything about one editor is `no-store`',
    schema: { type: 'string', minLength: 1 },
  },
  Vary: { description: 'Readers and editors see different things', schema: { type: 'string' } },
  'Content-Security-Policy': {
    description: 'Allows exactly the inline script and stylesheet of the page, by hash',
    schema: { type: 'string', minLength: 1 },
  },
  'X-Robots-Tag': {
    description: 'Keeps search engines from indexing or keeping the page',
    schema: { type: 'string', minLength: 1 },
  },
  'Referrer-Policy': {
    description: '`no-referrer`: the page, and any preview token in its URL, is never sent as a Referer',
    schema: { type: 'string', const: 'no-referrer' },
  },
  'Retry-After': {
    description: `Seconds to wait before retrying (the API sends ${RETRY_AFTER_SECONDS} with its own 503)`,
    schema: { type: 'string', pattern: '^\\d+$' },
  },
  'WWW-Authenticate': { description: 'The bearer challenge', schema: { type: 'string' } },
};

const HEADER_PARAMETERS: Readonly<Record<HeaderParameterName, Json>> = {
  IfMatchRequired: {
    name: 'If-Match',
    in: 'header',
    required: true,
    description: 'The `ETag` of the version this change was made to (`"*"` is refused)',
    schema: { type: 'string' },
  },
  IfMatchOptional: {
    name: 'If-Match',
    in: 'header',
    required: false,
    description: 'When sent, the delete happens only if this is still the current `ETag`',
    schema: { type: 'string' },
  },
  IdempotencyKey: {
    name: 'Idempotency-Key',
    in: 'header',
    required: false,
    description:
      'Makes retries safe: per editor, kept 24 hours. A repeat with the same body gets the first answer',
    schema: { type: 'string', pattern: IDEMPOTENCY_KEY.source },
  },
};

const PATH_PARAMETERS: Readonly<Record<string, Json>> = {
  id: {
    name: 'id',
    in: 'path',
    required: true,
    description: "The article's id, or any slug it has had",
    schema: { type: 'string', minLength: 1 },
  },
  version: {
    name: 'version',
    in: 'path',
    required: true,
    description:
      'A version of the article (its `version`, the ETag without quotes): the current one or one of the ' +
      'kept ones before it; anything else is a `404`',
    schema: { type: 'string', pattern: '^[1-9][0-9]*$' },
  },
};

type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 410 | 412 | 413 | 415 | 428 | 429 | 500 | 503;

const ERROR_DESCRIPTIONS: Readonly<Record<ErrorStatus, string>> = {
  400:
    'Invalid: malformed JSON (`invalid_json`), invalid fields (`validation_failed`, each named in ' +
    '`details`), a bad cursor (`invalid_cursor`), header or preview link (`bad_request`). Nothing was changed',
  401: 'No bearer token, or an invalid or expired one',
  403:
    "The token is valid but its user's role may not do this: the operation needs a higher role, or a " +
    'contributor touched an article that is not their own draft or one of theirs in review',
  404: 'No such article (or not one the caller may see: not published, and not their own draft)',
  409: 'The slug is taken (`slug_conflict`), or the Idempotency-Key was used with another body or is still in progress (`idempotency_conflict`)',
  410:
    'The preview link has expired (24 hours), or the article was edited or deleted since it was made: ' +
    'ask for a new one (`gone`)',
  412: 'If-Match names a version that is no longer the current one: read the article again and re-apply',
  413: `The request body is larger than ${MAX_BODY_BYTES} bytes`,
  415: 'The request body is not JSON (`Content-Type: application/json`)',
  428: 'If-Match is missing (or is `*`)',
  429: "Too many requests: API Gateway's throttling (its own body); retry with backoff",
  500: 'Something went wrong on our side; no detail is given',
  503: 'Storage is unavailable or throttling: the request may be retried after `Retry-After` seconds',
};

const ERROR_STATUSES = Object.keys(ERROR_DESCRIPTIONS).map(Number) as ErrorStatus[];

/** Statuses API Gateway may also answer by itself, in AWS with its own `{"message"}` body. */
const GATEWAY_MAY_ANSWER: ReadonlySet<ErrorStatus> = new Set([401, 404, 413, 500, 503]);

function errorResponse(status: ErrorStatus): Json {
  const gatewayBody = jsonSchemaOf(gatewayRefusalSchema, 'output');
  // No handler throttles: a 429 is always API Gateway's.
  const apiBody = status === 429 ? undefined : jsonSchemaOf(errorBodySchema(codesOfStatus(status)), 'output');
  let schema = apiBody ?? gatewayBody;
  if (apiBody && GATEWAY_MAY_ANSWER.has(status)) schema = { anyOf: [apiBody, gatewayBody] };
  const headers: Json = {};
  if (status === 401) headers['WWW-Authenticate'] = ref('headers', 'WWW-Authenticate');
  if (status === 429 || status === 503) headers['Retry-After'] = ref('headers', 'Retry-After');
  return {
    description: ERROR_DESCRIPTIONS[status],
    ...(Object.keys(headers).length > 0 ? { headers } : {}),
    content: { 'application/json': { schema } },
  };
}

/** The error answers a route can give, from what the route table says about it and its operation. */
function errorStatuses(route: RouteDefinition, operation: OperationSpec): ErrorStatus[] {
  const statuses = new Set<ErrorStatus>([...(operation.errors ?? []), 429, 500]);
  if (operation.requestBody) for (const status of [400, 413, 415] as const) statuses.add(status);
  if (route.auth !== 'public') statuses.add(401);
  if (requiresToken(route)) statuses.add(403);
  if (route.tableAccess !== 'none') statuses.add(503);
  return [...statuses].sort((a, b) => a - b);
}

function queryParameters(query: NonNullable<OperationSpec['query']>): Json[] {
  const schema = jsonSchemaOf(query.schema, 'input');
  const required = new Set<string>(schema.required ?? []);
  return Object.entries<Json>(schema.properties).map(([name, property]) => {
    const description = query.descriptions[name];
    if (!description) throw new Error(`The query parameter ${name} has no description`);
    return { name, in: 'query', required: required.has(name), description, schema: property };
  });
}

function pathParameters(path: string): Json[] {
  return [...path.matchAll(/\{(\w+)\}/g)].map(([, name]) => {
    const parameter = name ? PATH_PARAMETERS[name] : undefined;
    if (!parameter) throw new Error(`The path parameter ${name} of ${path} is not described`);
    return parameter;
  });
}

function successResponse(operation: OperationSpec): Json {
  const { body, headers = [], description } = operation.success;
  const content =
    body === 'html'
      ? { 'text/html': { schema: { type: 'string' } } }
      : body
        ? { 'application/json': { schema: ref('schemas', body) } }
        : undefined;
  return {
    description,
    // Inline rather than referenced: a Reference Object cannot carry `required`.
    headers: Object.fromEntries(headers.map((name) => [name, { ...HEADERS[name], required: true }])),
    ...(content ? { content } : {}),
  };
}

function security(route: RouteDefinition): Json[] {
  if (requiresToken(route)) return [{ bearerToken: [] }];
  // Anonymous callers are welcome; a token, when sent, is checked and may show its user more.
  if (route.auth === 'optional') return [{}, { bearerToken: [] }];
  return [];
}

/** Who may call the route, from the route table, so the document can never disagree with it. */
function whoMayCall(route: RouteDefinition): string {
  if (route.auth === 'public') return 'Public.';
  if (route.auth === 'optional')
    return 'Anonymous callers welcome; a bearer token, when sent, must be valid.';
  const least = route.auth;
  const groups = ROLES.filter((role) => hasRole(role, least)).map((role) => `\`${ROLE_GROUPS[role]}\``);
  return `Needs ${A_ROLE[least]}: a token of a user in ${groups.join(' or ')}.`;
}

const operationId = (route: RouteDefinition) => route.id.charAt(0).toLowerCase() + route.id.slice(1);

function operationOf(route: RouteDefinition, operation: OperationSpec): Json {
  const responses: Json = { [operation.success.status]: successResponse(operation) };
  for (const status of errorStatuses(route, operation))
    responses[status] = ref('responses', `Error${status}`);
  return {
    operationId: operationId(route),
    summary: operation.summary,
    description: `${operation.description}\n\n**Who**: ${whoMayCall(route)}`,
    tags: [operation.tag],
    security: security(route),
    parameters: [
      ...pathParameters(route.path),
      ...(operation.headerParameters ?? []).map((name) => ref('parameters', name)),
      ...(operation.query ? queryParameters(operation.query) : []),
    ],
    ...(operation.requestBody
      ? {
          requestBody: {
            required: true,
            description: operation.requestBody.description,
            content: { 'application/json': { schema: ref('schemas', operation.requestBody.component) } },
          },
        }
      : {}),
    responses,
  };
}

function pathsOf(routes: readonly RouteDefinition[]): Json {
  const unrouted = Object.keys(OPERATIONS).filter((id) => !routes.some((route) => route.id === id));
  if (unrouted.length > 0) throw new Error(`Operations without a route: ${unrouted.join(', ')}`);
  const paths: Json = {};
  for (const route of routes) {
    const operation = OPERATIONS[route.id];
    if (!operation)
      throw new Error(`The route ${route.id} has no operation in functions/openapi/operations.ts`);
    paths[route.path] ??= {};
    paths[route.path][route.method.toLowerCase()] = operationOf(route, operation);
  }
  return paths;
}

const DESCRIPTION = `Publish and read the newsroom's articles. Every path is under \`/api\` on the site's own origin.

**Errors** are JSON \`{"error": {"code", "message", "details"?}}\` with the status that fits; \`details\`
names each invalid field. A refused request changes nothing. In AWS, API Gateway answers a few refusals
itself (a missing or invalid token on a route that needs a role, throttling, a path it has no route for) with
\`{"message": "…"}\`. A path under \`/api\` that is not listed here is a \`404\`.

**Auth**: operations that need a role take \`Authorization: Bearer <token>\`, the Cognito ID token of a
user in one of the groups \`contributors\`, \`editors\` or \`admins\` (\`npx flash-news login\`; locally
\`npm run token -- --groups contributors\`). Each role may do what the one before it may: contributors
write their own drafts and submit them for review (\`status: "review"\`), editors also publish,
schedule, unpublish and edit any article, admins also delete. Each operation says the least role it needs.

**Concurrency**: every article answer carries an \`ETag\` (its version); a \`PATCH\` must send it back as
\`If-Match\` (\`428\` without it, \`412\` when stale), so no change is ever lost.

**Retries**: \`POST /api/articles\` takes an \`Idempotency-Key\`; a \`PATCH\` is conditional on its
version; \`429\` and \`503\` may carry \`Retry-After\` (seconds).

**Pagination**: \`GET /api/latest\` returns \`nextCursor\`; pass it back as \`cursor\` until it is \`null\`.`;

export function buildOpenApiDocument(routes: readonly RouteDefinition[] = ROUTES): Json {
  return {
    openapi: OPENAPI_VERSION,
    info: {
      title: 'Flash News publishing API',
      version: API_VERSION,
      description: DESCRIPTION,
    },
    // Relative: the API is on the origin that serves the document (the site, or the local stack).
    servers: [{ url: '/', description: 'The site that serves this document' }],
    tags: [
      { name: 'Articles', description: 'Write and read articles (writes need a role)' },
      { name: 'Site', description: 'Public reads for pages and apps, cached at the edge' },
      { name: 'Reference', description: 'This description of the API' },
    ],
    paths: pathsOf(routes),
    components: {
      schemas: { ...requestSchemaComponents(), ...responseSchemaComponents() },
      responses: Object.fromEntries(
        ERROR_STATUSES.map((status) => [`Error${status}`, errorResponse(status)]),
      ),
      parameters: HEADER_PARAMETERS,
      headers: HEADERS,
      securitySchemes: {
        bearerToken: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description:
            'A Cognito ID token of a user in the `contributors`, `editors` or `admins` group (API ' +
            "Gateway's JWT authorizer checks it); locally one minted by `npm run token -- --groups <group>`",
        },
      },
    },
  };
}

/** The document as docs/openapi.json holds it (`npm run openapi`). */
export function formatOpenApiDocument(document: Json = buildOpenApiDocument()): string {
  return `${JSON.stringify(document, null, 2)}\n`;
}
