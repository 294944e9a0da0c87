import { httpHandler } from '../http/http-handler';
import { jsonResponse } from '../http/responses';
import { siteFromEnv } from '../shared/site';

const site = siteFromEnv();
const body = {
  items: site.sections.map((section) => ({ ...section, url: `${site.baseUrl}/${section.slug}/` })),
};

export const handler = httpHandler(async () =>
  jsonResponse(200, body, {
    'cache-control': 'public, max-age=300, s-maxage=300, stale-while-revalidate=3600',
  }),
);
