import {
  AuthenticationError,
  ConflictError,
  FlashNewsApiError,
  FlashNewsClient,
  type FlashNewsClientOptions,
  FlashNewsNetworkError,
  FlashNewsTimeoutError,
  ForbiddenError,
  NotFoundError,
  type RetryEvent,
  ServiceUnavailableError,
  StaleArticleError,
  UnknownVersionError,
  ValidationError,
} from 'flash-news-client';
import { describe, expect, it } from 'vitest';
import {
  apiError,
  article,
  articleResponse,
  connectionRefused,
  fakeFetch,
  json,
  type Scripted,
} from './fake-fetch';

const ID = '01JDQ3Z8K4M5N6P7Q8R9S0T1V2';
const input = { title: 'Rutte: US is fully committed to NATO', section: 'bota', body: 'Text.' };

/** A client on a scripted fetch whose waits are recorded instead of slept. */
function clientWith(script: Scripted[], options: Partial<FlashNewsClientOptions> = {}) {
  const fake = fakeFetch(...script);
  const waits: number[] = [];
  const retries: RetryEvent[] = [];
  const client = new FlashNewsClient({
    baseUrl: 'http://localhost:3000',
    token: 'editor-token',
    fetch: fake.fetch,
    sleep: async (ms) => {
      waits.push(ms);
    },
    random: () => 1,
    onRetry: (event) => retries.push(event),
    ...options,
  });
  return { client, requests: fake.requests, waits, retries, remaining: fake.remaining };
}

async function caught(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail');
}

describe('createArticle', () => {
  it('sends the article as JSON with the token and an Idempotency-Key', async () => {
    const { client, requests } = clientWith([articleResponse(201)]);
    const created = await client.createArticle(input);
    expect(created.id).toBe(ID);
    const [request] = requests;
    expect(request?.method).toBe('POST');
    expect(request?.url).toBe('http://localhost:3000/api/articles');
    expect(request?.headers.authorization).toBe('Bearer editor-token');
    expect(request?.headers['content-type']).toBe('application/json');
    expect(request?.headers['idempotency-key']).toMatch(/^[\x21-\x7E]{1,255}$/);
    expect(request?.body).toEqual(input);
  });

  it('generates a new key for each call', async () => {
    const { client, requests } = clientWith([articleResponse(201), articleResponse(201)]);
    await client.createArticle(input);
    await client.createArticle(input);
    expect(requests[0]?.headers['idempotency-key']).not.toBe(requests[1]?.headers['idempotency-key']);
  });

  it('retries 503, 429 and network errors with the same Idempotency-Key and body', async () => {
    const { client, requests } = clientWith([
      apiError(503, 'service_unavailable'),
      json(429, { message: 'Too Many Requests' }),
      connectionRefused(),
      articleResponse(201),
    ]);
    const created = await client.createArticle(input);
    expect(created.id).toBe(ID);
    expect(requests).toHaveLength(4);
    const keys = new Set(requests.map((request) => request.headers['idempotency-key']));
    expect(keys.size).toBe(1);
    for (const request of requests) expect(request.body).toEqual(input);
  });

  it('uses the caller’s Idempotency-Key when given one', async () => {
    const { client, requests } = clientWith([connectionRefused(), articleResponse(201)]);
    await client.createArticle(input, { idempotencyKey: 'rutte-2026-11-27' });
    expect(requests.map((request) => request.headers['idempotency-key'])).toEqual([
      'rutte-2026-11-27',
      'rutte-2026-11-27',
    ]);
  });

  it('waits for a request of its own still in progress (409 idempotency_conflict after no answer)', async () => {
    const { client, requests } = clientWith([
      connectionRefused(),
      apiError(409, 'idempotency_conflict', 'A request with this Idempotency-Key is still in progress'),
      articleResponse(201),
    ]);
    await client.createArticle(input);
    expect(requests).toHaveLength(3);
  });

  it('does not retry an idempotency conflict on the first attempt: the key was used with another body', async () => {
    const { client, requests } = clientWith([
      apiError(409, 'idempotency_conflict', 'This Idempotency-Key was already used with a different body'),
    ]);
    const error = await caught(client.createArticle(input, { idempotencyKey: 'used' }));
    expect(error).toBeInstanceOf(ConflictError);
    expect((error as ConflictError).code).toBe('idempotency_conflict');
    expect(requests).toHaveLength(1);
  });

  it('does not retry a refusal (400) and names each invalid field', async () => {
    const { client, requests } = clientWith([
      apiError(400, 'validation_failed', 'The article is invalid', {
        details: [{ field: 'section', message: 'unknown section "nowhere"' }],
      }),
    ]);
    const error = await caught(client.createArticle({ ...input, section: 'nowhere' }));
    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toMatchObject({
      status: 400,
      code: 'validation_failed',
      message: 'The article is invalid',
      details: [{ field: 'section', message: 'unknown section "nowhere"' }],
      attempts: 1,
    });
    expect(requests).toHaveLength(1);
  });
});

