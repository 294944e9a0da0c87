import type { Article } from '../domain/article';
import type { PageImage } from './head-meta';
import { html, type SafeHtml } from './html';
import { httpUrl } from './safe-url';

/** Box the hero image is laid out in before it loads; CSS crops any image to it, so nothing shifts. */
const HERO_WIDTH = 1200;
const HERO_HEIGHT = 675;

/** The article's image when its URL is absolute http(s); any other scheme is dropped. */
export function articleImage(article: Pick<Article, 'imageUrl' | 'imageAlt'>): PageImage | undefined {
  const url = httpUrl(article.imageUrl);
  return url === undefined ? undefined : { url, alt: article.imageAlt?.trim() || undefined };
}

export function heroImage(image: PageImage | undefined): SafeHtml {
  // The hero is usually the largest thing above the fold, so it is fetched first rather than lazily.
  return html`${image && html`<figure class="hero"><img src="${image.url}" alt="${image.alt ?? ''}" width="${HERO_WIDTH}" height="${HERO_HEIGHT}" fetchpriority="high" decoding="async"></figure>`}`;
}
