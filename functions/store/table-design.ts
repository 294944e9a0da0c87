/**
 * The articles table: one DynamoDB table, keyed by a single string `pk`, with four sparse global
 * secondary indexes. This module is the single description of that design: the CDK construct, the local
 * provisioner and the repository adapter all read it, so the three can never drift apart.
 * See docs/data-model.md for the access patterns and the throughput reasoning.
 */

export interface IndexDesign {
  readonly indexName: string;
  readonly partitionKey: string;
  readonly sortKey: string;
  /** Non-key attributes copied into the index (INCLUDE projection). */
  readonly projectedAttributes: readonly string[];
}

/** What a list entry (home page, section page, feeds, `/api/latest`) needs, and nothing heavier. */
const LIST_ATTRIBUTES = [
  'id',
  'slug',
  'title',
  'summary',
  'section',
  'author',
  'source',
  'tags',
  'imageUrl',
  'imageAlt',
  // Each entry of a list, feed or news sitemap is marked with its own language.
  'language',
  // A thumbnail's box is reserved by the image's shape, and the home page leads with a featured story.
  'imageWidth',
  'imageHeight',
  'featured',
  'publishedAt',
  'updatedAt',
  // Feeds and sitemaps date an article by its last correction and show the notes. Bounded (50 of at most
  // 1,000 characters each, functions/domain/corrections.ts) and absent on uncorrected articles.
  'corrections',
  // Small, and what repair needs to tell which pages and redirects should exist, and whether each is current.
  'previousPaths',
  'version',
] as const;

/** How each kind of item's `pk` begins; the stream filter and the adapter both rely on it. */
export const ITEM_KEY_PREFIXES = {
  article: 'ARTICLE#',
  slugClaim: 'SLUG#',
  /**
   * `GONE#<path>`: a deleted article's path, which must keep answering 410 (the edge routes store's
   * repair reads them); written before the article is removed, never in an index, never a page.
   */
  gone: 'GONE#',
  /** `REVISION#<id>#<version>`: a superseded version's snapshot; in no index, and no page. */
  revision: 'REVISION#',
  /**
   * `TAG#<slug>#<id>`: a live article's membership in a tag's list, derived by the render stream and
   * repair (functions/publishing/tag-memberships.ts); in `LatestByTag` only, and never a page itself.
   */
  tagMembership: 'TAG#',
} as const;

export const TABLE_DESIGN = {
  partitionKey: 'pk',
  /** Powertools idempotency records expire through this attribute (epoch seconds); DynamoDB TTL reads it. */
  timeToLiveAttribute: 'expiration',
  indexes: {
    /** Every published article, newest first: `latestPk` is the constant `PUBLISHED`. */
    latest: {
      indexName: 'Latest',
      partitionKey: 'latestPk',
      sortKey: 'latestSk',
      projectedAttributes: LIST_ATTRIBUTES,
    },
    /** Published articles of one section, newest first: `sectionPk` is `SECTION#<slug>`. */
    latestBySection: {
      indexName: 'LatestBySection',
      partitionKey: 'sectionPk',
      sortKey: 'sectionSk',
      projectedAttributes: LIST_ATTRIBUTES,
    },
    /** Live articles carrying one tag, newest first: `tagPk` is `TAG#<tag slug>`, on membership items only. */
    latestByTag: {
      indexName: 'LatestByTag',
      partitionKey: 'tagPk',
      sortKey: 'tagSk',
      projectedAttributes: LIST_ATTRIBUTES,
    },
    /** Scheduled articles by the time they go live: `schedulePk` is the constant `SCHEDULED`. */
    dueForPublication: {
      indexName: 'DueForPublication',
      partitionKey: 'schedulePk',
      sortKey: 'scheduleSk',
      projectedAttributes: ['id', 'version', 'publishAt'],
    },
  },
} as const satisfies {
  partitionKey: string;
  timeToLiveAttribute: string;
  indexes: Record<string, IndexDesign>;
};

export const ALL_INDEXES: readonly IndexDesign[] = Object.values(TABLE_DESIGN.indexes);
