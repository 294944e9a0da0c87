import { describe, expect, it } from 'vitest';
import { renderArticlePage } from '../../../functions/render/article-page';
import { article, SITE, summaries } from './support/fixtures';
import {
  allElements,
  byId,
  element,
  elements,
  executableScripts,
  jsonLd,
  linkHref,
  meta,
  metaAll,
  parseHtml,
  textOf,
} from './support/html-document';

const CANONICAL = 'https://news.example.com/bota/rutte-us-is-fully-committed-to-nato';

describe('renderArticlePage', () => {
  const latest = summaries(12);
  const html = renderArticlePage(SITE, article(), latest);
  const doc = parseHtml(html);

  it('is an HTML5 document in the site language with a mobile viewport', () => {
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(element(doc, 'html').attrs.get('lang')).toBe('en');
    expect(meta(doc, 'viewport')).toBe('width=device-width, initial-scale=1');
    expect(
      elements(doc, 'meta')
        .find((m) => m.attrs.has('charset'))
        ?.attrs.get('charset'),
    ).toBe('utf-8');
  });

  it('has the headline as title, h1 and social titles', () => {
    expect(textOf(element(doc, 'title'))).toBe('Rutte: US is fully committed to NATO | Flash News');
    expect(elements(doc, 'h1').map(textOf)).toEqual(['Rutte: US is fully committed to NATO']);
    expect(meta(doc, 'og:title')).toBe('Rutte: US is fully committed to NATO');
    expect(meta(doc, 'twitter:title')).toBe('Rutte: US is fully committed to NATO');
  });

  it('describes the page with the summary and points at the absolute canonical URL', () => {
    const summaryText = "European allies should not worry about the United States' commitment to NATO.";
    expect(meta(doc, 'description')).toBe(summaryText);
    expect(meta(doc, 'og:description')).toBe(summaryText);
    expect(linkHref(doc, 'canonical')).toBe(CANONICAL);
    expect(meta(doc, 'og:url')).toBe(CANONICAL);
    expect(meta(doc, 'robots')).toBeUndefined();
  });

  it('carries Open Graph article facts and a large Twitter card', () => {
    expect(meta(doc, 'og:type')).toBe('article');
    expect(meta(doc, 'og:site_name')).toBe('Flash News');
    expect(meta(doc, 'og:image')).toBe('https://images.example.com/rutte.jpg');
    expect(meta(doc, 'og:image:alt')).toBe('Mark Rutte at the summit');
    expect(meta(doc, 'article:published_time')).toBe('2025-06-24T10:30:00.000Z');
    // The fixture was edited (updatedAt 12:00) without a correction: a silent fix moves no date.
    expect(meta(doc, 'article:modified_time')).toBe('2025-06-24T10:30:00.000Z');
    expect(meta(doc, 'article:section')).toBe('Bota');
    expect(metaAll(doc, 'article:tag')).toEqual(['NATO', 'USA']);
    expect(meta(doc, 'twitter:card')).toBe('summary_large_image');
    expect(meta(doc, 'twitter:image')).toBe('https://images.example.com/rutte.jpg');
  });

  it('uses a summary card and no og:image when the article has no image', () => {
    const plain = parseHtml(renderArticlePage(SITE, article({ imageUrl: undefined }), []));
    expect(meta(plain, 'twitter:card')).toBe('summary');
    expect(meta(plain, 'og:image')).toBeUndefined();
    expect(elements(plain, 'img')).toHaveLength(0);
  });

  it('embeds NewsArticle structured data', () => {
    const [data] = jsonLd(doc) as Record<string, unknown>[];
    expect(data).toMatchObject({
      '@context': 'https://schema.org',
      '@type': 'NewsArticle',
      headline: 'Rutte: US is fully committed to NATO',
      datePublished: '2025-06-24T10:30:00.000Z',
      dateModified: '2025-06-24T10:30:00.000Z',
      author: [{ '@type': 'Person', name: 'Jane Doe' }],
      publisher: { '@type': 'Organization', name: 'Flash News' },
      image: [{ '@type': 'ImageObject', url: 'https://images.example.com/rutte.jpg' }],
      articleSection: 'Bota',
      keywords: ['NATO', 'USA'],
      mainEntityOfPage: { '@type': 'WebPage', '@id': CANONICAL },
      inLanguage: 'en',
    });
  });

  it('credits the newsroom as author when no writer is named', () => {
    const [data] = jsonLd(parseHtml(renderArticlePage(SITE, article({ author: undefined }), []))) as Record<
      string,
      unknown
    >[];
    expect(data?.author).toEqual([
      { '@type': 'Organization', name: 'Flash News', url: 'https://news.example.com/' },
    ]);
  });

  it('advertises the site and section feeds with absolute URLs', () => {
    const alternates = elements(doc, 'link').filter((link) => link.attrs.get('rel') === 'alternate');
    expect(alternates.map((link) => [link.attrs.get('type'), link.attrs.get('href')])).toEqual([
      ['application/rss+xml', 'https://news.example.com/feed.xml'],
      ['application/feed+json', 'https://news.example.com/feed.json'],
      ['application/rss+xml', 'https://news.example.com/bota/feed.xml'],
    ]);
  });

  it('lays the story out like the seed page: section label, headline, standfirst, byline, body, "/ REL"', () => {
    const articleElement = element(doc, 'article');
    const label = allElements(articleElement).find((e) => e.attrs.get('class') === 'label');
    expect(label && textOf(label)).toBe('Bota');
    const standfirst = allElements(articleElement).find((e) => e.attrs.get('class') === 'standfirst');
    expect(standfirst && textOf(standfirst)).toContain('European allies should not worry');
    const prose = allElements(articleElement).find((e) => e.attrs.get('class') === 'prose');
    expect(prose && elements(prose, 'p')).toHaveLength(3);
    const credit = allElements(articleElement).find((e) => e.attrs.get('class') === 'source-credit');
    expect(credit).toBeDefined();
    // What a sighted reader sees (aria-hidden slash, visually hidden label) and what a screen reader hears.
    const visible = credit?.children.map((child) =>
      typeof child === 'string' || child.attrs.get('class') !== 'visually-hidden' ? textOf(child) : '',
    );
    expect(visible?.join('')).toBe('/ REL');
    expect(textOf(credit ?? '')).toContain('Source: ');
    const byline = allElements(articleElement).find((e) => e.attrs.get('class') === 'meta');
    expect(byline && textOf(byline)).toContain('By Jane Doe');
  });

  it('gives the publication time as machine-readable <time> with a human date', () => {
    const times = elements(element(doc, 'article'), 'time');
    expect(times.map((time) => time.attrs.get('datetime'))).toEqual(['2025-06-24T10:30:00.000Z']);
    expect(textOf(times[0] ?? '')).toMatch(/June 24, 2025/);
    expect(textOf(times[0] ?? '')).toMatch(/UTC/);
  });

  it('leaves out the update line after a silent fix, however long after publication', () => {
    const fixed = parseHtml(renderArticlePage(SITE, article({ updatedAt: '2025-07-30T08:00:00.000Z' }), []));
    const byline = allElements(element(fixed, 'article')).find((e) => e.attrs.get('class') === 'meta');
    expect(byline && textOf(byline)).not.toContain('Updated');
    expect(elements(element(fixed, 'article'), 'time')).toHaveLength(1);
  });

  it('reserves the image box (width/height) and fetches the hero early', () => {
    const [img] = elements(doc, 'img');
    expect(img?.attrs.get('src')).toBe('https://images.example.com/rutte.jpg');
    expect(img?.attrs.get('alt')).toBe('Mark Rutte at the summit');
    expect(img?.attrs.get('width')).toBe('1200');
    expect(img?.attrs.get('height')).toBe('675');
    expect(img?.attrs.get('fetchpriority')).toBe('high');
    expect(img?.attrs.get('loading')).toBeUndefined();
  });

  it('shows the photo as a figure with its caption and credit, and gives its size to the card and search', () => {
    const page = parseHtml(
      renderArticlePage(
        SITE,
        article({
          imageCaption: 'Rutte arrives in The Hague',
          imageCredit: 'Reuters',
          imageWidth: 1600,
          imageHeight: 1000,
        }),
        [],
      ),
    );
    const figure = element(page, 'figure');
    const [img] = elements(figure, 'img');
    expect([img?.attrs.get('width'), img?.attrs.get('height')]).toEqual(['1600', '1000']);
    expect(textOf(element(figure, 'figcaption'))).toBe('Rutte arrives in The Hague Photo: Reuters');
    expect([meta(page, 'og:image:width'), meta(page, 'og:image:height')]).toEqual(['1600', '1000']);
    expect(meta(page, 'og:image:alt')).toBe('Mark Rutte at the summit');
    expect((jsonLd(page)[0] as { image?: unknown }).image).toEqual([
      {
        '@type': 'ImageObject',
        url: 'https://images.example.com/rutte.jpg',
        width: 1600,
        height: 1000,
        caption: 'Rutte arrives in The Hague',
        creditText: 'Reuters',
      },
    ]);
  });

  it('has no caption box for a photo without caption or credit, and says the credit in the language of the site', () => {
    expect(elements(doc, 'figcaption')).toHaveLength(0);
    const albanian = parseHtml(
      renderArticlePage({ ...SITE, language: 'sq' }, article({ imageCredit: 'ATA' }), []),
    );
    expect(textOf(element(albanian, 'figcaption'))).toBe('Foto: ATA');
  });

  it('offers smaller copies in srcset only for hosts the newsroom can resize, never wider than the photo', () => {
    const resizing = {
      ...SITE,
      imageResizers: [
        { hosts: ['images.example.com'], urlTemplate: '{url}?w={width}', widths: [320, 640, 1280, 1920] },
      ],
    };
    const [img] = elements(
      parseHtml(renderArticlePage(resizing, article({ imageWidth: 1600, imageHeight: 900 }), [])),
      'img',
    );
    expect(img?.attrs.get('srcset')).toBe(
      'https://images.example.com/rutte.jpg?w=320 320w, https://images.example.com/rutte.jpg?w=640 640w, https://images.example.com/rutte.jpg?w=1280 1280w',
    );
    expect(img?.attrs.get('sizes')).toBeTruthy();
    const other = parseHtml(
      renderArticlePage(resizing, article({ imageUrl: 'https://cdn.example.org/a.jpg' }), []),
    );
    expect(elements(other, 'img')[0]?.attrs.has('srcset')).toBe(false);
  });

  it('drops an image whose URL is not http(s)', () => {
    for (const imageUrl of [
      'javascript:alert(1)',
      'data:image/png;base64,AAAA',
      '//cdn.example.com/a.jpg',
      'x.jpg',
    ]) {
      const page = parseHtml(renderArticlePage(SITE, article({ imageUrl }), []));
      expect(elements(page, 'img')).toHaveLength(0);
      expect(meta(page, 'og:image')).toBeUndefined();
    }
  });

  it('renders the latest-news list (at most 10) for the refresher to replace', () => {
    const list = byId(doc, 'latest-news');
    expect(list?.name).toBe('ol');
    expect(list?.attrs.get('data-limit')).toBe('10');
    const links = elements(list ?? doc, 'a');
    expect(links).toHaveLength(10);
    expect(links[0]?.attrs.get('href')).toBe('/bota/story-0');
    expect(textOf(links[0] ?? '')).toBe('Story number 0');
    const heading = byId(doc, 'latest-news-heading');
    expect(heading && textOf(heading)).toBe('Latest news');
  });

  it('includes exactly one executable script, the refresher, at the end of the body', () => {
    const scripts = executableScripts(doc);
    expect(scripts).toHaveLength(1);
    expect(scripts[0]?.attrs.has('src')).toBe(false);
    expect(textOf(scripts[0] ?? '')).toContain('/api/latest?limit=');
  });

  it('keeps the heading outline in order: one h1, then h2s', () => {
    const body = parseHtml(
      renderArticlePage(SITE, article({ body: '# Background\n\nText\n\n## Detail\n\nMore' }), latest),
    );
    const levels = allElements(body)
      .filter((e) => /^h[1-6]$/.test(e.name))
      .map((e) => Number(e.name.slice(1)));
    expect(levels[0]).toBe(1);
    expect(levels.filter((level) => level === 1)).toHaveLength(1);
    levels.slice(1).forEach((level, index) => {
      expect(level - (levels[index] ?? 1)).toBeLessThanOrEqual(1);
    });
  });

  it('has a skip link to main, landmarks and named navigation', () => {
    const skip = elements(doc, 'a')[0];
    expect(skip?.attrs.get('href')).toBe('#main');
    expect(byId(doc, 'main')?.name).toBe('main');
    expect(elements(doc, 'header')).toHaveLength(1);
    expect(elements(doc, 'footer')).toHaveLength(1);
    expect(element(doc, 'nav').attrs.get('aria-label')).toBe('Sections');
  });

  it('links home and to every section with clean root-relative URLs', () => {
    const hrefs = elements(doc, 'a').map((a) => a.attrs.get('href') ?? '');
    expect(hrefs).toContain('/');
    for (const section of SITE.sections) expect(hrefs).toContain(`/${section.slug}/`);
    for (const href of hrefs) {
      expect(href).not.toMatch(/\.html(?:$|[?#])/);
      expect(href === '#main' || href.startsWith('/')).toBe(true);
    }
    expect(elements(doc, 'a').every((a) => textOf(a).trim().length > 0)).toBe(true);
  });

  it('derives the description from the body when there is no summary', () => {
    const page = parseHtml(renderArticlePage(SITE, article({ summary: undefined }), []));
    const description = meta(page, 'description') ?? '';
    expect(description.startsWith('European allies should not worry')).toBe(true);
    expect(description.length).toBeLessThanOrEqual(161);
  });
});
