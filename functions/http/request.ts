import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { AppError } from '../domain/errors';

/** The API's limit on request bodies (API Gateway's own is 10 MB). */
export const MAX_BODY_BYTES = 1024 * 1024;

/** HTTP API payload 2.0 lower-cases header names; this also copes with hand-built events. */
export function header(event: APIGatewayProxyEventV2, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(event.headers ?? {})) {
    if (key.toLowerCase() === wanted) return value;
  }
  return undefined;
}

export function pathParameter(event: APIGatewayProxyEventV2, name: string): string {
  const value = event.pathParameters?.[name];
  if (!value) throw new AppError('bad_request', `The path parameter ${name} is missing`);
  return value;
}

function isJsonMediaType(contentType: string): boolean {
  // Stryker disable next-line OptionalChaining,StringLiteral: split always gives a first part
  const mediaType = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
  return mediaType === 'application/json' || /^application\/[a-z0-9.+-]+\+json$/.test(mediaType);
}

/** A UTF-16 surrogate without its partner: what no UTF-8 text decodes to. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * The parsed JSON body, after the checks every write route shares: a JSON content type (415), at most
 * MAX_BODY_BYTES (413), and well-formed UTF-8 JSON (400). Schema validation is the caller's next step.
 *
 * Bytes that are not UTF-8 are refused, never "repaired" into U+FFFD: a base64 body (API Gateway's form
 * for bytes it does not pass as text, and the local gateway's for any body that is not valid UTF-8) is
 * decoded strictly, and a text body must be well-formed (no lone surrogates, which no UTF-8 decodes to).
 */
export function readJsonBody(event: APIGatewayProxyEventV2): unknown {
  const contentType = header(event, 'content-type');
  if (!contentType || !isJsonMediaType(contentType)) {
    throw new AppError(
      'unsupported_media_type',
      'The request body must be JSON (Content-Type: application/json)',
    );
  }
  // Stryker disable next-line StringLiteral: any other stand-in is refused as invalid_json all the same
  const raw = event.body ?? '';
  if (!event.isBase64Encoded && LONE_SURROGATE.test(raw)) {
    throw new AppError('invalid_json', 'The request body is not valid UTF-8 JSON');
  }
  // Stryker disable next-line StringLiteral: Buffer.from reads an empty encoding name as UTF-8
  const bytes = event.isBase64Encoded ? Buffer.from(raw, 'base64') : Buffer.from(raw, 'utf8');
  if (bytes.length > MAX_BODY_BYTES) {
    throw new AppError('payload_too_large', `The request body must be at most ${MAX_BODY_BYTES} bytes`);
  }
  // Stryker disable next-line ConditionalExpression: JSON.parse refuses an empty body with the same 400 too
  if (bytes.length === 0)
    throw new AppError('invalid_json', 'The request body is empty; a JSON object is expected');
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    throw new AppError('invalid_json', 'The request body is not valid UTF-8 JSON');
  }
}

/** The article version an `ETag` stands for: a strong, quoted version number. */
export function etagOf(version: number): string {
  return `"${version}"`;
}

/**
 * The version named by `If-Match`. `*` is refused: it would let a client overwrite changes it has never
 * seen, which is exactly what the precondition is there to prevent.
 */
export function ifMatchVersion(event: APIGatewayProxyEventV2, required: boolean): number | undefined {
  const value = header(event, 'if-match')?.trim();
  if (!value) {
    if (!required) return undefined;
    throw new AppError(
      'precondition_required',
      'This request needs an If-Match header with the ETag of the article you are changing',
    );
  }
  if (value === '*') {
    throw new AppError(
      'precondition_required',
      'If-Match must carry the article\'s ETag; "*" is not accepted',
    );
  }
  // Strong comparison only (RFC 9110): a weak tag never matches, and neither does anything that names
  // no version of ours, so both end as 412.
  const match = /^(?:"(\d{1,15})"|(\d{1,15}))$/.exec(value);
  return match ? Number(match[1] ?? match[2]) : -1;
}

export const IDEMPOTENCY_KEY = /^[\x21-\x7E]{1,255}$/;

export function idempotencyKey(event: APIGatewayProxyEventV2): string | undefined {
  const value = header(event, 'idempotency-key');
  // Stryker disable next-line ConditionalExpression: the pattern tests undefined as "undefined", which passes
  if (value === undefined) return undefined;
  if (!IDEMPOTENCY_KEY.test(value)) {
    throw new AppError('bad_request', 'Idempotency-Key must be 1 to 255 visible ASCII characters', [
      { field: 'Idempotency-Key', message: 'must be 1 to 255 visible ASCII characters' },
    ]);
  }
  return value;
}
