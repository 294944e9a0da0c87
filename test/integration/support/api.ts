import { inject } from 'vitest';
import { conformingFetch } from './openapi-conformance';

/**
 * A tiny HTTP client for the local stack: real requests, parsed answers, nothing mocked, and every answer
 * checked against the OpenAPI document.
 */

// biome-ignore lint/suspicious/noExplicitAny: tests read JSON bodies field by field and assert each one.
export interface ApiResponse<T = any> {
  readonly status: number;
  readonly headers: Headers;
  readonly body: T;
  readonly text: string;
}

export interface RequestOptions {
  readonly method?: string;
  readonly json?: unknown;
  readonly rawBody?: string;
  readonly token?: string;
  readonly headers?: Record<string, string>;
}

export const origin = () => inject('origin');
export const editorToken = () => inject('editorToken');
/** Deleting needs an admin. */
export const adminToken = () => inject('adminToken');

// biome-ignore lint/suspicious/noExplicitAny: as above.
export async function api<T = any>(path: string, options: RequestOptions = {}): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let body: string | undefined = options.rawBody;
  if (options.json !== undefined) {
    body = JSON.stringify(options.json);
    headers['content-type'] ??= 'application/json';
  }
  // Every answer is held to the OpenAPI document: a test fails on one that does not conform.
  const response = await conformingFetch(new URL(path, origin()), {
    method: options.method ?? 'GET',
    headers,
    body,
  });
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  return { status: response.status, headers: response.headers, body: parsed as T, text };
}

let counter = 0;

/** A valid article body; each call gets a distinct headline so slugs do not collide across tests. */
export function articleInput(overrides: Record<string, unknown> = {}) {
  counter += 1;
  return {
    title: `Integration story ${Date.now()}-${counter}`,
    section: 'bota',
    body: 'First paragraph.\n\nSecond paragraph with **bold** text.',
    summary: 'A story written by the integration tests.',
    source: 'REL',
    status: 'published',
    ...overrides,
  };
}

export async function createArticle(overrides: Record<string, unknown> = {}) {
  const response = await api('/api/articles', {
    method: 'POST',
    json: articleInput(overrides),
    token: editorToken(),
  });
  if (response.status !== 201) throw new Error(`create failed: ${response.status} ${response.text}`);
  return response;
}

/** The error contract: `{"error": {"code", "message", "details"?}}` and nothing that looks like a stack. */
export function expectError(
  response: ApiResponse,
  status: number,
  code: string,
  expectFn: typeof import('vitest').expect,
) {
  expectFn(response.status, response.text).toBe(status);
  expectFn(response.headers.get('content-type')).toMatch(/^application\/json/);
  expectFn(response.body?.error?.code, response.text).toBe(code);
  expectFn(typeof response.body.error.message).toBe('string');
  expectFn(response.text).not.toMatch(/\bat .+\(.+:\d+:\d+\)|node_modules|\.ts:\d+/);
}
