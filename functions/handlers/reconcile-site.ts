import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context } from 'aws-lambda';
import { redriveFailures } from '../publishing/redrive';
import type { ReconcileSummary } from '../publishing/site-reconciler';
import { articleEventSinkFromEnv } from '../shared/article-events';
import { failureQueueFromEnv } from '../shared/failure-queue';
import { invalidatorFromEnv } from '../shared/invalidator';
import { logger, metrics } from '../shared/observability';
import { siteFromEnv } from '../shared/site';
import { siteReconcilerFromEnv } from '../shared/site-publishing';
import { loadStreamReader } from '../shared/stream-reader';

const invalidator = invalidatorFromEnv('reconcile');
const reconciler = siteReconcilerFromEnv(invalidator);
const failureQueue = failureQueueFromEnv(loadStreamReader);
// Redrive announces the changes the render function gave up on, as it would have (functions/publishing/redrive.ts).
const announcer = { sink: articleEventSinkFromEnv(), baseUrl: siteFromEnv().baseUrl };

/** Concurrent checks against S3 and DynamoDB; well under both services' per-prefix and per-partition rates. */
const CONCURRENCY = 16;
/** Stop starting new work this long before the function's timeout, so the summary is still returned. */
const TIME_RESERVE_MS = 60_000;
/** The invocation result carries at most this many actions; the log has the counts. */
const ACTIONS_IN_RESULT = 200;

/** `{}` from the daily schedule (an EventBridge event is treated the same), or an operator's choice. */
interface ReconcileEvent {
  readonly dryRun?: boolean;
  readonly redrive?: boolean;
}

function optionsOf(event: unknown): Required<ReconcileEvent> {
  const { dryRun, redrive } = (event ?? {}) as ReconcileEvent;
  return { dryRun: dryRun === true, redrive: redrive === true };
}

function deadline(context: Context): AbortSignal {
  const controller = new AbortController();
  const remaining = context.getRemainingTimeInMillis?.() ?? Number.POSITIVE_INFINITY;
  if (Number.isFinite(remaining))
    setTimeout(() => controller.abort(), Math.max(0, remaining - TIME_RESERVE_MS)).unref();
  return controller.signal;
}

/**
 * Repair in AWS: run daily by an EventBridge rule and on demand (`aws lambda invoke`, docs/deploy.md).
 * Makes the bucket exactly what the table says is public; with `redrive`, also empties the render
 * failure queue once the repair succeeded. An interrupted run (the timeout) is safe and the next one
 * continues.
 */
export const handler = async (event: unknown, context: Context) => {
  logger.addContext(context);
  const { dryRun, redrive } = optionsOf(event);
  const options = { concurrency: CONCURRENCY, dryRun, signal: deadline(context) };
  let repair: ReconcileSummary;
  let redriven:
    | {
        reports: number;
        acknowledged: number;
        pendingInvalidations: number;
        announced: number;
        unannounced: number;
      }
    | undefined;
  if (redrive && failureQueue) {
    const { repair: summary, ...counts } = await redriveFailures(
      failureQueue,
      reconciler,
      invalidator,
      options,
      announcer,
    );
    repair = summary;
    redriven = counts;
  } else {
    repair = await reconciler.reconcile(options);
  }

  const counts = {
    written: repair.actions.filter((action) => action.action === 'write').length,
    deleted: repair.actions.filter((action) => action.action === 'delete').length,
    unchanged: repair.unchanged,
    failed: repair.failures.length,
  };
  logger.info('Reconciled the site with the table', {
    dryRun,
    interrupted: repair.interrupted,
    ...counts,
    redriven,
  });
  if (!dryRun) {
    metrics.addMetric('PagesRepaired', MetricUnit.Count, counts.written + counts.deleted);
    metrics.addMetric('RepairFailures', MetricUnit.Count, counts.failed);
    metrics.publishStoredMetrics();
  }
  return {
    ...repair,
    ...counts,
    actions: repair.actions.slice(0, ACTIONS_IN_RESULT),
    ...(redriven ? { redrive: redriven } : {}),
  };
};
