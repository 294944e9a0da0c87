import { Duration, Validations } from 'aws-cdk-lib';
import type { IDistribution, IKeyValueStore } from 'aws-cdk-lib/aws-cloudfront';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import { FilterCriteria, FilterRule, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { ENV } from '../../functions/config/environment';
import { ITEM_KEY_PREFIXES, TABLE_DESIGN } from '../../functions/store/table-design';
import type { ArticlesTable } from './articles-table';
import { grantEdgeRoutesWrite } from './edge-routes-access';
import {
  grantArticleEventsPut,
  grantIndexQuery,
  grantInvalidation,
  grantPagesWrite,
  grantRendererItemReads,
  grantTagMembershipsWrite,
  type SiteEnvironment,
  setSiteEnvironment,
} from './function-access';
import { NewsFunction } from './news-function';

export interface PageRendererProps {
  readonly table: ArticlesTable;
  readonly pagesBucket: IBucket;
  readonly distribution: IDistribution;
  /** The edge routes store (301s and 410s) the function keeps in step with the table. */
  readonly edgeRoutes: IKeyValueStore;
  readonly site: SiteEnvironment;
  /** Where each public change is announced (docs/events.md). */
  readonly articleEvents: IEventBus;
}

/** Stream batching: up to this many changes are rendered together, so index pages are rendered once. */
export const RENDER_BATCH_SIZE = 100;
export const RENDER_BATCHING_WINDOW = Duration.seconds(5);
/** After this many retries (each halving the failing batch), the records go to the failure queue. */
export const RENDER_RETRY_ATTEMPTS = 5;

/**
 * Renders pages from the table's change stream. A failing record is retried, the batch bisected to
 * isolate it, and finally its stream coordinates are sent to the failure queue: the article itself is
 * safe in the table, and the queue says that the site must be repaired (the reconciler's redrive).
 */
export class PageRenderer extends Construct {
  readonly renderFunction: NewsFunction;
  readonly failureQueue: Queue;

  constructor(scope: Construct, id: string, props: PageRendererProps) {
    super(scope, id);

    this.failureQueue = new Queue(this, 'FailureQueue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      // The longest SQS allows: the messages keep the alarm firing until someone redrives.
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.failureQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        'This queue is itself the on-failure destination of the render stream mapping (a dead-letter queue ' +
        'that cdk-nag cannot recognise as one). Its messages only say that some change failed: the ' +
        "reconciler's redrive repairs the whole site from the table and deletes them after a successful " +
        'repair, so no message can be poison, and a DLQ behind it would only hide them from the alarm that ' +
        'fires on the first one.',
    });

    this.renderFunction = new NewsFunction(this, 'RenderFunction', {
      handler: 'render-pages',
      description: 'Renders article, index, feed and sitemap pages from the articles stream',
      // A full batch renders up to 100 article pages plus the shared index objects once.
      timeout: Duration.minutes(2),
      memorySize: 1024,
    });
    grantPagesWrite(this.renderFunction, props.pagesBucket);
    grantInvalidation(this.renderFunction, props.distribution);
    grantEdgeRoutesWrite(this.renderFunction, props.edgeRoutes);
    grantIndexQuery(this.renderFunction, props.table, [
      TABLE_DESIGN.indexes.latest.indexName,
      TABLE_DESIGN.indexes.latestBySection.indexName,
      TABLE_DESIGN.indexes.latestByTag.indexName,
    ]);
    grantTagMembershipsWrite(this.renderFunction, props.table);
    grantRendererItemReads(this.renderFunction, props.table);
    setSiteEnvironment(this.renderFunction, props.site);
    grantArticleEventsPut(this.renderFunction, props.articleEvents);
    // Invalidations CloudFront keeps refusing are left in the failure queue for redrive. Sending to it is
    // already granted: it is the stream mapping's on-failure destination (see the event source below).
    this.renderFunction.addEnvironment(ENV.failureQueueUrl, this.failureQueue.queueUrl);

    this.renderFunction.function.addEventSource(
      new DynamoEventSource(props.table.table, {
        // Changes written before the mapping existed (first deploy, re-creation) are rendered too.
        startingPosition: StartingPosition.TRIM_HORIZON,
        batchSize: RENDER_BATCH_SIZE,
        maxBatchingWindow: RENDER_BATCHING_WINDOW,
        bisectBatchOnError: true,
        retryAttempts: RENDER_RETRY_ATTEMPTS,
        reportBatchItemFailures: true,
        onFailure: new SqsDlq(this.failureQueue),
        // Slug claims and idempotency records share the table but never become pages: filtering them
        // out at the mapping saves the invocations (the handler skips them too, for the local feed).
        filters: [
          FilterCriteria.filter({
            dynamodb: {
              Keys: { [TABLE_DESIGN.partitionKey]: { S: FilterRule.beginsWith(ITEM_KEY_PREFIXES.article) } },
            },
          }),
        ],
      }),
    );
  }
}
