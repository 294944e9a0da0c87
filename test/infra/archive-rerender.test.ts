import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { ENV } from '../../functions/config/environment';
import { TABLE_DESIGN } from '../../functions/store/table-design';
import {
  RERENDER_CHUNK_TIMEOUT,
  RERENDER_MAX_CONCURRENCY,
  RERENDER_MAX_RECEIVES,
} from '../../infra/constructs/archive-rerender';
import {
  allPolicyStatements,
  asArray,
  type CfnResource,
  type Json,
  onlyLogicalId,
  type PolicyStatementJson,
  referencedId,
  resourceAtPath,
  resourcesOfType,
  statementsOfFunction,
  synthTemplate,
} from './helpers';

let template: Template;
let resources: Json;
let chunk: CfnResource;
let queue: CfnResource;
let deadLetterQueue: CfnResource;
let tableId: string;
let bucketId: string;

const tableArn = () => ({ 'Fn::GetAtt': [tableId, 'Arn'] });
const queueArn = () => ({ 'Fn::GetAtt': [queue.logicalId, 'Arn'] });

/** A statement as CloudFormation renders it: one action is a string, several a list (same for resources). */
function statement(actions: string[], resource: Json[]): PolicyStatementJson {
  return {
    Effect: 'Allow',
    Action: actions.length === 1 ? actions[0] : actions,
    Resource: resource.length === 1 ? resource[0] : resource,
  };
}

function byJson(a: unknown, b: unknown): number {
  return JSON.stringify(a).localeCompare(JSON.stringify(b));
}

function mappingsOf(functionId: string): CfnResource[] {
  return resourcesOfType(template, 'AWS::Lambda::EventSourceMapping').filter(
    (m) => referencedId(m.properties.FunctionName) === functionId,
  );
}

beforeAll(() => {
  ({ template } = synthTemplate());
  resources = template.toJSON().Resources;
  chunk = resourceAtPath(template, 'Rerender/ChunkFunction/Function');
  queue = resourceAtPath(template, 'Rerender/Queue');
  deadLetterQueue = resourceAtPath(template, 'Rerender/DeadLetterQueue');
  tableId = onlyLogicalId(template, 'AWS::DynamoDB::Table');
  bucketId = resourceAtPath(template, 'Site/PagesBucket').logicalId;
});

describe('re-render queue', () => {
  it('is encrypted by SQS and hides a received chunk for six times the function timeout', () => {
    expect(queue.properties.SqsManagedSseEnabled).toBe(true);
    expect(queue.properties.KmsMasterKeyId).toBeUndefined();
    expect(chunk.properties.Timeout).toBe(RERENDER_CHUNK_TIMEOUT.toSeconds());
    expect(queue.properties.VisibilityTimeout).toBeGreaterThanOrEqual(6 * chunk.properties.Timeout);
  });

  it(`dead-letters a chunk after ${RERENDER_MAX_RECEIVES} receives`, () => {
    expect(queue.properties.RedrivePolicy).toEqual({
      deadLetterTargetArn: { 'Fn::GetAtt': [deadLetterQueue.logicalId, 'Arn'] },
      maxReceiveCount: RERENDER_MAX_RECEIVES,
    });
    expect(RERENDER_MAX_RECEIVES).toBeGreaterThanOrEqual(5);
  });

  it('has a dead-letter queue, encrypted by SQS, that keeps failed chunks 14 days and longer than the queue', () => {
    expect(deadLetterQueue.properties.SqsManagedSseEnabled).toBe(true);
    expect(deadLetterQueue.properties.MessageRetentionPeriod).toBe(14 * 24 * 3600);
    expect(deadLetterQueue.properties.MessageRetentionPeriod).toBeGreaterThan(
      queue.properties.MessageRetentionPeriod,
    );
    expect(deadLetterQueue.properties.RedrivePolicy).toBeUndefined();
  });

  it('both refuse requests without TLS', () => {
    for (const target of [queue, deadLetterQueue]) {
      const policies = resourcesOfType(template, 'AWS::SQS::QueuePolicy').filter((p) =>
        asArray<Json>(p.properties.Queues).some((q) => referencedId(q) === target.logicalId),
      );
      expect(policies, target.logicalId).toHaveLength(1);
      expect(policies[0]?.properties.PolicyDocument.Statement).toEqual([
        expect.objectContaining({
          Effect: 'Deny',
          Action: 'sqs:*',
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          Principal: { AWS: '*' },
        }),
      ]);
    }
  });

  it('is published as RerenderQueueUrl', () => {
    expect(template.toJSON().Outputs.RerenderQueueUrl.Value).toEqual({ Ref: queue.logicalId });
  });
});

