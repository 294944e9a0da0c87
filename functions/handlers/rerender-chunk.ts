import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { DynamoDbArticleRepository } from '../adapters/dynamodb-article-repository';
import { getDocumentClient } from '../adapters/dynamodb-client';
import { getS3Client } from '../adapters/s3-client';
import { S3PageStore } from '../adapters/s3-page-store';
import { ENV, getStringFromEnv } from '../config/environment';
import { loadSiteConfig } from '../config/site';
import { ChunkRenderer, renderChunkMessages } from '../publishing/rerender-chunks';
import { SitePublisher } from '../publishing/site-publisher';
import { logger, metrics } from '../shared/observability';

// Built here, from the adapters themselves: this function needs the table, the bucket and the page
// renderer, and nothing else (no CloudFront, no queues, no reconciler).
const repository = new DynamoDbArticleRepository(getDocumentClient(), getStringFromEnv(ENV.tableName));
const pages = new S3PageStore(getS3Client(), getStringFromEnv(ENV.bucketName));
const renderer = new ChunkRenderer(
  repository,
  new SitePublisher(loadSiteConfig(process.env), repository, pages),
);

/**
 * One chunk of a whole-archive re-render (`npm run rerender` against AWS): the queue's event source
 * mapping delivers one message at a time. A chunk with a failed article is reported in
 * `batchItemFailures`, so SQS retries it whole after the visibility timeout and dead-letters it after the
 * last receive; `npm run rerender` counts the dead-lettered chunks and says how to retry them.
 */
export const handler = async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
  logger.addContext(context);
  const failed = await renderChunkMessages(
    event.Records,
    renderer,
    ({ messageId, chunk, outcome, error }) => {
      const fields = {
        messageId,
        run: chunk?.run,
        chunk: chunk?.chunk,
        articles: chunk?.ids.length,
        ...outcome,
      };
      if (error) logger.error('Re-render chunk failed; SQS retries it', { ...fields, error });
      else logger.info('Re-rendered a chunk', fields);
      metrics.addMetric('ArticlesRerendered', MetricUnit.Count, outcome?.rendered ?? 0);
      metrics.addMetric('ArticlesSkipped', MetricUnit.Count, outcome?.skipped ?? 0);
      metrics.addMetric('RerenderChunkFailures', MetricUnit.Count, error ? 1 : 0);
    },
  );
  metrics.publishStoredMetrics();
  return { batchItemFailures: failed.map((itemIdentifier) => ({ itemIdentifier })) };
};
