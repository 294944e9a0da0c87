/**
 * A fetch that answers from a script and records what it was sent, so the client's retries, headers and
 * error mapping can be checked request by request without a server.
 */

export interface RecordedRequest {
  readonly url: string;
  readonly method: string;
  readonly headers: Record<string, string>;
  readonly body: unknown;
}

/** One scripted answer: a Response, an error to throw (no answer), or `hang` (never answers). */
export type Scripted = Response | Error | 'hang' | ((request: RecordedRequest) => Response | Error | 'hang');

export function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  });
}

export function apiError(status: number, code: string, message = code, extra: Record<string, unknown> = {}) {
  return json(status, { error: { code, message, ...extra } });
}

/** What undici throws when the connection is refused. */
export function connectionRefused(): Error {
  return new TypeError('fetch failed', {
    cause: Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }),
  });
}

export function fakeFetch(...script: Scripted[]) {
  const requests: RecordedRequest[] = [];
  const queue = [...script];
  const fetch = async (input: string | URL | Request, init: RequestInit = {}): Promise<Response> => {
    const headers: Record<string, string> = {};
    new Headers(init.headers).forEach((value, name) => {
      headers[name] = value;
    });
    const request: RecordedRequest = {
      url: String(input),
      method: init.method ?? 'GET',
      headers,
      body: typeof init.body === 'string' ? JSON.parse(init.body) : undefined,
    };
    requests.push(request);
    const next = queue.shift();
    if (next === undefined) throw new Error(`unexpected request ${request.method} ${request.url}`);
    const outcome = typeof next === 'function' ? next(request) : next;
    if (outcome === 'hang') {
      return new Promise<Response>((_, reject) => {
        const signal = init.signal;
        if (signal?.aborted) reject(signal.reason);
        signal?.addEventListener('abort', () => reject(signal.reason), { once: true });
      });
    }
    if (outcome instanceof Error) throw outcome;
    return outcome;
  };
  return { fetch: fetch as typeof globalThis.fetch, requests, remaining: () => queue.length };
}

export function article(overrides: Record<string, unknown> = {}) {
  return {
    id: '01JDQ3Z8K4M5N6P7Q8R9S0T1V2',
    slug: 'rutte-us-is-fully-committed-to-nato',
    previousPaths: [],
    title: 'Rutte: US is fully committed to NATO',
    section: 'bota',
    body: 'European allies should not worry.',
    summary: 'The alliance chief speaks ahead of the summit.',
    source: 'REL',
    tags: ['nato'],
    status: 'published',
    publishedAt: '2026-11-27T17:30:00.000Z',
    createdAt: '2026-11-27T17:30:00.000Z',
    updatedAt: '2026-11-27T17:30:00.000Z',
    version: 1,
    corrections: [],
    featured: false,
    url: 'http://localhost:3000/bota/rutte-us-is-fully-committed-to-nato',
    ...overrides,
  };
}

export function articleResponse(status: number, overrides: Record<string, unknown> = {}) {
  const body = article(overrides);
  return json(status, body, { etag: `"${body.version}"` });
}
