import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { SingleBar } from 'cli-progress';
import type { FailureQueue } from '../functions/publishing/failure-queue';
import { RenderWorkerPool, renderThreadsFor } from '../functions/publishing/render-worker-pool';
import type { ReconcileSummary, RepairAction } from '../functions/publishing/site-reconciler';

/**
 * `npm run reconcile` and `npm run rerender`: repair the site from the table, locally or in AWS.
 *
 * The environment chooses the target. With TABLE_NAME set (or `--aws`) it works on a deployment,
 * configured like the render function: TABLE_NAME, BUCKET_NAME, SITE_BASE_URL and, to refresh the CDN,
 * DISTRIBUTION_ID; FAILURE_QUEUE_URL for `--redrive` (docs/deploy.md shows where each comes from).
 * Otherwise it works on the local stack in DATA_DIR, opening its emulators itself, so stop `npm start`
 * first.
 */

export interface RepairCommand {
  readonly name: string;
  /** Re-render every page, current or not. */
  readonly force: boolean;
}

const USAGE = `options:
  --dry-run          print what would change, change nothing
  --redrive          also empty the render failure queue once the repair succeeded
  --concurrency N    pages checked or rendered at once (1-64, default 8)
  --threads N        worker threads rendering and writing pages (0-64; rerender's default: one per core
                     but one, at most one per page in flight; reconcile's: 0, it writes few pages)
  --aws              work on the deployment named by TABLE_NAME, BUCKET_NAME, ... (implied by TABLE_NAME)`;

/**
 * A re-render writes every page: a thread per spare core (no more than pages in flight) pays for the
 * modules each one loads. A reconcile usually writes a few pages, sooner written in-process.
 */
function defaultRenderThreads(command: RepairCommand, concurrency: number): number {
  return command.force ? Math.min(renderThreadsFor(), concurrency) : 0;
}

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}

export async function runRepairCommand(command: RepairCommand): Promise<never> {
  let values: {
    'dry-run'?: boolean;
    redrive?: boolean;
    aws?: boolean;
    concurrency?: string;
    threads?: string;
    help?: boolean;
  };
  try {
    ({ values } = parseArgs({
      options: {
        'dry-run': { type: 'boolean', default: false },
        redrive: { type: 'boolean', default: false },
        aws: { type: 'boolean', default: false },
        concurrency: { type: 'string', default: '8' },
        threads: { type: 'string' },
        help: { type: 'boolean', default: false },
      },
    }));
  } catch (error) {
    fail(`${(error as Error).message}\n${USAGE}`);
  }
  if (values.help) {
    console.log(`npm run ${command.name} -- [options]\n${USAGE}`);
    process.exit(0);
  }
  const concurrency = Number(values.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) {
    fail('--concurrency must be a whole number from 1 to 64');
  }
  const threads =
    values.threads === undefined ? defaultRenderThreads(command, concurrency) : Number(values.threads);
  if (!Number.isInteger(threads) || threads < 0 || threads > 64) {
    fail('--threads must be a whole number from 0 to 64');
  }
  const dryRun = values['dry-run'] ?? false;
  const againstAws = values.aws || Boolean(process.env.TABLE_NAME);
  // Started first, so the threads load their modules while the data is opened; a dry run writes nothing.
  const pool = threads > 0 && !dryRun ? new RenderWorkerPool(threads) : undefined;

  let stopStack: (() => Promise<void>) | undefined;
  let localFailureQueue: FailureQueue | undefined;
  if (!againstAws) {
    const { startLocalStack, LOCAL_FAILED_RECORDS_FILE } = await import('../local/local-stack');
    const { FileFailureQueue } = await import('../local/file-failure-queue');
    const dataDir = resolve(process.env.DATA_DIR ?? '.data');
    try {
      const stack = await startLocalStack({
        port: 0,
        dataDir,
        seed: false,
        // Pages link to the origin readers use: `npm start`'s.
        publicOrigin: `http://localhost:${Number(process.env.PORT ?? 3000)}`,
      });
      // Changes the local feed still held (a crash) are rendered first, so repair starts from them.
      await stack.drained();
      stopStack = () => stack.stop();
      localFailureQueue = new FileFailureQueue(join(dataDir, LOCAL_FAILED_RECORDS_FILE));
    } catch (error) {
      console.error(`Could not open the local data in ${dataDir}; is \`npm start\` running? Stop it first.`);
      console.error(String(error));
      process.exit(1);
    }
  }

  // Only the compositions repair needs (not the API's), so the command starts sooner.
  const [
    { siteReconcilerFromEnv },
    { invalidatorFromEnv },
    { failureQueueFromEnv },
    { redriveFailures },
    { articleEventSinkFromEnv },
    { siteFromEnv },
    { loadStreamReader },
  ] = await Promise.all([
    import('../functions/shared/site-publishing'),
    import('../functions/shared/invalidator'),
    import('../functions/shared/failure-queue'),
    import('../functions/publishing/redrive'),
    import('../functions/shared/article-events'),
    import('../functions/shared/site'),
    import('../functions/shared/stream-reader'),
  ]);
  const invalidator = invalidatorFromEnv(command.name);
  const reconciler = siteReconcilerFromEnv(invalidator);
  const failureQueue = localFailureQueue ?? failureQueueFromEnv(loadStreamReader);
  // Redrive announces the changes the render function gave up on (EVENT_BUS_NAME in AWS, DATA_DIR locally).
  const announcer = { sink: articleEventSinkFromEnv(), baseUrl: siteFromEnv().baseUrl };
  if (values.redrive && !failureQueue) fail('--redrive needs FAILURE_QUEUE_URL (docs/deploy.md)');

  const bar = new SingleBar({
    format: `${command.force ? 'Re-rendering' : 'Reconciling'} |{bar}| {value}/{total} pages | {failed} failed | ETA {eta_formatted}`,
    hideCursor: true,
    // Without a terminal (CI, a log file) the bar becomes a progress line every two seconds.
    noTTYOutput: true,
    notTTYSchedule: 2000,
  });
  let barStarted = false;
  const controller = new AbortController();
  process.once('SIGINT', () => {
    controller.abort();
    bar.stop();
    console.log(
      '\nInterrupted: finishing the pages in flight. Everything written is whole; run again to finish.',
    );
  });

  const started = Date.now();
  const options = {
    concurrency,
    dryRun,
    force: command.force,
    writer: pool,
    signal: controller.signal,
    onProgress: ({ done, total, failed }: { done: number; total: number; failed: number }) => {
      if (!barStarted) {
        bar.start(total, done, { failed });
        barStarted = true;
      }
      bar.update(done, { failed });
    },
  };
  let summary: ReconcileSummary;
  let redriven: { reports: number; acknowledged: number; announced: number; unannounced: number } | undefined;
  if (values.redrive && failureQueue) {
    const { repair, ...counts } = await redriveFailures(
      failureQueue,
      reconciler,
      invalidator,
      options,
      announcer,
    );
    summary = repair;
    redriven = counts;
  } else {
    summary = await reconciler.reconcile(options);
  }
  bar.stop();
  await pool?.close();
  console.log(report(command, summary, (Date.now() - started) / 1000, redriven));
  await stopStack?.();
  process.exit(summary.failures.length > 0 ? 1 : summary.interrupted ? 130 : 0);
}

