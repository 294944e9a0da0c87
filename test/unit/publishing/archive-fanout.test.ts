import { describe, expect, it } from 'vitest';
import type { ArticleSummary } from '../../../functions/domain/article';
import type { LatestPage, LatestQuery } from '../../../functions/domain/article-repository';
import {
  batchesOf,
  type FanoutOptions,
  type FanoutProgress,
  latestChunks,
  type QueueDepth,
  type RerenderQueue,
  rerenderArchive,
  SEND_BATCH_SIZE,
} from '../../../functions/publishing/archive-fanout';
import type { RerenderChunk } from '../../../functions/publishing/rerender-chunks';
import type { ReconcileOptions, ReconcileSummary } from '../../../functions/publishing/site-reconciler';

/** The `Latest` index of `count` live articles, newest first, paged like the DynamoDB adapter. */
class FakeListing {
  readonly queries: LatestQuery[] = [];
  constructor(private readonly count: number) {}

  async listLatest(query: LatestQuery): Promise<LatestPage> {
    this.queries.push(query);
    const start = Number(query.startKey?.pk ?? 0);
    const end = Math.min(this.count, start + query.limit);
    const items = Array.from({ length: end - start }, (_, i) => ({ id: `a${start + i}` }) as ArticleSummary);
    return { items, ...(end < this.count ? { nextKey: { pk: String(end) } } : {}) };
  }
}

/**
 * SQS and the chunk function, simulated: each poll interval the function takes up to `perTick` chunks;
 * a chunk named in `failing` is dead-lettered instead. Time is the fake clock's, moved by `sleep`.
 */
class SimulatedQueue implements RerenderQueue {
  readonly sent: RerenderChunk[][] = [];
  readonly log: string[] = [];
  waiting: RerenderChunk[] = [];
  inFlight: RerenderChunk[] = [];
  deadLettered: RerenderChunk[] = [];
  rendered: RerenderChunk[] = [];
  redrivingTicks = 0;
  retries = 0;
  /** Counts SQS reports that lag behind: the queue reads empty this many times while still holding chunks. */
  lagReads = 0;

  constructor(
    private readonly perTick = 3,
    readonly failing = new Set<number>(),
  ) {}

  async send(chunks: readonly RerenderChunk[]): Promise<void> {
    expect(chunks.length).toBeLessThanOrEqual(SEND_BATCH_SIZE);
    this.sent.push([...chunks]);
    this.waiting.push(...chunks);
    this.log.push(`send ${chunks.length}`);
  }

  async depth(): Promise<QueueDepth> {
    if (this.lagReads > 0) {
      this.lagReads -= 1;
      return { waiting: 0, inFlight: 0, deadLettered: this.deadLettered.length, redriving: false };
    }
    return {
      waiting: this.waiting.length,
      inFlight: this.inFlight.length,
      deadLettered: this.deadLettered.length,
      redriving: this.redrivingTicks > 0,
    };
  }

  async retryDeadLettered(): Promise<void> {
    this.retries += 1;
    this.failing.clear();
    this.redrivingTicks = 2;
    this.log.push('retry');
  }

  /** One poll interval of work: chunks in flight finish, the next ones start. */
  tick(): void {
    if (this.redrivingTicks > 0) {
      this.redrivingTicks -= 1;
      if (this.redrivingTicks === 0) {
        this.waiting.push(...this.deadLettered);
        this.deadLettered = [];
      }
    }
    for (const chunk of this.inFlight) {
      if (this.failing.has(chunk.chunk)) this.deadLettered.push(chunk);
      else this.rendered.push(chunk);
    }
    this.inFlight = this.waiting.splice(0, this.perTick);
  }
}

function fakeReconciler(log: string[], result: Partial<ReconcileSummary> = {}) {
  const calls: ReconcileOptions[] = [];
  return {
    calls,
    async reconcile(options: ReconcileOptions): Promise<ReconcileSummary> {
      calls.push(options);
      log.push('reconcile');
      options.onProgress?.({ done: 1, total: 1, failed: 0 });
      return {
        dryRun: false,
        interrupted: false,
        liveArticles: 0,
        objectsListed: 0,
        unchanged: 0,
        actions: [],
        failures: [],
        indexObjects: 42,
        missingIndexObjects: [],
        invalidationPaths: [],
        ...result,
      };
    },
  };
}

