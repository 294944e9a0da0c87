import { type ArticleEvent, type ArticleEventSink, articleEventFor } from './article-events';
import type { FailureQueue, FailureReport } from './failure-queue';
import { InvalidationFailedError, type Invalidator } from './invalidator';
import type { ReconcileOptions, ReconcileSummary, SiteReconciler } from './site-reconciler';

export interface RedriveSummary {
  /** Reports read from the failure queue. */
  readonly reports: number;
  /** Reports removed: all of them after a clean repair, none otherwise. */
  readonly acknowledged: number;
  readonly pendingInvalidations: number;
  /** Events sent for changes the render function gave up on before announcing them. */
  readonly announced: number;
  /** Reports whose changes could no longer be read (so not announced): past the stream's retention. */
  readonly unannounced: number;
  readonly repair: ReconcileSummary;
}

/** Where redrive announces the changes it repaired, as the render function would have. */
export interface Announcer {
  readonly sink: ArticleEventSink;
  /** The site's public origin, for the events' URLs. */
  readonly baseUrl: string;
  readonly clock?: () => Date;
}

/**
 * Redrives the failure queue. Its reports only say that something failed (a stream batch's coordinates,
 * or paths CloudFront would not invalidate); the table says what the site should be. So redrive repairs
 * the whole site from the table, makes the invalidations left pending, announces the changes the render
 * function gave up on (it announces a change only after rendering it, so none of these was announced;
 * event ids are stable, so a consumer dedupes one sent twice by an interrupted redrive), and removes the
 * reports only when all of that succeeded: a failed or interrupted redrive leaves them for the next one.
 */
export async function redriveFailures(
  queue: FailureQueue,
  reconciler: SiteReconciler,
  invalidator: Invalidator,
  options: Omit<ReconcileOptions, 'dryRun'> & { readonly dryRun?: boolean },
  announcer?: Announcer,
): Promise<RedriveSummary> {
  const reports = await queue.receiveAll();
  const pending = [...new Set(reports.flatMap((report) => report.pendingInvalidations))];
  const repair = await reconciler.reconcile(options);
  const clean = !repair.dryRun && !repair.interrupted && repair.failures.length === 0;
  if (!clean) {
    return {
      reports: reports.length,
      acknowledged: 0,
      pendingInvalidations: pending.length,
      announced: 0,
      unannounced: 0,
      repair,
    };
  }
  if (pending.length > 0) await invalidator.invalidate(pending);
  const { announced, unannounced } = announcer
    ? await announceFailedChanges(queue, reports, announcer)
    : { announced: 0, unannounced: 0 };
  await queue.acknowledge(reports);
  return {
    reports: reports.length,
    acknowledged: reports.length,
    pendingInvalidations: pending.length,
    announced,
    unannounced,
    repair,
  };
}

/** Sends one event per public change the reports stand for, in the order the stream had them. */
async function announceFailedChanges(
  queue: FailureQueue,
  reports: readonly FailureReport[],
  { sink, baseUrl, clock = () => new Date() }: Announcer,
): Promise<{ announced: number; unannounced: number }> {
  const now = clock();
  const events: ArticleEvent[] = [];
  let unannounced = 0;
  for (const report of reports) {
    const changes = await queue.failedChanges(report);
    if (changes === undefined) {
      unannounced += 1;
      continue;
    }
    for (const change of changes) {
      const event = articleEventFor(change.oldImage, change.newImage, baseUrl, now);
      if (event) events.push(event);
    }
  }
  if (events.length > 0) await sink.publish(events);
  return { announced: events.length, unannounced };
}

/**
 * Invalidates, and when CloudFront still refuses after the adapter's retries (a busy distribution),
 * leaves the paths in the failure queue for redrive (which raises the alarm) instead of failing: the
 * pages are written, and rendering them all again would not make CloudFront less busy. Returns whether
 * the invalidation was deferred. Without a queue (or when even the queue refuses) it throws, so the
 * caller's retry keeps the paths.
 */
export async function invalidateOrDefer(
  invalidator: Invalidator,
  queue: FailureQueue | undefined,
  paths: readonly string[],
): Promise<boolean> {
  try {
    await invalidator.invalidate(paths);
    return false;
  } catch (error) {
    if (!(error instanceof InvalidationFailedError) || !queue) throw error;
    await queue.deferInvalidations(error.paths);
    return true;
  }
}
