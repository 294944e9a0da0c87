import pLimit, { type LimitFunction } from 'p-limit';
import { type Article, type ArticleSummary, articlePath, isLive } from '../domain/article';
import type { ArticleRepository } from '../domain/article-repository';
import type { CursorKey } from '../domain/cursor';
import { tagSlugsOf } from '../domain/tags';
import { redirectTarget } from '../render/redirect-page';
import {
  articlePathOfKey,
  type LiveArticleRef,
  livePageObject,
  liveRedirectObjects,
  type ProvenancedObject,
  type RedirectObject,
  redirectPageObject,
} from '../render/site-objects';
import { TABLE_DESIGN } from '../store/table-design';
import {
  desiredEdgeRoutes,
  type EdgeRoute,
  type EdgeRoutesStore,
  edgeRouteAt,
  edgeRoutesDiff,
  isEmptyChange,
} from './edge-routes';
import type { Invalidator } from './invalidator';
import type { PageStore } from './page-store';
import { runConcurrently } from './run-concurrently';
import type { SitePublisher } from './site-publisher';
import type { TagMembership, TagMemberships } from './tag-memberships';

/**
 * Repair: makes the bucket exactly what the table says is public, whatever happened before (a crash,
 * a change that ended in the failure queue, a hand-deleted object, a planted one).
 *
 * It lists the live articles (the sparse `Latest` index, no Scan) and the bucket, then
 * - writes every article or redirect page that is missing, or stale: its stored provenance (article
 *   version, redirect target) differs from the table's, so nothing is downloaded or rendered to compare;
 * - deletes every object the table does not explain: pages of withdrawn or deleted articles, their
 *   redirects, sitemaps of months without articles, anything planted;
 * - re-renders every index object (home, sections, feeds, sitemaps, latest.json, 404, robots.txt), so no
 *   list names an article that is gone;
 * - makes the edge routes store (the 301s and 410s answered at the edge) exactly what the table says:
 *   live articles' earlier paths to their current one, withdrawn articles' paths and tombstones gone,
 *   nothing for a live path (functions/publishing/edge-routes.ts);
 * - invalidates the paths of pages it overwrote or deleted, and only those.
 *
 * Every decision is taken again from strongly consistent reads just before acting (the index may lag
 * behind the table), and checked once more after acting: a change committed meanwhile may have been
 * rendered by the stream before this write landed, in which case the path is settled again. So repair
 * never undoes a newer publish or takedown, and running it twice, or interrupting it, is safe.
 *
 * The reads are batched: the listed articles are taken a batch at a time (up to 100, one BatchGetItem),
 * read once before their pages are written, their versions once after, and only the paths whose article
 * changed in between are settled again one by one. Reading the article alone decides a path it wants (its page, or
 * a redirect at one of its earlier paths): the article holds the claim of every slug in those paths for
 * as long as it exists (a claim is taken over only from an article that is gone), so no other article
 * can want them. A path its listed article no longer wants, and anything else in the bucket, is decided
 * from the claim of the path's slug, which names the only article that can own it.
 */

export type RepairReason = 'missing' | 'stale' | 'forced' | 'withdrawn' | 'unknown';

export interface RepairAction {
  readonly action: 'write' | 'delete';
  /** An S3 object key, or `edge-route:<path>` for an entry of the edge routes store. */
  readonly key: string;
  readonly reason: RepairReason;
}

export interface ReconcileProgress {
  readonly done: number;
  readonly total: number;
  readonly failed: number;
}

/** Renders and writes pages: the publisher in-process, or a pool of worker threads (render-worker-pool.ts). */
export type PageWriter = Pick<SitePublisher, 'putArticlePage' | 'putRedirectPage'>;