describe('chunk function', () => {
  it('bundles functions/handlers/rerender-chunk.ts, with 1024 MB and no reserved concurrency', () => {
    expect(resources[chunk.logicalId].Metadata['aws:cdk:path']).toBe(
      'FlashNews/Rerender/ChunkFunction/Function/Resource',
    );
    expect(chunk.properties.MemorySize).toBe(1024);
    expect(chunk.properties.ReservedConcurrentExecutions).toBeUndefined();
  });

  it('is told the table, the bucket and the site, and nothing else (no distribution, no queue)', () => {
    const env = chunk.properties.Environment.Variables;
    expect(env[ENV.tableName]).toEqual({ Ref: tableId });
    expect(env[ENV.bucketName]).toEqual({ Ref: bucketId });
    expect(env[ENV.siteBaseUrl]).toBeDefined();
    expect(env[ENV.siteName]).toBeDefined();
    expect(env[ENV.siteTimeZone]).toBeDefined();
    expect(env[ENV.distributionId]).toBeUndefined();
    expect(env[ENV.failureQueueUrl]).toBeUndefined();
    const render = resourceAtPath(template, 'Renderer/RenderFunction/Function');
    // Pages look the same whoever renders them.
    for (const name of [ENV.siteBaseUrl, ENV.siteName, ENV.siteTimeZone]) {
      expect(env[name], name).toEqual(render.properties.Environment.Variables[name]);
    }
  });

  it('consumes the queue one chunk at a time, at most a few at once, reporting failed chunks alone', () => {
    const mappings = mappingsOf(chunk.logicalId);
    expect(mappings).toHaveLength(1);
    expect(mappings[0]?.properties).toEqual({
      EventSourceArn: queueArn(),
      FunctionName: { Ref: chunk.logicalId },
      BatchSize: 1,
      ScalingConfig: { MaximumConcurrency: RERENDER_MAX_CONCURRENCY },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
    // Lambda accepts 2 to 1,000; a handful keeps S3 and DynamoDB far from their per-partition limits.
    expect(RERENDER_MAX_CONCURRENCY).toBeGreaterThanOrEqual(2);
    expect(RERENDER_MAX_CONCURRENCY).toBeLessThanOrEqual(10);
  });

  it('is the only consumer of the queue', () => {
    const consumers = resourcesOfType(template, 'AWS::Lambda::EventSourceMapping').filter(
      (m) => referencedId(m.properties.EventSourceArn) === queue.logicalId,
    );
    expect(consumers.map((m) => referencedId(m.properties.FunctionName))).toEqual([chunk.logicalId]);
  });

  it('alarms on its errors and throttles', () => {
    const watched = resourcesOfType(template, 'AWS::CloudWatch::Alarm').filter((alarm) =>
      (alarm.properties.Dimensions ?? []).some(
        (d: Json) => d.Name === 'FunctionName' && d.Value?.Ref === chunk.logicalId,
      ),
    );
    expect(watched.map((alarm) => alarm.properties.MetricName).sort()).toEqual(['Errors', 'Throttles']);
  });
});

describe('chunk function permissions', () => {
  it('are exactly its actions on exactly its resources', () => {
    const logGroupId = chunk.properties.LoggingConfig.LogGroup.Ref;
    const expected = [
      statement(['logs:CreateLogStream', 'logs:PutLogEvents'], [{ 'Fn::GetAtt': [logGroupId, 'Arn'] }]),
      statement(['xray:PutTraceSegments', 'xray:PutTelemetryRecords'], ['*']),
      // Strongly consistent reads of the chunk's articles, one by one.
      statement(['dynamodb:GetItem'], [tableArn()]),
      // The "Latest news" list the pages carry; no other index, no Scan.
      statement(
        ['dynamodb:Query'],
        [{ 'Fn::Join': ['', [tableArn(), `/index/${TABLE_DESIGN.indexes.latest.indexName}`]] }],
      ),
      // Writes pages; never reads, lists or deletes them (pruning is the repair's).
      statement(['s3:PutObject'], [{ 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId, 'Arn'] }, '/*']] }]),
      // What Lambda's pollers do on its behalf, on this queue only.
      statement(
        [
          'sqs:ReceiveMessage',
          'sqs:ChangeMessageVisibility',
          'sqs:GetQueueUrl',
          'sqs:DeleteMessage',
          'sqs:GetQueueAttributes',
        ],
        [queueArn()],
      ),
    ];
    const granted = statementsOfFunction(template, chunk.logicalId);
    expect([...granted].sort(byJson)).toEqual([...expected].sort(byJson));
  });

  it('come from its own role alone, which carries no inline or managed policy', () => {
    const roleId = referencedId(chunk.properties.Role) as string;
    expect(resources[roleId].Properties.Policies).toBeUndefined();
    expect(resources[roleId].Properties.ManagedPolicyArns).toBeUndefined();
    const others = resourcesOfType(template, 'AWS::Lambda::Function').filter(
      (fn) => fn.logicalId !== chunk.logicalId,
    );
    for (const fn of others) expect(referencedId(fn.properties.Role), fn.logicalId).not.toBe(roleId);
  });

  it('no other function may touch the re-render queues', () => {
    const touching = allPolicyStatements(template)
      .filter(({ kind }) => kind === 'identity')
      .filter(({ statement }) =>
        asArray<Json>(statement.Resource).some((resource) =>
          [queue.logicalId, deadLetterQueue.logicalId].includes(referencedId(resource) as string),
        ),
      );
    const chunkRole = referencedId(chunk.properties.Role) as string;
    const chunkPolicies = resourcesOfType(template, 'AWS::IAM::Policy')
      .filter(({ properties }) => asArray<Json>(properties.Roles).some((r) => referencedId(r) === chunkRole))
      .map(({ logicalId }) => `AWS::IAM::Policy ${logicalId}`);
    expect(touching.length).toBeGreaterThan(0);
    for (const { where } of touching) expect(chunkPolicies).toContain(where);
  });
});
