import type { Article, ArticleSummary } from '../domain/article';

/**
 * The port of the articles-by-tag list: one derived "membership" item per tag of each live article
 * (DynamoDB: `TAG#<slug>#<id>` in the articles table, in the sparse `LatestByTag` index; see
 * docs/data-model.md). The render stream keeps them (SitePublisher.applyChange), repair rebuilds them
 * (SiteReconciler); the API's write path never touches them, so an edit costs the editor nothing more.
 *
 * Every write is idempotent, because the stream retries a failed batch from its first failure.
 */

/** What repair lists of each membership: enough to tell a missing, stale or orphan one. */
export interface TagMembership {
  readonly slug: string;
  readonly articleId: string;
  /** The list entry the membership holds (its `version` is the article's it was written from). */
  readonly entry: ArticleSummary;
}

export interface TagMemberships {
  /**
   * Puts a membership for each of a live article's tags (by slug). From the stream, `ifNotNewer`: a
   * membership written from a newer version of the article is left alone, so an older record replayed
   * after it never wins. Repair overwrites (and checks the article again afterwards).
   */
  put(article: Article, slugs: Iterable<string>, options: { readonly ifNotNewer: boolean }): Promise<void>;
  /**
   * Deletes the memberships of one article under `slugs`; with `upToVersion`, only those written from that
   * version of the article or an older one. A missing membership is no error.
   */
  remove(articleId: string, slugs: Iterable<string>, upToVersion?: number): Promise<void>;
  /** The newest `limit` articles carrying a tag, newest first: one query of one index partition. */
  listTagged(slug: string, limit: number): Promise<readonly ArticleSummary[]>;
  /** Every membership: repair's one read of the whole (sparse) index. */
  listAll(): Promise<readonly TagMembership[]>;
}