export interface ReconcileOptions {
  /** Pages checked, rendered or written at once. */
  readonly concurrency: number;
  /** Only report what would change. */
  readonly dryRun?: boolean;
  /** Re-render every page, current or not (after a template change): `npm run rerender`. */
  readonly force?: boolean;
  /** Articles read per page of the `Latest` index. */
  readonly pageSize?: number;
  /** Renders and writes the pages instead of the publisher, e.g. on several cores; index objects stay. */
  readonly writer?: PageWriter;
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: ReconcileProgress) => void;
}

export interface ReconcileSummary {
  readonly dryRun: boolean;
  readonly interrupted: boolean;
  /** Live articles in the table. */
  readonly liveArticles: number;
  /** Objects in the bucket before repair. */
  readonly objectsListed: number;
  /** Article and redirect pages checked and found current. */
  readonly unchanged: number;
  /** What was done, or in a dry run what would be. */
  readonly actions: readonly RepairAction[];
  readonly failures: readonly { readonly key: string; readonly error: string }[];
  /** Index objects rendered (all of them, unless dry or interrupted). */
  readonly indexObjects: number;
  /** Index objects the bucket lacks (what a dry run reports; a real run renders every one anyway). */
  readonly missingIndexObjects: readonly string[];
  readonly invalidationPaths: readonly string[];
}

/** What belongs at one article-shaped path according to the table. */
type Desired =
  | { readonly kind: 'page'; readonly article: Article }
  | { readonly kind: 'redirect'; readonly article: Article; readonly redirect: RedirectObject }
  | undefined;

/** Expected from the index listing, with the article it comes from: re-checked before anything is written. */
type ExpectedObject = Pick<ProvenancedObject, 'path' | 'provenance'> & { readonly articleId: string };

/** The pages of up to `BATCH_SIZE` listed articles: read, written and verified together. */
interface Batch {
  readonly articleIds: readonly string[];
  readonly keys: readonly string[];
}

/** A key that needs writing or deleting, and why. */
interface Pending {
  readonly key: string;
  readonly present: boolean;
  readonly reason: RepairReason;
}

/** A key written, and from what: checked against the table once the batch's writes are done. */
interface Written {
  readonly key: string;
  readonly path: string;
  readonly desired: Desired;
}

/** A decision that keeps being overtaken by new changes is left to the stream and the next run. */
const MAX_SETTLE_ATTEMPTS = 3;
/** Articles per batch: BatchGetItem's 100 keys, so each batch is one read before and one after. */
const BATCH_SIZE = 100;
/** Batches under way at once, so one batch's reads overlap the writes of the others. */
const BATCHES_IN_FLIGHT = 3;

function sameDesired(a: Desired, b: Desired): boolean {
  if (a === undefined || b === undefined) return a === b;
  return (
    a.kind === b.kind &&
    a.article.id === b.article.id &&
    a.article.version === b.article.version &&
    (a.kind !== 'redirect' || b.kind !== 'redirect' || a.redirect.targetPath === b.redirect.targetPath)
  );
}

function sameProvenance(
  stored: Readonly<Record<string, string>> | undefined,
  expected: Readonly<Record<string, string>>,
): boolean {
  return stored !== undefined && Object.entries(expected).every(([name, value]) => stored[name] === value);
}

