import type { ArticleRepository } from '../domain/article-repository';
import type { CursorKey } from '../domain/cursor';
import type { Invalidator } from './invalidator';
import { MAX_CHUNK_SIZE, type RerenderChunk } from './rerender-chunks';
import type { ReconcileProgress, ReconcileSummary, SiteReconciler } from './site-reconciler';

/**
 * `npm run rerender` against a deployment: the whole archive is re-rendered in AWS, not on the
 * operator's machine. This side lists the `Latest` index once and sends its ids to the re-render queue in
 * chunks; the chunk function (functions/handlers/rerender-chunk.ts) renders them, as many at once as the
 * event source mapping's maximum concurrency allows. Once the queue has drained, what a chunk cannot do
 * is done here, once: a repair that is not forced (it prunes the pages of articles no longer live,
 * renders every list, feed and sitemap, and rewrites any page an edit overtook during the fan-out; every
 * article page it looks at is current by then, so it only compares), then one invalidation of `/*`.
 */

/** SQS takes at most ten messages per SendMessageBatch. */
export const SEND_BATCH_SIZE = 10;
/** Ids read per Query of the `Latest` index (its entries are ~1 KB, so a page stays under DynamoDB's 1 MB). */
export const LIST_PAGE_SIZE = 1000;

/** The re-render queue and its dead-letter queue, as the sender sees them. */
export interface RerenderQueue {
  /** Sends up to ten chunks in one request; resolves once every one is accepted. */
  send(chunks: readonly RerenderChunk[]): Promise<void>;
  depth(): Promise<QueueDepth>;
  /** Starts moving the dead-lettered chunks back to the queue (after the cause was fixed). */
  retryDeadLettered(): Promise<void>;
}

/** SQS's approximate counts (they may lag up to a minute behind what happened). */
export interface QueueDepth {
  /** Chunks waiting to be picked up. */
  readonly waiting: number;
  /** Chunks being rendered, or waiting out their visibility timeout before a retry. */
  readonly inFlight: number;
  /** Chunks that failed on every receive, kept in the dead-letter queue. */
  readonly deadLettered: number;
  /** A move of dead-lettered chunks back to the queue is still running. */
  readonly redriving: boolean;
}

export type FanoutMode =
  /** List the archive, send it, wait, finish. */
  | 'fresh'
  /** Send nothing: wait for what the queue holds (an earlier, interrupted run), then finish. */
  | 'resume'
  /** Move the dead-lettered chunks back to the queue, wait for them, then finish. */
  | 'retry-failed';

export interface FanoutProgress {
  readonly phase: 'sending' | 'rendering' | 'finishing';
  /** Live articles listed and sent so far (fresh runs). */
  readonly articles: number;
  /** Chunks this run waits for: sent, or found in the queues when resuming or retrying. */
  readonly chunks: number;
  /** Chunks rendered, as far as the queue's counts tell. */
  readonly done: number;
  /** Chunks waiting or being rendered. */
  readonly pending: number;
  /** Chunks dead-lettered during this run. */
  readonly failed: number;
}

export interface FanoutOptions {
  readonly mode: FanoutMode;
  /** List and count, send nothing. */
  readonly dryRun?: boolean;
  /** @default MAX_CHUNK_SIZE */
  readonly chunkSize?: number;
  /** Concurrency of the repair that finishes the run. */
  readonly repairConcurrency: number;
  /** Stop waiting after this long (the chunks keep rendering; `--resume` waits again). */
  readonly maxWaitMs: number;
  /** @default 5 s */
  readonly pollIntervalMs?: number;
  /**
   * The queue must read empty this long before it counts as drained: SQS's counts may lag up to a minute,
   * and a wildcard invalidation before the last page is written would leave that page's old copy at the
   * edge for a year. @default 60 s
   */
  readonly settleMs?: number;
  /** Names the run in every chunk (and so in the chunk function's log). */
  readonly run: string;
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: FanoutProgress) => void;
  /** Progress of the repair that finishes the run. */
  readonly onRepairProgress?: (progress: ReconcileProgress) => void;
}

