import { Duration } from 'aws-cdk-lib';
import {
  Alarm,
  ComparisonOperator,
  type IAlarmAction,
  type IMetric,
  Metric,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { type NewsFunction, POWERTOOLS_METRICS_NAMESPACE, POWERTOOLS_SERVICE_NAME } from './news-function';

export interface OperationalAlarmsProps {
  /** Every function of the stack, by a readable name used in the alarm ids. */
  readonly functions: ReadonlyMap<string, NewsFunction>;
  /** The stream renderer, whose lag is watched. */
  readonly renderFunction: NewsFunction;
  readonly renderFailureQueue: IQueue;
  readonly alarmTopic?: ITopic;
}

/** A render waiting longer than this means the renderer is failing or falling behind publishing. */
export const MAX_ITERATOR_AGE = Duration.minutes(5);

/**
 * Alarms that need a person: any function error or throttle, any change the renderer gave up on, a
 * renderer falling behind the stream, and a full edge routes store. Missing data is normal (no traffic)
 * and never alarms.
 */
export class OperationalAlarms extends Construct {
  readonly alarms: Alarm[] = [];
  private readonly action?: IAlarmAction;

  constructor(scope: Construct, id: string, props: OperationalAlarmsProps) {
    super(scope, id);
    this.action = props.alarmTopic ? new SnsAction(props.alarmTopic) : undefined;

    for (const [name, fn] of props.functions) {
      this.add(`${name}Errors`, {
        alarmDescription: `${name}: the function failed (an unhandled error, a timeout or a crash).`,
        metric: fn.function.metricErrors({ period: Duration.minutes(1), statistic: 'Sum' }),
        threshold: 0,
      });
      this.add(`${name}Throttles`, {
        alarmDescription: `${name}: invocations were throttled (concurrency limit reached).`,
        metric: fn.function.metricThrottles({ period: Duration.minutes(1), statistic: 'Sum' }),
        threshold: 0,
      });
    }

    this.add('RenderFailures', {
      alarmDescription:
        'The renderer gave up on stream records: their pages are stale until re-rendered (see docs/deploy.md).',
      metric: props.renderFailureQueue.metricApproximateNumberOfMessagesVisible({
        period: Duration.minutes(1),
        statistic: 'Maximum',
      }),
      threshold: 0,
    });

    this.add('RenderIteratorAge', {
      alarmDescription:
        'The renderer is falling behind the articles stream: published changes are not yet live.',
      metric: props.renderFunction.function.metric('IteratorAge', {
        period: Duration.minutes(1),
        statistic: 'Maximum',
      }),
      threshold: MAX_ITERATOR_AGE.toMilliseconds(),
    });

    // The render function counts the changes the KeyValueStore had no room for (its 5 MB): their old URLs
    // fall back to the bucket's redirect pages (200) and missing pages (404) instead of 301 and 410.
    this.add('EdgeRoutesStoreFull', {
      alarmDescription:
        'The edge routes store (CloudFront KeyValueStore) is full: new redirects and takedowns are not answered ' +
        'at the edge (301/410) until room is made (see docs/deploy.md).',
      metric: new Metric({
        namespace: POWERTOOLS_METRICS_NAMESPACE,
        metricName: 'EdgeRoutesStoreFull',
        dimensionsMap: { service: POWERTOOLS_SERVICE_NAME },
        period: Duration.minutes(5),
        statistic: 'Sum',
      }),
      threshold: 0,
    });
  }

  private add(id: string, options: { alarmDescription: string; metric: IMetric; threshold: number }): void {
    const alarm = new Alarm(this, id, {
      alarmDescription: options.alarmDescription,
      metric: options.metric,
      threshold: options.threshold,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    if (this.action) {
      alarm.addAlarmAction(this.action);
      alarm.addOkAction(this.action);
    }
    this.alarms.push(alarm);
  }
}
