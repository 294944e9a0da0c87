import { type Article, articlePath, isLive } from '../domain/article';
import { isArticlePath } from '../render/site-paths';

/**
 * The edge routes store: what the viewer-request function (functions/edge/url-rewrite.js) answers for
 * an article URL before the bucket is asked. A key is an article path; its value is either the path the
 * article lives at now (→ 301) or `gone` (→ 410). A path the store does not hold is served from the
 * bucket as before, so the store only ever needs the exceptions: old paths of live articles and every
 * path of a withdrawn one. In AWS it is a CloudFront KeyValueStore
 * (functions/adapters/cloudfront-key-value-store.ts), locally a JSON file (local/file-edge-routes.ts).
 *
 * This module is pure: it plans what a change means for the store and what the whole store should hold;
 * the publisher and the reconciler write through the `EdgeRoutesStore` port.
 */

/** The value of a withdrawn article's path; url-rewrite.js compares with the same word. */
export const GONE = 'gone';

/** A target path (a moved article) or `GONE`. */
export type EdgeRoute = string;

export interface EdgeRoutesChange {
  readonly puts: ReadonlyMap<string, EdgeRoute>;
  readonly deletes: readonly string[];
}

export interface EdgeRoutesStore {
  /**
   * Puts and deletes in one step. Deleting a key the store does not hold is not an error. Throws
   * `EdgeRoutesFullError` when the store has no room left for the puts.
   */
  apply(change: EdgeRoutesChange): Promise<void>;
  /** Every entry (repair reads the whole store: at most 5 MB in AWS). */
  entries(): Promise<ReadonlyMap<string, EdgeRoute>>;
}

/** The store is full (CloudFront KeyValueStore: 5 MB): the bucket's redirect pages stand in. */
export class EdgeRoutesFullError extends Error {
  override name = 'EdgeRoutesFullError';
}

export const NO_CHANGE: EdgeRoutesChange = { puts: new Map(), deletes: [] };

export function isEmptyChange(change: EdgeRoutesChange): boolean {
  return change.puts.size === 0 && change.deletes.length === 0;
}

/** Every article-shaped path an article has answered at: its current one and its earlier ones. */
function pathsOf(article: Pick<Article, 'section' | 'slug' | 'previousPaths'>): string[] {
  return [...new Set([articlePath(article), ...article.previousPaths])].filter(isArticlePath);
}

function sameStrings(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((value, index) => value === b[index]);
}

/** The entries a live article needs: each earlier path straight to the current one (chains collapse). */
export function liveRoutes(
  article: Pick<Article, 'section' | 'slug' | 'previousPaths'>,
): Map<string, string> {
  const current = articlePath(article);
  const routes = new Map<string, string>();
  if (!isArticlePath(current)) return routes;
  for (const path of article.previousPaths) {
    // A path that is current again is live, never a redirect to itself.
    if (path !== current && isArticlePath(path)) routes.set(path, current);
  }
  return routes;
}

/**
 * What one article change (a stream record's old and new images) means for the store. Pure.
 * - live after: every earlier path → the current path, and the current path leaves the store (it may
 *   have been gone, or an old path of this article); written when the article went live, moved, or its
 *   earlier paths changed; an edit in place writes nothing.
 * - live before, not after (unpublish, schedule again, delete): every path of the article → gone.
 */
export function planEdgeRoutes(
  oldImage: Article | undefined,
  newImage: Article | undefined,
): EdgeRoutesChange {
  const before = oldImage !== undefined && isLive(oldImage) ? oldImage : undefined;
  const after = newImage !== undefined && isLive(newImage) ? newImage : undefined;

  if (after !== undefined) {
    const current = articlePath(after);
    const unchanged =
      before !== undefined &&
      articlePath(before) === current &&
      sameStrings(before.previousPaths, after.previousPaths);
    if (unchanged || !isArticlePath(current)) return NO_CHANGE;
    return { puts: liveRoutes(after), deletes: [current] };
  }

  if (before !== undefined) {
    const paths = new Set([...pathsOf(before), ...(newImage ? pathsOf(newImage) : [])]);
    return { puts: new Map([...paths].map((path) => [path, GONE])), deletes: [] };
  }
  return NO_CHANGE;
}

/** What the table says about the site, as repair reads it. */
export interface EdgeRoutesFacts {
  /** Live articles (from the `Latest` index): their current and earlier paths. */
  readonly live: Iterable<Pick<Article, 'section' | 'slug' | 'previousPaths'>>;
  /** Paths of withdrawn articles and tombstones of deleted ones. */
  readonly gone: Iterable<string>;
}

/**
 * Exactly what the store should hold. A live path never has an entry (a tombstone or a withdrawn
 * article never wins over a live article at that path: a released slug can be taken again), and a
 * redirect wins over gone (a path a live article still answers for).
 */
export function desiredEdgeRoutes(facts: EdgeRoutesFacts): Map<string, EdgeRoute> {
  const livePaths = new Set<string>();
  const desired = new Map<string, EdgeRoute>();
  for (const article of facts.live) {
    livePaths.add(articlePath(article));
    for (const [path, target] of liveRoutes(article)) desired.set(path, target);
  }
  for (const path of facts.gone) {
    if (isArticlePath(path) && !desired.has(path)) desired.set(path, GONE);
  }
  for (const path of livePaths) desired.delete(path);
  return desired;
}

/** The change that turns `current` into `desired`. */
export function edgeRoutesDiff(
  current: ReadonlyMap<string, EdgeRoute>,
  desired: ReadonlyMap<string, EdgeRoute>,
): EdgeRoutesChange {
  const puts = new Map<string, EdgeRoute>();
  for (const [path, route] of desired) if (current.get(path) !== route) puts.set(path, route);
  const deletes = [...current.keys()].filter((path) => !desired.has(path));
  return { puts, deletes };
}

/**
 * What one path should hold according to strongly consistent reads: `article` is the holder of the
 * path's slug claim (the only article that can own the path), `tombstoned` whether a deleted article
 * left a tombstone there. Undefined: no entry.
 */
export function edgeRouteAt(
  path: string,
  article: Article | undefined,
  tombstoned: boolean,
): EdgeRoute | undefined {
  if (article !== undefined && pathsOf(article).includes(path)) {
    if (isLive(article)) return liveRoutes(article).get(path);
    if (article.publishedAt !== undefined) return GONE;
  }
  return tombstoned ? GONE : undefined;
}

/** Where no store is configured (unit tests, tools): nothing to keep in step. */
export const noEdgeRoutes: EdgeRoutesStore = {
  apply: async () => undefined,
  entries: async () => new Map(),
};