describe('retries', () => {
  it('backs off exponentially with jitter: a random share of 250, 500, 1000 ms', async () => {
    const draws = [0.5, 0.25, 1];
    const { client, waits } = clientWith(
      [apiError(500, 'internal_error'), apiError(502, 'bad_gateway'), connectionRefused(), json(200, [])],
      { random: () => draws.shift() ?? 1 },
    );
    await client.latestPage();
    expect(waits).toEqual([125, 125, 1000]);
  });

  it('honours Retry-After in seconds and as an HTTP date', async () => {
    const inThirtySeconds = new Date(Date.now() + 30_000).toUTCString();
    const { client, waits } = clientWith([
      json(503, { error: { code: 'service_unavailable', message: 'later' } }, { 'retry-after': '5' }),
      json(429, { message: 'Too Many Requests' }, { 'retry-after': inThirtySeconds }),
      json(200, { items: [], nextCursor: null }),
    ]);
    await client.latestPage();
    expect(waits[0]).toBe(5000);
    expect(waits[1]).toBeGreaterThan(20_000);
    expect(waits[1]).toBeLessThanOrEqual(30_000);
  });

  it('gives up after maxAttempts with the last answer as a typed error', async () => {
    const { client, requests, retries } = clientWith(
      [
        apiError(503, 'service_unavailable'),
        apiError(503, 'service_unavailable'),
        json(503, { error: { code: 'service_unavailable', message: 'still down' } }, { 'retry-after': '5' }),
      ],
      { retry: { maxAttempts: 3 } },
    );
    const error = await caught(client.sections());
    expect(error).toBeInstanceOf(ServiceUnavailableError);
    expect(error).toMatchObject({
      status: 503,
      code: 'service_unavailable',
      attempts: 3,
      retryAfterSeconds: 5,
    });
    expect(requests).toHaveLength(3);
    expect(retries.map((event) => event.reason)).toEqual([
      'HTTP 503 service_unavailable',
      'HTTP 503 service_unavailable',
    ]);
  });

  it('does not wait out a Retry-After longer than maxRetryAfterMs', async () => {
    const { client, requests } = clientWith([
      json(503, { error: { code: 'service_unavailable', message: 'x' } }, { 'retry-after': '3600' }),
    ]);
    const error = await caught(client.sections());
    expect(error).toMatchObject({ retryAfterSeconds: 3600, attempts: 1 });
    expect(requests).toHaveLength(1);
  });

  it('reports a network failure with its cause once the attempts run out', async () => {
    const { client } = clientWith([connectionRefused(), connectionRefused()], { retry: { maxAttempts: 2 } });
    const error = await caught(client.sections());
    expect(error).toBeInstanceOf(FlashNewsNetworkError);
    expect((error as Error).message).toMatch(/ECONNREFUSED/);
    expect((error as FlashNewsNetworkError).attempts).toBe(2);
  });

  it('times out an attempt that never answers, and retries it', async () => {
    const { client, requests } = clientWith(['hang', 'hang'], { timeoutMs: 20, retry: { maxAttempts: 2 } });
    const error = await caught(client.sections());
    expect(error).toBeInstanceOf(FlashNewsTimeoutError);
    expect(requests).toHaveLength(2);
  });

  it('stops at once when the caller aborts, without retrying', async () => {
    const { client, requests } = clientWith(['hang', 'hang']);
    const controller = new AbortController();
    const pending = caught(client.sections({ signal: controller.signal }));
    controller.abort(new Error('user gave up'));
    expect(((await pending) as Error).message).toBe('user gave up');
    expect(requests).toHaveLength(1);
  });

  it('asks a token provider before every attempt, so a refreshed token is used on the retry', async () => {
    const tokens = ['first', 'second'];
    const { client, requests } = clientWith([apiError(503, 'service_unavailable'), articleResponse(201)], {
      token: async () => tokens.shift(),
    });
    await client.createArticle(input);
    expect(requests.map((request) => request.headers.authorization)).toEqual([
      'Bearer first',
      'Bearer second',
    ]);
  });
});

