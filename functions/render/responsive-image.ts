import type { ImageResizer, SiteConfig } from '../config/site';
import { html, type SafeHtml } from './html';
import { httpUrl } from './safe-url';

/**
 * How pages lay out a picture: `width` and `height` on every `<img>`, so the browser reserves its box
 * before a byte arrives (no layout shift), and `srcset` + `sizes` where the newsroom's image service can
 * resize the picture's host (functions/config/newsroom.ts, `imageResizers`).
 */

export interface ImageBox {
  readonly width: number;
  readonly height: number;
}

/**
 * The box of a picture whose size is not stored: 16:9, the shape of news photos. The stylesheet crops
 * (or, in a body, fits) any picture to the box it is given, so a wrong guess moves nothing.
 */
export const DEFAULT_IMAGE_BOX: ImageBox = { width: 1200, height: 675 };

export interface PictureFacts {
  /** Absolute http(s) URL, already checked. */
  readonly url: string;
  readonly alt?: string;
  /** The stored size in pixels, when editors gave it. */
  readonly width?: number;
  readonly height?: number;
}

export interface PictureOptions {
  /** The `sizes` attribute: how wide the picture is shown, for the browser to pick from `srcset`. */
  readonly sizes: string;
  /**
   * `priority`: the picture that leads the page, fetched first; `auto`: others above the fold, left to
   * the browser; `lazy`: the rest, fetched as they scroll near.
   */
  readonly loading: 'priority' | 'auto' | 'lazy';
  readonly className?: string;
}

function resizerFor(site: SiteConfig, url: string): ImageResizer | undefined {
  const resizers = site.imageResizers;
  if (!resizers || resizers.length === 0) return undefined;
  const host = new URL(url).hostname;
  return resizers.find((resizer) => resizer.hosts.includes(host));
}

/**
 * `srcset` for a picture whose host the newsroom's image service resizes: each configured width no wider
 * than the picture itself (a service asked to enlarge only sends more bytes of the same detail). A width
 * whose URL would not be http(s) is left out.
 */
export function imageSrcset(site: SiteConfig, picture: PictureFacts): string | undefined {
  const resizer = resizerFor(site, picture.url);
  if (!resizer) return undefined;
  const widths = resizer.widths.filter((width) => picture.width === undefined || width <= picture.width);
  const offered = (widths.length > 0 ? widths : resizer.widths.slice(0, 1))
    .map((width) => {
      const url = httpUrl(
        resizer.urlTemplate.replaceAll('{url}', picture.url).replaceAll('{width}', String(width)),
      );
      return url === undefined ? undefined : `${url} ${width}w`;
    })
    .filter((candidate) => candidate !== undefined);
  return offered.length > 0 ? offered.join(', ') : undefined;
}

/** The picture's stored size, or the default box. */
export function pictureBox(picture: Pick<PictureFacts, 'width' | 'height'>): ImageBox {
  return picture.width !== undefined && picture.height !== undefined
    ? { width: picture.width, height: picture.height }
    : DEFAULT_IMAGE_BOX;
}

export function pictureElement(site: SiteConfig, picture: PictureFacts, options: PictureOptions): SafeHtml {
  const { width, height } = pictureBox(picture);
  const srcset = imageSrcset(site, picture);
  const loading =
    options.loading === 'priority'
      ? html` fetchpriority="high"`
      : options.loading === 'lazy' && html` loading="lazy"`;
  return html`<img${options.className && html` class="${options.className}"`} src="${picture.url}"${srcset && html` srcset="${srcset}" sizes="${options.sizes}"`} alt="${picture.alt ?? ''}" width="${width}" height="${height}"${loading} decoding="async">`;
}
