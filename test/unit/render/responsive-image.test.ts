import { describe, expect, it } from 'vitest';
import type { SiteConfig } from '../../../functions/config/site';
import type { SafeHtml } from '../../../functions/render/html';
import {
  DEFAULT_IMAGE_BOX,
  imageSrcset,
  pictureBox,
  pictureElement,
} from '../../../functions/render/responsive-image';
import { SITE } from './support/fixtures';
import { elements, parseHtml } from './support/html-document';

const RESIZING: SiteConfig = {
  ...SITE,
  imageResizers: [
    { hosts: ['images.example.com'], urlTemplate: '{url}?w={width}', widths: [320, 640, 1280] },
    {
      hosts: ['photos.agency.example'],
      urlTemplate: 'https://cdn.example.net/fetch/w_{width}/{url}',
      widths: [400, 800],
    },
  ],
};

const attributes = (markup: SafeHtml) =>
  Object.fromEntries(elements(parseHtml(markup.toString()), 'img')[0]?.attrs ?? []);

describe('imageSrcset', () => {
  it('offers every configured width of a host the newsroom can resize, by the template', () => {
    expect(imageSrcset(RESIZING, { url: 'https://images.example.com/a.jpg' })).toBe(
      'https://images.example.com/a.jpg?w=320 320w, https://images.example.com/a.jpg?w=640 640w, https://images.example.com/a.jpg?w=1280 1280w',
    );
    expect(imageSrcset(RESIZING, { url: 'https://photos.agency.example/b.jpg' })).toBe(
      'https://cdn.example.net/fetch/w_400/https://photos.agency.example/b.jpg 400w, https://cdn.example.net/fetch/w_800/https://photos.agency.example/b.jpg 800w',
    );
  });

  it('never offers a width larger than the picture, but at least the smallest', () => {
    expect(imageSrcset(RESIZING, { url: 'https://images.example.com/a.jpg', width: 700, height: 400 })).toBe(
      'https://images.example.com/a.jpg?w=320 320w, https://images.example.com/a.jpg?w=640 640w',
    );
    expect(imageSrcset(RESIZING, { url: 'https://images.example.com/a.jpg', width: 100, height: 50 })).toBe(
      'https://images.example.com/a.jpg?w=320 320w',
    );
  });

  it('offers nothing for other hosts, or without resizers', () => {
    expect(imageSrcset(RESIZING, { url: 'https://elsewhere.example.org/a.jpg' })).toBeUndefined();
    expect(imageSrcset(RESIZING, { url: 'https://sub.images.example.com/a.jpg' })).toBeUndefined();
    expect(imageSrcset(SITE, { url: 'https://images.example.com/a.jpg' })).toBeUndefined();
  });
});

describe('pictureElement', () => {
  it('always has a width and a height: the stored size, else the default 16:9 box', () => {
    expect(pictureBox({ width: 800, height: 600 })).toEqual({ width: 800, height: 600 });
    expect(pictureBox({ width: 800 })).toEqual(DEFAULT_IMAGE_BOX);
    expect(DEFAULT_IMAGE_BOX.width / DEFAULT_IMAGE_BOX.height).toBeCloseTo(16 / 9);
    const unsized = attributes(
      pictureElement(SITE, { url: 'https://x.example/a.jpg' }, { sizes: '100vw', loading: 'lazy' }),
    );
    expect(unsized).toEqual({
      src: 'https://x.example/a.jpg',
      alt: '',
      width: '1200',
      height: '675',
      loading: 'lazy',
      decoding: 'async',
    });
  });

  it('fetches the leading picture first, and leaves pictures above the fold to the browser', () => {
    const picture = { url: 'https://images.example.com/a.jpg', alt: 'A crowd', width: 1600, height: 900 };
    const lead = attributes(
      pictureElement(RESIZING, picture, { sizes: '(min-width: 64rem) 40rem, 100vw', loading: 'priority' }),
    );
    expect(lead).toMatchObject({
      fetchpriority: 'high',
      sizes: '(min-width: 64rem) 40rem, 100vw',
      alt: 'A crowd',
    });
    expect(lead.srcset).toContain('1280w');
    expect(lead.loading).toBeUndefined();
    const above = attributes(
      pictureElement(RESIZING, picture, { sizes: '100vw', loading: 'auto', className: 'thumb' }),
    );
    expect(above.loading).toBeUndefined();
    expect(above.fetchpriority).toBeUndefined();
    expect(above.class).toBe('thumb');
  });

  it('escapes what the template and the stored URL put into attributes', () => {
    const markup = pictureElement(
      RESIZING,
      { url: 'https://images.example.com/a.jpg?q="><script>' },
      { sizes: '100vw', loading: 'lazy' },
    );
    expect(markup.toString()).not.toContain('"><script>');
  });
});
