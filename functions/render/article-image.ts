import type { SiteConfig } from '../config/site';
import type { Article } from '../domain/article';
import type { PageImage } from './head-meta';
import { html, type SafeHtml } from './html';
import { messagesFor } from './messages';
import { pictureElement } from './responsive-image';
import { httpUrl } from './safe-url';

type ImageFields = Pick<Article, 'imageUrl' | 'imageAlt' | 'imageWidth' | 'imageHeight'> &
  Partial<Pick<Article, 'imageCaption' | 'imageCredit'>>;

/**
 * The article's image when its URL is absolute http(s); any other scheme is dropped. Its size is kept
 * only whole (both numbers), as it was validated.
 */
export function articleImage(article: ImageFields): PageImage | undefined {
  const url = httpUrl(article.imageUrl);
  if (url === undefined) return undefined;
  const sized = article.imageWidth !== undefined && article.imageHeight !== undefined;
  return {
    url,
    alt: article.imageAlt?.trim() || undefined,
    ...(sized ? { width: article.imageWidth, height: article.imageHeight } : {}),
    ...(article.imageCaption?.trim() ? { caption: article.imageCaption.trim() } : {}),
    ...(article.imageCredit?.trim() ? { credit: article.imageCredit.trim() } : {}),
  };
}

/** How wide the article column shows its photo: the whole phone, or the 70ch column of a wider page. */
const HERO_SIZES = '(min-width: 48rem) 46rem, 100vw';

/**
 * The article's photo with its caption and credit. It is usually the largest thing above the fold, so
 * it is fetched first rather than lazily. A photo of known size keeps its shape; one of unknown size is
 * cropped to the default 16:9 box (functions/render/responsive-image.ts).
 */
export function heroImage(site: SiteConfig, image: PageImage | undefined): SafeHtml {
  if (!image) return html``;
  const credit = image.credit && messagesFor(site.language).photoCredit(image.credit);
  const sized = image.width !== undefined && image.height !== undefined;
  return html`<figure class="hero">${pictureElement(site, image, { sizes: HERO_SIZES, loading: 'priority', className: sized ? 'sized' : undefined })}${
    (image.caption || credit) &&
    html`<figcaption>${image.caption}${image.caption && credit && ' '}${credit && html`<span class="credit">${credit}</span>`}</figcaption>`
  }</figure>`;
}
