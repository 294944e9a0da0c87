/**
 * The article as the newsroom and the readers know it. Pure data and rules: no SDK, no I/O.
 */

/** `review`: submitted by a contributor for an editor to publish; like a draft, never live. */
export const ARTICLE_STATUSES = ['draft', 'review', 'scheduled', 'published', 'unpublished'] as const;
export type ArticleStatus = (typeof ARTICLE_STATUSES)[number];

/** A correction readers are told of: when the article was put right, and what was wrong. */
export interface ArticleCorrection {
  /** When it was made (ISO 8601, UTC): the `updatedAt` of the version that carried it. */
  readonly at: string;
  /** Plain text, shown as it is: never read as Markdown or HTML. */
  readonly note: string;
}

export interface Article {
  /** ULID: unique and sortable by creation time. */
  readonly id: string;
  /** Current URL slug, unique across the site. */
  readonly slug: string;
  /**
   * Root-relative paths the article's page had before a slug or section change; each keeps working as a
   * redirect to the current page, and their slugs stay claimed by this article.
   */
  readonly previousPaths: readonly string[];
  readonly title: string;
  readonly section: string;
  /** Markdown source. */
  readonly body: string;
  readonly summary?: string;
  readonly author?: string;
  /** Agency or source credit shown after the body, e.g. `REL`. */
  readonly source?: string;
  readonly tags: readonly string[];
  readonly imageUrl?: string;
  readonly imageAlt?: string;
  /**
   * BCP 47 language of the article's copy, one with a page-chrome catalogue (functions/domain/language.ts);
   * absent: the newsroom's. Drives the page's `lang`, its labels and dates, and every feed and sitemap
   * entry of the article.
   */
  readonly language?: string;
  /** One line shown under the photo on the article's page. */
  readonly imageCaption?: string;
  /** Who took or owns the photo, shown as "Photo: <credit>". */
  readonly imageCredit?: string;
  /** Intrinsic size of the image in pixels; both or neither, and only with `imageUrl`. */
  readonly imageWidth?: number;
  readonly imageHeight?: number;
  /** Chosen by editors to lead the home page (the newest featured story leads); absent means no. */
  readonly featured?: boolean;
  readonly status: ArticleStatus;
  /** When a scheduled article goes live (ISO 8601, UTC). */
  readonly publishAt?: string;
  /** First publication time (ISO 8601, UTC); kept across unpublish/republish. */
  readonly publishedAt?: string;
  readonly createdAt: string;
  readonly updatedAt: string;
  /** The `sub` of the token that created it; absent on articles written before roles existed. */
  readonly createdBy?: string;
  /**
   * The `sub` of the token that made this version; absent on versions made without a caller (scheduled
   * publication, the newsroom's own tools) or before revisions existed.
   */
  readonly updatedBy?: string;
  /** Starts at 1, +1 on every change; the HTTP ETag. */
  readonly version: number;
  /**
   * Corrections shown to readers, oldest first; only ever appended to (functions/domain/corrections.ts).
   * Absent on articles never corrected.
   */
  readonly corrections?: readonly ArticleCorrection[];
}

/** Root-relative clean URL of an article's page, e.g. `/bota/rutte-us-is-fully-committed-to-nato`. */
export function articlePath(article: Pick<Article, 'section' | 'slug'>): string {
  return `/${article.section}/${article.slug}`;
}

export function isLive(article: Pick<Article, 'status'>): boolean {
  return article.status === 'published';
}

/** What lists (home, sections, feeds, `/api/latest`) know of a published article. */
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
  | 'language'
  // Lists reserve a thumbnail's box by its shape, and the home page leads with a featured story.
  | 'imageWidth'
  | 'imageHeight'
  | 'featured'
  | 'updatedAt'
  // Feeds and sitemaps date an article by its last correction and carry the notes (functions/domain/corrections.ts).
  | 'corrections'
  // The two below are for repair (the reconciler): which pages an article keeps, rendered from which version.
  | 'previousPaths'
  | 'version'
> & { readonly publishedAt: string };
