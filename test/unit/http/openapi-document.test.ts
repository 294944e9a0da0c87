import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Validator } from '@seriousme/openapi-schema-validator';
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { DEFAULT_SITE } from '../../../functions/config/site';
import type { Article } from '../../../functions/domain/article';
import {
  createArticleSchema,
  latestQuerySchema,
  updateArticleSchema,
} from '../../../functions/domain/article-input';
import { AppError } from '../../../functions/domain/errors';
import { presentArticle, presentSummary } from '../../../functions/http/article-presenter';
import { IDEMPOTENCY_KEY } from '../../../functions/http/request';
import { errorResponse } from '../../../functions/http/responses';
import { ROUTES } from '../../../functions/http/routes';
import { ERROR_CODES, statusOfCode } from '../../../functions/openapi/error-responses';
import { buildOpenApiDocument, formatOpenApiDocument } from '../../../functions/openapi/openapi-document';
import { OPERATIONS } from '../../../functions/openapi/operations';
import { OpenApiConformance } from '../../integration/support/openapi-conformance';

// biome-ignore lint/suspicious/noExplicitAny: the document is plain JSON, read generically.
type Json = any;

const document: Json = buildOpenApiDocument();
const conformance = new OpenApiConformance(document);

/** A JSON Schema without the prose the document adds, to compare with what zod itself gives. */
function withoutDescriptions(schema: Json): Json {
  if (Array.isArray(schema)) return schema.map(withoutDescriptions);
  if (schema === null || typeof schema !== 'object') return schema;
  return Object.fromEntries(
    Object.entries(schema)
      .filter(([key]) => key !== 'description' && key !== '$schema')
      .map(([key, value]) => [key, withoutDescriptions(value)]),
  );
}

const zodInput = (schema: z.ZodType) =>
  withoutDescriptions(z.toJSONSchema(schema, { io: 'input', target: 'draft-2020-12' }));

const handlerSource = (handler: string) =>
  readFileSync(fileURLToPath(new URL(`../../../functions/handlers/${handler}.ts`, import.meta.url)), 'utf8');

function answer(
  method: string,
  path: string,
  status: number,
  body: unknown,
  headers: Record<string, string>,
) {
  return conformance.problems({
    method,
    url: `http://localhost${path}`,
    status,
    headers: new Headers(headers),
    text: body === undefined ? undefined : JSON.stringify(body),
  });
}

