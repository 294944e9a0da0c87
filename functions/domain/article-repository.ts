import type { Article, ArticleSummary } from './article';
import type { CursorKey } from './cursor';

/**
 * The storage port of the article service. The DynamoDB adapter implements it for real; unit tests use
 * an in-memory fake. Every write is a single conditional item write: the DynamoDB emulator has no
 * transactions, so multi-item changes are ordered so that a failure part-way leaves nothing a reader sees
 * in an inconsistent state (see ArticleService).
 *
 * Implementations turn "storage cannot be reached or is overloaded" into the domain's
 * `storageUnavailable()` AppError (a 503), so the service can tell an outage, after which a write may or
 * may not have happened, from every other failure. Instants passed in and out are stored instants
 * (functions/domain/instant.ts): fixed-width UTC strings, whose string order is their time order.
 */

export interface SlugClaim {
  readonly slug: string;
  readonly articleId: string;
  readonly claimedAt: string;
}

export interface LatestQuery {
  readonly section?: string;
  readonly limit: number;
  readonly startKey?: CursorKey;
}

export interface LatestPage {
  readonly items: readonly ArticleSummary[];
  /** Present when more items may follow. */
  readonly nextKey?: CursorKey;
}

export interface DueArticle {
  readonly id: string;
  readonly version: number;
}

export interface ArticleRepository {
  get(id: string): Promise<Article | undefined>;
  /**
   * Articles by id, each read strongly consistently, in as few requests as the store allows (DynamoDB:
   * BatchGetItem, 100 keys a request): what repair decides from, a listing page at a time. Ids with no
   * article are absent from the map.
   */
  getMany(ids: readonly string[]): Promise<ReadonlyMap<string, Article>>;
  /**
   * The current version of each article, read like `getMany` but nothing else of it: how repair checks,
   * after writing a batch of pages, that none of their articles changed meanwhile.
   */
  getVersions(ids: readonly string[]): Promise<ReadonlyMap<string, number>>;
  getSlugClaim(slug: string): Promise<SlugClaim | undefined>;
  /** Claims a free slug; returns the current holder's claim instead when the slug is taken. */
  claimSlug(claim: SlugClaim): Promise<SlugClaim | undefined>;
  /** Re-assigns a claim, only if it still names `fromArticleId`; false when someone else got there first. */
  takeOverSlug(claim: SlugClaim, fromArticleId: string): Promise<boolean>;
  /** Releases a claim held by `articleId`; a claim held by another article is left alone. */
  releaseSlug(slug: string, articleId: string): Promise<void>;
  /** Writes a new article; fails if the id exists. */
  insert(article: Article): Promise<void>;
  /** Replaces an article if its stored version is `expectedVersion`; false when it is not (or is gone). */
  replace(article: Article, expectedVersion: number): Promise<boolean>;
  /** Deletes an article if its stored version is `expectedVersion`; false otherwise. */
  remove(id: string, expectedVersion: number): Promise<boolean>;
  /** Deletes an article whatever its version; returns the article as it was deleted, if there was one. */
  removeIfExists(id: string): Promise<Article | undefined>;
  /**
   * Keeps `article` as the snapshot of its version (functions/domain/revisions.ts). Unconditional and
   * idempotent: a version's content never changes, so two writers of the same snapshot write the same
   * item. Never an article item: a snapshot is in no index and makes no page.
   */
  putRevision(article: Article): Promise<void>;
  /** The snapshots of `versions` of an article that exist, by version, read strongly consistently. */
  getRevisions(id: string, versions: readonly number[]): Promise<ReadonlyMap<number, Article>>;
  /** Deletes the snapshots of `versions` of an article; missing ones are no error. */
  removeRevisions(id: string, versions: readonly number[]): Promise<void>;
  /**
   * Writes a tombstone (`GONE#<path>`) for each path of an article about to be deleted, so that the
   * table still says those URLs are gone once the article is (edge routes repair). Idempotent; a
   * tombstone never wins over a live article at its path, so a released slug can be taken again.
   */
  putTombstones(paths: readonly string[], articleId: string): Promise<void>;
  /** Whether a tombstone stands at `path`, read strongly consistently. */
  hasTombstone(path: string): Promise<boolean>;
  /**
   * Every path the table says is gone: each path of an article that was published and is not live now,
   * and every tombstone. One Scan of the table (these are in no index): for repair only.
   */
  listGonePaths(): Promise<readonly string[]>;
  /** Published articles, newest first, from a sparse index: one query per page. */
  listLatest(query: LatestQuery): Promise<LatestPage>;
  /**
   * Published articles with `from <= publishedAt < to` (ISO strings), newest first, every page read:
   * for bounded windows only (the last 48 hours, one month).
   */
  listPublishedBetween(from: string, to: string): Promise<readonly ArticleSummary[]>;
  /**
   * When the oldest published article was published, if any; with `from` (an ISO instant), the oldest
   * published at or after it. One single-item query either way.
   */
  oldestPublishedAt(from?: string): Promise<string | undefined>;
  /** How many articles are published (a count over the `Latest` index, for progress reporting). */
  countPublished(): Promise<number>;
  /** Scheduled articles whose `publishAt` is at or before `now`, oldest first. */
  listDue(now: string, limit: number): Promise<readonly DueArticle[]>;
}
