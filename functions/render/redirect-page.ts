import type { SiteConfig } from '../config/site';
import { html } from './html';
import { renderDocument } from './layout';
import { absoluteUrl, isArticlePath } from './site-paths';

/**
 * Stands at an article's old URL after a slug or section change. The bucket is served through
 * CloudFront's REST origin, where S3 redirect metadata does nothing, so the redirect is a page: an
 * immediate meta refresh (which search engines treat as a permanent redirect), the canonical URL of the
 * new page, and a visible link for anyone whose browser does not follow the refresh. Never indexed.
 */
export function renderRedirectPage(site: SiteConfig, targetPath: string, targetTitle?: string): string {
  // Only ever points inside the site, at an article: a stored value can never make an open redirect.
  if (!isArticlePath(targetPath)) throw new Error(`Redirect target is not an article path: ${targetPath}`);
  const target = absoluteUrl(site, targetPath);
  const main = html`<div class="intro">
<h1>This story has moved</h1>
<p class="standfirst"><a href="${targetPath}">${targetTitle || 'Continue to the story'}</a></p>
</div>`;

  return renderDocument({
    site,
    meta: {
      documentTitle: `${targetTitle ? `${targetTitle} (moved)` : 'Moved'} | ${site.name}`,
      title: targetTitle || 'This story has moved',
      description: `This story has moved to ${target}`,
      canonicalPath: targetPath,
      noindex: true,
    },
    main,
    extraHead: html`<meta http-equiv="refresh" content="0; url=${target}">`,
  });
}
