import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type {
  Article,
  ArticleRevision,
  CreateArticleRequest,
  LatestItem,
  LatestPage,
  PreviewLink,
  RevisionList,
  RevisionSummary,
  Section,
  UpdateArticleRequest,
} from 'flash-news-client';
import { describe, expect, it } from 'vitest';

/**
 * The client's types against the server's OpenAPI document (docs/openapi.json, generated from the
 * server's schemas). The client is written by hand so that it stands alone; this is what keeps it
 * honest. Each type's fields are listed once below, and the compiler checks every list is complete and
 * names exactly the required fields, so a field added to a type without a list (or the reverse) fails
 * the type check, and a list that differs from the document fails here.
 */

type RequiredKeys<T> = { [K in keyof T]-?: object extends Pick<T, K> ? never : K }[keyof T];

/** The fields of T, all of them, and which are required; checked at compile time. */
function fieldsOf<T>() {
  return <const All extends readonly (keyof T)[], const Required extends readonly RequiredKeys<T>[]>(
    all: All &
      (Exclude<keyof T, All[number]> extends never ? unknown : { missing: Exclude<keyof T, All[number]> }),
    required: Required &
      (Exclude<RequiredKeys<T>, Required[number]> extends never
        ? unknown
        : { missing: Exclude<RequiredKeys<T>, Required[number]> }),
  ) => ({ all: [...all].map(String).sort(), required: [...required].map(String).sort() });
}

const CONTRACT = {
  createRequest: fieldsOf<CreateArticleRequest>()(
    [
      'title',
      'section',
      'body',
      'summary',
      'author',
      'source',
      'tags',
      'imageUrl',
      'imageAlt',
      'language',
      'imageCaption',
      'imageCredit',
      'imageWidth',
      'imageHeight',
      'featured',
      'status',
      'publishAt',
      'slug',
    ],
    ['title', 'section', 'body'],
  ),
  updateRequest: fieldsOf<UpdateArticleRequest>()(
    [
      'title',
      'section',
      'body',
      'summary',
      'author',
      'source',
      'tags',
      'imageUrl',
      'imageAlt',
      'language',
      'imageCaption',
      'imageCredit',
      'imageWidth',
      'imageHeight',
      'featured',
      'status',
      'publishAt',
      'slug',
      'correction',
    ],
    [],
  ),
  article: fieldsOf<Article>()(
    [
      'id',
      'slug',
      'previousPaths',
      'title',
      'section',
      'body',
      'summary',
      'author',
      'source',
      'tags',
      'imageUrl',
      'imageAlt',
      'language',
      'imageCaption',
      'imageCredit',
      'imageWidth',
      'imageHeight',
      'featured',
      'status',
      'publishAt',
      'publishedAt',
      'createdAt',
      'updatedAt',
      'createdBy',
      'updatedBy',
      'version',
      'corrections',
      'url',
    ],
    [
      'id',
      'slug',
      'previousPaths',
      'title',
      'section',
      'body',
      'tags',
      'status',
      'createdAt',
      'updatedAt',
      'version',
      'corrections',
      'featured',
      'url',
    ],
  ),
  latestPage: fieldsOf<LatestPage>()(['items', 'nextCursor'], ['items', 'nextCursor']),
  latestItem: fieldsOf<LatestItem>()(
    ['id', 'slug', 'title', 'summary', 'section', 'language', 'publishedAt', 'url'],
    ['id', 'slug', 'title', 'summary', 'section', 'language', 'publishedAt', 'url'],
  ),
  section: fieldsOf<Section>()(
    ['slug', 'name', 'description', 'url'],
    ['slug', 'name', 'description', 'url'],
  ),
  revisionList: fieldsOf<RevisionList>()(['items', 'nextCursor'], ['items', 'nextCursor']),
  revisionSummary: fieldsOf<RevisionSummary>()(
    ['version', 'updatedAt', 'updatedBy', 'changes'],
    ['version', 'updatedAt'],
  ),
  previewLink: fieldsOf<PreviewLink>()(['url', 'expiresAt'], ['url', 'expiresAt']),
};

/** A version of an article is the article plus the fields it changed (ArticleRevision extends Article). */
const ARTICLE_REVISION_EXTRA: readonly Exclude<keyof ArticleRevision, keyof Article>[] = ['changes'];

// biome-ignore lint/suspicious/noExplicitAny: an OpenAPI document is walked generically.
type Schema = any;

// OPENAPI_DOCUMENT checks another copy, e.g. one fetched from a deployment's GET /api/openapi.json.
const documentPath =
  process.env.OPENAPI_DOCUMENT ?? fileURLToPath(new URL('../../../docs/openapi.json', import.meta.url));

function openapi(): Schema {
  return JSON.parse(readFileSync(documentPath, 'utf8'));
}

