import { Duration } from 'aws-cdk-lib';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { TABLE_DESIGN } from '../../functions/store/table-design';
import type { ArticlesTable } from './articles-table';
import {
  grantIndexQuery,
  grantItemRead,
  grantPagesPut,
  type SiteEnvironment,
  setSiteEnvironment,
} from './function-access';
import { NewsFunction } from './news-function';

export interface ArchiveRerenderProps {
  readonly table: ArticlesTable;
  readonly pagesBucket: IBucket;
  readonly site: SiteEnvironment;
  /** @default RERENDER_MAX_CONCURRENCY */
  readonly maxConcurrency?: number;
}

/**
 * A chunk of 100 articles takes about a second (100 consistent reads, 100 renders of ~1-2 ms of CPU, 100
 * S3 PUTs eight at a time): thirty seconds is ample for slow S3 or DynamoDB retries, and short enough
 * that a retry does not wait long (the queue hides a message for six times this).
 */
export const RERENDER_CHUNK_TIMEOUT = Duration.seconds(30);
/**
 * Chunks rendered at once. Five keep S3 far below its 3,500 PUTs a second per prefix and DynamoDB's
 * partitions far below 3,000 read units a second (five chunks a second at most: ~500 PUTs and ~1,500
 * read units), and leave room in accounts whose whole Lambda quota is 10 concurrent executions.
 */
export const RERENDER_MAX_CONCURRENCY = 5;
/**
 * Receives before a chunk is dead-lettered. AWS recommends at least five for Lambda event sources: an
 * invocation throttled by the account's concurrency limit returns its message and counts as a receive.
 */
export const RERENDER_MAX_RECEIVES = 5;

/**
 * Re-renders the whole archive in AWS (`npm run rerender` against a deployment, docs/deploy.md): the
 * command sends chunks of article ids to a queue, and a function consumes them one message at a time,
 * with a maximum concurrency, reporting a failed chunk alone (partial batch responses) so that SQS
 * retries it and, after the last receive, dead-letters it. The function reads articles and writes pages,
 * and nothing else: pruning, the index objects and the invalidation are left to the command, once the
 * queue has drained.
 */
export class ArchiveRerender extends Construct {
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;
  readonly chunkFunction: NewsFunction;

  constructor(scope: Construct, id: string, props: ArchiveRerenderProps) {
    super(scope, id);

    this.deadLetterQueue = new Queue(this, 'DeadLetterQueue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      // The longest SQS allows: a failed chunk waits for someone to read `npm run rerender`'s summary.
      retentionPeriod: Duration.days(14),
    });
    this.queue = new Queue(this, 'Queue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      // AWS's recommendation for a Lambda event source: time for the retries of a throttled invocation.
      visibilityTimeout: Duration.seconds(RERENDER_CHUNK_TIMEOUT.toSeconds() * 6),
      // A run lasts hours at most; a chunk that outlived this was not going to be rendered.
      retentionPeriod: Duration.days(4),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: RERENDER_MAX_RECEIVES },
    });

    this.chunkFunction = new NewsFunction(this, 'ChunkFunction', {
      handler: 'rerender-chunk',
      description: 'Re-renders the pages of one chunk of the archive (npm run rerender against AWS)',
      timeout: RERENDER_CHUNK_TIMEOUT,
      // The stream renderer's memory: rendering is CPU-bound, and Lambda's CPU share grows with memory.
      memorySize: 1024,
    });
    // Strongly consistent reads of single articles, and the "Latest news" list each page carries.
    grantItemRead(this.chunkFunction, props.table);
    grantIndexQuery(this.chunkFunction, props.table, [TABLE_DESIGN.indexes.latest.indexName]);
    grantPagesPut(this.chunkFunction, props.pagesBucket);
    setSiteEnvironment(this.chunkFunction, props.site);

    // Grants the function what Lambda's pollers need on the queue (receive, delete, change visibility).
    this.chunkFunction.function.addEventSource(
      new SqsEventSource(this.queue, {
        batchSize: 1,
        maxConcurrency: props.maxConcurrency ?? RERENDER_MAX_CONCURRENCY,
        reportBatchItemFailures: true,
      }),
    );
  }
}
