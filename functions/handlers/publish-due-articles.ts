import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context } from 'aws-lambda';
import { articleServiceFromEnv } from '../shared/article-service';
import { logger, metrics } from '../shared/observability';

const service = articleServiceFromEnv();

/**
 * Runs every minute (an EventBridge schedule in AWS, a timer locally) and publishes the scheduled
 * articles whose time has come. Publishing is an ordinary versioned write, so the table's change stream
 * renders the pages as for any other publish.
 */
export const handler = async (_event: unknown, context: Context): Promise<{ published: number }> => {
  logger.addContext(context);
  const published = await service.publishDue();
  if (published > 0) {
    logger.info('Published scheduled articles', { published });
    metrics.addMetric('ScheduledArticlesPublished', MetricUnit.Count, published);
    metrics.publishStoredMetrics();
  }
  return { published };
};
