import { ArticleService } from '../domain/article-service';
import { previewResponse } from '../http/preview-page';
import { parseQuery, previewQuerySchema } from '../http/preview-queries';
import { pathParameter } from '../http/request';
import { routeHandler } from '../http/route-handler';
import { articleRepositoryFromEnv } from '../shared/article-service';
import { siteFromEnv } from '../shared/site';

const articles = articleRepositoryFromEnv();
const service = new ArticleService(articles);
const site = siteFromEnv();

/**
 * An editor's preview of any article, whatever its status, or of one of its earlier versions
 * (`?revision=n`): the page as it would be published, answered and never written to the bucket.
 */
export const handler = routeHandler('PreviewArticle', async ({ event }) => {
  const { revision } = parseQuery(previewQuerySchema, event.queryStringParameters ?? {});
  const current = await service.get(pathParameter(event, 'id'));
  const article =
    revision === undefined || revision === current.version
      ? current
      : await service.revision(current.id, revision);
  return previewResponse(site, articles, article);
});
