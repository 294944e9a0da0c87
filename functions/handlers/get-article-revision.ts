import { notFound } from '../domain/errors';
import { parseRevisionNumber } from '../domain/revisions';
import { presentRevision } from '../http/article-presenter';
import { pathParameter } from '../http/request';
import { jsonResponse } from '../http/responses';
import { routeHandler } from '../http/route-handler';
import { articleServiceFromEnv } from '../shared/article-service';
import { siteFromEnv } from '../shared/site';

const service = articleServiceFromEnv();
const site = siteFromEnv();

/**
 * Editors only. No ETag: restoring a version is a PATCH conditional on the article's *current* version,
 * which GET /api/articles/{id} gives; an ETag here would invite an If-Match that is always stale.
 */
export const handler = routeHandler('GetArticleRevision', async ({ event }) => {
  // Like a bad id, a version that is not a positive whole number names nothing: a 404, not a 400.
  const version = parseRevisionNumber(pathParameter(event, 'version'));
  if (version === undefined) throw notFound('The revision');
  const { article, changes } = await service.revisionWithChanges(pathParameter(event, 'id'), version);
  return jsonResponse(200, presentRevision(article, changes, site));
});
