import { describe, expect, it } from 'vitest';
import { renderHomePage } from '../../../functions/render/home-page';
import { renderNotFoundPage } from '../../../functions/render/not-found-page';
import { renderRedirectPage } from '../../../functions/render/redirect-page';
import { renderSectionPage } from '../../../functions/render/section-page';
import { SITE, summaries, summary } from './support/fixtures';
import {
  allElements,
  byId,
  element,
  elements,
  executableScripts,
  type HtmlElement,
  isElement,
  jsonLd,
  linkHref,
  meta,
  parseHtml,
  textOf,
} from './support/html-document';

const bota = SITE.sections[0] ?? { slug: 'bota', name: 'Bota', description: 'World news.' };

function headingLevels(html: string): number[] {
  return allElements(parseHtml(html))
    .filter((e) => /^h[1-6]$/.test(e.name))
    .map((e) => Number(e.name.slice(1)));
}

function expectOrderedOutline(html: string): void {
  const levels = headingLevels(html);
  expect(levels.filter((level) => level === 1)).toHaveLength(1);
  expect(levels[0]).toBe(1);
  levels.slice(1).forEach((level, index) => {
    expect(level - (levels[index] ?? 1)).toBeLessThanOrEqual(1);
  });
}

const byClass = (root: HtmlElement, name: string) =>
  allElements(root).filter((e) => (e.attrs.get('class') ?? '').split(' ').includes(name));

