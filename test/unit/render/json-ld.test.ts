import { describe, expect, it } from 'vitest';
import { DEFAULT_LOGO, newsArticleJsonLd, webSiteJsonLd } from '../../../functions/render/json-ld';
import { SITE } from './support/fixtures';

const FACTS = {
  url: 'https://news.example.com/bota/story',
  headline: 'Story',
  description: 'What happened.',
  datePublished: '2026-12-01T08:30:00.000Z',
  dateModified: '2026-12-01T08:30:00.000Z',
  sectionName: 'Bota',
  keywords: [],
};

const LOGO = { url: 'https://cdn.example.com/flash.png', width: 512, height: 512 };

describe('NewsArticle structured data', () => {
  it("names the publisher with its logo as an ImageObject, from the newsroom's config", () => {
    const data = newsArticleJsonLd({ ...SITE, logo: LOGO }, FACTS);
    expect(data.publisher).toEqual({
      '@type': 'Organization',
      name: 'Flash News',
      url: 'https://news.example.com/',
      logo: { '@type': 'ImageObject', url: LOGO.url, width: 512, height: 512 },
    });
  });

  it('makes a root-relative logo absolute, and uses the default logo when the config names none', () => {
    const relative = newsArticleJsonLd({ ...SITE, logo: { ...LOGO, url: '/brand/logo.png' } }, FACTS);
    expect(relative.publisher).toMatchObject({ logo: { url: 'https://news.example.com/brand/logo.png' } });
    const fallback = newsArticleJsonLd(SITE, FACTS);
    expect(fallback.publisher).toMatchObject({
      logo: { url: `https://news.example.com${DEFAULT_LOGO.url}`, width: DEFAULT_LOGO.width },
    });
  });

  it("gives the article's image, or the logo when it has none, so every article has an image", () => {
    expect(
      newsArticleJsonLd(SITE, { ...FACTS, image: { url: 'https://img.example.com/a.jpg' } }).image,
    ).toEqual([{ '@type': 'ImageObject', url: 'https://img.example.com/a.jpg' }]);
    expect(newsArticleJsonLd({ ...SITE, logo: LOGO }, FACTS).image).toEqual([LOGO.url]);
  });

  it('describes the photo with its size, caption and credit when they are known', () => {
    const image = {
      url: 'https://img.example.com/a.jpg',
      width: 1600,
      height: 900,
      caption: 'Leaders at the summit table',
      credit: 'Reuters',
    };
    expect(newsArticleJsonLd(SITE, { ...FACTS, image }).image).toEqual([
      {
        '@type': 'ImageObject',
        url: 'https://img.example.com/a.jpg',
        width: 1600,
        height: 900,
        caption: 'Leaders at the summit table',
        creditText: 'Reuters',
      },
    ]);
  });

  it("gives a writer the newsroom they work for, and a url only for the writer's own page", () => {
    const organization = { '@type': 'Organization', name: 'Flash News', url: 'https://news.example.com/' };
    expect(newsArticleJsonLd(SITE, { ...FACTS, author: 'Jane Doe' }).author).toEqual([
      { '@type': 'Person', name: 'Jane Doe', worksFor: organization },
    ]);
    expect(
      newsArticleJsonLd(SITE, { ...FACTS, author: 'Jane Doe', authorUrl: '/authors/jane-doe/' }).author,
    ).toEqual([
      {
        '@type': 'Person',
        name: 'Jane Doe',
        url: 'https://news.example.com/authors/jane-doe/',
        worksFor: organization,
      },
    ]);
    // Without a byline the newsroom is the author, with its own URL.
    expect(newsArticleJsonLd(SITE, FACTS).author).toEqual([organization]);
  });

  it('gives the WebSite the same publisher', () => {
    expect(webSiteJsonLd({ ...SITE, logo: LOGO }).publisher).toEqual(
      newsArticleJsonLd({ ...SITE, logo: LOGO }, FACTS).publisher,
    );
  });
});
