import { mintPreviewToken } from '../auth/preview-token';
import { pathParameter } from '../http/request';
import { jsonResponse } from '../http/responses';
import { routeHandler } from '../http/route-handler';
import { articleServiceFromEnv } from '../shared/article-service';
import { previewKeyFromEnv } from '../shared/preview-key';
import { siteFromEnv } from '../shared/site';

const service = articleServiceFromEnv();
const site = siteFromEnv();
const previewKey = previewKeyFromEnv();

/**
 * A link to the article's current version that works without an account for 24 hours, or until the
 * article is edited or deleted. Nothing is stored: the link carries its own grant, signed.
 */
export const handler = routeHandler('CreatePreviewLink', async ({ event }) => {
  const article = await service.get(pathParameter(event, 'id'));
  const { token, expiresAt } = await mintPreviewToken(await previewKey(), {
    articleId: article.id,
    version: article.version,
  });
  const url = `${site.baseUrl}/api/preview?token=${token}`;
  return jsonResponse(201, { url, expiresAt: expiresAt.toISOString() });
});