describe('the OpenAPI document', () => {
  it('is a valid OpenAPI 3.1 document', async () => {
    const validator = new Validator();
    const result = await validator.validate(document);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
  });

  it('has exactly the routes of the route table, each with its method and auth', () => {
    const documented = Object.entries<Json>(document.paths).flatMap(([path, item]) =>
      Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(documented.sort()).toEqual(ROUTES.map((route) => `${route.method} ${route.path}`).sort());
    for (const route of ROUTES) {
      const operation = document.paths[route.path][route.method.toLowerCase()];
      const anonymous =
        operation.security.length === 0 || operation.security.some((s: Json) => !Object.keys(s).length);
      const token = operation.security.some((s: Json) => 'bearerToken' in s);
      expect([anonymous, token], route.id).toEqual(
        { public: [true, false], optional: [true, true] }[route.auth as string] ?? [false, true],
      );
      expect(Object.keys(operation.responses).includes('401'), route.id).toBe(route.auth !== 'public');
      expect(Object.keys(operation.responses).includes('403'), route.id).toBe(
        !['public', 'optional'].includes(route.auth),
      );
      expect(Object.keys(operation.responses).includes('503'), route.id).toBe(route.tableAccess !== 'none');
    }
  });

  it('refuses a route without an operation, and an operation without a route', () => {
    const extra = { ...ROUTES[0], id: 'Undocumented' } as (typeof ROUTES)[number];
    expect(() => buildOpenApiDocument([...ROUTES, extra])).toThrow(/Undocumented has no operation/);
    expect(() => buildOpenApiDocument(ROUTES.slice(1))).toThrow(/Operations without a route: CreateArticle/);
    expect(Object.keys(OPERATIONS).sort()).toEqual(ROUTES.map((route) => route.id).sort());
  });

  it("describes request bodies and queries with the handlers' own zod schemas", () => {
    const { schemas } = document.components;
    expect(withoutDescriptions(schemas.CreateArticleRequest)).toEqual(zodInput(createArticleSchema));
    expect(withoutDescriptions(schemas.UpdateArticleRequest)).toEqual(zodInput(updateArticleSchema));
    const latest = document.paths['/api/latest'].get.parameters.filter((p: Json) => p.in === 'query');
    expect(Object.fromEntries(latest.map((p: Json) => [p.name, p.schema]))).toEqual(
      zodInput(latestQuerySchema).properties,
    );
    // …and those are the schemas the handlers parse with.
    expect(handlerSource('create-article')).toContain('parseOrThrow(createArticleSchema,');
    expect(handlerSource('update-article')).toContain('parseOrThrow(updateArticleSchema,');
    expect(handlerSource('list-latest')).toContain('parseOrThrow(latestQuerySchema,');
    expect(OPERATIONS.CreateArticle?.requestBody?.schema).toBe(createArticleSchema);
    expect(OPERATIONS.UpdateArticle?.requestBody?.schema).toBe(updateArticleSchema);
    expect(OPERATIONS.ListLatest?.query?.schema).toBe(latestQuerySchema);
  });

  it('describes Idempotency-Key with the pattern the handler checks', () => {
    expect(document.components.parameters.IdempotencyKey.schema.pattern).toBe(IDEMPOTENCY_KEY.source);
  });

  it('is what docs/openapi.json holds (run `npm run openapi` after changing the API)', () => {
    const file = fileURLToPath(new URL('../../../docs/openapi.json', import.meta.url));
    expect(readFileSync(file, 'utf8')).toBe(formatOpenApiDocument(document));
  });
});

describe('the answers the handlers build conform to the document', () => {
  /** Only the fields every article has… */
  const minimal: Article = {
    id: '01JQ7Z9K3M4N5P6Q7R8S9TVWXY',
    slug: 'minimal',
    previousPaths: [],
    title: 'A draft',
    section: 'politics',
    body: 'Text',
    tags: [],
    status: 'draft',
    createdAt: '2026-03-01T11:00:00.000Z',
    updatedAt: '2026-03-01T11:00:00.000Z',
    version: 1,
  };
  /** …and every optional one too. */
  const article: Article = {
    ...minimal,
    previousPaths: ['/politics/old-slug'],
    ...{ summary: 'Summary', author: 'Jane Doe', source: 'REL', tags: ['nato'] },
    ...{ imageUrl: 'https://images.example.com/a.jpg', imageAlt: 'A picture', status: 'scheduled' },
    ...{ publishAt: '2026-03-02T12:00:00.000Z', publishedAt: '2026-03-01T12:00:00.000Z', version: 3 },
  };
  const json = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' };
  const tagged = { ...json, etag: '"3"' };

  it('an article, with every field and with only the required ones', () => {
    for (const candidate of [article, minimal]) {
      const body = presentArticle(candidate, DEFAULT_SITE);
      expect(
        answer('GET', `/api/articles/${article.id}`, 200, body, { ...tagged, vary: 'Authorization' }),
      ).toEqual([]);
      expect(answer('PATCH', `/api/articles/${article.id}`, 200, body, tagged)).toEqual([]);
      expect(
        answer('POST', '/api/articles', 201, body, { ...tagged, location: `/api/articles/${article.id}` }),
      ).toEqual([]);
    }
  });

  it('but not an article with a field the document does not know, or without its ETag', () => {
    const body = { ...presentArticle(article, DEFAULT_SITE), internal: 1 };
    expect(answer('GET', `/api/articles/${article.id}`, 200, body, tagged).join()).toMatch(
      /additional properties/,
    );
    const plain = presentArticle(article, DEFAULT_SITE);
    expect(answer('PATCH', `/api/articles/${article.id}`, 200, plain, json).join()).toMatch(
      /ETag is missing/,
    );
    expect(answer('GET', '/api/articles/x', 418, plain, json).join()).toMatch(/status 418 is not documented/);
  });

  it('a page of the latest articles and the sections', () => {
    const item = presentSummary({ ...article, publishedAt: '2026-03-01T12:00:00.000Z' }, DEFAULT_SITE);
    const page = { items: [item, { ...item, summary: null }], nextCursor: null };
    expect(answer('GET', '/api/latest?limit=2', 200, page, json)).toEqual([]);
    const sections = {
      items: DEFAULT_SITE.sections.map((section) => ({
        ...section,
        url: `${DEFAULT_SITE.baseUrl}/${section.slug}/`,
      })),
    };
    expect(answer('GET', '/api/sections', 200, sections, json)).toEqual([]);
  });

  it('every error the API raises, on a route that can answer its status', () => {
    for (const code of ERROR_CODES.filter((candidate) => candidate !== 'method_not_allowed')) {
      const result = errorResponse(
        new AppError(code, 'Refused', [{ field: 'title', message: 'is required' }]),
      );
      const headers = result.headers as Record<string, string>;
      const route = ROUTES.find(
        (candidate) =>
          document.paths[candidate.path][candidate.method.toLowerCase()].responses[result.statusCode],
      );
      expect(route, code).toBeDefined();
      if (!route) continue;
      const path = route.path.replace('{id}', article.id);
      expect(
        answer(route.method, path, result.statusCode, JSON.parse(String(result.body)), headers),
        code,
      ).toEqual([]);
    }
  });

  it("API Gateway's own refusals, and the JSON 404 of a path no route has", () => {
    const gateway = { 'content-type': 'application/json' };
    expect(answer('POST', '/api/articles', 401, { message: 'Unauthorized' }, gateway)).toEqual([]);
    expect(answer('GET', '/api/latest', 429, { message: 'Too Many Requests' }, gateway)).toEqual([]);
    const notFound = { message: 'Not Found', error: { code: 'not_found', message: 'No route' } };
    expect(answer('GET', '/api/nowhere', 404, notFound, json)).toEqual([]);
    expect(answer('GET', '/api/nowhere', 500, notFound, json)).not.toEqual([]);
  });

  it('lists, for each status, exactly the codes AppError gives it', () => {
    for (const [name, response] of Object.entries<Json>(document.components.responses)) {
      const status = Number(name.replace('Error', ''));
      const schema = response.content['application/json'].schema;
      const api = (schema.anyOf ?? [schema]).find((variant: Json) => variant.properties?.error);
      const expected = ERROR_CODES.filter((code) => statusOfCode(code) === status);
      expect(api?.properties.error.properties.code.enum ?? [], name).toEqual(expected);
    }
  });
});
