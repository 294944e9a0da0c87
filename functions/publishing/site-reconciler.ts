import { type Article, articlePath, isLive } from '../domain/article';
import type { ArticleRepository } from '../domain/article-repository';
import type { CursorKey } from '../domain/cursor';
import {
  articlePathOfKey,
  type LiveArticleRef,
  livePageObject,
  liveRedirectObjects,
  type ProvenancedObject,
  type RedirectObject,
  redirectPageObject,
} from '../render/site-objects';
import type { Invalidator } from './invalidator';
import type { PageStore } from './page-store';
import { runConcurrently } from './run-concurrently';
import type { SitePublisher } from './site-publisher';

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
 * - invalidates the paths of pages it overwrote or deleted, and only those.
 *
 * Every decision about one path is taken again from strongly consistent reads just before acting (the
 * index may lag behind the table), and checked once more after acting: a change committed meanwhile may
 * have been rendered by the stream before this write landed, in which case the path is settled again.
 * So repair never undoes a newer publish or takedown, and running it twice, or interrupting it, is safe.
 */

export type RepairReason = 'missing' | 'stale' | 'forced' | 'withdrawn' | 'unknown';

export interface RepairAction {
  readonly action: 'write' | 'delete';
  readonly key: string;
  readonly reason: RepairReason;
}

export interface ReconcileProgress {
  readonly done: number;
  readonly total: number;
  readonly failed: number;
}

export interface ReconcileOptions {
  readonly concurrency: number;
  /** Only report what would change. */
  readonly dryRun?: boolean;
  /** Re-render every page, current or not (after a template change): `npm run rerender`. */
  readonly force?: boolean;
  /** Articles read per page of the `Latest` index. */
  readonly pageSize?: number;
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

/** Expected from the index listing: re-checked against the table before anything is written. */
type ExpectedObject = Pick<ProvenancedObject, 'path' | 'provenance'>;

/** A decision that keeps being overtaken by new changes is left to the stream and the next run. */
const MAX_SETTLE_ATTEMPTS = 3;

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

export class SiteReconciler {
  constructor(
    private readonly articles: Pick<ArticleRepository, 'listLatest' | 'get' | 'getSlugClaim'>,
    private readonly pages: PageStore,
    private readonly publisher: SitePublisher,
    private readonly invalidator: Invalidator,
  ) {}

  async reconcile(options: ReconcileOptions): Promise<ReconcileSummary> {
    const dryRun = options.dryRun ?? false;
    this.publisher.startBatch();
    const expected = await this.expectedPages(options.pageSize ?? 200);
    const siteKeys = await this.publisher.siteObjectKeys();
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

    const act = async (key: string, present: boolean, reason: RepairReason) => {
      const path = articlePathOfKey(key);
      if (path === undefined) {
        // Not a page the table can explain (an old month's sitemap, a removed section, a planted file).
        actions.push({ action: 'delete', key, reason });
        if (!dryRun) await this.pages.delete(key);
        invalidationPaths.add(`/${key}`);
        return;
      }
      const desired = await this.desiredAt(path);
      if (desired === undefined && !present) return;
      actions.push({ action: desired ? 'write' : 'delete', key, reason: desired ? reason : 'withdrawn' });
      if (dryRun) return;
      await this.settle(path, key, desired);
      if (present) for (const stale of [path, `/${key}`]) invalidationPaths.add(stale);
    };

    const check = async (key: string) => {
      try {
        const wanted = expected.get(key);
        const present = listed.has(key);
        if (wanted === undefined) await act(key, present, 'unknown');
        else if (!present) await act(key, false, 'missing');
        else if (options.force) await act(key, true, 'forced');
        else if (!sameProvenance(await this.pages.provenance(key), wanted.provenance)) {
          await act(key, true, 'stale');
        } else unchanged += 1;
      } catch (error) {
        failures.push({ key, error: error instanceof Error ? error.message : String(error) });
      }
      done += 1;
      report();
    };

    report();
    await runConcurrently([...expected.keys(), ...unexplained], options.concurrency, check, options.signal);
    const interrupted = options.signal?.aborted ?? false;

    const missingIndexObjects = [...siteKeys].filter((key) => !listed.has(key));
    let indexObjects = 0;
    if (!dryRun && !interrupted) {
      // Lists are re-read after the repairs, so no feed or sitemap names an article that is gone.
      this.publisher.startBatch();
      await this.publisher.renderAllIndexes();
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
  private async expectedPages(pageSize: number): Promise<Map<string, ExpectedObject>> {
    const expected = new Map<string, ExpectedObject>();
    let startKey: CursorKey | undefined;
    do {
      const page = await this.articles.listLatest({ limit: pageSize, startKey });
      for (const entry of page.items as readonly LiveArticleRef[]) {
        for (const redirect of liveRedirectObjects(entry)) {
          if (!expected.has(redirect.key)) expected.set(redirect.key, redirect);
        }
        const live = livePageObject(entry);
        if (articlePathOfKey(live.key) !== undefined) expected.set(live.key, live);
      }
      startKey = page.nextKey;
    } while (startKey);
    return expected;
  }

  /**
   * What the table says belongs at an article-shaped path now, from strongly consistent reads: the page
   * of the live article whose path it is, a redirect if it is one of a live article's earlier paths,
   * or nothing. Slugs stay claimed by their article across slug and section changes, so the claim of
   * the path's slug names the only article that can own it.
   */
  private async desiredAt(path: string): Promise<Desired> {
    const claim = await this.articles.getSlugClaim(slugOfPath(path));
    const article = claim && (await this.articles.get(claim.articleId));
    if (!article || !isLive(article)) return undefined;
    const target = articlePath(article);
    if (target === path) return { kind: 'page', article };
    if (article.previousPaths.includes(path)) {
      return { kind: 'redirect', article, redirect: redirectPageObject(path, target) };
    }
    return undefined;
  }

  /** Makes `key` hold what the table wants, then checks the table did not move on meanwhile. */
  private async settle(path: string, key: string, first: Desired): Promise<void> {
    let desired = first;
    for (let attempt = 1; attempt <= MAX_SETTLE_ATTEMPTS; attempt += 1) {
      if (desired === undefined) await this.pages.delete(key);
      else if (desired.kind === 'page') await this.publisher.putArticlePage(desired.article);
      else await this.publisher.putRedirectPage(desired.redirect, desired.article.title);
      const now = await this.desiredAt(path);
      if (sameDesired(desired, now)) return;
      desired = now;
    }
    throw new Error(`${path} kept changing while it was repaired; the next run settles it`);
  }
}
