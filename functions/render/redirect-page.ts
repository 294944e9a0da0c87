import type { SiteConfig } from '../config/site';
import { html } from './html';
import { renderDocument } from './layout';
import { messagesFor } from './messages';
import { inLanguage } from './page-language';
import { absoluteUrl, isArticlePath } from './site-paths';

/**
 * Stands at an article's old URL after a slug or section change. The bucket is served through
 * CloudFront's REST origin, where S3 redirect metadata does nothing, so the redirect is a page: an
 * immediate meta refresh (which search engines treat as a permanent redirect), the canonical URL of the
 * new page, and a visible link for anyone whose browser does not follow the refresh. Never indexed.
 */
/** What a redirect page says of the story it leads to. */
export interface RedirectTarget {
  readonly title: string;
  readonly language?: string;
}

/** The target of an article's redirects: its title and language, and nothing heavier to pass around. */
export function redirectTarget(article: RedirectTarget | undefined): RedirectTarget | undefined {
  if (article === undefined) return undefined;
  return article.language === undefined
    ? { title: article.title }
    : { title: article.title, language: article.language };
}

export function renderRedirectPage(
  newsroom: SiteConfig,
  targetPath: string,
  target?: RedirectTarget,
): string {
  // Only ever points inside the site, at an article: a stored value can never make an open redirect.
  if (!isArticlePath(targetPath)) throw new Error(`Redirect target is not an article path: ${targetPath}`);
  // Said in the language of the story it leads to.
  const site = inLanguage(newsroom, target?.language);
  const messages = messagesFor(site.language);
  const targetUrl = absoluteUrl(site, targetPath);
  const title = target?.title;
  const main = html`<div class="intro">
<h1>${messages.movedTitle}</h1>
<p class="standfirst"><a href="${targetPath}">${title || messages.movedLink}</a></p>
</div>`;

  return renderDocument({
    site,
    meta: {
      documentTitle: `${messages.movedDocumentTitle(title || undefined)} | ${site.name}`,
      title: title || messages.movedTitle,
      description: messages.movedDescription(targetUrl),
      canonicalPath: targetPath,
      noindex: true,
    },
    main,
    extraHead: html`<meta http-equiv="refresh" content="0; url=${targetUrl}">`,
  });
}