describe('updateArticle and If-Match', () => {
  it('sends the version of the last read as If-Match, then the version it wrote', async () => {
    const { client, requests } = clientWith([
      articleResponse(200, { version: 3 }),
      articleResponse(200, { version: 4, summary: 'New' }),
      articleResponse(200, { version: 5, summary: 'Newer' }),
    ]);
    await client.getArticle(ID);
    expect(client.versionOf(ID)).toBe(3);
    await client.updateArticle(ID, { summary: 'New' });
    await client.updateArticle(ID, { summary: 'Newer' });
    expect(requests[1]).toMatchObject({ method: 'PATCH', body: { summary: 'New' } });
    expect(requests[1]?.headers['if-match']).toBe('"3"');
    expect(requests[2]?.headers['if-match']).toBe('"4"');
  });

  it('updates by id an article read by its slug', async () => {
    const { client, requests } = clientWith([
      articleResponse(200, { version: 2 }),
      articleResponse(200, { version: 3 }),
    ]);
    await client.getArticle('rutte-us-is-fully-committed-to-nato');
    await client.updateArticle('rutte-us-is-fully-committed-to-nato', { status: 'unpublished' });
    expect(requests[0]?.url).toBe('http://localhost:3000/api/articles/rutte-us-is-fully-committed-to-nato');
    expect(requests[1]?.url).toBe(`http://localhost:3000/api/articles/${ID}`);
    expect(requests[1]?.headers['if-match']).toBe('"2"');
  });

  it('refuses to update an article it has not read, without sending anything', async () => {
    const { client, requests } = clientWith([]);
    await expect(client.updateArticle(ID, { title: 'x' })).rejects.toBeInstanceOf(UnknownVersionError);
    expect(requests).toHaveLength(0);
  });

  it('takes an explicit ifMatch', async () => {
    const { client, requests } = clientWith([articleResponse(200, { version: 8 })]);
    await client.updateArticle(ID, { title: 'x' }, { ifMatch: 7 });
    expect(requests[0]?.headers['if-match']).toBe('"7"');
  });

  it('turns 412 into StaleArticleError telling the caller to read again, and forgets the stale version', async () => {
    const { client } = clientWith([
      articleResponse(200, { version: 3 }),
      apiError(
        412,
        'precondition_failed',
        'If-Match does not match the current version "4"; fetch the article again and retry',
      ),
    ]);
    await client.getArticle(ID);
    const error = await caught(client.updateArticle(ID, { title: 'Mine' }));
    expect(error).toBeInstanceOf(StaleArticleError);
    expect(error).toMatchObject({
      status: 412,
      code: 'precondition_failed',
      expectedVersion: 3,
      mayHaveBeenApplied: false,
    });
    expect((error as Error).message).toMatch(/read it again with getArticle\(\)/);
    expect(client.versionOf(ID)).toBeUndefined();
    await expect(client.updateArticle(ID, { title: 'Mine' })).rejects.toBeInstanceOf(UnknownVersionError);
  });

  it('says a 412 may be about its own change when an earlier attempt got no answer', async () => {
    const { client, requests } = clientWith([
      articleResponse(200, { version: 3 }),
      connectionRefused(),
      apiError(412, 'precondition_failed', 'If-Match does not match the current version "4"'),
    ]);
    await client.getArticle(ID);
    const error = await caught(client.updateArticle(ID, { title: 'Mine' }));
    expect(error).toMatchObject({ mayHaveBeenApplied: true, expectedVersion: 3 });
    expect(requests[1]?.headers['if-match']).toBe('"3"');
    expect(requests[2]?.headers['if-match']).toBe('"3"');
  });
});

