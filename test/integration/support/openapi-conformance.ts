import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { buildOpenApiDocument } from '../../../functions/openapi/openapi-document';

/**
 * Holds answers to the OpenAPI document: the status must be one the operation documents, every header it
 * documents as required must be there and match its schema, and a JSON body must match the body schema
 * (ajv, JSON Schema 2020-12, OpenAPI 3.1's dialect). A path under /api that no operation has must be the
 * documented 404. Used by every integration test that calls the API (see `conformingFetch`).
 */

// biome-ignore lint/suspicious/noExplicitAny: the document is plain JSON, walked generically.
type Json = any;

export interface ObservedAnswer {
  readonly method: string;
  readonly url: string | URL;
  readonly status: number;
  readonly headers: Headers;
  /** The body as text; needed for JSON answers. */
  readonly text?: string;
}

export class NonConformingAnswerError extends Error {
  override name = 'NonConformingAnswerError';
}

/** Where the components live for ajv: their `#/components/...` references resolve against this. */
const DOCUMENT_ID = 'https://flash-news.invalid/openapi.json';

function absoluteRefs(schema: Json): Json {
  if (Array.isArray(schema)) return schema.map(absoluteRefs);
  if (schema === null || typeof schema !== 'object') return schema;
  return Object.fromEntries(
    Object.entries(schema).map(([key, value]) => [
      key,
      key === '$ref' && typeof value === 'string' && value.startsWith('#/')
        ? `${DOCUMENT_ID}${value}`
        : absoluteRefs(value),
    ]),
  );
}

function mediaType(contentType: string | null): string {
  return (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

export class OpenApiConformance {
  private readonly ajv = new Ajv2020({ strict: false, allErrors: true });
  private readonly validators = new Map<string, ValidateFunction>();
  private readonly operations: { method: string; pattern: RegExp; path: string; operation: Json }[];

  constructor(private readonly document: Json = buildOpenApiDocument()) {
    addFormats(this.ajv);
    this.ajv.addSchema({ $id: DOCUMENT_ID, components: document.components });
    this.operations = Object.entries<Json>(document.paths).flatMap(([path, item]) =>
      Object.entries<Json>(item).map(([method, operation]) => ({
        method: method.toUpperCase(),
        pattern: new RegExp(`^${path.replace(/[.]/g, '\\.').replace(/\{\w+\}/g, '[^/]+')}$`),
        path,
        operation,
      })),
    );
  }

  private resolve(node: Json): Json {
    let current = node;
    while (current?.$ref) {
      const pointer = String(current.$ref).replace(/^#\//, '').split('/');
      current = pointer.reduce(
        (parent, key) => parent?.[key.replace(/~1/g, '/').replace(/~0/g, '~')],
        this.document,
      );
    }
    return current;
  }

  private validate(key: string, schema: Json, value: unknown): string[] {
    let validator = this.validators.get(key);
    if (!validator) {
      validator = this.ajv.compile(absoluteRefs(schema));
      this.validators.set(key, validator);
    }
    if (validator(value)) return [];
    return (validator.errors ?? []).map((error) => `${error.instancePath || '(root)'} ${error.message}`);
  }

  /** What is wrong with an answer; empty when it conforms. */
  problems(answer: ObservedAnswer): string[] {
    const { pathname } = new URL(answer.url, 'http://localhost');
    const method = answer.method.toUpperCase();
    const found = this.operations.find(
      (candidate) => candidate.method === method && candidate.pattern.test(pathname),
    );
    const where = found ? `${method} ${found.path}` : `${method} ${pathname} (no such operation)`;
    // Any other path under /api is the API's JSON 404 (the document's description says so).
    const response = found
      ? this.resolve(found.operation.responses?.[answer.status] ?? found.operation.responses?.default)
      : answer.status === 404
        ? this.resolve({ $ref: '#/components/responses/Error404' })
        : undefined;
    if (!response) return [`${where}: status ${answer.status} is not documented`];

    const problems: string[] = [];
    for (const [name, declared] of Object.entries<Json>(response.headers ?? {})) {
      const header = this.resolve(declared);
      const value = answer.headers.get(name);
      if (value === null) {
        if (declared.required ?? header.required) problems.push(`required header ${name} is missing`);
        continue;
      }
      if (header.schema) {
        for (const problem of this.validate(`header ${name}`, header.schema, value)) {
          problems.push(`header ${name}: ${problem}`);
        }
      }
    }

    const content = response.content as Record<string, Json> | undefined;
    const type = mediaType(answer.headers.get('content-type'));
    if (!content) {
      if (answer.text) problems.push(`has a body (${type || 'no content-type'}) where none is documented`);
    } else if (!content[type]) {
      problems.push(`content-type ${type || '(none)'} is not one of ${Object.keys(content).join(', ')}`);
    } else if (type === 'application/json') {
      let body: unknown;
      try {
        body = JSON.parse(answer.text ?? '');
      } catch {
        problems.push('the body is not JSON');
      }
      const key = `${where} ${answer.status} body`;
      for (const problem of this.validate(key, content[type].schema, body)) problems.push(`body ${problem}`);
    }
    return problems.map((problem) => `${where} → ${answer.status}: ${problem}`);
  }

  check(answer: ObservedAnswer): void {
    const problems = this.problems(answer);
    if (problems.length > 0) {
      throw new NonConformingAnswerError(
        `The answer does not conform to the OpenAPI document:\n  ${problems.join('\n  ')}\nBody: ${(answer.text ?? '').slice(0, 500)}`,
      );
    }
  }
}

let shared: OpenApiConformance | undefined;

/** One instance per test file: compiling the schemas once is most of the cost. */
export function openApiConformance(): OpenApiConformance {
  shared ??= new OpenApiConformance();
  return shared;
}

const isApiPath = (pathname: string) => pathname === '/api' || pathname.startsWith('/api/');

/**
 * `fetch`, with every answer from /api held to the document (a site page passes through unchecked). The
 * answer is returned unread, so callers use it as they would fetch's.
 */
export async function conformingFetch(input: string | URL | Request, init?: RequestInit): Promise<Response> {
  const request = new Request(input, init);
  const response = await fetch(request);
  if (!isApiPath(new URL(request.url).pathname)) return response;
  const type = mediaType(response.headers.get('content-type'));
  const text = type === 'text/html' ? undefined : await response.clone().text();
  openApiConformance().check({
    method: request.method,
    url: request.url,
    status: response.status,
    headers: response.headers,
    text,
  });
  return response;
}
