import pLimit from 'p-limit';
import type { ArticleRepository } from '../domain/article-repository';
import type { CursorKey } from '../domain/cursor';
import type { SitePublisher } from './site-publisher';

export interface RerenderProgress {
  readonly rendered: number;
  readonly failed: number;
}

export interface RerenderOptions {
  readonly concurrency: number;
  /** Articles read per page of the `Latest` index. */
  readonly pageSize?: number;
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: RerenderProgress) => void;
  readonly onFailure?: (articleId: string, error: unknown) => void;
}

export interface RerenderSummary extends RerenderProgress {
  readonly interrupted: boolean;
  /** Article pages and redirects written, for a caller that invalidates a CDN. */
  readonly paths: readonly string[];
}

/**
 * Re-renders every published article and then every index object, from the table: after a template
 * change, or to rebuild a lost bucket. It pages through the `Latest` index (no Scan), renders at most
 * `concurrency` articles at once, and only ever overwrites objects with fresh renders, so it can be
 * interrupted at any point and simply run again.
 */
export async function rerenderSite(
  articles: ArticleRepository,
  publisher: SitePublisher,
  options: RerenderOptions,
): Promise<RerenderSummary> {
  const limit = pLimit(options.concurrency);
  const paths: string[] = [];
  let rendered = 0;
  let failed = 0;
  let startKey: CursorKey | undefined;
  publisher.startBatch();

  do {
    if (options.signal?.aborted) break;
    const page = await articles.listLatest({ limit: options.pageSize ?? 100, startKey });
    await Promise.all(
      page.items.map((summary) =>
        limit(async () => {
          if (options.signal?.aborted) return;
          try {
            // The list entry has no body: the page is rendered from the stored article.
            const article = await articles.get(summary.id);
            if (article) {
              const outcome = await publisher.applyChange(undefined, article);
              paths.push(...outcome.invalidationPaths);
            }
            rendered += 1;
          } catch (error) {
            failed += 1;
            options.onFailure?.(summary.id, error);
          }
          options.onProgress?.({ rendered, failed });
        }),
      ),
    );
    startKey = page.nextKey;
  } while (startKey);

  const interrupted = options.signal?.aborted ?? false;
  if (!interrupted) await publisher.renderAllIndexes();
  return { rendered, failed, interrupted, paths };
}