describe('deleteArticle', () => {
  it('deletes by id without If-Match by default', async () => {
    const { client, requests } = clientWith([new Response(null, { status: 204 })]);
    await client.deleteArticle(ID);
    expect(requests[0]).toMatchObject({ method: 'DELETE', url: `http://localhost:3000/api/articles/${ID}` });
    expect(requests[0]?.headers['if-match']).toBeUndefined();
  });

  it('resolves a slug to the article id first (the API deletes by id)', async () => {
    const { client, requests } = clientWith([articleResponse(200), new Response(null, { status: 204 })]);
    await client.deleteArticle('rutte-us-is-fully-committed-to-nato');
    expect(requests.map((request) => `${request.method} ${new URL(request.url).pathname}`)).toEqual([
      'GET /api/articles/rutte-us-is-fully-committed-to-nato',
      `DELETE /api/articles/${ID}`,
    ]);
  });

  it('sends the last-read version when asked to', async () => {
    const { client, requests } = clientWith([
      articleResponse(200, { version: 6 }),
      new Response(null, { status: 204 }),
    ]);
    await client.getArticle(ID);
    await client.deleteArticle(ID, { ifMatch: 'last-read' });
    expect(requests[1]?.headers['if-match']).toBe('"6"');
  });

  it('counts a 404 after an unanswered attempt as deleted', async () => {
    const { client } = clientWith([connectionRefused(), apiError(404, 'not_found')]);
    await expect(client.deleteArticle(ID)).resolves.toBeUndefined();
  });

  it('reports a 404 on the first attempt as NotFoundError', async () => {
    const { client } = clientWith([apiError(404, 'not_found', 'The article was not found')]);
    await expect(client.deleteArticle(ID)).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('latest', () => {
  const item = (n: number) => ({
    id: `id-${n}`,
    slug: `story-${n}`,
    title: `Story ${n}`,
    summary: null,
    section: 'bota',
    publishedAt: '2026-11-27T17:30:00.000Z',
    url: `http://localhost:3000/bota/story-${n}`,
  });

  it('iterates every page by following nextCursor', async () => {
    const { client, requests } = clientWith([
      json(200, { items: [item(1), item(2)], nextCursor: 'c1' }),
      json(200, { items: [item(3)], nextCursor: 'c2' }),
      json(200, { items: [item(4)], nextCursor: null }),
    ]);
    const titles: string[] = [];
    for await (const entry of client.latest({ section: 'bota', limit: 2 })) titles.push(entry.title);
    expect(titles).toEqual(['Story 1', 'Story 2', 'Story 3', 'Story 4']);
    const queries = requests.map((request) => Object.fromEntries(new URL(request.url).searchParams));
    expect(queries).toEqual([
      { limit: '2', section: 'bota' },
      { limit: '2', section: 'bota', cursor: 'c1' },
      { limit: '2', section: 'bota', cursor: 'c2' },
    ]);
  });

  it('fetches no further page once the loop stops', async () => {
    const { client, requests, remaining } = clientWith([
      json(200, { items: [item(1), item(2)], nextCursor: 'c1' }),
      json(200, { items: [item(3)], nextCursor: null }),
    ]);
    for await (const entry of client.latest()) if (entry.id === 'id-1') break;
    expect(requests).toHaveLength(1);
    expect(remaining()).toBe(1);
  });

  it('maps a bad cursor to ValidationError', async () => {
    const { client } = clientWith([apiError(400, 'invalid_cursor', 'The cursor is not valid')]);
    const error = await caught(client.latestPage({ cursor: 'forged' }));
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).code).toBe('invalid_cursor');
  });
});

describe('error mapping', () => {
  it('maps API Gateway’s own {"message":"Unauthorized"} to AuthenticationError', async () => {
    const { client } = clientWith([json(401, { message: 'Unauthorized' })]);
    const error = await caught(client.createArticle(input));
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error).toMatchObject({ status: 401, code: 'unauthorized', message: 'Unauthorized', details: [] });
  });

  it('maps the local gateway’s answer, which has both message and error, by its error object', async () => {
    const { client } = clientWith([
      json(401, {
        message: 'Unauthorized',
        error: { code: 'unauthorized', message: 'A valid token is required' },
      }),
    ]);
    const error = await caught(client.createArticle(input));
    expect(error).toMatchObject({ code: 'unauthorized', message: 'A valid token is required' });
  });

  it('maps 403 to ForbiddenError', async () => {
    const { client } = clientWith([apiError(403, 'forbidden', 'Only editors may do this')]);
    await expect(client.createArticle(input)).rejects.toBeInstanceOf(ForbiddenError);
  });

  it('maps a 404 whose body is CloudFront’s HTML page to NotFoundError', async () => {
    const { client } = clientWith([
      new Response('<!doctype html><title>Not found</title>', {
        status: 404,
        statusText: 'Not Found',
        headers: { 'content-type': 'text/html' },
      }),
    ]);
    const error = await caught(client.getArticle('nothing-here'));
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error).toMatchObject({ code: 'not_found', message: 'HTTP 404 Not Found' });
  });

  it('maps a slug conflict to ConflictError with its code', async () => {
    const { client } = clientWith([apiError(409, 'slug_conflict', 'The slug is taken')]);
    const error = await caught(client.createArticle({ ...input, slug: 'taken' }));
    expect(error).toBeInstanceOf(ConflictError);
    expect(error).toMatchObject({
      code: 'slug_conflict',
      method: 'POST',
      url: 'http://localhost:3000/api/articles',
    });
  });

  it('keeps any other status as a FlashNewsApiError with its code', async () => {
    const { client } = clientWith([apiError(413, 'payload_too_large', 'Too big')]);
    const error = await caught(client.createArticle(input));
    expect(error).toBeInstanceOf(FlashNewsApiError);
    expect(error).toMatchObject({ status: 413, code: 'payload_too_large' });
  });
});

