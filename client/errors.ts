import type { ErrorCode, FieldProblem } from './types';

/**
 * Every failure the client reports is a FlashNewsError: an answer from the API is a FlashNewsApiError
 * (or one of its subclasses, chosen by status), a request that got no answer is a FlashNewsNetworkError.
 * Callers can branch with `instanceof` or on `code`.
 */
export class FlashNewsError extends Error {
  override name = 'FlashNewsError';
}

export interface ApiErrorInit {
  readonly status: number;
  readonly code: ErrorCode;
  readonly message: string;
  readonly details?: readonly FieldProblem[];
  readonly method: string;
  readonly url: string;
  /** Seconds from the `Retry-After` header, when the answer had one. */
  readonly retryAfterSeconds?: number;
  /** How many requests were sent for this call, retries included. */
  readonly attempts: number;
}

/** The API refused or failed the request; `code`, `message` and `details` are its JSON error. */
export class FlashNewsApiError extends FlashNewsError {
  override name = 'FlashNewsApiError';
  readonly status: number;
  readonly code: ErrorCode;
  readonly details: readonly FieldProblem[];
  readonly method: string;
  readonly url: string;
  readonly retryAfterSeconds: number | undefined;
  readonly attempts: number;

  constructor(init: ApiErrorInit) {
    super(init.message);
    this.status = init.status;
    this.code = init.code;
    this.details = init.details ?? [];
    this.method = init.method;
    this.url = init.url;
    this.retryAfterSeconds = init.retryAfterSeconds;
    this.attempts = init.attempts;
  }
}

/** 400: bad JSON, invalid fields (each one named in `details`) or a bad cursor. */
export class ValidationError extends FlashNewsApiError {
  override name = 'ValidationError';
}

/** 401: no token, or one that is invalid or expired (API Gateway's own `{"message":"Unauthorized"}` too). */
export class AuthenticationError extends FlashNewsApiError {
  override name = 'AuthenticationError';
}

/** 403: the token is valid but not in the `editors` group. */
export class ForbiddenError extends FlashNewsApiError {
  override name = 'ForbiddenError';
}

/** 404: no such article (drafts are 404 without an editor token). */
export class NotFoundError extends FlashNewsApiError {
  override name = 'NotFoundError';
}

/** 409: the slug is taken (`slug_conflict`), or an Idempotency-Key was reused with another body. */
export class ConflictError extends FlashNewsApiError {
  override name = 'ConflictError';
}

/**
 * 412: the article changed since this client last read it, so the change was not applied. Read it again
 * (`getArticle`), re-apply the change to what you read, and update again.
 */
export class StaleArticleError extends FlashNewsApiError {
  override name = 'StaleArticleError';
  /** The version the update was made against (the `If-Match` sent). */
  readonly expectedVersion: number | undefined;
  /**
   * True when an earlier attempt of this same call got no answer: it may have been applied, and this 412
   * may be about our own change. Read the article to see.
   */
  readonly mayHaveBeenApplied: boolean;

  constructor(init: ApiErrorInit & { expectedVersion?: number; mayHaveBeenApplied?: boolean }) {
    super({
      ...init,
      message: `${init.message.replace(/\.?$/, '.')} The article changed since you read it${
        init.expectedVersion === undefined ? '' : ` (you had version ${init.expectedVersion})`
      }: read it again with getArticle() and re-apply your change.`,
    });
    this.expectedVersion = init.expectedVersion;
    this.mayHaveBeenApplied = init.mayHaveBeenApplied ?? false;
  }
}

/** 428: an update without `If-Match`. */
export class PreconditionRequiredError extends FlashNewsApiError {
  override name = 'PreconditionRequiredError';
}

/** 429 and 5xx after the retries ran out: the API, or something in front of it, is unavailable. */
export class ServiceUnavailableError extends FlashNewsApiError {
  override name = 'ServiceUnavailableError';
}

/** No answer at all: connection refused or reset, DNS, TLS (`cause` has the underlying error). */
export class FlashNewsNetworkError extends FlashNewsError {
  override name = 'FlashNewsNetworkError';
  constructor(
    message: string,
    readonly attempts: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** No complete answer within the client's `timeoutMs`, on every attempt. */
export class FlashNewsTimeoutError extends FlashNewsNetworkError {
  override name = 'FlashNewsTimeoutError';
}

/** An answer the contract does not allow, e.g. a success whose body is not JSON. */
export class UnexpectedResponseError extends FlashNewsError {
  override name = 'UnexpectedResponseError';
}

/**
 * An update was asked for an article this client has not read or written yet, so it has no version to
 * send as `If-Match`: read it first with `getArticle()`, or pass `ifMatch` explicitly.
 */
export class UnknownVersionError extends FlashNewsError {
  override name = 'UnknownVersionError';
}

const CLASS_BY_STATUS: Record<number, typeof FlashNewsApiError> = {
  400: ValidationError,
  401: AuthenticationError,
  403: ForbiddenError,
  404: NotFoundError,
  409: ConflictError,
  412: StaleArticleError,
  428: PreconditionRequiredError,
  429: ServiceUnavailableError,
};

/** The code an answer without the API's JSON error gets (API Gateway's or CloudFront's own answers). */
const CODE_BY_STATUS: Record<number, ErrorCode> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  409: 'conflict',
  412: 'precondition_failed',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  428: 'precondition_required',
  429: 'too_many_requests',
  500: 'internal_error',
  503: 'service_unavailable',
};

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function fieldProblems(value: unknown): FieldProblem[] | undefined {
  if (!Array.isArray(value)) return undefined;
  return value.filter(
    (item): item is FieldProblem =>
      isRecord(item) && typeof item.field === 'string' && typeof item.message === 'string',
  );
}

/**
 * The code, message and details of an error answer, whatever produced it: the API's
 * `{"error": {...}}`, API Gateway's `{"message": "Unauthorized"}`, or a body that is not JSON at all
 * (CloudFront serves the site's 404 page for an API 404).
 */
export function describeErrorBody(
  status: number,
  statusText: string,
  text: string,
): { code: ErrorCode; message: string; details?: FieldProblem[] } {
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  const fallbackCode = CODE_BY_STATUS[status] ?? (status >= 500 ? 'internal_error' : `http_${status}`);
  if (isRecord(parsed) && isRecord(parsed.error)) {
    const { code, message, details } = parsed.error;
    return {
      code: typeof code === 'string' ? code : fallbackCode,
      message: typeof message === 'string' ? message : `HTTP ${status}`,
      details: fieldProblems(details),
    };
  }
  if (isRecord(parsed) && typeof parsed.message === 'string') {
    return { code: fallbackCode, message: parsed.message };
  }
  return { code: fallbackCode, message: statusText ? `HTTP ${status} ${statusText}` : `HTTP ${status}` };
}

/** The typed error for an error answer. */
export function apiErrorFor(
  init: ApiErrorInit & { expectedVersion?: number; mayHaveBeenApplied?: boolean },
): FlashNewsApiError {
  if (init.status === 412) return new StaleArticleError(init);
  const ErrorClass =
    CLASS_BY_STATUS[init.status] ?? (init.status >= 500 ? ServiceUnavailableError : undefined);
  return ErrorClass ? new ErrorClass(init) : new FlashNewsApiError(init);
}
