import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { AppError } from '../domain/errors';
import { logger, metrics } from '../shared/observability';
import { errorResponse, type HttpResult } from './responses';

export type HttpOperation = (event: APIGatewayProxyEventV2, context: Context) => Promise<HttpResult>;

/**
 * Wraps a route's operation with what every route shares: request-scoped logging, metrics flushing and
 * the single translation of errors into responses. Refusals (AppError) are expected and logged quietly;
 * anything else is logged with its stack here, and only here, never sent to the caller.
 */
export function httpHandler(operation: HttpOperation) {
  return async (event: APIGatewayProxyEventV2, context: Context): Promise<HttpResult> => {
    logger.addContext(context);
    logger.appendKeys({ routeKey: event.routeKey });
    try {
      return await operation(event, context);
    } catch (error) {
      if (error instanceof AppError) {
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
