import { checkPreviewToken } from '../auth/preview-token';
import { AppError } from '../domain/errors';
import { previewResponse } from '../http/preview-page';
import { parseQuery, previewLinkQuerySchema } from '../http/preview-queries';
import { routeHandler } from '../http/route-handler';
import { articleRepositoryFromEnv } from '../shared/article-service';
import { previewKeyFromEnv } from '../shared/preview-key';
import { siteFromEnv } from '../shared/site';

// The repository itself, not the article service: two key reads are all a link needs, and the service
// would bring slugging and its transliteration tables (34 KB) into a bundle that already carries the renderer.
const articles = articleRepositoryFromEnv();
const site = siteFromEnv();
const previewKey = previewKeyFromEnv();

/** One answer for every token we did not issue as it stands: 400, as for a bad cursor; no bearer challenge. */
const invalid = () => new AppError('bad_request', 'The preview link is invalid');
const lapsed = () =>
  new AppError(
    'gone',
    'The preview link has expired, or the article has changed or been deleted since it was made: ask for a new one',
  );

/**
 * A shared preview link (public: the signed token is the credential). It shows exactly the version it
 * was made for; once the article has moved on, been deleted or the day is over, it is gone for good.
 */
export const handler = routeHandler('OpenPreviewLink', async ({ event }) => {
  const { token } = parseQuery(previewLinkQuerySchema, event.queryStringParameters ?? {});
  const check = await checkPreviewToken(await previewKey(), token);
  if (check.kind === 'invalid') throw invalid();
  if (check.kind === 'expired') throw lapsed();
  // The id is one this site signed, so it is a well-formed article id: no check before the key read.
  const article = await articles.get(check.articleId);
  if (article?.version !== check.version) throw lapsed();
  return previewResponse(site, articles, article);
});
