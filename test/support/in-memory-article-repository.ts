import type { Article, ArticleSummary } from '../../functions/domain/article';
import type {
  ArticleRepository,
  DueArticle,
  LatestPage,
  LatestQuery,
  SlugClaim,
} from '../../functions/domain/article-repository';
import type { CursorKey } from '../../functions/domain/cursor';
import { isStoredInstant } from '../../functions/domain/instant';
import type { TagMembership, TagMemberships } from '../../functions/publishing/tag-memberships';

/**
 * The ArticleRepository port in memory, with the conditional semantics of the DynamoDB adapter: every
 * write is a single conditional item write that either happens completely or not at all. Stored values
 * are copies (and drop `undefined` like the document client's `removeUndefinedValues`), so a caller
 * mutating what it passed or got back cannot change what is "in the table".
 *
 * Failures can be injected per method (`failNext('insert')`) to exercise the service's recovery paths.
 *
 * Writes through the port (insert, replace) check the storage invariant the DynamoDB indexes rely on:
 * every instant is a stored instant (fixed-width UTC, in range). A write that breaks it throws, so a
 * service bug that would store `+010000-…` or a local offset fails the test that provokes it. Index
 * queries compare those strings, as DynamoDB compares sort keys.
 */

/** Every method of the port (listed, so the fake also compiles against a port that has not grown yet). */
export type RepositoryMethod =
  | 'get'
  | 'getMany'
  | 'getVersions'
  | 'getSlugClaim'
  | 'claimSlug'
  | 'takeOverSlug'
  | 'releaseSlug'
  | 'insert'
  | 'replace'
  | 'remove'
  | 'removeIfExists'
  | 'putRevision'
  | 'getRevisions'
  | 'removeRevisions'
  | 'putTombstones'
  | 'hasTombstone'
  | 'listGonePaths'
  | 'listLatest'
  | 'listPublishedBetween'
  | 'oldestPublishedAt'
  | 'countPublished'
  | 'listDue';

export class InjectedFailure extends Error {
  override name = 'InjectedFailure';
}

function stored<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/** The position of a published article in the `latest` indexes: publication time, then id. */
function latestSortKey(article: Pick<Article, 'publishedAt' | 'id'>): string {
  return `${article.publishedAt}#${article.id}`;
}

function revisionKey(id: string, version: number): string {
  return `${id}#${version}`;
}

const INSTANT_FIELDS = ['publishAt', 'publishedAt', 'createdAt', 'updatedAt'] as const;

export class StorageInvariantViolation extends Error {
  override name = 'StorageInvariantViolation';
}

function checkInstants(article: Article): void {
  for (const field of INSTANT_FIELDS) {
    const value = article[field];
    if (value !== undefined && !isStoredInstant(value)) {
      throw new StorageInvariantViolation(`${field} ${JSON.stringify(value)} is not a stored instant`);
    }
  }
}

function summaryOf(article: Article): ArticleSummary {
  return stored({
    id: article.id,
    slug: article.slug,
    title: article.title,
    summary: article.summary,
    section: article.section,
    author: article.author,
    source: article.source,
    tags: article.tags,
    imageUrl: article.imageUrl,
    imageAlt: article.imageAlt,
    imageWidth: article.imageWidth,
    imageHeight: article.imageHeight,
    featured: article.featured,
    updatedAt: article.updatedAt,
    // Projected into the list indexes, as functions/store/table-design.ts does.
    ...(article.corrections ? { corrections: article.corrections } : {}),
    previousPaths: article.previousPaths,
    version: article.version,
    publishedAt: article.publishedAt as string,
  });
}

export class InMemoryArticleRepository implements ArticleRepository {
  private readonly articles = new Map<string, Article>();
  private readonly claims = new Map<string, SlugClaim>();
  /** Tombstones: the paths of deleted articles, with the article that left each. */
  private readonly tombstones = new Map<string, string>();
  /** Snapshots by `<id>#<version>`, as the table keys them apart from articles. */
  private readonly revisions = new Map<string, Article>();
  private readonly pendingFailures: { method: RepositoryMethod; error: Error }[] = [];
  private readonly pendingInterleavings: { method: RepositoryMethod; action: () => void | Promise<void> }[] =
    [];
  /** Every call made, in order, by method name: lets tests check what the service did (or did not) do. */
  readonly calls: RepositoryMethod[] = [];

