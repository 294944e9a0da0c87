import type { SiteConfig } from '../config/site';
import { latestNewsAside } from './article-lists';
import { html } from './html';
import { renderDocument } from './layout';
import { messagesFor } from './messages';
import { HOME_PATH } from './site-paths';
import type { ArticleSummary } from './types';

/**
 * The page CloudFront serves, with status 404, for any path without an object. It is served at
 * arbitrary URLs, so every link is root-relative and there is no canonical URL; it is never indexed.
 */
export function renderNotFoundPage(site: SiteConfig, latest: readonly ArticleSummary[] = []): string {
  const messages = messagesFor(site.language);
  const main = html`<div class="intro">
<h1>${messages.notFoundTitle}</h1>
<p class="standfirst">${messages.notFoundText}</p>
<p><a href="${HOME_PATH}">${messages.goHome(site.name)}</a></p>
</div>
${latestNewsAside(site, latest)}`;

  return renderDocument({
    site,
    meta: {
      documentTitle: `${messages.notFoundTitle} | ${site.name}`,
      title: messages.notFoundTitle,
      description: messages.notFoundDescription(site.name),
      noindex: true,
    },
    main,
    mainClass: 'page with-aside',
    refreshLatestNews: true,
  });
}
