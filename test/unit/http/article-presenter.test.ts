import { describe, expect, it } from 'vitest';
import { DEFAULT_SITE, type SiteConfig } from '../../../functions/config/site';
import type { Article, ArticleSummary } from '../../../functions/domain/article';
import { presentArticle, presentSummary } from '../../../functions/http/article-presenter';

const site: SiteConfig = { ...DEFAULT_SITE, baseUrl: 'https://news.example.com' };

const article: Article = {
  id: '01JQ7Z9K3M4N5P6Q7R8S9TVWXY',
  slug: 'rutte-nato',
  previousPaths: ['/bota/old-slug'],
  title: 'Rutte: US is fully committed to NATO',
  section: 'bota',
  body: 'Body',
  summary: 'Summary',
  author: 'Jane Doe',
  tags: ['nato'],
  status: 'published',
  publishedAt: '2026-03-01T12:00:00.000Z',
  createdAt: '2026-03-01T11:00:00.000Z',
  updatedAt: '2026-03-01T12:00:00.000Z',
  version: 3,
};

describe('presentArticle', () => {
  it('returns every field plus the absolute URL of the page', () => {
    expect(presentArticle(article, site)).toEqual({
      ...article,
      corrections: [],
      featured: false,
      url: 'https://news.example.com/bota/rutte-nato',
    });
  });

  it('says featured as a boolean: true when the article carries the flag', () => {
    expect(presentArticle({ ...article, featured: true }, site).featured).toBe(true);
  });

  it('returns the corrections as stored, oldest first', () => {
    const corrections = [
      { at: '2026-03-01T13:00:00.000Z', note: 'An earlier version misspelled the name.' },
      { at: '2026-03-02T08:00:00.000Z', note: 'The summit is in The Hague, not Brussels.' },
    ];
    expect(presentArticle({ ...article, corrections }, site).corrections).toEqual(corrections);
  });
});

describe('presentSummary', () => {
  const summary: ArticleSummary = {
    id: article.id,
    slug: article.slug,
    title: article.title,
    summary: 'Summary',
    section: 'bota',
    author: 'Jane Doe',
    tags: ['nato'],
    imageUrl: 'https://images.example.com/a.jpg',
    imageAlt: 'Alt',
    updatedAt: article.updatedAt,
    previousPaths: [],
    version: 3,
    publishedAt: '2026-03-01T12:00:00.000Z',
  };

  it('keeps only what a headline list needs', () => {
    expect(presentSummary(summary, site)).toEqual({
      id: article.id,
      slug: 'rutte-nato',
      title: article.title,
      summary: 'Summary',
      section: 'bota',
      language: site.language,
      publishedAt: '2026-03-01T12:00:00.000Z',
      url: 'https://news.example.com/bota/rutte-nato',
    });
  });

  it("gives the article's own language, and the newsroom's for an article without one", () => {
    expect(presentSummary({ ...summary, language: 'sq-AL' }, site).language).toBe('sq-AL');
    expect(presentSummary({ ...summary, language: undefined }, { ...site, language: 'sq' }).language).toBe(
      'sq',
    );
  });

  it('gives a missing summary as null, so the field is always present', () => {
    const presented = presentSummary({ ...summary, summary: undefined }, site);
    expect(presented.summary).toBeNull();
    expect(JSON.parse(JSON.stringify(presented))).toHaveProperty('summary', null);
  });
});