  /** The next call of `method` throws `error` (once); queued failures are consumed in order. */
  failNext(method: RepositoryMethod, error: Error = new InjectedFailure(`injected ${method} failure`)): this {
    this.pendingFailures.push({ method, error });
    return this;
  }

  /**
   * Runs `action` just before the next call of `method` does its work (once): plays a concurrent writer
   * that gets in between the service's read and its conditional write.
   */
  interleave(method: RepositoryMethod, action: () => void | Promise<void>): this {
    this.pendingInterleavings.push({ method, action });
    return this;
  }

  // Test-side access to the "table", bypassing conditions and failure injection.

  storedArticle(id: string): Article | undefined {
    const article = this.articles.get(id);
    return article && stored(article);
  }

  storedClaim(slug: string): SlugClaim | undefined {
    const claim = this.claims.get(slug);
    return claim && { ...claim };
  }

  /** Every claim, sorted by slug. */
  allClaims(): SlugClaim[] {
    return [...this.claims.values()]
      .map((claim) => ({ ...claim }))
      .sort((a, b) => a.slug.localeCompare(b.slug));
  }

  /** The versions of an article whose snapshots are stored, oldest first. */
  storedRevisionVersions(id: string): number[] {
    return [...this.revisions.values()]
      .filter((revision) => revision.id === id)
      .map((revision) => revision.version)
      .sort((a, b) => a - b);
  }

  seedRevision(article: Article): void {
    this.revisions.set(revisionKey(article.id, article.version), stored(article));
  }

  articleCount(): number {
    return this.articles.size;
  }

  /** Puts an article (and optionally claims) as they would be after some earlier history. */
  seedArticle(article: Article): void {
    this.articles.set(article.id, stored(article));
  }

  seedClaim(claim: SlugClaim): void {
    this.claims.set(claim.slug, { ...claim });
  }

  // The port.

  async get(id: string): Promise<Article | undefined> {
    await this.enter('get');
    const article = this.articles.get(id);
    return article && stored(article);
  }

  async getMany(ids: readonly string[]): Promise<ReadonlyMap<string, Article>> {
    await this.enter('getMany');
    const found = new Map<string, Article>();
    for (const id of ids) {
      const article = this.articles.get(id);
      if (article) found.set(id, stored(article));
    }
    return found;
  }

  async getVersions(ids: readonly string[]): Promise<ReadonlyMap<string, number>> {
    await this.enter('getVersions');
    const versions = new Map<string, number>();
    for (const id of ids) {
      const article = this.articles.get(id);
      if (article) versions.set(id, article.version);
    }
    return versions;
  }

  async getSlugClaim(slug: string): Promise<SlugClaim | undefined> {
    await this.enter('getSlugClaim');
    const claim = this.claims.get(slug);
    return claim && { ...claim };
  }

  async claimSlug(claim: SlugClaim): Promise<SlugClaim | undefined> {
    await this.enter('claimSlug');
    if (!isStoredInstant(claim.claimedAt)) {
      throw new StorageInvariantViolation(
        `claimedAt ${JSON.stringify(claim.claimedAt)} is not a stored instant`,
      );
    }
    const holder = this.claims.get(claim.slug);
    if (holder) return { ...holder };
    this.claims.set(claim.slug, { ...claim });
    return undefined;
  }

  async takeOverSlug(claim: SlugClaim, fromArticleId: string): Promise<boolean> {
    await this.enter('takeOverSlug');
    if (this.claims.get(claim.slug)?.articleId !== fromArticleId) return false;
    this.claims.set(claim.slug, { ...claim });
    return true;
  }

  async releaseSlug(slug: string, articleId: string): Promise<void> {
    await this.enter('releaseSlug');
    if (this.claims.get(slug)?.articleId === articleId) this.claims.delete(slug);
  }

  async insert(article: Article): Promise<void> {
    await this.enter('insert');
    checkInstants(article);
    if (this.articles.has(article.id)) {
      const error = new Error('The conditional request failed');
      error.name = 'ConditionalCheckFailedException';
      throw error;
    }
    this.articles.set(article.id, stored(article));
  }

