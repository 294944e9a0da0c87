import fc from 'fast-check';
import markdownIt from 'markdown-it';
import { describe, expect, it } from 'vitest';
import {
  mayContainLink,
  outlineLevels,
  plainTextExcerpt,
  quotesFor,
  renderMarkdown,
} from '../../../functions/render/markdown';
import { elements, parseHtml, textOf } from './support/html-document';

const BASE = 'https://news.example.com';
const render = (markdown: string) => parseHtml(renderMarkdown(markdown, BASE, 'en').toString());

describe('renderMarkdown', () => {
  it.each([
    '[x](javascript:alert(1))',
    '[x](JaVaScRiPt:alert(1))',
    '[x](&#106;avascript:alert(1))',
    '[x](java\tscript:alert(1))',
    '[x](vbscript:msgbox(1))',
    '[x](data:text/html;base64,PHNjcmlwdD4=)',
    '[x](file:///etc/passwd)',
    '<javascript:alert(1)>',
    '[x]: javascript:alert(1)\n\n[x]',
  ])('does not make a link of %j', (markdown) => {
    const doc = render(markdown);
    expect(elements(doc, 'a')).toHaveLength(0);
  });

  it('keeps http(s), mailto and relative links', () => {
    const doc = render(
      '[a](https://example.org/a) [b](http://example.org/b) [c](mailto:desk@example.com) [d](/bota/story) [e](#notes)',
    );
    expect(elements(doc, 'a').map((a) => a.attrs.get('href'))).toEqual([
      'https://example.org/a',
      'http://example.org/b',
      'mailto:desk@example.com',
      '/bota/story',
      '#notes',
    ]);
  });

  it('marks links leaving the site, not links within it', () => {
    const doc = render('[out](https://example.org/) [in](https://news.example.com/bota/x) [rel](/politics/)');
    expect(elements(doc, 'a').map((a) => a.attrs.get('rel'))).toEqual([
      'nofollow noopener noreferrer',
      undefined,
      undefined,
    ]);
  });

  it('escapes raw HTML instead of passing it through', () => {
    const doc = render('<script>alert(1)</script>\n\n<img src=x onerror=alert(2)>');
    expect(elements(doc, 'script')).toHaveLength(0);
    expect(elements(doc, 'img')).toHaveLength(0);
    expect(textOf(doc)).toContain('<script>alert(1)</script>');
  });

  it('links bare URLs', () => {
    const doc = render('See https://example.org/report for details.');
    expect(elements(doc, 'a')[0]?.attrs.get('href')).toBe('https://example.org/report');
  });

  it('renders http(s) images lazily and drops others', () => {
    const doc = render(
      '![chart](https://img.example.com/c.png) ![bad](javascript:alert(1)) ![mail](mailto:a@b.c)',
    );
    const images = elements(doc, 'img');
    expect(images).toHaveLength(1);
    expect(images[0]?.attrs.get('alt')).toBe('chart');
    expect(images[0]?.attrs.get('loading')).toBe('lazy');
  });

  it('renders body images in the default box, with lazy loading and async decoding, keeping their description', () => {
    const images = elements(render('![Chart of prices](https://img.example.com/c.png)'), 'img');
    expect(images.map((image) => Object.fromEntries(image.attrs))).toEqual([
      {
        src: 'https://img.example.com/c.png',
        alt: 'Chart of prices',
        width: '1200',
        height: '675',
        loading: 'lazy',
        decoding: 'async',
      },
    ]);
  });

  it('shows the description of an image with no address or a mailto: one as text', () => {
    const doc = render(
      '![Chart](), ![Desk <b>map</b>](mailto:desk@example.com) and ![Mail](MAILTO:desk@example.com)',
    );
    expect(elements(doc, 'img')).toHaveLength(0);
    expect(elements(doc, 'b')).toHaveLength(0);
    expect(textOf(doc)).toBe('Chart, Desk <b>map</b> and Mail\n');
  });

  it('shows an image whose path merely mentions mailto:', () => {
    const images = elements(render('![x](https://img.example.com/mailto:desk.png)'), 'img');
    expect(images.map((image) => image.attrs.get('src'))).toEqual([
      'https://img.example.com/mailto:desk.png',
    ]);
  });

  it('curls quotes but keeps dashes, ellipses and (c) as the writer typed them', () => {
    const doc = render('He said "no" -- and \'maybe\'... (c) 2025');
    expect(textOf(doc)).toBe('He said “no” -- and ‘maybe’... (c) 2025\n');
  });

  it('links a bare e-mail address but never a bare domain name or IP address', () => {
    const doc = render('Write to desk@example.com, not to example.org, www.example.org or 127.0.0.1.');
    expect(elements(doc, 'a').map((a) => a.attrs.get('href'))).toEqual(['mailto:desk@example.com']);
  });

  it('marks every link leaving the site, bare and protocol-relative ones too', () => {
    const doc = render(
      'See https://example.org/a, [b](//example.org/b) and [c](HTTPS://NEWS.EXAMPLE.COM/c).',
    );
    expect(elements(doc, 'a').map((a) => [a.attrs.get('href'), a.attrs.get('rel')])).toEqual([
      ['https://example.org/a', 'nofollow noopener noreferrer'],
      ['//example.org/b', 'nofollow noopener noreferrer'],
      ['HTTPS://NEWS.EXAMPLE.COM/c', undefined],
    ]);
  });

  it('places body headings below the page headline: # and ## are the top level, h2', () => {
    const doc = render('# One\n\n## Two\n\n### Three\n\n###### Six');
    expect(elements(doc, 'h1')).toHaveLength(0);
    expect(elements(doc, 'h2').map(textOf)).toEqual(['One', 'Two']);
    expect(elements(doc, 'h3').map(textOf)).toEqual(['Three']);
    expect(elements(doc, 'h4').map(textOf)).toEqual(['Six']);
    expect(renderMarkdown('## One\n\n### Two\n\n#### Three', BASE, 'en').toString()).toBe(
      '<h2>One</h2>\n<h3>Two</h3>\n<h4>Three</h4>\n',
    );
  });

  it('never skips a heading level after the h1, whatever levels the body uses', () => {
    expect(outlineLevels([4, 6, 5, 2, 5, 3, 1, 6])).toEqual([2, 3, 3, 2, 3, 3, 2, 3]);
    expect(outlineLevels([3, 4, 5, 6])).toEqual([2, 3, 4, 5]);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 6 }), { maxLength: 30 }), (levels) => {
        const markdown = levels.map((level, index) => `${'#'.repeat(level)} H${index}`).join('\n\n');
        const rendered = [
          ...renderMarkdown(markdown, BASE, 'en')
            .toString()
            .matchAll(/<h(\d)>/g),
        ].map((match) => Number(match[1]));
        expect(rendered).toHaveLength(levels.length);
        let previous = 1;
        for (const level of rendered) {
          expect(level).toBeGreaterThanOrEqual(2);
          expect(level).toBeLessThanOrEqual(Math.min(previous + 1, 6));
          previous = level;
        }
        // Order is kept: a heading no deeper in the Markdown than the one before is no deeper here.
        for (let i = 1; i < levels.length; i++) {
          if ((levels[i] ?? 0) <= (levels[i - 1] ?? 0))
            expect(rendered[i]).toBeLessThanOrEqual(rendered[i - 1] ?? 0);
        }
      }),
    );
  });

  it('curls quotes and apostrophes in the site language, and leaves code and link targets alone', () => {
    const markdown =
      'He said "it\'s \'done\'" and `"code"` and [a "b"](https://example.org/?q="x") https://example.org/\'y\'';
    const en = renderMarkdown(markdown, BASE, 'en').toString();
    expect(en).toContain('He said “it’s ‘done’” and');
    expect(en).toContain('<code>&quot;code&quot;</code>');
    expect(en).toContain('href="https://example.org/?q=%22x%22"');
    expect(en).toContain('>a “b”</a>');
    expect(en).toContain('href="https://example.org/\'y\'"');
    const sq = renderMarkdown('Ai tha "po" dhe \'jo\'.', BASE, 'sq-AL').toString();
    expect(sq).toBe('<p>Ai tha „po“ dhe ‘jo’.</p>\n');
    expect(quotesFor('sq')).toBe('„“‘’');
    expect(quotesFor('fr')).toBe('“”‘’');
    // Only quotes: the other typographic replacements would change what the writer typed.
    expect(renderMarkdown('(c) 2026 -- a +- b...', BASE, 'en').toString()).toBe(
      '<p>(c) 2026 -- a +- b...</p>\n',
    );
  });
});