function describe(action: RepairAction): string {
  return `  ${action.action.padEnd(6)} ${action.key}  (${action.reason})`;
}

function report(
  command: RepairCommand,
  summary: ReconcileSummary,
  seconds: number,
  redriven: { reports: number; acknowledged: number; announced: number; unannounced: number } | undefined,
): string {
  const writes = summary.actions.filter((action) => action.action === 'write');
  const deletes = summary.actions.filter((action) => action.action === 'delete');
  const title = summary.dryRun
    ? 'Dry run: nothing was changed. The plan:'
    : summary.interrupted
      ? `${command.force ? 'Re-render' : 'Reconcile'} interrupted.`
      : `${command.force ? 'Re-render' : 'Reconcile'} finished.`;
  return [
    '',
    title,
    ...(summary.dryRun ? summary.actions.map(describe) : []),
    ...(summary.dryRun
      ? summary.missingIndexObjects.map((key) => `  write  ${key}  (missing index object)`)
      : []),
    `  live articles:      ${summary.liveArticles}`,
    `  objects in bucket:  ${summary.objectsListed}`,
    `  pages ${summary.dryRun ? 'to write' : 'written'}:${summary.dryRun ? '     ' : '      '}${writes.length}`,
    `  pages ${summary.dryRun ? 'to delete' : 'deleted'}:${summary.dryRun ? '    ' : '      '}${deletes.length}`,
    `  pages current:      ${summary.unchanged}`,
    `  index objects:      ${summary.dryRun ? `${summary.missingIndexObjects.length} missing (every run renders them all)` : summary.interrupted ? 'not rendered (interrupted)' : `${summary.indexObjects} rendered`}`,
    `  invalidated:        ${summary.invalidationPaths.length === 0 ? 'nothing' : summary.invalidationPaths.length > 5 ? `${summary.invalidationPaths.length} paths` : summary.invalidationPaths.join(' ')}`,
    ...(redriven
      ? [
          `  failure reports:    ${redriven.acknowledged} of ${redriven.reports} removed`,
          `  events announced:   ${redriven.announced}${redriven.unannounced > 0 ? ` (${redriven.unannounced} report(s) past the stream's retention could not be)` : ''}`,
        ]
      : []),
    `  failed:             ${summary.failures.length}`,
    `  time:               ${seconds.toFixed(1)} s`,
    ...summary.failures.map((failure) => `  failed ${failure.key}: ${failure.error}`),
  ].join('\n');
}
