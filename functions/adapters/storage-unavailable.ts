import { AppError } from '../domain/errors';

/**
 * Failures that mean DynamoDB could not be reached or would not serve the request right now, after the
 * SDK's own retries: the caller should try again later (503), and a write that failed this way may or
 * may not have happened. Judged by shape (name, code, HTTP status) rather than by class, because the
 * same failure arrives as an SDK service exception, a Node.js socket error, or wrapped in a `cause` by a
 * library (the Powertools idempotency store). The one place the API classifies storage failures.
 *
 * Free of SDK imports, so that the HTTP wrapper every route shares can apply it without bundling a
 * DynamoDB client into routes that never call DynamoDB.
 */
const UNAVAILABLE_ERROR_NAMES = new Set([
  // Capacity: a hot partition, the table's provisioned throughput, or the account's on-demand limit.
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  // The service's own failures.
  'InternalServerError',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  // The SDK's connection or request timeouts.
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
]);

/** Socket-level failures reaching the endpoint. */
const UNAVAILABLE_ERROR_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

interface ErrorShape {
  readonly name?: unknown;
  readonly code?: unknown;
  readonly cause?: unknown;
  readonly errors?: unknown;
  readonly $fault?: unknown;
  readonly $metadata?: { readonly httpStatusCode?: unknown };
  readonly $retryable?: { readonly throttling?: unknown };
}

export function isStorageUnavailableFailure(error: unknown, depth = 0): boolean {
  if (typeof error !== 'object' || error === null || depth > 5) return false;
  if (error instanceof AppError) return false;
  const shape = error as ErrorShape;
  const status = shape.$metadata?.httpStatusCode;
  if (
    (typeof shape.name === 'string' && UNAVAILABLE_ERROR_NAMES.has(shape.name)) ||
    (typeof shape.code === 'string' && UNAVAILABLE_ERROR_CODES.has(shape.code)) ||
    (typeof status === 'number' && status >= 500) ||
    shape.$fault === 'server' ||
    shape.$retryable?.throttling === true
  ) {
    return true;
  }
  // Node reports a refused connection to every address of a host as an AggregateError of socket errors.
  const inner = Array.isArray(shape.errors) ? shape.errors : [];
  return [shape.cause, ...inner].some((nested) => isStorageUnavailableFailure(nested, depth + 1));
}
