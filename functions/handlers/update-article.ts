import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { updateArticleSchema } from '../domain/article-input';
import { parseOrThrow } from '../domain/validation';
import { presentArticle } from '../http/article-presenter';
import { requireEditor } from '../http/editor-auth';
import { httpHandler } from '../http/http-handler';
import { etagOf, ifMatchVersion, pathParameter, readJsonBody } from '../http/request';
import { jsonResponse } from '../http/responses';
import { articleServiceFromEnv } from '../shared/article-service';
import { metrics } from '../shared/observability';
import { siteFromEnv } from '../shared/site';

const service = articleServiceFromEnv();
const site = siteFromEnv();

export const handler = httpHandler(async (event) => {
  requireEditor(event);
  const id = pathParameter(event, 'id');
  const expectedVersion = ifMatchVersion(event, true) as number;
  const input = parseOrThrow(updateArticleSchema, readJsonBody(event), 'update');
  const article = await service.update(id, expectedVersion, input);
  metrics.addMetric('ArticlesUpdated', MetricUnit.Count, 1);
  return jsonResponse(200, presentArticle(article, site), { etag: etagOf(article.version) });
});
