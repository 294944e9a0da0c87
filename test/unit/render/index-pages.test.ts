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

describe('renderHomePage', () => {
  const items = summaries(20);
  // Given in scrambled order: the page must not rely on the caller's sorting.
  const html = renderHomePage(SITE, [...items].reverse());
  const doc = parseHtml(html);

  it('is the canonical website page with the site description', () => {
    expect(textOf(element(doc, 'title'))).toBe('Flash News: latest news');
    expect(linkHref(doc, 'canonical')).toBe('https://news.example.com/');
    expect(meta(doc, 'description')).toBe(SITE.description);
    expect(meta(doc, 'og:type')).toBe('website');
    expect(meta(doc, 'twitter:card')).toBe('summary');
    expect(jsonLd(doc)[0]).toMatchObject({ '@type': 'WebSite', url: 'https://news.example.com/' });
  });

  it('leads with the newest story, then groups the rest by section in configured order', () => {
    const lead = elements(element(doc, 'main'), 'article')[0];
    expect(textOf(element(lead ?? doc, 'h2'))).toBe('Story number 0');
    const groups = allElements(doc).filter((e) => e.attrs.get('class') === 'section-group');
    expect(groups.map((group) => textOf(element(group, 'h2')))).toEqual(['Bota', 'Politics', 'Business']);
    const botaLinks = elements(groups[0] ?? doc, 'a').map((a) => a.attrs.get('href'));
    expect(botaLinks[0]).toBe('/bota/');
    expect(botaLinks).not.toContain('/bota/story-0');
    expect(botaLinks.slice(1)).toEqual([
      '/bota/story-3',
      '/bota/story-6',
      '/bota/story-9',
      '/bota/story-12',
      '/bota/story-15',
    ]);
  });

  it('marks the home link as the current page and has an ordered outline without script', () => {
    const home = elements(doc, 'a').find((a) => a.attrs.get('class') === 'site-name');
    expect(home?.attrs.get('aria-current')).toBe('page');
    expectOrderedOutline(html);
    expect(executableScripts(doc)).toHaveLength(0);
  });

  it('leaves out sections with no stories and still renders with none at all', () => {
    const one = parseHtml(
      renderHomePage(SITE, [summary(), summary({ id: 'x', slug: 'y', section: 'bota' })]),
    );
    expect(allElements(one).filter((e) => e.attrs.get('class') === 'section-group')).toHaveLength(1);
    const empty = parseHtml(renderHomePage(SITE, []));
    expect(textOf(element(empty, 'main'))).toContain('No news has been published yet.');
  });
});

describe('renderSectionPage', () => {
  const html = renderSectionPage(SITE, bota, summaries(9));
  const doc = parseHtml(html);

  it('is the canonical page of the section', () => {
    expect(textOf(element(doc, 'title'))).toBe('Bota | Flash News');
    expect(textOf(element(doc, 'h1'))).toBe('Bota');
    expect(linkHref(doc, 'canonical')).toBe('https://news.example.com/bota/');
    expect(meta(doc, 'description')).toBe('World news.');
  });

  it("lists only the section's stories, newest first, with summaries and times", () => {
    const headlines = elements(element(doc, 'main'), 'h2').map(textOf);
    expect(headlines).toEqual(['Story number 0', 'Story number 3', 'Story number 6']);
    const times = elements(element(doc, 'main'), 'time').map((time) => time.attrs.get('datetime'));
    expect(times[0]).toBe('2025-06-24T12:00:00.000Z');
    expect(textOf(element(doc, 'main'))).toContain('Summary of story 3.');
  });

  it('marks its navigation link current and offers its own feed', () => {
    const link = elements(element(doc, 'nav'), 'a').find((a) => a.attrs.get('href') === '/bota/');
    expect(link?.attrs.get('aria-current')).toBe('page');
    const feeds = elements(doc, 'link').filter((l) => l.attrs.get('rel') === 'alternate');
    expect(feeds.map((l) => l.attrs.get('href'))).toContain('https://news.example.com/bota/feed.xml');
    expectOrderedOutline(html);
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
