import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context, DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { articleChangeOf } from '../adapters/stream-changes';
import { type ArticleEvent, articleEventFor } from '../publishing/article-events';
import { invalidateOrDefer } from '../publishing/redrive';
import { coalesceIndexObjects, type IndexObject } from '../render/site-objects';
import { articleEventSinkFromEnv } from '../shared/article-events';
import { failureQueueFromEnv } from '../shared/failure-queue';
import { invalidatorFromEnv } from '../shared/invalidator';
import { logger, metrics } from '../shared/observability';
import { siteFromEnv } from '../shared/site';
import { sitePublisherFromEnv } from '../shared/site-publishing';

const publisher = sitePublisherFromEnv();
const { baseUrl } = siteFromEnv();
const articleEvents = articleEventSinkFromEnv();
const invalidator = invalidatorFromEnv('render');
const failureQueue = failureQueueFromEnv();

/**
 * DynamoDB Streams → the rendered site. Records are applied in order; the first that fails is reported
 * in `batchItemFailures` and processing stops there, so Lambda retries from that record and every later
 * change of the same item stays in order. The index objects the applied records affect are rendered
 * once per batch, and the exact paths that changed are invalidated in one request. Then each applied
 * change that readers can see is announced (functions/publishing/article-events.ts): last, so that an
 * event's URL already answers with the new page. Events that cannot be sent fail the batch, which is
 * retried whole (rendering is idempotent, and the events keep their ids for consumers to dedupe).
 */
export const handler = async (
  event: DynamoDBStreamEvent,
  context: Context,
): Promise<DynamoDBBatchResponse> => {
  logger.addContext(context);
  publisher.startBatch();
  const indexes: IndexObject[] = [];
  const invalidationPaths: string[] = [];
  const events: ArticleEvent[] = [];
  const now = new Date();
  const batchItemFailures: DynamoDBBatchResponse['batchItemFailures'] = [];
  let applied = 0;

  for (const record of event.Records) {
    const change = articleChangeOf(record);
    if (!change) continue;
    try {
      const outcome = await publisher.applyChange(change.oldImage, change.newImage);
      if (outcome.edgeRoutesFull) {
        // Not retried: the bucket's redirect pages stand in until repair finds room (docs/deploy.md).
        logger.error('The edge routes store is full; this change is served by the bucket alone', {
          articleId: (change.newImage ?? change.oldImage)?.id,
        });
        metrics.addMetric('EdgeRoutesStoreFull', MetricUnit.Count, 1);
      }
      indexes.push(...outcome.indexes);
      invalidationPaths.push(...outcome.invalidationPaths);
      const announced = articleEventFor(change.oldImage, change.newImage, baseUrl, now);
      if (announced) events.push(announced);
      applied += 1;
    } catch (error) {
      logger.error('Rendering a change failed; it will be retried', {
        error: error as Error,
        sequenceNumber: record.dynamodb?.SequenceNumber,
        articleId: (change.newImage ?? change.oldImage)?.id,
      });
      batchItemFailures.push({ itemIdentifier: record.dynamodb?.SequenceNumber ?? '' });
      break;
    }
  }

  // An index failure throws: the whole batch is retried (page writes are idempotent), and in AWS the
  // event source mapping bisects it to isolate a record that keeps failing.
  const coalesced = coalesceIndexObjects(indexes);
  await publisher.renderIndexes(coalesced);
  // A busy CloudFront never fails the batch: the paths wait in the failure queue for redrive.
  if (await invalidateOrDefer(invalidator, failureQueue, invalidationPaths)) {
    logger.error('Invalidation deferred to the failure queue', { paths: invalidationPaths.length });
    metrics.addMetric('InvalidationsDeferred', MetricUnit.Count, 1);
  }

  await articleEvents.publish(events);

  metrics.addMetric('ChangesRendered', MetricUnit.Count, applied);
  metrics.addMetric('ArticleEventsSent', MetricUnit.Count, events.length);
  metrics.addMetric('IndexObjectsRendered', MetricUnit.Count, coalesced.length);
  if (batchItemFailures.length > 0) metrics.addMetric('RenderFailures', MetricUnit.Count, 1);
  metrics.publishStoredMetrics();
  return { batchItemFailures };
};
