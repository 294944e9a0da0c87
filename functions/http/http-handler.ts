import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { isStorageUnavailableFailure } from '../adapters/storage-unavailable';
import { AppError, storageUnavailable } from '../domain/errors';
import { logger, metrics } from '../shared/observability';
import { errorResponse, type HttpResult } from './responses';

export type HttpOperation = (event: APIGatewayProxyEventV2, context: Context) => Promise<HttpResult>;

/**
 * Wraps a route's operation with what every route shares: request-scoped logging, metrics flushing and
 * the single translation of errors into responses. Refusals (AppError) are expected and logged quietly;
 * anything else is logged with its stack here, and only here, never sent to the caller.
 *
 * The repository already turns DynamoDB outages into a 503; the same classification is applied here to
 * what other SDK users let escape (the Powertools idempotency store writes to the same table, and wraps
 * the SDK's error in a `cause`), so an outage is a 503 whichever code met it first.
 */
export function httpHandler(operation: HttpOperation) {
  return async (event: APIGatewayProxyEventV2, context: Context): Promise<HttpResult> => {
    logger.addContext(context);
    logger.appendKeys({ routeKey: event.routeKey });
    try {
      return await operation(event, context);
    } catch (caught) {
      const error = isStorageUnavailableFailure(caught) ? storageUnavailable() : caught;
      if (error instanceof AppError && error.status === 503) {
        logger.warn('Storage unavailable', { error: (caught as Error).cause ?? caught });
      } else if (error instanceof AppError) {
        logger.info('Request refused', { status: error.status, code: error.code });
      } else {
        logger.error('Request failed', error as Error);
      }
      return errorResponse(error);
    } finally {
      logger.removeKeys(['routeKey']);
      // Reads record no metrics; publishing an empty set would only log a warning per request.
      if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
    }
  };
}
