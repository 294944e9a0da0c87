import { parentPort } from 'node:worker_threads';
import { sitePublisherFromEnv } from '../shared/site-publishing';
import type { RenderTask, RenderTaskResult } from './render-worker-pool';
import type { SitePublisher } from './site-publisher';

/**
 * One thread of the render worker pool: renders the pages it is sent and writes them, through a
 * publisher of its own configured from the environment exactly as the render function's, so a page
 * written here is the page the stream would have written (its own "Latest news" list, read once).
 */

if (!parentPort) throw new Error('render-worker.ts runs as a worker thread of RenderWorkerPool');
const port = parentPort;
// Made on the first page, not at start: the pool may start before the caller has configured the
// environment it shares with its workers (the local stack sets the emulators' endpoints).
let publisher: SitePublisher | undefined;

async function run(task: RenderTask): Promise<void> {
  publisher ??= sitePublisherFromEnv();
  if (task.kind === 'page') await publisher.putArticlePage(task.article);
  else await publisher.putRedirectPage(task.redirect, task.target);
}

port.on('message', (task: RenderTask) => {
  run(task).then(
    () => port.postMessage({ id: task.id } satisfies RenderTaskResult),
    (error: unknown) =>
      port.postMessage({
        id: task.id,
        error: error instanceof Error ? error.message : String(error),
      } satisfies RenderTaskResult),
  );
});
