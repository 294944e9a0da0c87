import type { HttpResult } from '../http/responses';
import { REFERENCE_CACHE_CONTROL } from '../openapi/reference-endpoints';
import { renderReferencePage } from '../openapi/reference-page';
import { loadSwaggerUiAssets } from '../openapi/swagger-ui-assets';

/**
 * GET /api/docs: the reference page, built on the first request (reading 1.9 MB at cold start would slow
 * every start for a page few ask for) and kept for the instance's life. Like GET /api/openapi.json it
 * needs neither the SDK nor httpHandler: an unreadable file is a deployment fault, answered with a 500 by
 * Lambda and retried by the next request.
 */
let answer: HttpResult | undefined;

function referencePage(): HttpResult {
  const page = renderReferencePage(loadSwaggerUiAssets());
  return {
    statusCode: 200,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': REFERENCE_CACHE_CONTROL,
      'content-security-policy': page.contentSecurityPolicy,
      'x-content-type-options': 'nosniff',
    },
    body: page.html,
  };
}

export const handler = async (): Promise<HttpResult> => {
  answer ??= referencePage();
  return answer;
};