export type FanoutOutcome =
  | 'finished'
  | 'dry-run'
  /** A fresh run found chunks of an earlier run in the queue, and sent nothing. */
  | 'busy'
  | 'interrupted'
  | 'timed-out';

export interface FanoutSummary {
  readonly mode: FanoutMode;
  readonly outcome: FanoutOutcome;
  /** When `interrupted`: whether it happened while sending (so the archive was not all sent). */
  readonly interruptedWhile?: FanoutProgress['phase'];
  readonly articles: number;
  readonly chunks: number;
  /** Chunks dead-lettered during this run. */
  readonly failedChunks: number;
  /** Chunks that were already in the dead-letter queue when a fresh run started. */
  readonly deadLetteredBefore: number;
  /** Chunks still waiting or rendering when the run stopped waiting, or found by a `busy` start. */
  readonly pendingChunks: number;
  /** The repair that finished the run (pruning, index objects, pages overtaken by an edit). */
  readonly repair?: ReconcileSummary;
  readonly invalidated: readonly string[];
  /** Set when CloudFront refused the wildcard invalidation after its retries. */
  readonly invalidationError?: string;
  readonly seconds: { readonly sending: number; readonly rendering: number; readonly finishing: number };
}

export interface FanoutDependencies {
  readonly articles: Pick<ArticleRepository, 'listLatest'>;
  readonly queue: RerenderQueue;
  /** Its own invalidations should be off (`noInvalidation`): the run ends with one `/*` instead. */
  readonly reconciler: Pick<SiteReconciler, 'reconcile'>;
  readonly invalidator: Invalidator;
  readonly now?: () => number;
  /** Resolves after `ms`, or as soon as `signal` aborts. */
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/** The live articles, newest first, one page of the `Latest` index at a time, as chunks of ids. */
export async function* latestChunks(
  articles: Pick<ArticleRepository, 'listLatest'>,
  options: { readonly run: string; readonly chunkSize: number; readonly pageSize?: number },
): AsyncGenerator<RerenderChunk> {
  const chunkSize = Math.min(Math.max(1, Math.floor(options.chunkSize)), MAX_CHUNK_SIZE);
  let chunk = 0;
  let startKey: CursorKey | undefined;
  do {
    const page = await articles.listLatest({ limit: options.pageSize ?? LIST_PAGE_SIZE, startKey });
    const ids = page.items.map((item) => item.id);
    for (let start = 0; start < ids.length; start += chunkSize) {
      yield { run: options.run, chunk, ids: ids.slice(start, start + chunkSize) };
      chunk += 1;
    }
    startKey = page.nextKey;
  } while (startKey);
}

/** Groups what an async iterable yields into arrays of up to `size`. */
export async function* batchesOf<T>(items: AsyncIterable<T>, size: number): AsyncGenerator<T[]> {
  let batch: T[] = [];
  for await (const item of items) {
    batch.push(item);
    if (batch.length >= size) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

function defaultSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

const pendingOf = (depth: QueueDepth) => depth.waiting + depth.inFlight;

export async function rerenderArchive(
  dependencies: FanoutDependencies,
  options: FanoutOptions,
): Promise<FanoutSummary> {
  const { articles, queue, reconciler, invalidator } = dependencies;
  const now = dependencies.now ?? Date.now;
  const sleep = dependencies.sleep ?? defaultSleep;
  const { mode, signal } = options;
  const pollIntervalMs = options.pollIntervalMs ?? 5000;
  const settleMs = options.settleMs ?? 60_000;
  const seconds = { sending: 0, rendering: 0, finishing: 0 };

  let depth = await queue.depth();
  // A fresh run counts only its own failures; when resuming or retrying, whatever is dead-lettered by the
  // end failed (the retry moved every earlier one back to the queue).
  const deadLetteredBefore = mode === 'fresh' ? depth.deadLettered : 0;
  let articleCount = 0;
  let chunks = mode === 'fresh' ? 0 : pendingOf(depth) + (mode === 'retry-failed' ? depth.deadLettered : 0);
  let phase: FanoutProgress['phase'] = 'sending';
  const failedOf = (d: QueueDepth) => Math.max(0, d.deadLettered - deadLetteredBefore);
  const progress = (): FanoutProgress => {
    const pending = pendingOf(depth);
    // While a retry is still moving chunks back, what remains in the dead-letter queue is not a failure.
    const failed = depth.redriving ? 0 : failedOf(depth);
    const moving = depth.redriving ? depth.deadLettered : 0;
    const done = Math.min(chunks, Math.max(0, chunks - pending - failed - moving));
    return { phase, articles: articleCount, chunks, done, pending, failed };
  };
  const summary = (outcome: FanoutOutcome, extra: Partial<FanoutSummary> = {}): FanoutSummary => ({
    mode,
    outcome,
    articles: articleCount,
    chunks,
    failedChunks: failedOf(depth),
    deadLetteredBefore,
    pendingChunks: pendingOf(depth),
    invalidated: [],
    seconds,
    ...extra,
  });

  if (mode === 'fresh' && !options.dryRun && pendingOf(depth) > 0) return summary('busy');
  if (mode === 'retry-failed' && !options.dryRun && depth.deadLettered > 0) await queue.retryDeadLettered();

  const sendingStarted = now();
  let sentAll = true;
  if (mode === 'fresh') {
    let lastPoll = now();
    const listed = latestChunks(articles, {
      run: options.run,
      chunkSize: options.chunkSize ?? MAX_CHUNK_SIZE,
    });
    for await (const batch of batchesOf(listed, SEND_BATCH_SIZE)) {
      if (signal?.aborted) {
        sentAll = false;
        break;
      }
      if (!options.dryRun) await queue.send(batch);
      chunks += batch.length;
      articleCount += batch.reduce((sum, chunk) => sum + chunk.ids.length, 0);
      // The chunk function starts on the first batch: show its progress while the listing goes on.
      if (!options.dryRun && now() - lastPoll >= pollIntervalMs) {
        depth = await queue.depth();
        lastPoll = now();
      }
      options.onProgress?.(progress());
    }
  }
  seconds.sending = (now() - sendingStarted) / 1000;
  if (options.dryRun) return summary('dry-run');
  if (!sentAll) return summary('interrupted', { interruptedWhile: 'sending' });

  phase = 'rendering';
  const waitStarted = now();
  let emptySince: number | undefined;
  // An empty archive sent nothing: there is nothing to wait for.
  const nothingSent = mode === 'fresh' && chunks === 0;
  while (!nothingSent) {
    depth = await queue.depth();
    options.onProgress?.(progress());
    if (pendingOf(depth) === 0 && !depth.redriving) {
      emptySince ??= now();
      if (now() - emptySince >= settleMs) break;
    } else {
      emptySince = undefined;
    }
    seconds.rendering = (now() - waitStarted) / 1000;
    if (signal?.aborted) return summary('interrupted', { interruptedWhile: 'rendering' });
    if (now() - waitStarted >= options.maxWaitMs) return summary('timed-out');
    await sleep(pollIntervalMs, signal);
  }
  seconds.rendering = (now() - waitStarted) / 1000;

  phase = 'finishing';
  options.onProgress?.(progress());
  const finishStarted = now();
  const repair = await reconciler.reconcile({
    concurrency: options.repairConcurrency,
    signal,
    onProgress: options.onRepairProgress,
  });
  seconds.finishing = (now() - finishStarted) / 1000;
  if (repair.interrupted) return summary('interrupted', { interruptedWhile: 'finishing', repair });
  let invalidationError: string | undefined;
  try {
    // Every page was rewritten: one wildcard (one path, in the limit and in the price) instead of a path
    // per page; it also covers whatever the repair overwrote or deleted.
    await invalidator.invalidate(['/*']);
  } catch (error) {
    invalidationError = error instanceof Error ? error.message : String(error);
  }
  seconds.finishing = (now() - finishStarted) / 1000;
  if (invalidationError) return summary('finished', { repair, invalidationError });
  return summary('finished', { repair, invalidated: ['/*'] });
}
