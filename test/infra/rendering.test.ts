import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { ENV } from '../../functions/config/environment';
import { RENDER_BATCH_SIZE, RENDER_RETRY_ATTEMPTS } from '../../infra/constructs/page-renderer';
import {
  asArray,
  type Json,
  onlyLogicalId,
  referencedId,
  resourceAtPath,
  resourcesOfType,
  statementsOfFunction,
  synthTemplate,
} from './helpers';

let template: Template;
let mapping: Json;
let render: { logicalId: string; properties: Json };

beforeAll(() => {
  ({ template } = synthTemplate());
  render = resourceAtPath(template, 'Renderer/RenderFunction/Function');
  // The stream's mapping; the archive re-render's queue has its own (archive-rerender.test.ts).
  const mappings = resourcesOfType(template, 'AWS::Lambda::EventSourceMapping').filter(
    (m) => referencedId(m.properties.FunctionName) === render.logicalId,
  );
  expect(mappings).toHaveLength(1);
  mapping = mappings[0]?.properties;
});

describe('render function on the table stream', () => {
  it('consumes the articles table stream', () => {
    expect(mapping.EventSourceArn).toEqual({
      'Fn::GetAtt': [onlyLogicalId(template, 'AWS::DynamoDB::Table'), 'StreamArn'],
    });
    expect(referencedId(mapping.FunctionName)).toBe(render.logicalId);
    expect(mapping.StartingPosition).toBe('TRIM_HORIZON');
  });

  it('receives article changes only, not slug claims or idempotency records', () => {
    const patterns = mapping.FilterCriteria.Filters.map((filter: Json) => JSON.parse(filter.Pattern));
    expect(patterns).toEqual([{ dynamodb: { Keys: { pk: { S: [{ prefix: 'ARTICLE#' }] } } } }]);
  });

  it('batches changes so index pages are rendered once per batch', () => {
    expect(mapping.BatchSize).toBe(RENDER_BATCH_SIZE);
    expect(mapping.MaximumBatchingWindowInSeconds).toBeGreaterThan(0);
    expect(mapping.MaximumBatchingWindowInSeconds).toBeLessThanOrEqual(10);
  });

  it('isolates failures: partial batch responses, bisect on error and bounded retries', () => {
    expect(mapping.FunctionResponseTypes).toEqual(['ReportBatchItemFailures']);
    expect(mapping.BisectBatchOnFunctionError).toBe(true);
    expect(mapping.MaximumRetryAttempts).toBe(RENDER_RETRY_ATTEMPTS);
    expect(mapping.MaximumRetryAttempts).toBeGreaterThan(0);
    expect(mapping.MaximumRetryAttempts).toBeLessThanOrEqual(10);
  });

  it('sends what it gives up on to an encrypted, TLS-only failure queue', () => {
    const queueId = referencedId(mapping.DestinationConfig.OnFailure.Destination) as string;
    const queue = template.toJSON().Resources[queueId];
    expect(queue.Type).toBe('AWS::SQS::Queue');
    expect(queue.Properties.SqsManagedSseEnabled).toBe(true);
    expect(queue.Properties.MessageRetentionPeriod).toBe(14 * 24 * 3600);
    const policy = resourcesOfType(template, 'AWS::SQS::QueuePolicy').find((p) =>
      p.properties.Queues.some((q: Json) => referencedId(q) === queueId),
    );
    expect(policy?.properties.PolicyDocument.Statement).toContainEqual(
      expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
    );
  });

  it('knows the bucket, table, distribution and site', () => {
    const env = render.properties.Environment.Variables;
    expect(env[ENV.bucketName]).toEqual({ Ref: resourceAtPath(template, 'Site/PagesBucket').logicalId });
    expect(env[ENV.tableName]).toEqual({ Ref: onlyLogicalId(template, 'AWS::DynamoDB::Table') });
    expect(env[ENV.distributionId]).toEqual({
      Ref: onlyLogicalId(template, 'AWS::CloudFront::Distribution'),
    });
    expect(env[ENV.siteBaseUrl]).toBeDefined();
    expect(env[ENV.siteName]).toBeDefined();
    expect(env[ENV.siteTimeZone]).toBe('UTC');
  });

  it('may leave invalidations in the failure queue: knows its URL and may only send to it', () => {
    const queueId = resourceAtPath(template, 'Renderer/FailureQueue').logicalId;
    expect(render.properties.Environment.Variables[ENV.failureQueueUrl]).toEqual({ Ref: queueId });
    const sqs = statementsOfFunction(template, render.logicalId).filter((s) =>
      asArray(s.Action).some((action) => action.startsWith('sqs:')),
    );
    expect(sqs).toEqual([
      {
        Effect: 'Allow',
        Action: ['sqs:SendMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl'],
        Resource: { 'Fn::GetAtt': [queueId, 'Arn'] },
      },
    ]);
  });
});

describe('scheduled publisher', () => {
  it('runs publish-due-articles every minute', () => {
    const publish = resourceAtPath(template, 'Publisher/PublishFunction/Function');
    const rule = resourceAtPath(template, 'Publisher/EveryMinute').properties;
    expect(rule.ScheduleExpression).toBe('rate(1 minute)');
    expect(rule.State).toBe('ENABLED');
    expect(rule.Targets.map((t: Json) => referencedId(t.Arn))).toEqual([publish.logicalId]);
    expect(publish.properties.Environment.Variables[ENV.tableName]).toEqual({
      Ref: onlyLogicalId(template, 'AWS::DynamoDB::Table'),
    });
  });

  it('may be invoked by that rule only', () => {
    const publish = resourceAtPath(template, 'Publisher/PublishFunction/Function');
    const permissions = resourcesOfType(template, 'AWS::Lambda::Permission').filter(
      (p) => referencedId(p.properties.FunctionName) === publish.logicalId,
    );
    expect(permissions).toHaveLength(1);
    expect(permissions[0]?.properties.Principal).toBe('events.amazonaws.com');
    expect(referencedId(permissions[0]?.properties.SourceArn)).toBe(
      resourceAtPath(template, 'Publisher/EveryMinute').logicalId,
    );
  });
});

describe('article events', () => {
  it('go to a bus of the stack’s own, named in the render function’s environment and the outputs', () => {
    const busId = onlyLogicalId(template, 'AWS::Events::EventBus');
    expect(render.properties.Environment.Variables[ENV.eventBusName]).toEqual({ Ref: busId });
    const outputs = template.toJSON().Outputs as Json;
    expect(outputs.ArticleEventBusName.Value).toEqual({ Ref: busId });
  });
});
