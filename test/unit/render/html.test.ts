import { describe, expect, it } from 'vitest';
import { renderArticlePage } from '../../../functions/render/article-page';
import { renderHomePage } from '../../../functions/render/home-page';
import { escapeHtml, html, SafeHtml, trustedHtml } from '../../../functions/render/html';
import { article, SITE, summary } from './support/fixtures';
import { allElements, element, parseHtml, textOf } from './support/html-document';

/** The page as a reader sees it: scripts (the refresher, JSON-LD data) are not shown. */
function visibleMarkup(page: string): string {
  return page.replace(/<script\b[\s\S]*?<\/script>/gi, '');
}

describe('escapeHtml', () => {
  it.each([
    ['&', '&amp;'],
    ['<', '&lt;'],
    ['>', '&gt;'],
    ['"', '&quot;'],
    ["'", '&#39;'],
  ])('escapes %s as %s', (character, escaped) => {
    expect(escapeHtml(character)).toBe(escaped);
    expect(escapeHtml(`a${character}b${character}c`)).toBe(`a${escaped}b${escaped}c`);
  });

  it('escapes every special character of a string, wherever it is', () => {
    expect(escapeHtml(`<a href="x" title='y'>Fish & Chips</a>`)).toBe(
      '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;Fish &amp; Chips&lt;/a&gt;',
    );
  });

  it('escapes an ampersand that already looks like an entity, so it is shown as typed', () => {
    expect(escapeHtml('&amp; &lt;')).toBe('&amp;amp; &amp;lt;');
  });

  it('leaves text with nothing to escape as it is', () => {
    expect(escapeHtml('Rutte: US is fully committed to NATO — 24/06, 10:30')).toBe(
      'Rutte: US is fully committed to NATO — 24/06, 10:30',
    );
    expect(escapeHtml('')).toBe('');
  });
});

describe('the html template', () => {
  it('keeps the literal markup around and between the values', () => {
    expect(html`<p>${'a'}</p>`.toString()).toBe('<p>a</p>');
    expect(html`<p>${'a'}, ${'b'} and ${'c'}.</p>`.toString()).toBe('<p>a, b and c.</p>');
    expect(html`no values`.toString()).toBe('no values');
    expect(html``.toString()).toBe('');
    expect(html`${'only'}`.toString()).toBe('only');
  });

  it('escapes every string it is given, in text and in attributes', () => {
    const value = `"><script>alert(1)</script>`;
    expect(html`<a title="${value}">${value}</a>`.toString()).toBe(
      '<a title="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;">&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;</a>',
    );
  });

  it('shows & in a headline instead of losing it', () => {
    const headline = html`<h1>${'Fish & Chips: prices up 10% & rising'}</h1>`;
    expect(headline.toString()).toBe('<h1>Fish &amp; Chips: prices up 10% &amp; rising</h1>');
    expect(textOf(element(parseHtml(headline.toString()), 'h1'))).toBe(
      'Fish & Chips: prices up 10% & rising',
    );
  });

  it('inserts markup from another template, the Markdown renderer or a reviewed constant unescaped', () => {
    const inner = html`<em>${'a & b'}</em>`;
    expect(inner).toBeInstanceOf(SafeHtml);
    expect(html`<p>${inner}</p>`.toString()).toBe('<p><em>a &amp; b</em></p>');
    expect(html`<p>${trustedHtml('<strong>x</strong>')}</p>`.toString()).toBe('<p><strong>x</strong></p>');
    expect(trustedHtml('<br>').toString()).toBe('<br>');
  });

  it('joins a list of values, each escaped or inserted by its own kind', () => {
    const items = ['a & b', html`<li>${'c'}</li>`, 3, [html`<li>d</li>`, 'e<']];
    expect(html`<ul>${items}</ul>`.toString()).toBe('<ul>a &amp; b<li>c</li>3<li>d</li>e&lt;</ul>');
    expect(html`<ul>${[]}</ul>`.toString()).toBe('<ul></ul>');
  });

  it('writes numbers as numbers, zero included', () => {
    expect(html`<img width="${1200}" height="${0}">`.toString()).toBe('<img width="1200" height="0">');
  });

  it('never writes the words false, true, null or undefined for a part left out', () => {
    const shown = false;
    expect(html`<p>${shown && html`<b>x</b>`}</p>`.toString()).toBe('<p></p>');
    expect(html`<p>${true}</p>`.toString()).toBe('<p></p>');
    expect(html`<p>${null}</p>`.toString()).toBe('<p></p>');
    expect(html`<p>${undefined}</p>`.toString()).toBe('<p></p>');
    expect(html`<a href="/"${shown && html` aria-current="page"`}>x</a>`.toString()).toBe(
      '<a href="/">x</a>',
    );
    expect(html`<p>${[false, 'a', null, undefined, true]}</p>`.toString()).toBe('<p>a</p>');
  });

  it('keeps an empty string and the text "false" a writer typed', () => {
    expect(html`<p>${''}</p>`.toString()).toBe('<p></p>');
    expect(html`<p>${'false'}</p>`.toString()).toBe('<p>false</p>');
  });
});

describe('pages built with the html template', () => {
  it('never show the literal text "false" (or true, null, undefined) where an optional part is left out', () => {
    const bare = article({
      author: undefined,
      summary: undefined,
      source: undefined,
      tags: [],
      imageUrl: undefined,
      imageAlt: undefined,
      updatedAt: '2025-06-24T10:30:00.000Z',
    });
    const pages = [
      renderArticlePage(SITE, bare, []),
      renderHomePage(SITE, [summary({ summary: undefined, author: undefined, tags: [] })]),
    ];
    for (const page of pages) {
      const doc = parseHtml(visibleMarkup(page));
      expect(textOf(doc)).not.toMatch(/\b(?:false|true|null|undefined)\b/);
      for (const node of allElements(doc)) {
        // aria-current="true" and the like are written on purpose; a stray word would be a bare name.
        for (const name of node.attrs.keys()) expect(name).not.toMatch(/^(?:false|true|null|undefined)$/);
      }
    }
  });

  it('show an & in a headline on the article page, in its title and in the lists', () => {
    const title = 'Fish & Chips: prices up & rising';
    const page = parseHtml(renderArticlePage(SITE, article({ title }), []));
    expect(textOf(element(page, 'h1'))).toBe(title);
    expect(textOf(element(page, 'title'))).toContain(title);
    const home = renderHomePage(SITE, [summary({ title })]);
    expect(textOf(parseHtml(home))).toContain(title);
    expect(home).not.toContain('Fish  Chips');
  });
});
