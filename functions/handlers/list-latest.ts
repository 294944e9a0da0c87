import { latestQuerySchema } from '../domain/article-input';
import { decodeCursor, encodeCursor } from '../domain/cursor';
import { parseOrThrow } from '../domain/validation';
import { presentSummary } from '../http/article-presenter';
import { httpHandler } from '../http/http-handler';
import { jsonResponse } from '../http/responses';
import { articleServiceFromEnv } from '../shared/article-service';
import { cursorSecretFromEnv } from '../shared/cursor-secret';
import { siteFromEnv } from '../shared/site';

const service = articleServiceFromEnv();
const site = siteFromEnv();
const cursorSecret = cursorSecretFromEnv();

/** Short at the edge and in browsers, served stale while CloudFront refreshes it. */
export const LATEST_CACHE_CONTROL = 'public, max-age=30, s-maxage=30, stale-while-revalidate=300';

export const handler = httpHandler(async (event) => {
  const query = parseOrThrow(latestQuerySchema, event.queryStringParameters ?? {}, 'query');
  const scope = query.section ?? '*';
  const secret = await cursorSecret();
  const startKey = query.cursor ? decodeCursor(query.cursor, scope, secret) : undefined;
  const page = await service.latest({ section: query.section, limit: query.limit, startKey });
  return jsonResponse(
    200,
    {
      items: page.items.map((item) => presentSummary(item, site)),
      nextCursor: page.nextKey ? encodeCursor(page.nextKey, scope, secret) : null,
    },
    { 'cache-control': LATEST_CACHE_CONTROL },
  );
});
