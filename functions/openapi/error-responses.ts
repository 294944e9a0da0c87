import { AppError, type ErrorCode } from '../domain/errors';

/**
 * Every error code, listed once at run time; the type below fails to compile when functions/domain/errors.ts
 * gains a code that is not here. Statuses are not repeated: each is asked of AppError itself.
 */
export const ERROR_CODES = [
  'bad_request',
  'invalid_json',
  'validation_failed',
  'invalid_cursor',
  'unauthorized',
  'forbidden',
  'not_found',
  'gone',
  'method_not_allowed',
  'slug_conflict',
  'idempotency_conflict',
  'precondition_failed',
  'precondition_required',
  'payload_too_large',
  'unsupported_media_type',
  'internal_error',
  'service_unavailable',
] as const satisfies readonly ErrorCode[];

type UnlistedCode = Exclude<ErrorCode, (typeof ERROR_CODES)[number]>;
const everyCodeListed: [UnlistedCode] extends [never] ? true : UnlistedCode = true;
void everyCodeListed;

export function statusOfCode(code: ErrorCode): number {
  return new AppError(code, '').status;
}

/** The codes an answer with `status` can carry, in the order of ERROR_CODES. */
export function codesOfStatus(status: number): [ErrorCode, ...ErrorCode[]] {
  const codes = ERROR_CODES.filter((code) => statusOfCode(code) === status);
  const [first, ...rest] = codes;
  if (!first) throw new Error(`No error code has status ${status}`);
  return [first, ...rest];
}
