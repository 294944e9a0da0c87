import { availableParallelism } from 'node:os';
import { SHARE_ENV, Worker } from 'node:worker_threads';
import type { Article } from '../domain/article';
import type { RedirectTarget } from '../render/redirect-page';
import type { RedirectObject } from '../render/site-objects';
import type { PageWriter } from './site-reconciler';

/**
 * Renders and writes pages on worker threads, so that a re-render of the whole site uses every core:
 * Markdown and templates, and the S3 client's signing and serialising, run beside the thread that reads
 * the table and decides. The reconciler takes it as its page writer (`ReconcileOptions.writer`); only
 * the repair command on a machine with more than one core starts one. A Lambda function renders
 * in-process and never loads this module.
 */

export type RenderTask =
  | { readonly id: number; readonly kind: 'page'; readonly article: Article }
  | {
      readonly id: number;
      readonly kind: 'redirect';
      readonly redirect: RedirectObject;
      readonly target: RedirectTarget | undefined;
    };

export interface RenderTaskResult {
  readonly id: number;
  /** The message of the error the page failed with, as the reconciler reports it. */
  readonly error?: string;
}

type TaskInput = RenderTask extends infer T ? (T extends RenderTask ? Omit<T, 'id'> : never) : never;

interface Running {
  readonly worker: Worker;
  readonly inFlight: Map<number, { resolve: () => void; reject: (error: Error) => void }>;
}

/**
 * Threads worth starting here: one per core, less the one the caller keeps busy; none on one core,
 * where a worker would only add the cost of copying every article to it.
 */
export function renderThreadsFor(cores = availableParallelism()): number {
  return Math.max(0, cores - 1);
}

function startWorker(): Worker {
  const self = new URL(import.meta.url);
  const extension = self.pathname.slice(self.pathname.lastIndexOf('.'));
  const module = new URL(`./render-worker${extension}`, self);
  // The environment is shared: the worker's clients are configured as the caller's are, even when the
  // caller configured them after starting the pool.
  if (extension !== '.ts') return new Worker(module, { env: SHARE_ENV });
  // Run from source (npm run rerender runs TypeScript through tsx), a worker needs the TypeScript loader,
  // which Node.js 20 does not pass on to workers: the worker starts by registering it.
  const loader = import.meta.resolve('tsx/esm/api');
  const bootstrap = `import(${JSON.stringify(loader)}).then(({ tsImport }) => tsImport(${JSON.stringify(module.href)}, ${JSON.stringify(self.href)}))`;
  return new Worker(bootstrap, { eval: true, env: SHARE_ENV });
}

export class RenderWorkerPool implements PageWriter {
  private readonly running: Running[];
  private nextId = 0;
  private failure: Error | undefined;

  constructor(threads: number) {
    this.running = Array.from({ length: Math.max(1, threads) }, () => this.start());
  }

  putArticlePage(article: Article): Promise<void> {
    return this.run({ kind: 'page', article });
  }

  putRedirectPage(redirect: RedirectObject, target: RedirectTarget | undefined): Promise<void> {
    return this.run({ kind: 'redirect', redirect, target });
  }

  /** Stops the threads; pages still in flight fail. */
  async close(): Promise<void> {
    this.failure ??= new Error('The render worker pool was closed');
    await Promise.all(this.running.map(({ worker }) => worker.terminate()));
  }

  private start(): Running {
    const worker = startWorker();
    const running: Running = { worker, inFlight: new Map() };
    worker.on('message', ({ id, error }: RenderTaskResult) => {
      const task = running.inFlight.get(id);
      running.inFlight.delete(id);
      if (error === undefined) task?.resolve();
      else task?.reject(new Error(error));
    });
    // A worker that dies (it could not load, ran out of memory) fails what it held and takes no more.
    const died = (error: Error) => {
      const index = this.running.indexOf(running);
      if (index !== -1) this.running.splice(index, 1);
      if (this.running.length === 0) this.failure ??= error;
      for (const task of running.inFlight.values()) task.reject(error);
      running.inFlight.clear();
    };
    worker.on('error', died);
    worker.on('exit', (code) => died(new Error(`A render worker stopped (exit code ${code})`)));
    return running;
  }

  private run(input: TaskInput): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    // The least busy thread: pages differ in size, so round robin would leave some idle.
    const target = this.running.reduce((least, candidate) =>
      candidate.inFlight.size < least.inFlight.size ? candidate : least,
    );
    const id = this.nextId++;
    return new Promise<void>((resolve, reject) => {
      target.inFlight.set(id, { resolve, reject });
      target.worker.postMessage({ ...input, id } as RenderTask);
    });
  }
}
