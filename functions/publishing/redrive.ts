import type { FailureQueue } from './failure-queue';
import { InvalidationFailedError, type Invalidator } from './invalidator';
import type { ReconcileOptions, ReconcileSummary, SiteReconciler } from './site-reconciler';

export interface RedriveSummary {
  /** Reports read from the failure queue. */
  readonly reports: number;
  /** Reports removed: all of them after a clean repair, none otherwise. */
  readonly acknowledged: number;
  readonly pendingInvalidations: number;
  readonly repair: ReconcileSummary;
}

/**
 * Redrives the failure queue. Its reports only say that something failed (a stream batch's coordinates,
 * or paths CloudFront would not invalidate); the table says what the site should be. So redrive repairs
 * the whole site from the table, makes the invalidations left pending, and removes the reports only
 * when all of that succeeded: a failed or interrupted redrive leaves them for the next one.
 */
export async function redriveFailures(
  queue: FailureQueue,
  reconciler: SiteReconciler,
  invalidator: Invalidator,
  options: Omit<ReconcileOptions, 'dryRun'> & { readonly dryRun?: boolean },
): Promise<RedriveSummary> {
  const reports = await queue.receiveAll();
  const pending = [...new Set(reports.flatMap((report) => report.pendingInvalidations))];
  const repair = await reconciler.reconcile(options);
  const clean = !repair.dryRun && !repair.interrupted && repair.failures.length === 0;
  if (!clean)
    return { reports: reports.length, acknowledged: 0, pendingInvalidations: pending.length, repair };
  if (pending.length > 0) await invalidator.invalidate(pending);
  await queue.acknowledge(reports);
  return {
    reports: reports.length,
    acknowledged: reports.length,
    pendingInvalidations: pending.length,
    repair,
  };
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
