import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { ENV } from '../../functions/config/environment';
import { TABLE_DESIGN } from '../../functions/store/table-design';
import {
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
  TEST_ENV,
} from './helpers';

let template: Template;
let resources: Json;
let reconcile: CfnResource;
let render: CfnResource;
let tableId: string;
let bucketId: string;
let distributionId: string;
let queueId: string;

const tableArn = () => ({ 'Fn::GetAtt': [tableId, 'Arn'] });
const indexArn = (indexName: string) => ({ 'Fn::Join': ['', [tableArn(), `/index/${indexName}`]] });

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

beforeAll(() => {
  ({ template } = synthTemplate());
  resources = template.toJSON().Resources;
  reconcile = resourceAtPath(template, 'Reconciler/ReconcileFunction/Function');
  render = resourceAtPath(template, 'Renderer/RenderFunction/Function');
  tableId = onlyLogicalId(template, 'AWS::DynamoDB::Table');
  bucketId = resourceAtPath(template, 'Site/PagesBucket').logicalId;
  distributionId = onlyLogicalId(template, 'AWS::CloudFront::Distribution');
  queueId = resourceAtPath(template, 'Renderer/FailureQueue').logicalId;
});

describe('reconcile function', () => {
  it('bundles functions/handlers/reconcile-site.ts', () => {
    expect(resources[reconcile.logicalId].Metadata['aws:cdk:path']).toBe(
      'FlashNews/Reconciler/ReconcileFunction/Function/Resource',
    );
    expect(reconcile.properties.Handler).toBe('index.handler');
  });

  it('runs up to 15 minutes with 1024 MB, reserving no concurrency (accounts with a low quota refuse any)', () => {
    expect(reconcile.properties.Timeout).toBe(900);
    expect(reconcile.properties.MemorySize).toBe(1024);
    expect(reconcile.properties.ReservedConcurrentExecutions).toBeUndefined();
  });

  it("has the render function's environment, the failure queue and the event bus included", () => {
    const env = reconcile.properties.Environment.Variables;
    // Redrive announces on the same bus the changes the render function gave up on (docs/events.md).
    expect(env[ENV.eventBusName]).toBeDefined();
    expect(env).toEqual(render.properties.Environment.Variables);
    expect(env[ENV.failureQueueUrl]).toEqual({ Ref: queueId });
    expect(env[ENV.tableName]).toEqual({ Ref: tableId });
    expect(env[ENV.bucketName]).toEqual({ Ref: bucketId });
    expect(env[ENV.distributionId]).toEqual({ Ref: distributionId });
    expect(env[ENV.siteBaseUrl]).toEqual({
      'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [distributionId, 'DomainName'] }]],
    });
    expect(env[ENV.siteName]).toBeDefined();
    expect(env[ENV.siteTimeZone]).toBe('UTC');
  });

  it('is not retried by Lambda after a failure (the alarm and the next run are the retry)', () => {
    const configs = resourcesOfType(template, 'AWS::Lambda::EventInvokeConfig').filter(
      (c) => c.properties.FunctionName?.Ref === reconcile.logicalId,
    );
    expect(configs).toHaveLength(1);
    expect(configs[0]?.properties.MaximumRetryAttempts).toBe(0);
  });
});

