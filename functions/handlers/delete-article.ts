import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { ifMatchVersion, pathParameter } from '../http/request';
import { noContent } from '../http/responses';
import { routeHandler } from '../http/route-handler';
import { articleServiceFromEnv } from '../shared/article-service';
import { metrics } from '../shared/observability';

const service = articleServiceFromEnv();

/**
 * Only admins reach this (the route table says so). If-Match is optional here: deleting needs no merge,
 * but a client that sends one gets it honoured.
 */
export const handler = routeHandler('DeleteArticle', async ({ event }) => {
  await service.delete(pathParameter(event, 'id'), ifMatchVersion(event, false));
  metrics.addMetric('ArticlesDeleted', MetricUnit.Count, 1);
  return noContent();
});
