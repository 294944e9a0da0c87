import { Duration } from 'aws-cdk-lib';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { Construct } from 'constructs';
import type { ArticlesTable } from './articles-table';
import { grantTableReadWrite } from './function-access';
import { NewsFunction } from './news-function';

export interface ScheduledPublisherProps {
  readonly table: ArticlesTable;
}

/**
 * Publishes scheduled articles when their time comes: every minute, one Query on the sparse
 * DueForPublication index and a versioned write per due article; the stream then renders them.
 */
export class ScheduledPublisher extends Construct {
  readonly publishFunction: NewsFunction;
  readonly rule: Rule;

  constructor(scope: Construct, id: string, props: ScheduledPublisherProps) {
    super(scope, id);

    this.publishFunction = new NewsFunction(this, 'PublishFunction', {
      handler: 'publish-due-articles',
      description: 'Publishes scheduled articles whose publication time has come',
      // Shorter than the schedule, so that two runs rarely overlap (the writes are conditional anyway).
      timeout: Duration.seconds(50),
    });
    grantTableReadWrite(this.publishFunction, props.table);
    // The next run a minute later is the retry; Lambda's own async retries would only overlap with it.
    this.publishFunction.function.configureAsyncInvoke({ retryAttempts: 0 });

    this.rule = new Rule(this, 'EveryMinute', {
      description: 'Publishes due scheduled articles',
      schedule: Schedule.rate(Duration.minutes(1)),
      // A run that could not start within a minute is superseded by the next one.
      targets: [
        new LambdaFunction(this.publishFunction.function, {
          retryAttempts: 2,
          maxEventAge: Duration.minutes(1),
        }),
      ],
    });
  }
}