describe('plainTextExcerpt', () => {
  it('strips Markdown and cuts at a word boundary', () => {
    const excerpt = plainTextExcerpt(
      'Hello *world*, this is `code` and [a link](https://x.org) and more words',
      40,
      'en',
    );
    expect(excerpt).toBe('Hello world, this is code and a link…');
    expect(excerpt.length).toBeLessThanOrEqual(41);
  });

  it('reads headings, lists, line breaks and inline code as text, and skips images and code blocks', () => {
    const body = [
      '# Title',
      '',
      'line one',
      'line two  ',
      'after a hard break',
      '',
      '- item *one*',
      '- item `two`',
      '',
      '```',
      'code block',
      '```',
      '',
      '![alt text](https://img.example.com/c.png) After   the image.',
    ].join('\n');
    expect(plainTextExcerpt(body, 200, 'en')).toBe(
      'Title line one line two after a hard break item one item two After the image.',
    );
  });

  it('cuts a long word rather than lose more than half the excerpt', () => {
    expect(plainTextExcerpt('Supercalifragilisticexpialidocious word', 20, 'en')).toBe(
      'Supercalifragilistic…',
    );
    expect(plainTextExcerpt('aaaaaaaaaa bbbbbbbbbbbbbbb', 20, 'en')).toBe('aaaaaaaaaa bbbbbbbbb…');
    expect(plainTextExcerpt('aaaaaaaaaaa bbbbbbbbbbbbbbb', 20, 'en')).toBe('aaaaaaaaaaa…');
  });

  it('drops the punctuation the cut leaves before the ellipsis', () => {
    expect(plainTextExcerpt('Wait... what? Yes, really', 8, 'en')).toBe('Wait…');
    expect(plainTextExcerpt('Yes, no; maybe: well - perhaps', 16, 'en')).toBe('Yes, no; maybe…');
  });

  it('ends with an ellipsis whenever the body goes on, and never otherwise', () => {
    expect(plainTextExcerpt('0123456789', 10, 'en')).toBe('0123456789');
    expect(plainTextExcerpt('0123456789\n\nNext', 10, 'en')).toBe('0123456789…');
    expect(plainTextExcerpt('01234 6789\n\nNext paragraph', 10, 'en')).toBe('01234 6789…');
    expect(plainTextExcerpt('0123 5678\n\nNext paragraph', 10, 'en')).toBe('0123 5678…');
    expect(plainTextExcerpt('One  two  three  four\n\nfive', 18, 'en')).toBe('One two three…');
    expect(plainTextExcerpt('One  two  three  four', 18, 'en')).toBe('One two three four');
  });

  it('returns short text whole', () => {
    expect(plainTextExcerpt('Short **body**.', 160, 'en')).toBe('Short body.');
  });
});

