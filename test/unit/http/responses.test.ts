import { describe, expect, it } from 'vitest';
import { AppError, storageUnavailable } from '../../../functions/domain/errors';
import {
  errorResponse,
  jsonResponse,
  noContent,
  RETRY_AFTER_SECONDS,
} from '../../../functions/http/responses';

const bodyOf = (result: { body?: string }) => JSON.parse(result.body ?? '') as Record<string, unknown>;

describe('jsonResponse', () => {
  it('serialises the body with JSON headers, not storable by shared caches by default', () => {
    const result = jsonResponse(201, { id: 'a' }, { location: '/api/articles/a' });
    expect(result.statusCode).toBe(201);
    expect(bodyOf(result)).toEqual({ id: 'a' });
    expect(result.headers).toEqual({
      'content-type': 'application/json; charset=utf-8',
      'x-content-type-options': 'nosniff',
      'cache-control': 'no-store',
      location: '/api/articles/a',
    });
  });

  it('lets a route choose its own cache policy', () => {
    expect(jsonResponse(200, [], { 'cache-control': 'public, max-age=30' }).headers?.['cache-control']).toBe(
      'public, max-age=30',
    );
  });
});

describe('noContent', () => {
  it('is a 204 without a body', () => {
    const result = noContent();
    expect(result.statusCode).toBe(204);
    expect(result.body).toBeUndefined();
    expect(result.headers?.['cache-control']).toBe('no-store');
  });
});

describe('errorResponse', () => {
  it('answers an AppError with its status, code, message and details', () => {
    const details = [{ field: 'title', message: 'is required' }];
    const result = errorResponse(new AppError('validation_failed', 'The article is invalid', details));
    expect(result.statusCode).toBe(400);
    expect(result.headers?.['content-type']).toBe('application/json; charset=utf-8');
    expect(bodyOf(result)).toEqual({
      error: { code: 'validation_failed', message: 'The article is invalid', details },
    });
  });

  it('leaves details out when there are none', () => {
    const result = errorResponse(new AppError('not_found', 'The article was not found'));
    expect(result.statusCode).toBe(404);
    expect(bodyOf(result)).toEqual({ error: { code: 'not_found', message: 'The article was not found' } });
  });

  it.each([
    ['precondition_failed', 412],
    ['precondition_required', 428],
    ['slug_conflict', 409],
    ['payload_too_large', 413],
    ['unsupported_media_type', 415],
    ['forbidden', 403],
  ] as const)('answers %s with %i', (code, status) => {
    expect(errorResponse(new AppError(code, 'x')).statusCode).toBe(status);
  });

  it('answers service_unavailable with 503 and a Retry-After, and only then', () => {
    const result = errorResponse(storageUnavailable());
    expect(result.statusCode).toBe(503);
    expect(result.headers?.['retry-after']).toBe(String(RETRY_AFTER_SECONDS));
    expect(bodyOf(result)).toEqual({
      error: { code: 'service_unavailable', message: storageUnavailable().message },
    });
    expect(errorResponse(new AppError('not_found', 'x')).headers?.['retry-after']).toBeUndefined();
    expect(errorResponse(new Error('x')).headers?.['retry-after']).toBeUndefined();
  });

  it('asks for a bearer token on 401 only', () => {
    expect(errorResponse(new AppError('unauthorized', 'no')).headers?.['www-authenticate']).toBe(
      'Bearer realm="flash-news"',
    );
    expect(errorResponse(new AppError('forbidden', 'no')).headers?.['www-authenticate']).toBeUndefined();
  });

  it('answers anything else with a bare 500 that leaks neither the message nor the stack', () => {
    const error = new Error('connect ECONNREFUSED 10.0.0.7:8000 (table flash-news-articles)');
    const result = errorResponse(error);
    expect(result.statusCode).toBe(500);
    expect(bodyOf(result)).toEqual({
      error: { code: 'internal_error', message: 'Something went wrong on our side' },
    });
    expect(result.body).not.toContain('ECONNREFUSED');
    expect(result.body).not.toContain('flash-news-articles');
    expect(result.body).not.toContain(String(error.stack).split('\n')[1]?.trim());
  });

  it.each([
    ['a string', 'oops'],
    ['undefined', undefined],
    ['an object', { secret: 'hunter2' }],
  ])('answers a thrown %s with a bare 500', (_, thrown) => {
    const result = errorResponse(thrown);
    expect(result.statusCode).toBe(500);
    expect(result.body).not.toContain('hunter2');
    expect(bodyOf(result)).toEqual({
      error: { code: 'internal_error', message: 'Something went wrong on our side' },
    });
  });

  it('answers a plain Error that looks like an AppError with 500, trusting only the class', () => {
    const impostor = Object.assign(new Error('internal detail'), { status: 400, code: 'bad_request' });
    const result = errorResponse(impostor);
    expect(result.statusCode).toBe(500);
    expect(result.body).not.toContain('internal detail');
  });
});
