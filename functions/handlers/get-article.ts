import { notFound } from '../domain/errors';
import { presentArticle } from '../http/article-presenter';
import { optionalEditor } from '../http/editor-auth';
import { httpHandler } from '../http/http-handler';
import { etagOf, pathParameter } from '../http/request';
import { jsonResponse } from '../http/responses';
import { articleServiceFromEnv } from '../shared/article-service';
import { siteFromEnv } from '../shared/site';
import { tokenVerifierFromEnv } from '../shared/token-verifier';

const service = articleServiceFromEnv();
const site = siteFromEnv();
const verifyToken = tokenVerifierFromEnv();

/** Published articles are public; anything else exists only for editors (404 to everyone else). */
export const handler = httpHandler(async (event) => {
  const editor = await optionalEditor(event, verifyToken);
  const article = await service.get(pathParameter(event, 'id'));
  if (!editor && article.status !== 'published') throw notFound('The article');
  return jsonResponse(200, presentArticle(article, site), {
    etag: etagOf(article.version),
    // Readers' and editors' views differ, so neither may be shared by a cache.
    'cache-control': 'private, no-cache',
    vary: 'Authorization',
  });
});