function setUp(
  options: {
    articles?: number;
    perTick?: number;
    failing?: number[];
    invalidationFails?: boolean;
    repair?: Partial<ReconcileSummary>;
  } = {},
) {
  const listing = new FakeListing(options.articles ?? 2345);
  const queue = new SimulatedQueue(options.perTick ?? 3, new Set(options.failing ?? []));
  const reconciler = fakeReconciler(queue.log, options.repair);
  const invalidations: string[][] = [];
  const invalidator = {
    async invalidate(paths: readonly string[]) {
      if (options.invalidationFails) throw new Error('TooManyInvalidationsInProgress');
      invalidations.push([...paths]);
      queue.log.push(`invalidate ${paths.join(' ')}`);
    },
  };
  let clock = 0;
  const sleeps: number[] = [];
  const dependencies = {
    articles: listing,
    queue,
    reconciler,
    invalidator,
    now: () => clock,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      clock += ms;
      queue.tick();
    },
  };
  const progress: FanoutProgress[] = [];
  const run = (overrides: Partial<FanoutOptions> = {}) =>
    rerenderArchive(dependencies, {
      mode: 'fresh',
      run: 'test-run',
      repairConcurrency: 16,
      maxWaitMs: 3_600_000,
      pollIntervalMs: 5000,
      settleMs: 60_000,
      onProgress: (p) => progress.push(p),
      ...overrides,
    });
  return {
    listing,
    queue,
    reconciler,
    invalidations,
    progress,
    sleeps,
    run,
    advance: (ms: number) => (clock += ms),
  };
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of items) all.push(item);
  return all;
}

describe('latestChunks', () => {
  it('splits each page of the Latest index into chunks, never across pages, every id once and in order', async () => {
    const listing = new FakeListing(250);
    const chunks = await collect(latestChunks(listing, { run: 'r', chunkSize: 100, pageSize: 120 }));
    expect(chunks.map((c) => c.ids.length)).toEqual([100, 20, 100, 20, 10]);
    expect(chunks.map((c) => c.chunk)).toEqual([0, 1, 2, 3, 4]);
    expect(chunks.flatMap((c) => c.ids)).toEqual(Array.from({ length: 250 }, (_, i) => `a${i}`));
    expect(chunks.every((c) => c.run === 'r')).toBe(true);
    // The index is listed once: one query per page, each from where the last one stopped.
    expect(listing.queries.map((q) => q.startKey?.pk)).toEqual([undefined, '120', '240']);
  });

  it('caps a chunk at 100 ids whatever is asked, and lists nothing more for an empty archive', async () => {
    const chunks = await collect(latestChunks(new FakeListing(450), { run: 'r', chunkSize: 500 }));
    expect(chunks.map((c) => c.ids.length)).toEqual([100, 100, 100, 100, 50]);
    const listing = new FakeListing(0);
    expect(await collect(latestChunks(listing, { run: 'r', chunkSize: 100 }))).toEqual([]);
    expect(listing.queries).toHaveLength(1);
  });

  it('batchesOf groups by ten for SendMessageBatch', async () => {
    async function* numbers() {
      for (let i = 0; i < 23; i += 1) yield i;
    }
    expect((await collect(batchesOf(numbers(), 10))).map((b) => b.length)).toEqual([10, 10, 3]);
  });
});

