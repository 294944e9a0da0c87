import type { SiteConfig } from '../config/site';
import { latestNewsAside } from './article-lists';
import { html } from './html';
import { renderDocument } from './layout';
import { HOME_PATH } from './site-paths';
import type { ArticleSummary } from './types';

/**
 * The page CloudFront serves, with status 404, for any path without an object. It is served at
 * arbitrary URLs, so every link is root-relative and there is no canonical URL; it is never indexed.
 */
export function renderNotFoundPage(site: SiteConfig, latest: readonly ArticleSummary[] = []): string {
  const main = html`<div class="intro">
<h1>Page not found</h1>
<p class="standfirst">There is no page at this address. The story may have been moved or removed.</p>
<p><a href="${HOME_PATH}">Go to the ${site.name} home page</a></p>
</div>
${latestNewsAside(site, latest)}`;

  return renderDocument({
    site,
    meta: {
      documentTitle: `Page not found | ${site.name}`,
      title: 'Page not found',
      description: `There is no page at this address on ${site.name}.`,
      noindex: true,
    },
    main,
    mainClass: 'page with-aside',
    refreshLatestNews: true,
  });
}