describe('base URL', () => {
  it('accepts the origin, the ApiUrl output (…/api) or either with a trailing slash', async () => {
    for (const baseUrl of [
      'https://news.example.com',
      'https://news.example.com/api/',
      'https://news.example.com/',
    ]) {
      const { client, requests } = clientWith([json(200, { items: [] })], { baseUrl });
      await client.sections();
      expect(requests[0]?.url).toBe('https://news.example.com/api/sections');
    }
  });

  it('encodes an id or slug as one path segment', async () => {
    const { client, requests } = clientWith([apiError(404, 'not_found')]);
    await caught(client.getArticle('../latest?x=1'));
    expect(requests[0]?.url).toBe('http://localhost:3000/api/articles/..%2Flatest%3Fx%3D1');
  });

  it('returns sections as a list', async () => {
    const { client } = clientWith([
      json(200, {
        items: [
          { slug: 'bota', name: 'Bota', description: 'World news.', url: 'http://localhost:3000/bota/' },
        ],
      }),
    ]);
    expect(await client.sections()).toEqual([
      { slug: 'bota', name: 'Bota', description: 'World news.', url: 'http://localhost:3000/bota/' },
    ]);
  });

  it('reads an article’s version from its ETag', async () => {
    const { client } = clientWith([json(200, article({ version: 2 }), { etag: '"9"' })]);
    await client.getArticle(ID);
    expect(client.versionOf(ID)).toBe(9);
  });
});
