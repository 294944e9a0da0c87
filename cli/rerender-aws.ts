import { parseArgs } from 'node:util';
import { CloudFrontClient } from '@aws-sdk/client-cloudfront';
import { SQSClient } from '@aws-sdk/client-sqs';
import { SingleBar } from 'cli-progress';
import { CloudFrontInvalidator } from '../functions/adapters/cloudfront-invalidator';
import { DynamoDbArticleRepository } from '../functions/adapters/dynamodb-article-repository';
import { getDocumentClient } from '../functions/adapters/dynamodb-client';
import { DynamoDbTagMemberships } from '../functions/adapters/dynamodb-tag-memberships';
import { getS3Client } from '../functions/adapters/s3-client';
import { S3PageStore } from '../functions/adapters/s3-page-store';
import { SqsRerenderQueue } from '../functions/adapters/sqs-rerender-queue';
import { ENV, getStringFromEnv } from '../functions/config/environment';
import { loadSiteConfig } from '../functions/config/site';
import {
  type FanoutMode,
  type FanoutProgress,
  type FanoutSummary,
  rerenderArchive,
} from '../functions/publishing/archive-fanout';
import { noInvalidation } from '../functions/publishing/invalidator';
import { MAX_CHUNK_SIZE } from '../functions/publishing/rerender-chunks';
import { SitePublisher } from '../functions/publishing/site-publisher';
import { type ReconcileProgress, SiteReconciler } from '../functions/publishing/site-reconciler';

/**
 * `npm run rerender` against a deployment (TABLE_NAME set): the archive is re-rendered by the stack's
 * chunk function, fed through the re-render queue, instead of on this machine. This process lists the
 * `Latest` index once, sends the chunks, shows the queue draining, then prunes, renders the index objects
 * and invalidates `/*` once (functions/publishing/archive-fanout.ts says why in that order).
 */

/** The stack output `RerenderQueueUrl`. */
export const RERENDER_QUEUE_URL = 'RERENDER_QUEUE_URL';

const USAGE = `options (against AWS: TABLE_NAME, BUCKET_NAME, SITE_BASE_URL, DISTRIBUTION_ID, ${RERENDER_QUEUE_URL}):
  --dry-run            list the archive and count its chunks; send nothing
  --resume             send nothing: wait for the chunks already queued (an interrupted run), then finish
  --retry-failed       move the dead-lettered chunks back to the queue, wait for them, then finish
  --max-wait MINUTES   stop waiting after this long; the chunks keep rendering (default 120)
  --chunk-size N       articles per chunk (1-${MAX_CHUNK_SIZE}, default ${MAX_CHUNK_SIZE})
  --concurrency N      pages the final repair checks at once (1-64, default 32)
exit status: 0 done, 1 something failed, 2 bad usage or settings, 3 stopped waiting, 130 interrupted`;

/** Exit statuses besides 0 (done) and 1 (some chunk, page or the invalidation failed). */
const EXIT_USAGE = 2;
const EXIT_STOPPED_WAITING = 3;
const EXIT_INTERRUPTED = 130;

function fail(message: string): never {
  console.error(message);
  process.exit(EXIT_USAGE);
}

function wholeNumber(value: string | undefined, name: string, min: number, max: number): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < min || number > max) {
    fail(`${name} must be a whole number from ${min} to ${max}`);
  }
  return number;
}

function setting(name: string): string {
  try {
    return getStringFromEnv(name);
  } catch {
    return fail(
      `${name} is not set. Set it from the stack's outputs (docs/deploy.md, "Re-render a large archive").`,
    );
  }
}

