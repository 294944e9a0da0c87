import { describe, expect, it } from 'vitest';
import { renderArticlePage } from '../../../functions/render/article-page';
import { plainTextExcerpt, renderArticleBody, renderMarkdown } from '../../../functions/render/markdown';
import { article, HOSTILE, hostileArticle, SEED_BODY, SITE } from './support/fixtures';

const BASE = 'https://news.example.com';

const BODIES = [
  SEED_BODY,
  hostileArticle().body,
  '# Heading\n\nSee https://example.org/report, [in](/bota/x) and desk@example.com.\n\n- one\n- two',
  '',
  `${'A long paragraph of words. '.repeat(20)}\n\n![chart](https://img.example.com/c.png)`,
];

describe('renderArticleBody', () => {
  it('gives exactly what renderMarkdown and plainTextExcerpt give, first time and every time after', () => {
    BODIES.forEach((body, index) => {
      const id = `01JYBODY00000000000000000${index}`;
      const expected = {
        html: renderMarkdown(body, BASE, 'en').toString(),
        excerpt: plainTextExcerpt(body, 160, 'en'),
      };
      for (let round = 0; round < 3; round += 1) {
        const rendered = renderArticleBody(id, body, BASE, 160, 'en');
        expect({ html: rendered.html.toString(), excerpt: rendered.excerpt }).toEqual(expected);
      }
    });
  });

  it('reuses the rendering while the body is unchanged', () => {
    const first = renderArticleBody('01JYREUSE', SEED_BODY, BASE, 160, 'en');
    // An equal string that is not the same object, as a new read of the same revision would be.
    const sameText = [...SEED_BODY].join('');
    expect(renderArticleBody('01JYREUSE', sameText, BASE, 160, 'en')).toBe(first);
  });

  it('renders a new version of the body again', () => {
    const before = renderArticleBody('01JYEDIT', 'The first version.', BASE, 160, 'en');
    const after = renderArticleBody('01JYEDIT', 'The second version.', BASE, 160, 'en');
    expect(after.html.toString()).toContain('The second version.');
    expect(after.html.toString()).not.toContain('first');
    expect(after.excerpt).toBe('The second version.');
    expect(before.html.toString()).toContain('The first version.');
  });

  it('never gives one article the body of another, nor a body rendered for another site', () => {
    const a = renderArticleBody('01JYLEAK-A', 'Body of A.', BASE, 160, 'en');
    const b = renderArticleBody('01JYLEAK-B', 'Body of B.', BASE, 160, 'en');
    expect(a.html.toString()).toBe('<p>Body of A.</p>\n');
    expect(b.html.toString()).toBe('<p>Body of B.</p>\n');
    expect(renderArticleBody('01JYLEAK-A', 'Body of A.', BASE, 160, 'en')).toBe(a);

    const link = '[report](https://news.example.com/bota/report)';
    const here = renderArticleBody('01JYLEAK-C', link, BASE, 160, 'en').html.toString();
    const elsewhere = renderArticleBody(
      '01JYLEAK-C',
      link,
      'https://other.example.org',
      160,
      'en',
    ).html.toString();
    expect(here).not.toContain('nofollow');
    expect(elsewhere).toContain('rel="nofollow noopener noreferrer"');
  });

  it('honours the excerpt length asked for', () => {
    const body = 'Word '.repeat(100);
    expect(renderArticleBody('01JYLENGTH', body, BASE, 160, 'en').excerpt).toBe(
      plainTextExcerpt(body, 160, 'en'),
    );
    expect(renderArticleBody('01JYLENGTH', body, BASE, 40, 'en').excerpt).toBe(
      plainTextExcerpt(body, 40, 'en'),
    );
  });
});

describe('renderArticlePage across revisions', () => {
  it('shows the body of the revision it is given, whatever was rendered before', () => {
    const first = renderArticlePage(SITE, article({ body: 'Old text of the story.', version: 1 }), []);
    const second = renderArticlePage(SITE, article({ body: 'New text of the story.', version: 2 }), []);
    // An edit stored without a new version (as tests and repairs may do) is still rendered afresh.
    const third = renderArticlePage(SITE, article({ body: `Changed again ${HOSTILE}`, version: 2 }), []);
    expect(first).toContain('Old text of the story.');
    expect(second).toContain('New text of the story.');
    expect(second).not.toContain('Old text');
    expect(third).toContain('Changed again &lt;/script&gt;');
    expect(third).not.toContain('New text');
  });

  it('renders the same page for the same inputs, cached or not', () => {
    const page = renderArticlePage(SITE, article({ summary: undefined }), []);
    expect(renderArticlePage(SITE, article({ summary: undefined }), [])).toBe(page);
  });
});