  async replace(article: Article, expectedVersion: number): Promise<boolean> {
    await this.enter('replace');
    checkInstants(article);
    if (this.articles.get(article.id)?.version !== expectedVersion) return false;
    this.articles.set(article.id, stored(article));
    return true;
  }

  async remove(id: string, expectedVersion: number): Promise<boolean> {
    await this.enter('remove');
    if (this.articles.get(id)?.version !== expectedVersion) return false;
    this.articles.delete(id);
    return true;
  }

  async removeIfExists(id: string): Promise<Article | undefined> {
    await this.enter('removeIfExists');
    const article = this.articles.get(id);
    this.articles.delete(id);
    return article && stored(article);
  }

  async putRevision(article: Article): Promise<void> {
    await this.enter('putRevision');
    // No instant check: a snapshot is what was stored, even from before the range rule, and is in no index.
    this.revisions.set(revisionKey(article.id, article.version), stored(article));
  }

  async getRevisions(id: string, versions: readonly number[]): Promise<ReadonlyMap<number, Article>> {
    await this.enter('getRevisions');
    const found = new Map<number, Article>();
    for (const version of versions) {
      const revision = this.revisions.get(revisionKey(id, version));
      if (revision) found.set(version, stored(revision));
    }
    return found;
  }

  async removeRevisions(id: string, versions: readonly number[]): Promise<void> {
    await this.enter('removeRevisions');
    for (const version of versions) this.revisions.delete(revisionKey(id, version));
  }

  async putTombstones(paths: readonly string[], articleId: string): Promise<void> {
    await this.enter('putTombstones');
    for (const path of paths) this.tombstones.set(path, articleId);
  }

  async hasTombstone(path: string): Promise<boolean> {
    await this.enter('hasTombstone');
    return this.tombstones.has(path);
  }

  async listGonePaths(): Promise<readonly string[]> {
    await this.enter('listGonePaths');
    const paths = new Set(this.tombstones.keys());
    for (const article of this.articles.values()) {
      if (article.publishedAt === undefined || article.status === 'published') continue;
      paths.add(`/${article.section}/${article.slug}`);
      for (const path of article.previousPaths) paths.add(path);
    }
    return [...paths];
  }

  /** The tombstones written, by path: the id of the article that left each. */
  storedTombstones(): ReadonlyMap<string, string> {
    return new Map(this.tombstones);
  }

  async listLatest(query: LatestQuery): Promise<LatestPage> {
    await this.enter('listLatest');
    const after = query.startKey === undefined ? undefined : String(query.startKey.position);
    const matching = this.published()
      .filter((article) => query.section === undefined || article.section === query.section)
      .filter((article) => after === undefined || latestSortKey(article) < after);
    const page = matching.slice(0, query.limit);
    const last = page.at(-1);
    const nextKey: CursorKey | undefined =
      matching.length > page.length && last ? { position: latestSortKey(last) } : undefined;
    return { items: page.map(summaryOf), ...(nextKey ? { nextKey } : {}) };
  }

  async listPublishedBetween(from: string, to: string): Promise<readonly ArticleSummary[]> {
    await this.enter('listPublishedBetween');
    return this.published()
      .filter((article) => (article.publishedAt as string) >= from && (article.publishedAt as string) < to)
      .map(summaryOf);
  }

  async oldestPublishedAt(from?: string): Promise<string | undefined> {
    await this.enter('oldestPublishedAt');
    const published = this.published().filter(
      (article) => from === undefined || (article.publishedAt as string) >= from,
    );
    return published.at(-1)?.publishedAt;
  }

  async countPublished(): Promise<number> {
    await this.enter('countPublished');
    return this.published().length;
  }

  async listDue(now: string, limit: number): Promise<readonly DueArticle[]> {
    await this.enter('listDue');
    return [...this.articles.values()]
      .filter((article) => article.status === 'scheduled' && article.publishAt !== undefined)
      .filter((article) => (article.publishAt as string) <= now)
      .sort((a, b) => `${a.publishAt}#${a.id}`.localeCompare(`${b.publishAt}#${b.id}`))
      .slice(0, limit)
      .map((article) => ({ id: article.id, version: article.version }));
  }

