import type { Article } from '../../functions/domain/article';

/**
 * A published article as the table stores it, for publisher tests: its id and headline follow from
 * `slug`, published 2026-11-27 at 11:00 UTC in Bota, and any field can be overridden.
 */
export function storedArticle(slug: string, overrides: Partial<Article> = {}): Article {
  return {
    id: `01JBBBBBBBBBBBBBBBBBBB${slug.toUpperCase().padStart(4, '0').slice(-4)}`,
    slug,
    previousPaths: [],
    title: `Headline ${slug}`,
    section: 'bota',
    body: 'Body',
    tags: [],
    status: 'published',
    publishedAt: '2026-11-27T11:00:00.000Z',
    createdAt: '2026-11-27T11:00:00.000Z',
    updatedAt: '2026-11-27T11:00:00.000Z',
    version: 1,
    ...overrides,
  };
}
