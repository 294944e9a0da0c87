import { describe, expect, it } from 'vitest';
import {
  AppError,
  type ErrorCode,
  isStorageUnavailable,
  notFound,
  storageUnavailable,
} from '../../../functions/domain/errors';

describe('AppError', () => {
  it.each<[ErrorCode, number]>([
    ['bad_request', 400],
    ['invalid_json', 400],
    ['validation_failed', 400],
    ['invalid_cursor', 400],
    ['unauthorized', 401],
    ['forbidden', 403],
    ['not_found', 404],
    ['method_not_allowed', 405],
    ['slug_conflict', 409],
    ['idempotency_conflict', 409],
    ['precondition_failed', 412],
    ['payload_too_large', 413],
    ['unsupported_media_type', 415],
    ['precondition_required', 428],
    ['internal_error', 500],
    ['service_unavailable', 503],
  ])('answers %s with %i', (code, status) => {
    expect(new AppError(code, 'message').status).toBe(status);
  });

  it('carries its code, message and field problems', () => {
    const details = [{ field: 'title', message: 'is required' }];
    const error = new AppError('validation_failed', 'The article is invalid', details);
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('AppError');
    expect(error.code).toBe('validation_failed');
    expect(error.message).toBe('The article is invalid');
    expect(error.details).toEqual(details);
  });

  it('has no details unless given', () => {
    expect(new AppError('forbidden', 'no').details).toBeUndefined();
  });
});

describe('notFound', () => {
  it('is a 404 naming what was not found', () => {
    const error = notFound('The article');
    expect(error.status).toBe(404);
    expect(error.code).toBe('not_found');
    expect(error.message).toBe('The article was not found');
  });
});

describe('storageUnavailable', () => {
  it('is a 503 service_unavailable that says to try again, and is recognised as such', () => {
    const error = storageUnavailable();
    expect(error).toMatchObject({ status: 503, code: 'service_unavailable' });
    expect(error.message).toMatch(/try again/);
    expect(isStorageUnavailable(error)).toBe(true);
  });

  it('is not mistaken for other errors', () => {
    expect(isStorageUnavailable(notFound('x'))).toBe(false);
    expect(isStorageUnavailable(Object.assign(new Error('x'), { code: 'service_unavailable' }))).toBe(false);
  });
});