function slugOfPath(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** What `article` (read strongly consistently) puts at `path`: its page, a redirect, or nothing. */
function desiredOf(article: Article | undefined, path: string): Desired {
  if (!article || !isLive(article)) return undefined;
  const target = articlePath(article);
  if (target === path) return { kind: 'page', article };
  if (article.previousPaths.includes(path)) {
    return { kind: 'redirect', article, redirect: redirectPageObject(path, target) };
  }
  return undefined;
}

/** An article's entry in a list index (the projection of functions/store/table-design.ts). */
function summaryEntry(article: Article): ArticleSummary {
  const entry: Record<string, unknown> = {};
  for (const name of TABLE_DESIGN.indexes.latestByTag.projectedAttributes) {
    const value = (article as unknown as Record<string, unknown>)[name];
    if (value !== undefined) entry[name] = value;
  }
  return entry as unknown as ArticleSummary;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The edge routes store and the table reads its repair needs besides the reconciler's own. */
export interface EdgeRoutesRepair {
  readonly store: EdgeRoutesStore;
  readonly table: Pick<ArticleRepository, 'listGonePaths' | 'hasTombstone'>;
}

export const EDGE_ROUTE_KEY_PREFIX = 'edge-route:';
/** Actions on tag memberships are reported as `tag-membership:<slug>#<article id>`. */
export const TAG_MEMBERSHIP_KEY_PREFIX = 'tag-membership:';

/** JSON with object keys sorted: two list entries compare equal whatever order the store gave them in. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    inner !== null && typeof inner === 'object' && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => a.localeCompare(b)))
      : inner,
  );
}

export class SiteReconciler {
  constructor(
    private readonly articles: Pick<
      ArticleRepository,
      'listLatest' | 'get' | 'getMany' | 'getVersions' | 'getSlugClaim'
    >,
    private readonly pages: PageStore,
    private readonly publisher: SitePublisher,
    private readonly invalidator: Invalidator,
    /** Without it (tools that only render), the edge routes store is left alone. */
    private readonly edgeRoutes?: EdgeRoutesRepair,
    /** The tag lists (functions/publishing/tag-memberships.ts); without it they are left alone. */
    private readonly tagMemberships?: TagMemberships,
  ) {}

  async reconcile(options: ReconcileOptions): Promise<ReconcileSummary> {
    const dryRun = options.dryRun ?? false;
    const writer = options.writer ?? this.publisher;
    const signal = options.signal;
    this.publisher.startBatch();
    const live: LiveArticleRef[] = [];
    const expected = await this.expectedPages(options.pageSize ?? 200, live);
    // Repair keeps exactly the tag pages of the tags live articles carry.
    const liveTags = new Set(
      live.flatMap((entry) => [...tagSlugsOf(entry as { readonly tags?: readonly string[] })]),
    );
    const siteKeys = await this.publisher.siteObjectKeys(liveTags);
    const listed = new Set<string>();
    for await (const object of this.pages.list()) listed.add(object.key);

    const actions: RepairAction[] = [];
    const failures: { key: string; error: string }[] = [];
    const invalidationPaths = new Set<string>();
    let unchanged = 0;
    let done = 0;

    const unexplained = [...listed].filter((key) => !expected.has(key) && !siteKeys.has(key));
    const total = expected.size + unexplained.length;
    const report = () => options.onProgress?.({ done, total, failed: failures.length });
    const finished = (key: string, error?: unknown) => {
      if (error !== undefined) failures.push({ key, error: errorMessage(error) });
      done += 1;
      report();
    };
    // Every check, write and delete of a page goes through this, whichever batch it belongs to.
    const limit: LimitFunction = pLimit(Math.max(1, options.concurrency));
    /** Runs `task` for each item under the limit; once `signal` aborts, items not yet started are skipped. */
    const each = <T>(items: readonly T[], task: (item: T) => Promise<void>) =>
      Promise.all(items.map((item) => limit(async () => (signal?.aborted ? undefined : task(item)))));

    /** Records the action for `key` and carries it out: `desired`, or a delete when nothing is. */
    const apply = async (pending: Pending, path: string, desired: Desired): Promise<boolean> => {
      if (desired === undefined && !pending.present) return false;
      actions.push({
        action: desired ? 'write' : 'delete',
        key: pending.key,
        reason: desired ? pending.reason : 'withdrawn',
      });
      if (dryRun) return false;
      await this.put(writer, pending.key, desired);
      if (pending.present) for (const stale of [path, `/${pending.key}`]) invalidationPaths.add(stale);
      return true;
    };

    /** Which of a batch's keys need acting on; the others are current (counted as done). */
    const pendingOf = async (keys: readonly string[]): Promise<Pending[]> => {
      const pending: Pending[] = [];
      const present = keys.filter((key) => listed.has(key));
      for (const key of keys) if (!listed.has(key)) pending.push({ key, present: false, reason: 'missing' });
      if (options.force) {
        for (const key of present) pending.push({ key, present: true, reason: 'forced' });
        return pending;
      }
      await each(present, async (key) => {
        try {
          const wanted = expected.get(key) as ExpectedObject;
          if (sameProvenance(await this.pages.provenance(key), wanted.provenance)) {
            unchanged += 1;
            finished(key);
          } else pending.push({ key, present: true, reason: 'stale' });
        } catch (error) {
          finished(key, error);
        }
      });
      return pending;
    };

    const repairBatch = async (batch: Batch): Promise<void> => {
      const pending = await pendingOf(batch.keys);
      if (pending.length === 0 || signal?.aborted) return;
      const ids = [...new Set(pending.map(({ key }) => (expected.get(key) as ExpectedObject).articleId))];
      let before: ReadonlyMap<string, Article>;
      try {
        before = await this.articles.getMany(ids);
      } catch (error) {
        for (const { key } of pending) finished(key, error);
        return;
      }

      const written: Written[] = [];
      await each(pending, async (item) => {
        const path = articlePathOfKey(item.key) as string;
        try {
          const article = before.get((expected.get(item.key) as ExpectedObject).articleId);
          const desired = desiredOf(article, path) ?? (await this.desiredAt(path));
          if (await apply(item, path, desired)) written.push({ key: item.key, path, desired });
          finished(item.key);
        } catch (error) {
          finished(item.key, error);
        }
      });
      // Also after an interruption: what was written must not outlive a takedown that raced it.
      await this.verify(written, writer, limit, (key, error) => {
        failures.push({ key, error: errorMessage(error) });
        report();
      });
    };

    /** An object no listed article explains: decided, and checked after acting, path by path. */
    const repairUnexplained = async (key: string): Promise<void> => {
      try {
        const path = articlePathOfKey(key);
        if (path === undefined) {
          // Not a page the table can explain (an old month's sitemap, a removed section, a planted file).
          actions.push({ action: 'delete', key, reason: 'unknown' });
          if (!dryRun) await this.pages.delete(key);
          invalidationPaths.add(`/${key}`);
        } else {
          const desired = await this.desiredAt(path);
          if (await apply({ key, present: true, reason: 'unknown' }, path, desired)) {
            await this.settleFrom(writer, path, key, desired, await this.desiredAt(path));
          }
        }
        finished(key);
      } catch (error) {
        finished(key, error);
      }
    };

    report();
    await runConcurrently(this.batchesOf(expected), BATCHES_IN_FLIGHT, repairBatch, signal);
    await each(unexplained, repairUnexplained);
    if (this.edgeRoutes && !signal?.aborted) {
      try {
        actions.push(...(await this.repairEdgeRoutes(this.edgeRoutes, live, dryRun, limit)));
      } catch (error) {
        failures.push({ key: EDGE_ROUTE_KEY_PREFIX, error: errorMessage(error) });
      }
    }
    if (this.tagMemberships && !signal?.aborted) {
      try {
        actions.push(...(await this.repairTagMemberships(this.tagMemberships, live, dryRun)));
      } catch (error) {
        failures.push({ key: TAG_MEMBERSHIP_KEY_PREFIX, error: errorMessage(error) });
      }
    }
    const interrupted = signal?.aborted ?? false;

    const missingIndexObjects = [...siteKeys].filter((key) => !listed.has(key));
    let indexObjects = 0;
    if (!dryRun && !interrupted) {
      // Lists are re-read after the repairs, so no feed or sitemap names an article that is gone.
      this.publisher.startBatch();
      await this.publisher.renderAllIndexes(liveTags);
      indexObjects = siteKeys.size;
    }

    // After a forced re-render every page changed: one wildcard is cheaper than a path per page.
    const paths = options.force && !interrupted ? ['/*'] : [...invalidationPaths];
    if (!dryRun && paths.length > 0) await this.invalidator.invalidate(paths);

    return {
      dryRun,
      interrupted,
      liveArticles: [...expected.values()].filter((object) => 'article-version' in object.provenance).length,
      objectsListed: listed.size,
      unchanged,
      actions,
      failures,
      indexObjects,
      missingIndexObjects,
      invalidationPaths: dryRun ? [] : paths,
    };
  }

  /** Every article and redirect page the `Latest` index says should exist, by object key. */
  private async expectedPages(
    pageSize: number,
    live: LiveArticleRef[],
  ): Promise<Map<string, ExpectedObject>> {
    const expected = new Map<string, ExpectedObject>();
    let startKey: CursorKey | undefined;
    do {
      const page = await this.articles.listLatest({ limit: pageSize, startKey });
      for (const entry of page.items as readonly LiveArticleRef[]) {
        live.push(entry);
        for (const { key, path, provenance } of liveRedirectObjects(entry)) {
          if (!expected.has(key)) expected.set(key, { path, provenance, articleId: entry.id });
        }
        const { key, path, provenance } = livePageObject(entry);
        if (articlePathOfKey(key) !== undefined) expected.set(key, { path, provenance, articleId: entry.id });
      }
      startKey = page.nextKey;
    } while (startKey);
    return expected;
  }

  /**
   * The edge routes store made what the table says. The listing (an index that may lag) and one Scan for
   * withdrawn articles and tombstones propose the changes; each path to change is decided again from
   * strongly consistent reads (its slug's claim, the claiming article, a tombstone), and once more after
   * the write, so that a publish or takedown committed meanwhile is not undone: the stream may have
   * written its entry before this write landed.
   */
  private async repairEdgeRoutes(
    { store, table }: EdgeRoutesRepair,
    live: readonly LiveArticleRef[],
    dryRun: boolean,
    limit: LimitFunction,
  ): Promise<RepairAction[]> {
    const current = await store.entries();
    const proposed = edgeRoutesDiff(current, desiredEdgeRoutes({ live, gone: await table.listGonePaths() }));
    const paths = [...proposed.puts.keys(), ...proposed.deletes];
    if (paths.length === 0) return [];

    const decide = async (candidates: readonly string[]) => {
      const decided = new Map<string, EdgeRoute>();
      await Promise.all(
        candidates.map((path) =>
          limit(async () => {
            const claim = await this.articles.getSlugClaim(slugOfPath(path));
            const article = claim && (await this.articles.get(claim.articleId));
            const route = edgeRouteAt(path, article, await table.hasTombstone(path));
            if (route !== undefined) decided.set(path, route);
          }),
        ),
      );
      return decided;
    };
    const only = (routes: ReadonlyMap<string, EdgeRoute>, keys: readonly string[]) =>
      new Map(keys.flatMap((key) => (routes.has(key) ? [[key, routes.get(key) as EdgeRoute] as const] : [])));

    const decided = await decide(paths);
    const change = edgeRoutesDiff(only(current, paths), decided);
    const actions: RepairAction[] = [
      ...[...change.puts.keys()].map((path) => ({
        action: 'write' as const,
        key: `${EDGE_ROUTE_KEY_PREFIX}${path}`,
        reason: current.has(path) ? ('stale' as const) : ('missing' as const),
      })),
      ...change.deletes.map((path) => ({
        action: 'delete' as const,
        key: `${EDGE_ROUTE_KEY_PREFIX}${path}`,
        reason: 'unknown' as const,
      })),
    ];
    if (dryRun || isEmptyChange(change)) return actions;
    await store.apply(change);

    const touched = [...change.puts.keys(), ...change.deletes];
    const settled = edgeRoutesDiff(only(decided, touched), await decide(touched));
    if (!isEmptyChange(settled)) await store.apply(settled);
    return actions;
  }

  /**
   * The tag memberships made what the table says: one for each tag of each live article, holding its
   * current list entry, and no other. The listing (an index that may lag) and one Scan of the sparse
   * `LatestByTag` index (memberships only) name the articles whose memberships look wrong; each of those
   * is read strongly consistently and its memberships rewritten from it, then its version is read once
   * more, and an article that changed meanwhile (the stream may have written its memberships before ours
   * landed) is settled again from a fresh read.
   */
  private async repairTagMemberships(
    memberships: TagMemberships,
    live: readonly LiveArticleRef[],
    dryRun: boolean,
  ): Promise<RepairAction[]> {
    const existing = new Map<string, TagMembership[]>();
    const stored = new Map<string, TagMembership>();
    for (const membership of await memberships.listAll()) {
      stored.set(`${membership.slug}#${membership.articleId}`, membership);
      existing.set(membership.articleId, [...(existing.get(membership.articleId) ?? []), membership]);
    }
    const suspects = new Set<string>();
    const wanted = new Set<string>();
    for (const entry of live) {
      for (const slug of tagSlugsOf(entry as { readonly tags?: readonly string[] })) {
        const key = `${slug}#${entry.id}`;
        wanted.add(key);
        const membership = stored.get(key);
        if (!membership || canonicalJson(membership.entry) !== canonicalJson(entry)) suspects.add(entry.id);
      }
    }
    for (const [key, membership] of stored) if (!wanted.has(key)) suspects.add(membership.articleId);
    if (suspects.size === 0) return [];

    const actions: RepairAction[] = [];
    /** Rewrites one article's memberships from what `article` (read strongly consistently) says. */
    const sync = async (id: string, article: Article | undefined, record: boolean): Promise<void> => {
      const slugs = article && isLive(article) ? tagSlugsOf(article) : new Set<string>();
      const had = existing.get(id) ?? [];
      const orphans = had.filter((membership) => !slugs.has(membership.slug)).map(({ slug }) => slug);
      const stale = article
        ? [...slugs].filter((slug) => {
            const membership = stored.get(`${slug}#${id}`);
            return !membership || canonicalJson(membership.entry) !== canonicalJson(summaryEntry(article));
          })
        : [];
      if (record) {
        for (const slug of stale) {
          const reason = stored.has(`${slug}#${id}`) ? ('stale' as const) : ('missing' as const);
          actions.push({ action: 'write', key: `${TAG_MEMBERSHIP_KEY_PREFIX}${slug}#${id}`, reason });
        }
        for (const slug of orphans) {
          const reason = article && isLive(article) ? ('unknown' as const) : ('withdrawn' as const);
          actions.push({ action: 'delete', key: `${TAG_MEMBERSHIP_KEY_PREFIX}${slug}#${id}`, reason });
        }
      }
      if (dryRun) return;
      if (article && stale.length > 0) await memberships.put(article, stale, { ifNotNewer: false });
      if (orphans.length > 0) await memberships.remove(id, orphans);
    };

    let pending = [...suspects];
    for (let attempt = 1; pending.length > 0; attempt += 1) {
      if (attempt > MAX_SETTLE_ATTEMPTS) {
        throw new Error(
          `the tag memberships of ${pending.join(', ')} kept changing; the next run settles them`,
        );
      }
      const read = await this.articles.getMany(pending);
      for (const id of pending) await sync(id, read.get(id), attempt === 1);
      if (dryRun) break;
      const versions = await this.articles.getVersions(pending);
      const moved = pending.filter((id) => versions.get(id) !== read.get(id)?.version);
      // What was written is what the next attempt starts from: every slug of the article may stand now.
      for (const id of moved) {
        const article = read.get(id);
        const written = article && isLive(article) ? [...tagSlugsOf(article)] : [];
        existing.set(id, [
          ...(existing.get(id) ?? []),
          ...written.map((slug) => ({ slug, articleId: id, entry: summaryEntry(article as Article) })),
        ]);
        for (const slug of written) stored.delete(`${slug}#${id}`);
      }
      pending = moved;
    }
    return actions;
  }

  /** The expected keys grouped by article, in listing order, `BATCH_SIZE` articles a batch. */
  private *batchesOf(expected: ReadonlyMap<string, ExpectedObject>): Generator<Batch> {
    const keysByArticle = new Map<string, string[]>();
    for (const [key, { articleId }] of expected) {
      const keys = keysByArticle.get(articleId);
      if (keys) keys.push(key);
      else keysByArticle.set(articleId, [key]);
    }
    let batch: { articleIds: string[]; keys: string[] } = { articleIds: [], keys: [] };
    for (const [articleId, keys] of keysByArticle) {
      batch.articleIds.push(articleId);
      batch.keys.push(...keys);
      if (batch.articleIds.length === BATCH_SIZE) {
        yield batch;
        batch = { articleIds: [], keys: [] };
      }
    }
    if (batch.articleIds.length > 0) yield batch;
  }

  /**
   * What the table says belongs at an article-shaped path now, from strongly consistent reads: the page
   * of the live article whose path it is, a redirect if it is one of a live article's earlier paths,
   * or nothing. Slugs stay claimed by their article across slug and section changes, so the claim of
   * the path's slug names the only article that can own it.
   */
  private async desiredAt(path: string): Promise<Desired> {
    const claim = await this.articles.getSlugClaim(slugOfPath(path));
    return desiredOf(claim && (await this.articles.get(claim.articleId)), path);
  }

  private async put(writer: PageWriter, key: string, desired: Desired): Promise<void> {
    if (desired === undefined) await this.pages.delete(key);
    else if (desired.kind === 'page') await writer.putArticlePage(desired.article);
    else await writer.putRedirectPage(desired.redirect, redirectTarget(desired.article));
  }

  /**
   * The check after a batch's writes: one read of the written articles' versions (a version changes with
   * every change), and each path whose article moved on meanwhile (an edit, a takedown the stream may
   * already have applied) is decided and settled again on its own.
   */
  private async verify(
    written: readonly Written[],
    writer: PageWriter,
    limit: LimitFunction,
    fail: (key: string, error: unknown) => void,
  ): Promise<void> {
    if (written.length === 0) return;
    const ids = written.flatMap(({ desired }) => (desired ? [desired.article.id] : []));
    let versions: ReadonlyMap<string, number>;
    try {
      versions = await this.articles.getVersions([...new Set(ids)]);
    } catch (error) {
      for (const { key } of written) fail(key, error);
      return;
    }
    await Promise.all(
      written.map(({ key, path, desired }) => {
        if (desired && versions.get(desired.article.id) === desired.article.version) return undefined;
        return limit(async () => {
          try {
            await this.settleFrom(writer, path, key, desired, await this.desiredAt(path));
          } catch (error) {
            fail(key, error);
          }
        });
      }),
    );
  }

  /**
   * `written` is in place and `now` is what the table wants: when they differ, writes what it wants and
   * checks again, path by path, until the table stops moving.
   */
  private async settleFrom(
    writer: PageWriter,
    path: string,
    key: string,
    written: Desired,
    now: Desired,
  ): Promise<void> {
    let [current, wanted] = [written, now];
    for (let attempt = 1; !sameDesired(current, wanted); attempt += 1) {
      if (attempt === MAX_SETTLE_ATTEMPTS) {
        throw new Error(`${path} kept changing while it was repaired; the next run settles it`);
      }
      await this.put(writer, key, wanted);
      [current, wanted] = [wanted, await this.desiredAt(path)];
    }
  }
}
