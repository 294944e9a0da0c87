import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';

/**
 * One logger, metrics and tracer per function instance. Service name, namespace and log level come from
 * the POWERTOOLS_* environment the function construct sets; locally the stack sets them too.
 */
export const logger = new Logger();
export const metrics = new Metrics();
export const tracer = new Tracer();
