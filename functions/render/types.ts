import type { Article } from '../domain/article';

/**
 * What every list (home, section pages, "Latest news", feeds, sitemaps) needs of a published article.
 * Structurally the same as the domain's list type, so either can be passed; `publishedAt` is required
 * because only published articles are ever listed.
 */
export type ArticleSummary = Pick<
  Article,
  | 'id'
  | 'slug'
  | 'title'
  | 'summary'
  | 'section'
  | 'author'
  | 'source'
  | 'tags'
  | 'imageUrl'
  | 'imageAlt'
  | 'updatedAt'
> & { readonly publishedAt: string };
