import { presentArticle } from '../http/article-presenter';
import { etagOf, pathParameter } from '../http/request';
import { jsonResponse } from '../http/responses';
import { routeHandler } from '../http/route-handler';
import { articleServiceFromEnv } from '../shared/article-service';
import { siteFromEnv } from '../shared/site';
import { tokenVerifierFromEnv } from '../shared/token-verifier';

const service = articleServiceFromEnv();
const site = siteFromEnv();

/**
 * Published articles are public; anything else exists only for those who may see it (a contributor's own
 * drafts, every draft for an editor), and is a 404 to everyone else.
 */
export const handler = routeHandler(
  'GetArticle',
  async ({ event, caller }) => {
    const article = await service.read(pathParameter(event, 'id'), caller);
    return jsonResponse(200, presentArticle(article, site), {
      etag: etagOf(article.version),
      // Readers' and editors' views differ, so neither may be shared by a cache.
      'cache-control': 'private, no-cache',
      vary: 'Authorization',
    });
  },
  tokenVerifierFromEnv(),
);
