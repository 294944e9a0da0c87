import * as z from 'zod/mini';
import { type Article, isLive } from '../domain/article';
import type { ArticleRepository } from '../domain/article-repository';
import { redirectTarget } from '../render/redirect-page';
import { liveRedirectObjects } from '../render/site-objects';
import { runConcurrently } from './run-concurrently';
import type { SitePublisher } from './site-publisher';

/**
 * A re-render of the whole archive in AWS (`npm run rerender` against a deployment), fanned out as
 * chunks of article ids on an SQS queue: this module is the message and what one chunk function does
 * with it. The sending side is functions/publishing/archive-fanout.ts.
 */

/**
 * Articles named by one message. A chunk is re-rendered, and when anything in it fails retried, as a
 * whole: 100 pages take about a second to render and write, and 100 ids of 26 characters keep a message
 * near 3 KB, so ten fit in one SendMessageBatch (256 KB) with room to spare.
 */
export const MAX_CHUNK_SIZE = 100;

export interface RerenderChunk {
  /** Which run sent it (for the logs): the sender's start time. */
  readonly run: string;
  /** Position in the run, from 0. */
  readonly chunk: number;
  readonly ids: readonly string[];
}

// zod/mini: the same validation in ~20 KB of the function's bundle instead of ~450 KB.
const chunkSchema = z.strictObject({
  kind: z.literal('rerender-chunk'),
  run: z.string().check(z.minLength(1), z.maxLength(64)),
  chunk: z.int().check(z.nonnegative()),
  ids: z
    .array(z.string().check(z.minLength(1), z.maxLength(128)))
    .check(z.minLength(1), z.maxLength(MAX_CHUNK_SIZE)),
});

export function encodeChunk(chunk: RerenderChunk): string {
  return JSON.stringify({ kind: 'rerender-chunk', run: chunk.run, chunk: chunk.chunk, ids: chunk.ids });
}

/** A message that is not a chunk can never succeed; it fails, and ends in the dead-letter queue. */
export class InvalidChunkError extends Error {
  override name = 'InvalidChunkError';
}

export function decodeChunk(body: string): RerenderChunk {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw new InvalidChunkError('The message is not JSON');
  }
  const result = chunkSchema.safeParse(parsed);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new InvalidChunkError(
      `The message is not a re-render chunk: ${issue?.path.join('.') || 'the message'}: ${issue?.message}`,
    );
  }
  const { run, chunk, ids } = result.data;
  return { run, chunk, ids };
}

export interface ChunkOutcome {
  /** Live articles whose page was written. */
  readonly rendered: number;
  /** Redirect pages written at the rendered articles' earlier paths. */
  readonly redirects: number;
  /** Ids that are no longer live (unpublished or deleted since the listing): nothing written. */
  readonly skipped: number;
  readonly failures: readonly { readonly id: string; readonly error: string }[];
}

/** Articles read and pages written at once within a chunk: a few S3 round trips overlap, no more. */
const CHUNK_CONCURRENCY = 8;

/**
 * Re-renders one chunk: each article is read with a strongly consistent read (the index the ids came
 * from lags behind the table), and a live one gets its page and its redirect pages written, exactly as
 * the stream renderer writes them. What is no longer live is skipped, not deleted: pruning belongs to
 * the repair that `npm run rerender` runs once the queue has drained, which re-checks every path
 * against the table before deleting anything. That repair also rewrites any page this chunk wrote from
 * a version that an edit overtook meanwhile (the page's stored version then differs from the table's).
 *
 * Every article is attempted even when another fails; the failures are returned, and the caller fails
 * the message so that SQS retries the whole chunk (writes are idempotent).
 */
export class ChunkRenderer {
  constructor(
    private readonly articles: Pick<ArticleRepository, 'get'>,
    private readonly publisher: Pick<SitePublisher, 'startBatch' | 'putArticlePage' | 'putRedirectPage'>,
    private readonly concurrency = CHUNK_CONCURRENCY,
  ) {}

  async render(ids: readonly string[]): Promise<ChunkOutcome> {
    // The "Latest news" list on the pages is read once per chunk, not once per page.
    this.publisher.startBatch();
    let rendered = 0;
    let redirects = 0;
    let skipped = 0;
    const failures: { id: string; error: string }[] = [];
    await runConcurrently(new Set(ids), this.concurrency, async (id) => {
      try {
        const article = await this.articles.get(id);
        if (!article || !isLive(article)) {
          skipped += 1;
          return;
        }
        redirects += await this.write(article);
        rendered += 1;
      } catch (error) {
        failures.push({ id, error: error instanceof Error ? error.message : String(error) });
      }
    });
    return { rendered, redirects, skipped, failures };
  }

  private async write(article: Article): Promise<number> {
    await this.publisher.putArticlePage(article);
    const redirects = liveRedirectObjects(article);
    for (const redirect of redirects) await this.publisher.putRedirectPage(redirect, redirectTarget(article));
    return redirects.length;
  }
}

/** One queue message as the event source delivers it. */
export interface ChunkMessage {
  readonly messageId: string;
  readonly body: string;
}

export interface ChunkReport {
  readonly messageId: string;
  readonly chunk?: RerenderChunk;
  readonly outcome?: ChunkOutcome;
  /** Why the message failed (it is retried by SQS, and dead-lettered after the last receive). */
  readonly error?: string;
}

/**
 * Renders each message's chunk and returns the ids of the messages that failed, for the event source
 * mapping's partial batch response: only those return to the queue. A message fails when it is not a
 * chunk or when any of its articles failed; its skipped articles never fail it.
 */
export async function renderChunkMessages(
  messages: readonly ChunkMessage[],
  renderer: Pick<ChunkRenderer, 'render'>,
  report: (report: ChunkReport) => void = () => undefined,
): Promise<string[]> {
  const failed: string[] = [];
  for (const { messageId, body } of messages) {
    let chunk: RerenderChunk | undefined;
    try {
      chunk = decodeChunk(body);
      const outcome = await renderer.render(chunk.ids);
      const error =
        outcome.failures.length > 0 ? `${outcome.failures.length} article(s) failed to render` : undefined;
      if (error) failed.push(messageId);
      report({ messageId, chunk, outcome, ...(error ? { error } : {}) });
    } catch (error) {
      failed.push(messageId);
      report({ messageId, chunk, error: error instanceof Error ? error.message : String(error) });
    }
  }
  return failed;
}
