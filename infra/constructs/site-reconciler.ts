import { Duration } from 'aws-cdk-lib';
import type { IDistribution, IKeyValueStore } from 'aws-cdk-lib/aws-cloudfront';
import { type CronOptions, type IEventBus, Rule, RuleTargetInput, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { TABLE_DESIGN } from '../../functions/store/table-design';
import type { ArticlesTable } from './articles-table';
import { grantEdgeRoutesWrite, grantGonePathsScan } from './edge-routes-access';
import {
  grantArticleEventsPut,
  grantFailedBatchRead,
  grantFailureQueueRedrive,
  grantIndexQuery,
  grantInvalidation,
  grantItemRead,
  grantPagesRepair,
  grantTagMembershipsRepairRead,
  grantTagMembershipsWrite,
  type SiteEnvironment,
  setSiteEnvironment,
} from './function-access';
import { NewsFunction } from './news-function';

export interface SiteReconcilerProps {
  readonly table: ArticlesTable;
  readonly pagesBucket: IBucket;
  readonly distribution: IDistribution;
  /** The edge routes store (301s and 410s) the function keeps in step with the table. */
  readonly edgeRoutes: IKeyValueStore;
  readonly site: SiteEnvironment;
  /** The render failure queue, read and emptied in redrive mode. */
  readonly failureQueue: IQueue;
  /** Where redrive announces the changes the render function gave up on (docs/events.md). */
  readonly articleEvents: IEventBus;
}

/** Once a day, at a quiet hour and off the full hour that everyone else's schedules start on (UTC). */
export const RECONCILE_SCHEDULE: CronOptions = { minute: '17', hour: '3' };
export const RECONCILE_TIMEOUT = Duration.minutes(15);

/**
 * Keeps the bucket converged to the table: a function that writes missing or stale pages, deletes the
 * pages of articles that are no longer public and invalidates exactly what changed, run daily by an
 * EventBridge rule and on demand (`{"dryRun": true}`, `{"redrive": true}`: docs/deploy.md).
 */
export class SiteReconciler extends Construct {
  readonly reconcileFunction: NewsFunction;
  readonly rule: Rule;

  constructor(scope: Construct, id: string, props: SiteReconcilerProps) {
    super(scope, id);

    this.reconcileFunction = new NewsFunction(this, 'ReconcileFunction', {
      handler: 'reconcile-site',
      description: 'Repairs the rendered site from the articles table (daily, and on demand)',
      // A whole-site pass: the longest Lambda allows, and the memory of the renderer it renders like.
      timeout: RECONCILE_TIMEOUT,
      memorySize: 1024,
    });
    grantIndexQuery(this.reconcileFunction, props.table, [
      TABLE_DESIGN.indexes.latest.indexName,
      TABLE_DESIGN.indexes.latestBySection.indexName,
      TABLE_DESIGN.indexes.latestByTag.indexName,
    ]);
    grantTagMembershipsWrite(this.reconcileFunction, props.table);
    grantTagMembershipsRepairRead(this.reconcileFunction, props.table);
    grantItemRead(this.reconcileFunction, props.table);
    grantPagesRepair(this.reconcileFunction, props.pagesBucket);
    grantInvalidation(this.reconcileFunction, props.distribution);
    grantEdgeRoutesWrite(this.reconcileFunction, props.edgeRoutes);
    grantGonePathsScan(this.reconcileFunction, props.table);
    grantFailureQueueRedrive(this.reconcileFunction, props.failureQueue);
    grantFailedBatchRead(this.reconcileFunction, props.table);
    grantArticleEventsPut(this.reconcileFunction, props.articleEvents);
    setSiteEnvironment(this.reconcileFunction, props.site);
    // A failed run raises the Errors alarm and the next run repairs; retrying a run that timed out would
    // only time out again, for another quarter of an hour.
    this.reconcileFunction.function.configureAsyncInvoke({ retryAttempts: 0 });

    this.rule = new Rule(this, 'Daily', {
      description: 'Repairs the rendered site from the articles table',
      schedule: Schedule.cron(RECONCILE_SCHEDULE),
      targets: [
        new LambdaFunction(this.reconcileFunction.function, {
          // A full repair that also empties the failure queue, so whatever failed converges within a day
          // even if nobody answers the alarm.
          event: RuleTargetInput.fromObject({ redrive: true }),
          retryAttempts: 2,
          maxEventAge: Duration.hours(1),
        }),
      ],
    });
  }
}