describe('rerenderArchive', () => {
  it('sends the archive in batches of ten chunks, waits for the queue to drain, then repairs and invalidates /* once', async () => {
    const { queue, reconciler, invalidations, run } = setUp({ articles: 2345 });

    const summary = await run();

    expect(queue.sent.map((batch) => batch.length)).toEqual([10, 10, 4]);
    expect(queue.sent.flat().map((c) => c.ids.length)).toEqual([...Array(23).fill(100), 45]);
    expect(queue.rendered).toHaveLength(24);
    // The repair runs only once every chunk was rendered, and the one invalidation after it.
    expect(queue.log.slice(-2)).toEqual(['reconcile', 'invalidate /*']);
    expect(reconciler.calls).toHaveLength(1);
    expect(reconciler.calls[0]).toMatchObject({ concurrency: 16 });
    expect(reconciler.calls[0]?.force ?? false).toBe(false);
    expect(reconciler.calls[0]?.dryRun ?? false).toBe(false);
    expect(invalidations).toEqual([['/*']]);
    expect(summary).toMatchObject({
      outcome: 'finished',
      articles: 2345,
      chunks: 24,
      failedChunks: 0,
      pendingChunks: 0,
      invalidated: ['/*'],
    });
    expect(summary.repair?.indexObjects).toBe(42);
  });

  it('reports progress from the queue depth: sending, then rendering up to every chunk, then finishing', async () => {
    const { progress, run } = setUp({ articles: 1000, perTick: 2 });
    await run();
    const phases = progress.map((p) => p.phase);
    expect(phases.indexOf('rendering')).toBeGreaterThan(phases.lastIndexOf('sending'));
    expect(phases.at(-1)).toBe('finishing');
    const rendering = progress.filter((p) => p.phase === 'rendering');
    expect(rendering.every((p) => p.chunks === 10)).toBe(true);
    const done = rendering.map((p) => p.done);
    expect(done).toEqual([...done].sort((a, b) => a - b));
    expect(rendering[0]?.pending).toBe(10);
    expect(done.at(-1)).toBe(10);
    expect(rendering.at(-1)?.pending).toBe(0);
    expect(progress.filter((p) => p.phase === 'sending').at(-1)?.articles).toBe(1000);
  });

  it('counts the chunks dead-lettered during the run, not those of earlier runs, and still finishes', async () => {
    const { queue, invalidations, progress, run } = setUp({ articles: 1000, failing: [2, 7] });
    queue.deadLettered.push({ run: 'old', chunk: 0, ids: ['x'] }, { run: 'old', chunk: 1, ids: ['y'] });

    const summary = await run();

    expect(summary).toMatchObject({
      outcome: 'finished',
      chunks: 10,
      failedChunks: 2,
      deadLetteredBefore: 2,
    });
    expect(progress.at(-1)).toMatchObject({ done: 8, failed: 2, pending: 0 });
    expect(invalidations).toEqual([['/*']]);
  });

  it('waits for the queue to read empty for the whole settle time, because SQS counts lag', async () => {
    const { queue, reconciler, run } = setUp({ articles: 500, perTick: 10 });
    // Right after the send the counts still read empty a few times.
    queue.lagReads = 3;
    const summary = await run({ settleMs: 60_000, pollIntervalMs: 5000 });
    expect(summary.outcome).toBe('finished');
    expect(queue.rendered).toHaveLength(5);
    expect(reconciler.calls).toHaveLength(1);
  });

  it('does not finish before the settle time has passed on an empty queue', async () => {
    const { queue, sleeps, run } = setUp({ articles: 100, perTick: 10 });
    await run({ settleMs: 60_000, pollIntervalMs: 5000 });
    // Rendered within two polls; then twelve more polls of an empty queue (60 s) before finishing.
    expect(queue.rendered).toHaveLength(1);
    expect(sleeps.length).toBeGreaterThanOrEqual(12);
  });

  it('an empty archive sends nothing and waits for nothing, and the repair still prunes and invalidates', async () => {
    const { queue, reconciler, invalidations, sleeps, run } = setUp({ articles: 0 });
    const summary = await run();
    expect(summary).toMatchObject({ outcome: 'finished', articles: 0, chunks: 0 });
    expect(queue.sent).toEqual([]);
    expect(sleeps).toEqual([]);
    expect(reconciler.calls).toHaveLength(1);
    expect(invalidations).toEqual([['/*']]);
  });

  it('refuses to start while an earlier run still has chunks in the queue, and sends nothing', async () => {
    const { queue, reconciler, invalidations, run } = setUp();
    queue.waiting.push({ run: 'earlier', chunk: 3, ids: ['z'] });
    const summary = await run();
    expect(summary).toMatchObject({ outcome: 'busy', pendingChunks: 1, chunks: 0 });
    expect(queue.sent).toEqual([]);
    expect(reconciler.calls).toEqual([]);
    expect(invalidations).toEqual([]);
  });

  it('stops waiting after the maximum wait: nothing is pruned or invalidated, and what is left is reported', async () => {
    const { queue, reconciler, invalidations, run } = setUp({ articles: 5000, perTick: 1 });
    const summary = await run({ maxWaitMs: 30_000 });
    expect(summary.outcome).toBe('timed-out');
    expect(summary.pendingChunks).toBeGreaterThan(0);
    expect(summary.pendingChunks).toBe(queue.waiting.length + queue.inFlight.length);
    expect(reconciler.calls).toEqual([]);
    expect(invalidations).toEqual([]);
  });

  it('a dry run lists and counts, and sends, repairs and invalidates nothing', async () => {
    const { queue, reconciler, invalidations, run } = setUp({ articles: 1234 });
    const summary = await run({ dryRun: true });
    expect(summary).toMatchObject({ outcome: 'dry-run', articles: 1234, chunks: 13 });
    expect(queue.sent).toEqual([]);
    expect(reconciler.calls).toEqual([]);
    expect(invalidations).toEqual([]);
  });

  it('an interruption while sending stops sending and finishes nothing', async () => {
    const { queue, reconciler, invalidations, run } = setUp({ articles: 5000 });
    const controller = new AbortController();
    const summary = await run({
      signal: controller.signal,
      onProgress: () => controller.abort(),
    });
    expect(summary).toMatchObject({ outcome: 'interrupted', interruptedWhile: 'sending' });
    expect(queue.sent).toHaveLength(1);
    expect(reconciler.calls).toEqual([]);
    expect(invalidations).toEqual([]);
  });

  it('an interruption after the last chunk was sent is one while rendering: the chunks are all queued', async () => {
    const { queue, reconciler, run } = setUp({ articles: 100 });
    const controller = new AbortController();
    const summary = await run({
      signal: controller.signal,
      onProgress: (p) => {
        if (p.phase === 'sending') controller.abort();
      },
    });
    expect(summary).toMatchObject({ outcome: 'interrupted', interruptedWhile: 'rendering', chunks: 1 });
    expect(queue.sent).toHaveLength(1);
    expect(reconciler.calls).toEqual([]);
  });

  it('--resume sends nothing, waits for the chunks already queued, then finishes', async () => {
    const { queue, reconciler, invalidations, run } = setUp();
    for (let chunk = 0; chunk < 7; chunk += 1) queue.waiting.push({ run: 'earlier', chunk, ids: ['x'] });
    const summary = await run({ mode: 'resume' });
    expect(queue.sent).toEqual([]);
    expect(queue.rendered).toHaveLength(7);
    expect(summary).toMatchObject({ mode: 'resume', outcome: 'finished', chunks: 7, failedChunks: 0 });
    expect(reconciler.calls).toHaveLength(1);
    expect(invalidations).toEqual([['/*']]);
  });

  it('--retry-failed moves the dead-lettered chunks back, waits until the move and the chunks are done, then finishes', async () => {
    const { queue, progress, invalidations, run } = setUp();
    queue.deadLettered.push(
      { run: 'earlier', chunk: 4, ids: ['x'] },
      { run: 'earlier', chunk: 9, ids: ['y'] },
    );
    const summary = await run({ mode: 'retry-failed' });
    expect(queue.retries).toBe(1);
    expect(queue.rendered.map((c) => c.chunk)).toEqual([4, 9]);
    // While the move runs, the chunks still in the dead-letter queue are not counted as failures.
    expect(progress.filter((p) => p.phase === 'rendering').every((p) => p.failed === 0)).toBe(true);
    expect(summary).toMatchObject({ mode: 'retry-failed', outcome: 'finished', chunks: 2, failedChunks: 0 });
    expect(invalidations).toEqual([['/*']]);
  });

  it('reports a refused invalidation instead of throwing, after the repair', async () => {
    const { reconciler, run } = setUp({ articles: 100, invalidationFails: true });
    const summary = await run();
    expect(reconciler.calls).toHaveLength(1);
    expect(summary).toMatchObject({ outcome: 'finished', invalidated: [] });
    expect(summary.invalidationError).toContain('TooManyInvalidationsInProgress');
  });

  it('an interrupted final repair invalidates nothing', async () => {
    const { invalidations, run } = setUp({ articles: 100, repair: { interrupted: true } });
    const summary = await run();
    expect(summary).toMatchObject({ outcome: 'interrupted', interruptedWhile: 'finishing' });
    expect(summary.repair?.interrupted).toBe(true);
    expect(invalidations).toEqual([]);
  });
});