describe('renderHomePage', () => {
  const items = summaries(20);
  // Given in scrambled order: the page must not rely on the caller's sorting.
  const html = renderHomePage(SITE, [...items].reverse());
  const doc = parseHtml(html);
  const main = element(doc, 'main');

  it('is the canonical website page with the site description', () => {
    expect(textOf(element(doc, 'title'))).toBe('Flash News: latest news');
    expect(linkHref(doc, 'canonical')).toBe('https://news.example.com/');
    expect(meta(doc, 'description')).toBe(SITE.description);
    expect(meta(doc, 'og:type')).toBe('website');
    expect(meta(doc, 'twitter:card')).toBe('summary');
    expect(jsonLd(doc)[0]).toMatchObject({ '@type': 'WebSite', url: 'https://news.example.com/' });
  });

  it('leads with the newest story without a featured one, then the next four as top stories', () => {
    const [lead] = byClass(main, 'lead-story');
    expect(textOf(element(lead ?? doc, 'h2'))).toBe('Story number 0');
    const top = byClass(main, 'top-stories')[0] ?? doc;
    expect(textOf(element(top, 'h2'))).toBe('Top stories');
    expect(elements(top, 'h3').map(textOf)).toEqual([1, 2, 3, 4].map((n) => `Story number ${n}`));
  });

  it('groups the rest by section in configured order, each with a link to more, and no story twice', () => {
    const groups = byClass(main, 'section-group');
    expect(groups.map((group) => textOf(element(group, 'h2')))).toEqual(['Bota', 'Politics', 'Business']);
    const botaLinks = elements(groups[0] ?? doc, 'a').map((a) => a.attrs.get('href'));
    expect(botaLinks).toEqual([
      '/bota/',
      '/bota/story-6',
      '/bota/story-9',
      '/bota/story-12',
      '/bota/story-15',
      '/bota/',
    ]);
    expect(textOf(byClass(groups[0] ?? doc, 'more')[0] ?? doc)).toBe('More in Bota');
    const storyLinks = elements(main, 'a')
      .filter((a) => !byClass(main, 'latest').some((aside) => allElements(aside).includes(a)))
      .map((a) => a.attrs.get('href') ?? '')
      .filter((href) => /\/story-\d+$/.test(href));
    expect(new Set(storyLinks).size).toBe(storyLinks.length);
  });

  it('leads with the newest featured story, wherever it is in the list', () => {
    const withFeatured = items.map((item, index) =>
      index === 7 || index === 12 ? { ...item, featured: true } : item,
    );
    const page = parseHtml(renderHomePage(SITE, withFeatured));
    expect(textOf(element(byClass(page, 'lead-story')[0] ?? page, 'h2'))).toBe('Story number 7');
    expect(elements(byClass(page, 'top-stories')[0] ?? page, 'h3').map(textOf)).toEqual(
      [0, 1, 2, 3].map((n) => `Story number ${n}`),
    );
  });

  it("shows each story's picture in a reserved box: the lead's first, the others as thumbnails", () => {
    const pictured = items.map((item, index) => ({
      ...item,
      imageUrl: `https://images.example.com/${index}.jpg`,
      imageAlt: `Photo ${index}`,
      ...(index === 1 ? { imageWidth: 800, imageHeight: 600 } : {}),
    }));
    const page = parseHtml(renderHomePage(SITE, pictured));
    const images = elements(element(page, 'main'), 'img');
    expect(images.length).toBeGreaterThan(5);
    for (const img of images) {
      expect(Number(img.attrs.get('width'))).toBeGreaterThan(0);
      expect(Number(img.attrs.get('height'))).toBeGreaterThan(0);
    }
    expect(images[0]?.attrs.get('src')).toBe('https://images.example.com/0.jpg');
    expect(images[0]?.attrs.get('fetchpriority')).toBe('high');
    expect(images[1]?.attrs.get('width')).toBe('800');
    expect(images.at(-1)?.attrs.get('loading')).toBe('lazy');
  });

  it('gives a story without a picture a text card with its summary, not an empty picture box', () => {
    const cards = byClass(main, 'card');
    expect(cards.length).toBeGreaterThan(0);
    for (const card of cards) {
      expect(card.attrs.get('class')).toBe('card text-only');
      expect(elements(card, 'img')).toHaveLength(0);
      expect(textOf(card)).toMatch(/Summary of story \d+\./);
    }
  });

  it('has the Latest news list, refreshed by the one script, and an ordered outline', () => {
    const home = elements(doc, 'a').find((a) => a.attrs.get('class') === 'site-name');
    expect(home?.attrs.get('aria-current')).toBe('page');
    expect(elements(byId(doc, 'latest-news') ?? doc, 'li')).toHaveLength(10);
    expect(executableScripts(doc)).toHaveLength(1);
    expectOrderedOutline(html);
  });

  it('leaves out sections with no stories and still renders with none at all, in the language of the site', () => {
    const few = [
      summary(),
      summary({ id: 'x', slug: 'y', section: 'bota', publishedAt: '2025-06-24T08:00:00.000Z' }),
    ];
    expect(byClass(parseHtml(renderHomePage(SITE, few)), 'section-group')).toHaveLength(0);
    const many = summaries(8);
    expect(byClass(parseHtml(renderHomePage(SITE, many)), 'section-group')).toHaveLength(3);
    const empty = parseHtml(renderHomePage(SITE, []));
    expect(textOf(element(empty, 'main'))).toContain('No news has been published yet.');
    expectOrderedOutline(renderHomePage(SITE, []));
    const albanian = parseHtml(renderHomePage({ ...SITE, language: 'sq' }, items));
    expect(textOf(element(byClass(albanian, 'top-stories')[0] ?? albanian, 'h2'))).toBe('Lajmet kryesore');
    expect(textOf(byClass(albanian, 'more')[0] ?? albanian)).toBe('Më shumë nga Bota');
  });
});

