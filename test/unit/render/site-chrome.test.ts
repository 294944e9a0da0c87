import { describe, expect, it } from 'vitest';
import { renderArticlePage } from '../../../functions/render/article-page';
import { renderHomePage } from '../../../functions/render/home-page';
import { article, SITE } from './support/fixtures';
import { element, elements, parseHtml, textOf } from './support/html-document';

function currentLinks(page: string): string[] {
  return elements(element(parseHtml(page), 'header'), 'a')
    .filter((link) => link.attrs.has('aria-current'))
    .map((link) => `${link.attrs.get('href')} ${link.attrs.get('aria-current')}`);
}

// Header and footer are built once per site and reused: no page may inherit another page's or site's.
describe('header and footer, built once per site', () => {
  it('mark the current section of each page, whatever was rendered before', () => {
    expect(currentLinks(renderArticlePage(SITE, article({ section: 'bota' }), []))).toEqual(['/bota/ true']);
    expect(currentLinks(renderArticlePage(SITE, article({ section: 'politics' }), []))).toEqual([
      '/politics/ true',
    ]);
    expect(currentLinks(renderHomePage(SITE, []))).toEqual(['/ page']);
    expect(currentLinks(renderArticlePage(SITE, article({ section: 'removed-section' }), []))).toEqual([]);
    expect(currentLinks(renderArticlePage(SITE, article({ section: 'bota' }), []))).toEqual(['/bota/ true']);
  });

  it('belong to the site the page is rendered for', () => {
    const other = { ...SITE, name: 'Other News', description: 'Another newsroom.' };
    const first = parseHtml(renderArticlePage(SITE, article(), []));
    const second = parseHtml(renderArticlePage(other, article(), []));
    expect(textOf(element(first, 'header'))).toContain('Flash News');
    expect(textOf(element(second, 'header'))).toContain('Other News');
    expect(textOf(element(second, 'footer'))).toContain('Another newsroom.');
    expect(textOf(element(second, 'header'))).not.toContain('Flash News');
  });
});
