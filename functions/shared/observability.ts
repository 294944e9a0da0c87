import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';

/**
 * One logger and one metrics instance per function instance. Service name, namespace and log level come
 * from the POWERTOOLS_* environment the function construct sets; locally the stack sets them too.
 *
 * There is deliberately no Powertools Tracer: its only use here was wrapping SDK clients, and it costs
 * every function more than it gives (functions/adapters/dynamodb-client.ts has the figures).
 */
export const logger = new Logger();
export const metrics = new Metrics();
