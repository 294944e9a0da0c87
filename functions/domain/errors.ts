/**
 * The one error type the API turns into a response (functions/http/responses.ts). Anything else that
 * escapes a handler is an unexpected failure and becomes a bare 500 without details.
 */

export interface FieldProblem {
  /** Dotted path of the offending field, e.g. `tags.2`; empty for the body as a whole. */
  readonly field: string;
  readonly message: string;
}

export type ErrorCode =
  | 'bad_request'
  | 'invalid_json'
  | 'validation_failed'
  | 'invalid_cursor'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'gone'
  | 'method_not_allowed'
  | 'slug_conflict'
  | 'idempotency_conflict'
  | 'precondition_failed'
  | 'precondition_required'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'internal_error'
  | 'service_unavailable';

const STATUS_BY_CODE: Record<ErrorCode, number> = {
  bad_request: 400,
  invalid_json: 400,
  validation_failed: 400,
  invalid_cursor: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  gone: 410,
  method_not_allowed: 405,
  slug_conflict: 409,
  idempotency_conflict: 409,
  precondition_failed: 412,
  payload_too_large: 413,
  unsupported_media_type: 415,
  precondition_required: 428,
  internal_error: 500,
  service_unavailable: 503,
};

export class AppError extends Error {
  override name = 'AppError';
  readonly status: number;

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: readonly FieldProblem[],
  ) {
    super(message);
    this.status = STATUS_BY_CODE[code];
  }
}

export const notFound = (what: string): AppError => new AppError('not_found', `${what} was not found`);

/**
 * Storage could not be reached or refused the request for capacity (the adapters decide which failures
 * these are). A retry later may well succeed, so this is a 503, not a 500; and whether a write that
 * failed this way happened is unknown, which callers that clean up after a failed write must respect.
 */
export const storageUnavailable = (): AppError =>
  new AppError('service_unavailable', 'The article store is unavailable at the moment; try again shortly');

export function isStorageUnavailable(error: unknown): boolean {
  return error instanceof AppError && error.code === 'service_unavailable';
}