describe('renderSectionPage', () => {
  const html = renderSectionPage(SITE, bota, summaries(30), summaries(12));
  const doc = parseHtml(html);
  const stories = byClass(doc, 'columns')[0]?.children.find(isElement) ?? doc;

  it('is the canonical page of the section', () => {
    expect(textOf(element(doc, 'title'))).toBe('Bota | Flash News');
    expect(textOf(element(doc, 'h1'))).toBe('Bota');
    expect(linkHref(doc, 'canonical')).toBe('https://news.example.com/bota/');
    expect(meta(doc, 'description')).toBe('World news.');
  });

  it("leads with the section's newest story, then cards, then headlines with summaries", () => {
    const headlines = elements(stories, 'h2').map(textOf);
    expect(headlines).toEqual([0, 3, 6, 9, 12, 15, 18, 21, 24, 27].map((n) => `Story number ${n}`));
    expect(byClass(stories, 'lead-story')).toHaveLength(1);
    expect(byClass(stories, 'card')).toHaveLength(4);
    const times = elements(stories, 'time').map((time) => time.attrs.get('datetime'));
    expect(times[0]).toBe('2025-06-24T12:00:00.000Z');
    expect(textOf(stories)).toContain('Summary of story 27.');
  });

  it("leads with the section's newest featured story, ahead of newer ones, shown once", () => {
    const withFeatured = summaries(30).map((item, index) =>
      index === 9 ? { ...item, featured: true } : item,
    );
    const page = parseHtml(renderSectionPage(SITE, bota, withFeatured));
    const column = byClass(page, 'columns')[0]?.children.find(isElement) ?? page;
    const headlines = elements(column, 'h2').map(textOf);
    expect(headlines[0]).toBe('Story number 9');
    expect(headlines.slice(1, 4)).toEqual(['Story number 0', 'Story number 3', 'Story number 6']);
    expect(headlines.filter((headline) => headline === 'Story number 9')).toHaveLength(1);
  });

  it('has the Latest news list beside the stories, refreshed by the one script', () => {
    expect(elements(byId(doc, 'latest-news') ?? doc, 'li')).toHaveLength(10);
    expect(executableScripts(doc)).toHaveLength(1);
  });

  it('gives the tagline a class the stylesheet sets smaller than every headline', () => {
    expect(byClass(doc, 'tagline').map(textOf)).toEqual(['World news.']);
    expect(
      byClass(doc, 'standfirst').every((p) => !byClass(doc, 'intro').some((i) => allElements(i).includes(p))),
    ).toBe(true);
  });

  it('marks its navigation link current and offers its own feed', () => {
    const link = elements(element(doc, 'nav'), 'a').find((a) => a.attrs.get('href') === '/bota/');
    expect(link?.attrs.get('aria-current')).toBe('page');
    const feeds = elements(doc, 'link').filter((l) => l.attrs.get('rel') === 'alternate');
    expect(feeds.map((l) => l.attrs.get('href'))).toContain('https://news.example.com/bota/feed.xml');
    expectOrderedOutline(html);
  });

  it('says when the section has nothing yet, in the language of the site', () => {
    expect(textOf(element(parseHtml(renderSectionPage(SITE, bota, [])), 'main'))).toContain(
      'No news in this section yet.',
    );
    const albanian = parseHtml(renderSectionPage({ ...SITE, language: 'sq' }, bota, []));
    expect(textOf(element(albanian, 'main'))).toContain('Ende nuk ka lajme në këtë rubrikë.');
  });
});

describe('renderNotFoundPage', () => {
  const html = renderNotFoundPage(SITE, summaries(3));
  const doc = parseHtml(html);

  it('is never indexed and has no canonical URL, since it answers for any missing path', () => {
    expect(meta(doc, 'robots')).toBe('noindex');
    expect(linkHref(doc, 'canonical')).toBeUndefined();
    expect(textOf(element(doc, 'h1'))).toBe('Page not found');
    expect(meta(doc, 'description')).toBeTruthy();
  });

  it('uses only root-relative links, so it works at any depth', () => {
    for (const link of elements(doc, 'a')) expect(link.attrs.get('href')).toMatch(/^(\/|#main$)/);
  });

  it('offers the latest news, refreshed in the browser', () => {
    expect(elements(byId(doc, 'latest-news') ?? doc, 'li')).toHaveLength(3);
    expect(executableScripts(doc)).toHaveLength(1);
    expectOrderedOutline(html);
  });
});

describe('renderRedirectPage', () => {
  const doc = parseHtml(renderRedirectPage(SITE, '/politics/new-slug', { title: 'A moved story' }));

  it('refreshes at once to the absolute new URL, which is also canonical', () => {
    const refresh = elements(doc, 'meta').find((m) => m.attrs.get('http-equiv') === 'refresh');
    expect(refresh?.attrs.get('content')).toBe('0; url=https://news.example.com/politics/new-slug');
    expect(linkHref(doc, 'canonical')).toBe('https://news.example.com/politics/new-slug');
  });

  it('is noindex and has a visible link to the new page', () => {
    expect(meta(doc, 'robots')).toBe('noindex');
    const link = elements(element(doc, 'main'), 'a')[0];
    expect(link?.attrs.get('href')).toBe('/politics/new-slug');
    expect(textOf(link ?? '')).toBe('A moved story');
  });

  it('refuses targets outside the article namespace, so it can never redirect off-site', () => {
    for (const target of [
      '//evil.example/x',
      'https://evil.example/',
      '/\\evil.example',
      '/',
      '/feed.xml',
      'javascript:alert(1)',
    ]) {
      expect(() => renderRedirectPage(SITE, target)).toThrow();
    }
  });
});