  /** What the sparse `latest` index holds: published articles, newest first (publication time, then id). */
  private published(): Article[] {
    return [...this.articles.values()]
      .filter((article) => article.status === 'published' && article.publishedAt !== undefined)
      .sort((a, b) => latestSortKey(b).localeCompare(latestSortKey(a)));
  }

  private async enter(method: RepositoryMethod): Promise<void> {
    this.calls.push(method);
    const failureIndex = this.pendingFailures.findIndex((failure) => failure.method === method);
    if (failureIndex !== -1) {
      const [failure] = this.pendingFailures.splice(failureIndex, 1);
      if (failure) throw failure.error;
    }
    const interleavingIndex = this.pendingInterleavings.findIndex((step) => step.method === method);
    if (interleavingIndex !== -1) {
      const [step] = this.pendingInterleavings.splice(interleavingIndex, 1);
      await step?.action();
    }
  }
}

export type TagMembershipsMethod = 'put' | 'remove' | 'listTagged' | 'listAll';

/**
 * The TagMemberships port in memory, with the DynamoDB adapter's conditions: a put `ifNotNewer` leaves a
 * membership of a newer article version alone, a remove `upToVersion` one of a newer version. Failures
 * can be injected per method, and the "table" edited behind the port's back, as a hand or a bug would.
 */
export class InMemoryTagMemberships implements TagMemberships {
  /** Memberships by `<slug>#<id>`. */
  private readonly items = new Map<string, TagMembership>();
  private readonly pendingFailures: TagMembershipsMethod[] = [];
  readonly calls: TagMembershipsMethod[] = [];

  failNext(method: TagMembershipsMethod): this {
    this.pendingFailures.push(method);
    return this;
  }

  async put(article: Article, slugs: Iterable<string>, options: { readonly ifNotNewer: boolean }) {
    this.enter('put');
    if (article.publishedAt === undefined) return;
    for (const slug of new Set(slugs)) {
      const current = this.items.get(`${slug}#${article.id}`);
      if (options.ifNotNewer && current && current.entry.version > article.version) continue;
      this.items.set(`${slug}#${article.id}`, { slug, articleId: article.id, entry: summaryOf(article) });
    }
  }

  async remove(articleId: string, slugs: Iterable<string>, upToVersion?: number): Promise<void> {
    this.enter('remove');
    for (const slug of new Set(slugs)) {
      const current = this.items.get(`${slug}#${articleId}`);
      if (current && (upToVersion === undefined || current.entry.version <= upToVersion)) {
        this.items.delete(`${slug}#${articleId}`);
      }
    }
  }

  async listTagged(slug: string, limit: number): Promise<readonly ArticleSummary[]> {
    this.enter('listTagged');
    return [...this.items.values()]
      .filter((item) => item.slug === slug)
      .map((item) => stored(item.entry))
      .sort((a, b) => latestSortKey(b).localeCompare(latestSortKey(a)))
      .slice(0, limit);
  }

  async listAll(): Promise<readonly TagMembership[]> {
    this.enter('listAll');
    return [...this.items.values()].map(stored);
  }

  // Test-side access, bypassing conditions and failure injection.

  /** `<slug>#<id>` → version of each membership, sorted by key. */
  stored(): Record<string, number> {
    return Object.fromEntries(
      [...this.items.entries()]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([key, item]) => [key, item.entry.version]),
    );
  }

  storedEntry(slug: string, articleId: string): ArticleSummary | undefined {
    const item = this.items.get(`${slug}#${articleId}`);
    return item && stored(item.entry);
  }

  /** Writes (or with `undefined` deletes) a membership directly, as a hand or a bug would. */
  setStored(slug: string, articleId: string, entry: ArticleSummary | undefined): void {
    if (entry === undefined) this.items.delete(`${slug}#${articleId}`);
    else this.items.set(`${slug}#${articleId}`, { slug, articleId, entry: stored(entry) });
  }

  private enter(method: TagMembershipsMethod): void {
    this.calls.push(method);
    const index = this.pendingFailures.indexOf(method);
    if (index !== -1) {
      this.pendingFailures.splice(index, 1);
      throw new InjectedFailure(`injected tag memberships ${method} failure`);
    }
  }
}
