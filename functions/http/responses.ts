import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { AppError } from '../domain/errors';

export type HttpResult = APIGatewayProxyStructuredResultV2 & { statusCode: number };

const BASE_HEADERS = {
  'content-type': 'application/json; charset=utf-8',
  'x-content-type-options': 'nosniff',
};

/** Responses about one editor's view of the data must never be stored by a shared cache. */
export const NO_STORE = 'no-store';

/**
 * How long a client should wait after a 503 before retrying. The SDK has already retried with backoff
 * for a few hundred milliseconds by then; throttling and brief outages usually clear within seconds.
 */
export const RETRY_AFTER_SECONDS = 5;

export function jsonResponse(
  statusCode: number,
  body: unknown,
  headers: Record<string, string> = {},
): HttpResult {
  return {
    statusCode,
    headers: { ...BASE_HEADERS, 'cache-control': NO_STORE, ...headers },
    body: JSON.stringify(body),
  };
}

export function noContent(headers: Record<string, string> = {}): HttpResult {
  return { statusCode: 204, headers: { 'cache-control': NO_STORE, ...headers } };
}

/**
 * The one place errors become responses: an AppError carries its status and a message meant for the
 * caller; anything else is a bug or an outage, answered with a bare 500 and logged by the caller, so no
 * stack trace or internal detail ever leaves the server.
 */
export function errorResponse(error: unknown): HttpResult {
  if (error instanceof AppError) {
    const headers: Record<string, string> = {};
    if (error.status === 401) headers['www-authenticate'] = 'Bearer realm="flash-news"';
    if (error.status === 503) headers['retry-after'] = String(RETRY_AFTER_SECONDS);
    return jsonResponse(
      error.status,
      {
        error: {
          code: error.code,
          message: error.message,
          ...(error.details ? { details: error.details } : {}),
        },
      },
      headers,
    );
  }
  return jsonResponse(500, {
    error: { code: 'internal_error', message: 'Something went wrong on our side' },
  });
}
