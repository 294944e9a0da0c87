import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { updateArticleSchema } from '../domain/article-input';
import { parseOrThrow } from '../domain/validation';
import { presentArticle } from '../http/article-presenter';
import { etagOf, ifMatchVersion, pathParameter, readJsonBody } from '../http/request';
import { jsonResponse } from '../http/responses';
import { routeHandler, signedIn } from '../http/route-handler';
import { articleServiceFromEnv } from '../shared/article-service';
import { metrics } from '../shared/observability';
import { siteFromEnv } from '../shared/site';

const service = articleServiceFromEnv();
const site = siteFromEnv();

export const handler = routeHandler('UpdateArticle', async (request) => {
  const { event } = request;
  const id = pathParameter(event, 'id');
  const expectedVersion = ifMatchVersion(event, true) as number;
  const input = parseOrThrow(updateArticleSchema, readJsonBody(event), 'update');
  const article = await service.update(id, expectedVersion, input, signedIn(request));
  metrics.addMetric('ArticlesUpdated', MetricUnit.Count, 1);
  return jsonResponse(200, presentArticle(article, site), { etag: etagOf(article.version) });
});
