import { describe, expect, it } from 'vitest';
import { renderArticlePage } from '../../../functions/render/article-page';
import { renderHomePage } from '../../../functions/render/home-page';
import { renderNotFoundPage } from '../../../functions/render/not-found-page';
import { renderRedirectPage } from '../../../functions/render/redirect-page';
import { renderSectionPage } from '../../../functions/render/section-page';
import { HOSTILE, hostileArticle, hostileSummary, SITE } from './support/fixtures';
import { allElements, elements, executableScripts, jsonLd, parseHtml, textOf } from './support/html-document';

const section = SITE.sections[0] ?? { slug: 'bota', name: 'Bota', description: '' };
const hostileList = [hostileSummary(), hostileSummary({ id: '2', slug: 'second', section: 'politics' })];

const pages: Record<string, string> = {
  article: renderArticlePage(SITE, hostileArticle(), hostileList),
  home: renderHomePage(SITE, hostileList),
  section: renderSectionPage(SITE, section, hostileList),
  'not found': renderNotFoundPage(SITE, hostileList),
  redirect: renderRedirectPage(SITE, '/bota/new-slug', { title: HOSTILE }),
};

const SCRIPT_LIKE_URL = /^\s*(?:javascript|vbscript|data):/i;

describe.each(Object.entries(pages))('the %s page with hostile text in every field', (_name, html) => {
  const doc = parseHtml(html);

  it('contains no script element besides the refresher and JSON-LD', () => {
    for (const script of executableScripts(doc)) {
      expect(script.attrs.has('src')).toBe(false);
      expect(textOf(script)).toContain('/api/latest?limit=');
    }
    expect(executableScripts(doc).length).toBeLessThanOrEqual(1);
    // Independent of the tokenizer: count what a browser could take for a script start tag.
    expect(html.match(/<script/gi)?.length ?? 0).toBe(elements(doc, 'script').length);
  });

  it('has no event-handler attribute, svg or injected img anywhere', () => {
    for (const element of allElements(doc)) {
      for (const name of element.attrs.keys()) expect(name).not.toMatch(/^on/i);
    }
    expect(elements(doc, 'svg')).toHaveLength(0);
    expect(elements(doc, 'img').every((img) => img.attrs.get('src')?.startsWith('https://'))).toBe(true);
  });

  it('has no link or source with a script-capable scheme', () => {
    // The empty `data:,` favicon is the renderer's own constant, not article content.
    const candidates = allElements(doc).filter((element) => element.attrs.get('rel') !== 'icon');
    for (const element of candidates) {
      for (const name of ['href', 'src', 'action', 'formaction']) {
        const value = element.attrs.get(name);
        if (value !== undefined) expect(value).not.toMatch(SCRIPT_LIKE_URL);
      }
    }
    const refresh = elements(doc, 'meta').find((m) => m.attrs.get('http-equiv') === 'refresh');
    if (refresh) expect(refresh.attrs.get('content')).toBe('0; url=https://news.example.com/bota/new-slug');
  });

  it('keeps every JSON-LD block parseable, with the hostile text as plain data', () => {
    const blocks = jsonLd(doc);
    for (const block of elements(doc, 'script').filter(
      (s) => s.attrs.get('type') === 'application/ld+json',
    )) {
      expect(textOf(block)).not.toMatch(/[<>&\u2028\u2029]/);
    }
    if (_name === 'article') {
      const data = blocks[0] as Record<string, unknown>;
      expect(data.headline).toBe(HOSTILE);
      expect(data.author).toMatchObject([{ '@type': 'Person', name: HOSTILE }]);
    }
  });

  it('shows the hostile text as text', () => {
    if (_name === 'redirect') return;
    expect(textOf(doc)).toContain('<script>alert(1)</script>');
  });
});

describe('Markdown body of a hostile article', () => {
  const doc = parseHtml(pages.article ?? '');
  const prose = allElements(doc).find((element) => element.attrs.get('class') === 'prose');

  it('turns no javascript:, data: or vbscript: target into a link or image', () => {
    expect(prose).toBeDefined();
    for (const link of elements(prose ?? doc, 'a')) {
      expect(link.attrs.get('href')).not.toMatch(SCRIPT_LIKE_URL);
    }
    expect(elements(prose ?? doc, 'img')).toHaveLength(0);
    expect(textOf(prose ?? doc)).toContain('[click](javascript:alert(6))');
  });

  it('shows raw HTML as text instead of markup', () => {
    // As text, its quotes are curled like any other.
    expect(textOf(prose ?? doc)).toContain('<a href=“javascript:alert(11)” onclick=“alert(12)”>raw</a>');
    expect(elements(prose ?? doc, 'script')).toHaveLength(0);
  });
});