describe('reconcile permissions', () => {
  it('are exactly its actions on exactly its resources', () => {
    const logGroupId = reconcile.properties.LoggingConfig.LogGroup.Ref;
    const expected = [
      statement(['logs:CreateLogStream', 'logs:PutLogEvents'], [{ 'Fn::GetAtt': [logGroupId, 'Arn'] }]),
      statement(['xray:PutTraceSegments', 'xray:PutTelemetryRecords'], ['*']),
      statement(
        ['dynamodb:Query'],
        [
          indexArn(TABLE_DESIGN.indexes.latest.indexName),
          indexArn(TABLE_DESIGN.indexes.latestBySection.indexName),
          indexArn(TABLE_DESIGN.indexes.latestByTag.indexName),
        ],
      ),
      statement(['dynamodb:GetItem'], [tableArn()]),
      // Tag memberships: written and deleted (TAG# items only), repaired from one Scan of their sparse
      // index and a strongly consistent batch read of the articles re-checked (ARTICLE# items only).
      {
        ...statement(['dynamodb:PutItem', 'dynamodb:DeleteItem'], [tableArn()]),
        Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['TAG#*'] } },
      },
      statement(['dynamodb:Scan'], [indexArn(TABLE_DESIGN.indexes.latestByTag.indexName)]),
      {
        ...statement(['dynamodb:BatchGetItem'], [tableArn()]),
        Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['ARTICLE#*'] } },
      },
      // Edge routes repair: one Scan for withdrawn articles and tombstones, and the store it keeps.
      statement(['dynamodb:Scan'], [tableArn()]),
      statement(
        [
          'cloudfront-keyvaluestore:DescribeKeyValueStore',
          'cloudfront-keyvaluestore:GetKey',
          'cloudfront-keyvaluestore:ListKeys',
          'cloudfront-keyvaluestore:UpdateKeys',
        ],
        [{ 'Fn::GetAtt': [Object.keys(template.findResources('AWS::CloudFront::KeyValueStore'))[0], 'Arn'] }],
      ),
      statement(['s3:ListBucket'], [{ 'Fn::GetAtt': [bucketId, 'Arn'] }]),
      statement(
        ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
        [{ 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId, 'Arn'] }, '/*']] }],
      ),
      statement(
        ['cloudfront:CreateInvalidation'],
        [
          {
            'Fn::Join': [
              '',
              [
                'arn:',
                { Ref: 'AWS::Partition' },
                `:cloudfront::${TEST_ENV.account}:distribution/`,
                { Ref: distributionId },
              ],
            ],
          },
        ],
      ),
      statement(
        ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'],
        [{ 'Fn::GetAtt': [queueId, 'Arn'] }],
      ),
      // Redrive: a failed batch read back from the table's stream, its changes announced on the bus.
      statement(
        ['dynamodb:GetShardIterator', 'dynamodb:GetRecords'],
        [{ 'Fn::GetAtt': [tableId, 'StreamArn'] }],
      ),
      statement(
        ['events:PutEvents'],
        [{ 'Fn::GetAtt': [onlyLogicalId(template, 'AWS::Events::EventBus'), 'Arn'] }],
      ),
    ];
    const granted = statementsOfFunction(template, reconcile.logicalId);
    expect([...granted].sort(byJson)).toEqual([...expected].sort(byJson));
  });

  it('come from its own role alone, which carries no inline or managed policy', () => {
    const roleId = referencedId(reconcile.properties.Role) as string;
    expect(resources[roleId].Properties.Policies).toBeUndefined();
    expect(resources[roleId].Properties.ManagedPolicyArns).toBeUndefined();
    expect(resources[roleId].Properties.AssumeRolePolicyDocument.Statement).toEqual([
      { Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' } },
    ]);
    const otherFunctions = resourcesOfType(template, 'AWS::Lambda::Function').filter(
      (fn) => fn.logicalId !== reconcile.logicalId,
    );
    for (const fn of otherFunctions) expect(referencedId(fn.properties.Role), fn.logicalId).not.toBe(roleId);
  });

  it('the failure queue is read by the reconciler only', () => {
    const readers = resourcesOfType(template, 'AWS::Lambda::Function').filter((fn) =>
      statementsOfFunction(template, fn.logicalId).some(
        (s) =>
          asArray(s.Action).some((a) => a === 'sqs:ReceiveMessage' || a === 'sqs:DeleteMessage') &&
          asArray(s.Resource).some((resource) => referencedId(resource) === queueId),
      ),
    );
    expect(readers.map((fn) => fn.logicalId)).toEqual([reconcile.logicalId]);
  });
});

describe('daily reconcile schedule', () => {
  let rule: CfnResource;

  beforeAll(() => {
    rule = resourceAtPath(template, 'Reconciler/Daily');
  });

  it('runs the reconcile function every day at 03:17 UTC, redriving the failure queue too', () => {
    expect(rule.properties.ScheduleExpression).toBe('cron(17 3 * * ? *)');
    expect(rule.properties.State).toBe('ENABLED');
    expect(rule.properties.Targets).toHaveLength(1);
    const [target] = rule.properties.Targets;
    expect(target.Arn).toEqual({ 'Fn::GetAtt': [reconcile.logicalId, 'Arn'] });
    expect(JSON.parse(target.Input)).toEqual({ redrive: true });
    expect(target.RetryPolicy.MaximumRetryAttempts).toBeGreaterThan(0);
  });

  it('may invoke the function, and only this rule may', () => {
    const permissions = resourcesOfType(template, 'AWS::Lambda::Permission').filter(
      (p) => referencedId(p.properties.FunctionName) === reconcile.logicalId,
    );
    expect(permissions).toHaveLength(1);
    expect(permissions[0]?.properties).toMatchObject({
      Action: 'lambda:InvokeFunction',
      Principal: 'events.amazonaws.com',
      SourceArn: { 'Fn::GetAtt': [rule.logicalId, 'Arn'] },
    });
  });
});

describe('reconcile operations', () => {
  it('publishes the function name as ReconcileFunctionName', () => {
    expect(template.toJSON().Outputs.ReconcileFunctionName.Value).toEqual({ Ref: reconcile.logicalId });
  });

  it('alarms on its errors and throttles', () => {
    const watched = resourcesOfType(template, 'AWS::CloudWatch::Alarm').filter((alarm) =>
      (alarm.properties.Dimensions ?? []).some(
        (d: Json) => d.Name === 'FunctionName' && d.Value?.Ref === reconcile.logicalId,
      ),
    );
    expect(watched.map((alarm) => alarm.properties.MetricName).sort()).toEqual(['Errors', 'Throttles']);
  });
});