function resolve(document: Schema, schema: Schema): Schema {
  let current = schema;
  for (let depth = 0; current?.$ref && depth < 20; depth += 1) {
    const path = String(current.$ref).replace(/^#\//, '').split('/');
    current = path.reduce((node, key) => node?.[key.replace(/~1/g, '/').replace(/~0/g, '~')], document);
  }
  return current;
}

/** The property names and required names of an object schema, through $ref, allOf and a nullable anyOf/oneOf. */
function objectShape(document: Schema, schema: Schema): { all: string[]; required: string[] } {
  const resolved = resolve(document, schema);
  const parts: Schema[] = [resolved, ...(resolved?.allOf ?? [])];
  for (const union of [resolved?.anyOf, resolved?.oneOf]) {
    for (const variant of union ?? []) {
      const target = resolve(document, variant);
      if (target?.properties || target?.allOf) parts.push(target);
    }
  }
  const all = new Set<string>();
  const required = new Set<string>();
  for (const part of parts) {
    const target = resolve(document, part);
    if (target !== resolved && (target?.allOf || target?.anyOf)) {
      const nested = objectShape(document, target);
      for (const name of nested.all) all.add(name);
      for (const name of nested.required) required.add(name);
    }
    for (const name of Object.keys(target?.properties ?? {})) all.add(name);
    for (const name of target?.required ?? []) required.add(name);
  }
  return { all: [...all].sort(), required: [...required].sort() };
}

function jsonSchema(document: Schema, content: Schema): Schema {
  const media = resolve(document, content)?.content ?? {};
  const key = Object.keys(media).find((type) => /json/.test(type));
  return key ? media[key].schema : undefined;
}

function operation(document: Schema, path: string, method: string): Schema {
  const found = document.paths?.[path]?.[method];
  if (!found) throw new Error(`docs/openapi.json has no ${method.toUpperCase()} ${path}`);
  return found;
}

const requestShape = (document: Schema, path: string, method: string) =>
  objectShape(document, jsonSchema(document, operation(document, path, method).requestBody));

const responseShape = (document: Schema, path: string, method: string, status: string) =>
  objectShape(document, jsonSchema(document, operation(document, path, method).responses?.[status]));

describe('the client’s types match docs/openapi.json', () => {
  it('has a document to check against (npm run openapi writes docs/openapi.json)', () => {
    expect(existsSync(documentPath), documentPath).toBe(true);
  });

  it('POST /api/articles: the create request and the created article', () => {
    const document = openapi();
    expect(requestShape(document, '/api/articles', 'post')).toEqual(CONTRACT.createRequest);
    expect(responseShape(document, '/api/articles', 'post', '201')).toEqual(CONTRACT.article);
  });

  it('GET and PATCH /api/articles/{id}', () => {
    const document = openapi();
    expect(responseShape(document, '/api/articles/{id}', 'get', '200')).toEqual(CONTRACT.article);
    expect(requestShape(document, '/api/articles/{id}', 'patch').all).toEqual(CONTRACT.updateRequest.all);
    expect(responseShape(document, '/api/articles/{id}', 'patch', '200')).toEqual(CONTRACT.article);
  });

  it('GET /api/latest and GET /api/sections', () => {
    const document = openapi();
    expect(responseShape(document, '/api/latest', 'get', '200')).toEqual(CONTRACT.latestPage);
    const latest = resolve(
      document,
      jsonSchema(document, operation(document, '/api/latest', 'get').responses['200']),
    );
    expect(objectShape(document, resolve(document, latest.properties.items).items)).toEqual(
      CONTRACT.latestItem,
    );
    const sections = resolve(
      document,
      jsonSchema(document, operation(document, '/api/sections', 'get').responses['200']),
    );
    expect(objectShape(document, resolve(document, sections.properties.items).items)).toEqual(
      CONTRACT.section,
    );
  });

  it('the revisions and preview link routes', () => {
    const document = openapi();
    const list = '/api/articles/{id}/revisions';
    expect(responseShape(document, list, 'get', '200')).toEqual(CONTRACT.revisionList);
    const listed = resolve(document, jsonSchema(document, operation(document, list, 'get').responses['200']));
    expect(objectShape(document, resolve(document, listed.properties.items).items)).toEqual(
      CONTRACT.revisionSummary,
    );
    expect(responseShape(document, `${list}/{version}`, 'get', '200')).toEqual({
      all: [...CONTRACT.article.all, ...ARTICLE_REVISION_EXTRA].sort(),
      required: CONTRACT.article.required,
    });
    expect(responseShape(document, '/api/articles/{id}/preview-link', 'post', '201')).toEqual(
      CONTRACT.previewLink,
    );
  });

  it('errors are {error: {code, message, details?}}', () => {
    const document = openapi();
    const responses = operation(document, '/api/articles', 'post').responses;
    const refusal = responses['400'] ?? responses['4XX'] ?? responses.default;
    const body = resolve(document, jsonSchema(document, refusal));
    expect(objectShape(document, body).all).toContain('error');
    const error = objectShape(
      document,
      resolve(document, body.properties?.error ?? body.allOf?.[0]?.properties?.error),
    );
    expect(error.all).toEqual(expect.arrayContaining(['code', 'message', 'details']));
    expect(error.required).toEqual(expect.arrayContaining(['code', 'message']));
  });
});

describe('the client’s field lists', () => {
  it('are those of the README contract', () => {
    expect(CONTRACT.latestItem.all).toEqual([
      'id',
      'language',
      'publishedAt',
      'section',
      'slug',
      'summary',
      'title',
      'url',
    ]);
    expect(CONTRACT.createRequest.required).toEqual(['body', 'section', 'title']);
    expect(CONTRACT.updateRequest.required).toEqual([]);
  });
});
