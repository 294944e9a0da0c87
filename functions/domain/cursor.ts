import { createHmac, timingSafeEqual } from 'node:crypto';
import { AppError } from './errors';

/**
 * Pagination cursors are opaque to clients and tamper-evident: the position (a DynamoDB key) and the
 * query it belongs to are signed with an HMAC, so a forged, edited or foreign cursor is a clean 400
 * instead of a surprising page or an error from DynamoDB.
 */

const VERSION = 1;
/** An HMAC-SHA256 in unpadded base64url: 43 characters, the last one of only 16 possible. */
const SIGNATURE = /^[A-Za-z0-9_-]{42}[AEIMQUYcgkosw048]$/;

export type CursorKey = Record<string, string | number>;

interface CursorPayload {
  readonly v: number;
  /** The query the cursor continues (the section, or `*` for all). */
  readonly q: string;
  readonly k: CursorKey;
}

function sign(data: string, secret: string): Buffer {
  return createHmac('sha256', secret).update(data).digest();
}

export function encodeCursor(key: CursorKey, query: string, secret: string): string {
  const payload: CursorPayload = { v: VERSION, q: query, k: key };
  const data = Buffer.from(JSON.stringify(payload)).toString('base64url');
  return `${data}.${sign(data, secret).toString('base64url')}`;
}

const invalid = () =>
  new AppError('invalid_cursor', 'The cursor is invalid or does not belong to this query');

export function decodeCursor(cursor: string, query: string, secret: string): CursorKey {
  const [data, signature, extra] = cursor.split('.');
  // Canonical base64url only, so each position has exactly one cursor string.
  if (
    !data ||
    !signature ||
    extra !== undefined ||
    !/^[A-Za-z0-9_-]+$/.test(data) ||
    !SIGNATURE.test(signature)
  ) {
    throw invalid();
  }
  const expected = sign(data, secret);
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw invalid();
  let payload: CursorPayload;
  try {
    payload = JSON.parse(Buffer.from(data, 'base64url').toString('utf8')) as CursorPayload;
  } catch {
    throw invalid();
  }
  if (payload.v !== VERSION || payload.q !== query || typeof payload.k !== 'object' || payload.k === null) {
    throw invalid();
  }
  return payload.k;
}