function parse() {
  try {
    const { values } = parseArgs({
      options: {
        'dry-run': { type: 'boolean', default: false },
        resume: { type: 'boolean', default: false },
        'retry-failed': { type: 'boolean', default: false },
        'max-wait': { type: 'string', default: '120' },
        'chunk-size': { type: 'string', default: String(MAX_CHUNK_SIZE) },
        concurrency: { type: 'string', default: '32' },
        // Accepted for symmetry with `npm run reconcile`: TABLE_NAME already says where to work.
        aws: { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
    });
    return values;
  } catch (error) {
    return fail(`${(error as Error).message}\n${USAGE}`);
  }
}

function count(value: number): string {
  return value.toLocaleString('en-US');
}

function minutes(seconds: number): string {
  return seconds < 120 ? `${seconds.toFixed(1)} s` : `${(seconds / 60).toFixed(1)} min`;
}

export async function runArchiveRerender(): Promise<never> {
  const values = parse();
  if (values.help) {
    console.log(`npm run rerender -- [options]\n${USAGE}`);
    process.exit(0);
  }
  if (values.resume && values['retry-failed']) fail('--resume and --retry-failed do not go together');
  const mode: FanoutMode = values.resume ? 'resume' : values['retry-failed'] ? 'retry-failed' : 'fresh';
  const maxWaitMinutes = wholeNumber(values['max-wait'], '--max-wait', 1, 24 * 60);
  const chunkSize = wholeNumber(values['chunk-size'], '--chunk-size', 1, MAX_CHUNK_SIZE);
  const concurrency = wholeNumber(values.concurrency, '--concurrency', 1, 64);

  const tableName = setting(ENV.tableName);
  const bucketName = setting(ENV.bucketName);
  // Without it the index pages would link to http://localhost:3000.
  setting(ENV.siteBaseUrl);
  const distributionId = setting(ENV.distributionId);
  const queueUrl = setting(RERENDER_QUEUE_URL);

  const repository = new DynamoDbArticleRepository(getDocumentClient(), tableName);
  const pages = new S3PageStore(getS3Client(), bucketName);
  const tagMemberships = new DynamoDbTagMemberships(getDocumentClient(), tableName);
  const publisher = new SitePublisher(
    loadSiteConfig(process.env),
    repository,
    pages,
    undefined,
    undefined,
    tagMemberships,
  );
  const queue = new SqsRerenderQueue(new SQSClient({}), queueUrl);
  const invalidator = new CloudFrontInvalidator(
    new CloudFrontClient({}),
    distributionId,
    () => `rerender-${Date.now()}-${Math.random().toString(36).slice(2)}`,
  );
  // The repair's own exact-path invalidations are covered by the one `/*` that ends the run.
  const reconciler = new SiteReconciler(
    repository,
    pages,
    publisher,
    noInvalidation,
    undefined,
    tagMemberships,
  );

  const payload = (progress: FanoutProgress) => ({
    phase: progress.phase,
    pending: count(progress.pending),
    failed: count(progress.failed),
    articles: count(progress.articles),
  });
  const fanoutBar = new SingleBar({
    format:
      'Re-rendering in AWS |{bar}| {value}/{total} chunks | {pending} queued or rendering | {failed} failed | ' +
      '{articles} articles sent | {phase}',
    hideCursor: true,
    // Without a terminal (CI, a log file) the bar becomes a progress line every five seconds.
    noTTYOutput: true,
    notTTYSchedule: 5000,
  });
  const repairBar = new SingleBar({
    format: 'Finishing: checking pages |{bar}| {value}/{total} | {failed} failed | ETA {eta_formatted}',
    hideCursor: true,
    noTTYOutput: true,
    notTTYSchedule: 5000,
  });
  let shown: 'fanout' | 'repair' | undefined;
  const stopBars = () => {
    if (shown === 'fanout') fanoutBar.stop();
    if (shown === 'repair') repairBar.stop();
    shown = undefined;
  };
  const onProgress = (progress: FanoutProgress) => {
    if (progress.phase === 'finishing') return;
    const total = Math.max(1, progress.chunks);
    if (shown !== 'fanout') {
      fanoutBar.start(total, progress.done, payload(progress));
      shown = 'fanout';
    }
    fanoutBar.setTotal(total);
    fanoutBar.update(progress.done, payload(progress));
  };
  const onRepairProgress = ({ done, total, failed }: ReconcileProgress) => {
    if (shown !== 'repair') {
      stopBars();
      repairBar.start(total, done, { failed });
      shown = 'repair';
    }
    repairBar.update(done, { failed });
  };

  const controller = new AbortController();
  process.once('SIGINT', () => {
    controller.abort();
    stopBars();
    console.log('\nInterrupted: stopping here. Chunks already sent keep rendering in AWS.');
  });

  if (mode === 'fresh' && !values['dry-run']) {
    console.log('Listing the live articles and sending them to the re-render queue in chunks...');
  }
  let summary: FanoutSummary;
  try {
    summary = await rerenderArchive(
      { articles: repository, queue, reconciler, invalidator },
      {
        mode,
        dryRun: values['dry-run'],
        chunkSize,
        repairConcurrency: concurrency,
        maxWaitMs: maxWaitMinutes * 60_000,
        run: new Date().toISOString(),
        signal: controller.signal,
        onProgress,
        onRepairProgress,
      },
    );
  } catch (error) {
    stopBars();
    console.error(`\nThe re-render stopped: ${error instanceof Error ? error.message : String(error)}`);
    console.error(
      'Chunks already sent keep rendering in AWS. `npm run rerender -- --resume` waits for them and finishes; ' +
        'run `npm run rerender` again to send the whole archive.',
    );
    process.exit(1);
  }
  stopBars();
  const deadLetterQueueUrl =
    summary.failedChunks > 0 ? await queue.deadLetterQueueUrl().catch(() => undefined) : undefined;
  console.log(report(summary, chunkSize, deadLetterQueueUrl));
  process.exit(exitStatus(summary));
}

function exitStatus(summary: FanoutSummary): number {
  switch (summary.outcome) {
    case 'dry-run':
      return 0;
    case 'busy':
      return 1;
    case 'timed-out':
      return EXIT_STOPPED_WAITING;
    case 'interrupted':
      return EXIT_INTERRUPTED;
    case 'finished': {
      const failed =
        summary.failedChunks > 0 || (summary.repair?.failures.length ?? 0) > 0 || summary.invalidationError;
      return failed ? 1 : 0;
    }
  }
}

const TITLES: Record<FanoutSummary['outcome'], string> = {
  finished: 'Re-render finished.',
  'dry-run': 'Dry run: nothing was sent.',
  busy: 'Nothing was sent: the re-render queue still holds chunks of an earlier run.',
  interrupted: 'Re-render interrupted.',
  'timed-out': 'Stopped waiting: the queue has not drained yet.',
};

export function report(summary: FanoutSummary, chunkSize: number, deadLetterQueueUrl?: string): string {
  const { repair } = summary;
  const lines = ['', TITLES[summary.outcome]];
  if (summary.outcome === 'busy') {
    lines.push(
      `  still queued:       ${count(summary.pendingChunks)} chunk(s)`,
      '  Wait for them and finish that run: npm run rerender -- --resume',
      '  Or discard them (their pages keep the old template): aws sqs purge-queue --queue-url $RERENDER_QUEUE_URL',
    );
    return lines.join('\n');
  }
  if (summary.mode === 'fresh') {
    lines.push(`  live articles:      ${count(summary.articles)}`);
    lines.push(
      `  chunks ${summary.outcome === 'dry-run' ? 'to send' : 'sent'}:${summary.outcome === 'dry-run' ? '     ' : '        '}${count(summary.chunks)} (up to ${chunkSize} articles each)`,
    );
  } else {
    lines.push(`  chunks waited for:  ${count(summary.chunks)}`);
  }
  if (summary.outcome !== 'dry-run') {
    lines.push(`  chunks failed:      ${count(summary.failedChunks)}`);
    if (summary.deadLetteredBefore > 0) {
      lines.push(
        `  (${count(summary.deadLetteredBefore)} chunk(s) of earlier runs were already in the dead-letter queue)`,
      );
    }
  }
  if (summary.outcome === 'timed-out' || summary.outcome === 'interrupted') {
    if (summary.interruptedWhile === 'sending') {
      lines.push(
        '  Not every chunk was sent. The ones sent keep rendering in AWS; run `npm run rerender` again once',
        '  they have drained (`npm run rerender -- --resume` waits for them) to re-render the whole archive.',
      );
    } else if (summary.interruptedWhile === 'finishing') {
      lines.push(
        '  The queue had drained; the final repair was interrupted and nothing was invalidated.',
        '  Finish with: npm run rerender -- --resume',
      );
    } else {
      lines.push(
        `  still queued or rendering: ${count(summary.pendingChunks)} chunk(s); they keep rendering in AWS.`,
        '  Wait for them and finish (prune, index pages, one invalidation): npm run rerender -- --resume',
      );
    }
  }
  if (repair) {
    const writes = repair.actions.filter((action) => action.action === 'write').length;
    const deletes = repair.actions.filter((action) => action.action === 'delete').length;
    lines.push(
      `  final repair:       ${count(repair.unchanged)} pages current, ${count(writes)} rewritten, ${count(deletes)} pruned, ${count(repair.failures.length)} failed`,
      `  index objects:      ${repair.interrupted ? 'not rendered (interrupted)' : `${count(repair.indexObjects)} rendered`}`,
      ...repair.failures.slice(0, 20).map((failure) => `    failed ${failure.key}: ${failure.error}`),
    );
  }
  if (summary.outcome === 'finished') {
    lines.push(
      summary.invalidationError
        ? `  invalidation:       FAILED (${summary.invalidationError}); run: aws cloudfront create-invalidation --distribution-id $DISTRIBUTION_ID --paths '/*'`
        : `  invalidated:        ${summary.invalidated.join(' ')}`,
    );
  }
  const { sending, rendering, finishing } = summary.seconds;
  lines.push(
    `  time:               ${minutes(sending + rendering + finishing)} (sending ${minutes(sending)}, rendering ${minutes(rendering)}, finishing ${minutes(finishing)})`,
  );
  if (summary.failedChunks > 0) {
    lines.push(
      `  ${count(summary.failedChunks)} chunk(s) failed on every attempt and wait in the dead-letter queue` +
        (deadLetterQueueUrl ? ` (${deadLetterQueueUrl})` : '') +
        ': their pages keep the old template.',
      "  See why in the chunk function's log (ERROR 'Re-render chunk failed'), fix the cause, then:",
      '  npm run rerender -- --retry-failed',
    );
  }
  return lines.join('\n');
}