describe('mayContainLink (the linkify pretest)', () => {
  // An untouched linkify with the renderer's options: the pretest may only skip what it would refuse.
  const linkify = markdownIt({ linkify: true }).linkify.set({
    fuzzyLink: false,
    fuzzyIP: false,
    fuzzyEmail: true,
  });
  const pieces = [
    'http',
    'https',
    'ftp',
    'mailto',
    'www.',
    'example',
    '.com',
    '.org',
    '.рф',
    'xn--p1ai',
    '/',
    '\\',
    '.',
    '-',
    '_',
    '(',
    ')',
    '[',
    ']',
    '<',
    '>',
    '\uff5c',
    '"',
    "'",
    ' ',
    '\u00a0',
    '\n',
    'a',
    'Z',
    '9',
    '%',
    '#',
    '?',
    '&',
    '=',
    '~',
    '*',
    '+',
    ',',
    ';',
    '!',
    'localhost',
    '127.0.0.1',
    '[::1]',
    '\u3000',
    '\u2028',
  ];
  const textWithoutMarkers = fc
    .array(fc.constantFrom(...pieces), { maxLength: 40 })
    .map((parts) => parts.join(''))
    .filter((text) => !mayContainLink(text));

  it('says no only to text in which linkify finds no link', () => {
    fc.assert(
      fc.property(fc.oneof(textWithoutMarkers, fc.string({ unit: 'binary', maxLength: 60 })), (text) => {
        if (!mayContainLink(text)) expect(linkify.test(text)).toBe(false);
      }),
      { numRuns: 2_000 },
    );
  });

  it.each([
    'See https://example.org/a',
    'HTTP://EXAMPLE.ORG',
    'ftp://files.example.org',
    'mail desk@example.com',
    'mailto:desk@example.com',
    'a //example.org/x link',
  ])('says yes to %j, in which linkify finds a link', (text) => {
    expect(linkify.test(text)).toBe(true);
    expect(mayContainLink(text)).toBe(true);
  });
});
