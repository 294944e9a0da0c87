import { revisionsQuerySchema } from '../domain/revision-query';
import { decodeRevisionCursor, encodeRevisionCursor } from '../domain/revisions';
import { parseOrThrow } from '../domain/validation';
import { presentRevisionSummary } from '../http/article-presenter';
import { pathParameter } from '../http/request';
import { jsonResponse } from '../http/responses';
import { routeHandler } from '../http/route-handler';
import { articleServiceFromEnv } from '../shared/article-service';

const service = articleServiceFromEnv();

/** Editors only (the route table says so): who changed what, and when, newest first. */
export const handler = routeHandler('ListArticleRevisions', async ({ event }) => {
  const query = parseOrThrow(revisionsQuerySchema, event.queryStringParameters ?? {}, 'query');
  const before = decodeRevisionCursor(query.cursor);
  const page = await service.revisions(pathParameter(event, 'id'), { limit: query.limit, before });
  return jsonResponse(200, {
    items: page.items.map(presentRevisionSummary),
    nextCursor: page.nextBefore === undefined ? null : encodeRevisionCursor(page.nextBefore),
  });
});
