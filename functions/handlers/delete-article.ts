import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { requireEditor } from '../http/editor-auth';
import { httpHandler } from '../http/http-handler';
import { ifMatchVersion, pathParameter } from '../http/request';
import { noContent } from '../http/responses';
import { articleServiceFromEnv } from '../shared/article-service';
import { metrics } from '../shared/observability';

const service = articleServiceFromEnv();

/** If-Match is optional here: deleting needs no merge, but a client that sends one gets it honoured. */
export const handler = httpHandler(async (event) => {
  requireEditor(event);
  await service.delete(pathParameter(event, 'id'), ifMatchVersion(event, false));
  metrics.addMetric('ArticlesDeleted', MetricUnit.Count, 1);
  return noContent();
});
