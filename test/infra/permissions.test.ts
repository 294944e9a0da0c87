import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROUTES, routeKey } from '../../functions/http/routes';
import { ALL_INDEXES, TABLE_DESIGN } from '../../functions/store/table-design';
import { TABLE_READ_ACTIONS, TABLE_WRITE_ACTIONS } from '../../infra/constructs/function-access';
import {
  allPolicyStatements,
  asArray,
  type Json,
  type LocatedStatement,
  onlyLogicalId,
  type PolicyStatementJson,
  resourceAtPath,
  resourcesOfType,
  routesWithFunctions,
  statementsOfFunction,
  synthTemplate,
} from './helpers';

/** Actions that support no resource-level permissions, the only ones allowed on Resource "*". */
const RESOURCE_STAR_ACTIONS = new Set([
  'xray:PutTraceSegments',
  'xray:PutTelemetryRecords',
  'dynamodb:ListStreams',
]);

let template: Template;
let statements: LocatedStatement[];
let tableId: string;

const tableArn = () => ({ 'Fn::GetAtt': [tableId, 'Arn'] });
const indexArn = (indexName: string) => ({ 'Fn::Join': ['', [tableArn(), `/index/${indexName}`]] });

function actions(statement: PolicyStatementJson): string[] {
  return asArray(statement.Action);
}

/** The table-data statements of a function: its dynamodb actions, minus the stream reads. */
function tableStatements(functionId: string): PolicyStatementJson[] {
  return statementsOfFunction(template, functionId).filter((s) =>
    actions(s).some(
      (action) => action.startsWith('dynamodb:') && !/Stream|GetRecords|GetShardIterator/.test(action),
    ),
  );
}

beforeAll(() => {
  ({ template } = synthTemplate());
  statements = allPolicyStatements(template);
  tableId = onlyLogicalId(template, 'AWS::DynamoDB::Table');
});

describe('every policy statement', () => {
  it('was found (the scan is not vacuous)', () => {
    expect(statements.filter((s) => s.kind === 'identity').length).toBeGreaterThan(20);
    expect(statements.filter((s) => s.kind === 'resource').length).toBeGreaterThan(2);
  });

  it('allows no wildcard action, neither "*" nor "service:*" nor a partial "service:Get*"', () => {
    const offenders = statements
      .filter(({ statement }) => statement.Effect === 'Allow')
      .flatMap(({ where, statement }) =>
        actions(statement)
          .filter((a) => a.includes('*'))
          .map((a) => `${where}: ${a}`),
      );
    expect(offenders).toEqual([]);
  });

  it('never uses NotAction', () => {
    expect(statements.filter(({ statement }) => statement.NotAction !== undefined)).toEqual([]);
  });

  it('uses wildcard actions only to deny requests without TLS', () => {
    for (const { statement } of statements.filter(({ statement }) =>
      actions(statement).some((a) => a.includes('*')),
    )) {
      expect(statement.Effect).toBe('Deny');
      expect(statement.Condition).toEqual({ Bool: { 'aws:SecureTransport': 'false' } });
    }
  });

  it('grants Resource "*" only for actions that have no resource-level permissions', () => {
    const offenders = statements
      .filter(({ statement }) => statement.Effect === 'Allow' && asArray(statement.Resource).includes('*'))
      .flatMap(({ where, statement }) =>
        actions(statement)
          .filter((a) => !RESOURCE_STAR_ACTIONS.has(a))
          .map((a) => `${where}: ${a}`),
      );
    expect(offenders).toEqual([]);
  });

  it('attaches no AWS managed policy to any role', () => {
    for (const role of resourcesOfType(template, 'AWS::IAM::Role')) {
      expect(role.properties.ManagedPolicyArns, role.logicalId).toBeUndefined();
    }
  });
});

describe('function roles', () => {
  it('each function writes only to its own log group', () => {
    for (const fn of resourcesOfType(template, 'AWS::Lambda::Function')) {
      const logGroupId = fn.properties.LoggingConfig.LogGroup.Ref;
      const logs = statementsOfFunction(template, fn.logicalId).filter((s) =>
        actions(s).some((a) => a.startsWith('logs:')),
      );
      expect(logs, fn.logicalId).toEqual([
        {
          Effect: 'Allow',
          Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          Resource: { 'Fn::GetAtt': [logGroupId, 'Arn'] },
        },
      ]);
    }
  });

  it('route functions get exactly the table access the route table declares', () => {
    const routes = routesWithFunctions(template);
    const read = {
      Effect: 'Allow',
      Action: [...TABLE_READ_ACTIONS],
      Resource: [tableArn(), ...ALL_INDEXES.map((index) => indexArn(index.indexName))],
    };
    const write = { Effect: 'Allow', Action: [...TABLE_WRITE_ACTIONS], Resource: tableArn() };
    for (const route of ROUTES) {
      const granted = tableStatements(routes.get(routeKey(route))?.functionLogicalId as string);
      const expected = { none: [], read: [read], 'read-write': [read, write] }[route.tableAccess];
      expect(granted, route.id).toEqual(expected);
    }
  });

  it('only the routes that use cursors or preview links may read the cursor secret, and nothing else in Secrets Manager', () => {
    const routes = routesWithFunctions(template);
    const secretId = onlyLogicalId(template, 'AWS::SecretsManager::Secret');
    for (const route of ROUTES) {
      const granted = statementsOfFunction(
        template,
        routes.get(routeKey(route))?.functionLogicalId as string,
      ).filter((s) => actions(s).some((a) => a.startsWith('secretsmanager:')));
      const expected =
        route.usesCursor || route.usesPreviewKey
          ? [{ Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: { Ref: secretId } }]
          : [];
      expect(granted, route.id).toEqual(expected);
    }
  });

  it('the renderer writes and deletes pages in the pages bucket only, and never reads or lists it', () => {
    const render = resourceAtPath(template, 'Renderer/RenderFunction/Function');
    const bucketId = resourceAtPath(template, 'Site/PagesBucket').logicalId;
    const s3 = statementsOfFunction(template, render.logicalId).filter((s) =>
      actions(s).some((a) => a.startsWith('s3:')),
    );
    expect(s3).toEqual([
      {
        Effect: 'Allow',
        Action: ['s3:PutObject', 's3:DeleteObject'],
        Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId, 'Arn'] }, '/*']] },
      },
    ]);
  });

  it('the renderer may invalidate this distribution only', () => {
    const render = resourceAtPath(template, 'Renderer/RenderFunction/Function');
    const distributionId = onlyLogicalId(template, 'AWS::CloudFront::Distribution');
    const cloudfront = statementsOfFunction(template, render.logicalId).filter((s) =>
      actions(s).some((a) => a.startsWith('cloudfront:')),
    );
    expect(cloudfront).toHaveLength(1);
    expect(cloudfront[0]?.Action).toBe('cloudfront:CreateInvalidation');
    const resource = JSON.stringify(cloudfront[0]?.Resource);
    expect(resource).toContain(':cloudfront::123456789012:distribution/');
    expect(resource).toContain(`{"Ref":"${distributionId}"}`);
  });

  it('only the renderer and the reconciler (announcing what redrive repaired) put events, on the stack’s article bus only', () => {
    const busId = onlyLogicalId(template, 'AWS::Events::EventBus');
    const putEvents = {
      Effect: 'Allow',
      Action: 'events:PutEvents',
      Resource: { 'Fn::GetAtt': [busId, 'Arn'] },
    };
    const putters = statements.filter((located) =>
      actions(located.statement).some((action) => action.startsWith('events:')),
    );
    expect(putters.map((located) => located.statement)).toEqual([putEvents, putEvents]);
    for (const path of ['Renderer/RenderFunction/Function', 'Reconciler/ReconcileFunction/Function']) {
      expect(statementsOfFunction(template, resourceAtPath(template, path).logicalId), path).toContainEqual(
        putEvents,
      );
    }
  });

  it('the renderer queries the three list indexes, batch-reads articles (feed bodies), reads slug claims, writes tag memberships and nothing else, and reads the stream', () => {
    const render = resourceAtPath(template, 'Renderer/RenderFunction/Function');
    expect(tableStatements(render.logicalId)).toEqual([
      {
        Effect: 'Allow',
        Action: 'dynamodb:Query',
        Resource: [
          indexArn(TABLE_DESIGN.indexes.latest.indexName),
          indexArn(TABLE_DESIGN.indexes.latestBySection.indexName),
          indexArn(TABLE_DESIGN.indexes.latestByTag.indexName),
        ],
      },
      {
        Effect: 'Allow',
        Action: ['dynamodb:PutItem', 'dynamodb:DeleteItem'],
        Resource: tableArn(),
        Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['TAG#*'] } },
      },
      // The feeds carry each story's body, which no index holds (SitePublisher.withBodies: getMany).
      {
        Effect: 'Allow',
        Action: 'dynamodb:BatchGetItem',
        Resource: tableArn(),
        Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['ARTICLE#*'] } },
      },
      // A path marked gone is left to the article that claimed its slug since (getSlugClaim).
      {
        Effect: 'Allow',
        Action: 'dynamodb:GetItem',
        Resource: tableArn(),
        Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['SLUG#*'] } },
      },
    ]);
    const stream = statementsOfFunction(template, render.logicalId).filter((s) =>
      actions(s).some((a) => /Stream|GetRecords|GetShardIterator/.test(a)),
    );
    expect(stream).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          Action: ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator'],
          Resource: { 'Fn::GetAtt': [tableId, 'StreamArn'] },
        }),
      ]),
    );
  });

  it('only the renderer and the reconciler write tag memberships, and no other item with that grant', () => {
    const writers = statements.filter(({ statement }) =>
      JSON.stringify(statement.Condition ?? {}).includes('"TAG#*"'),
    );
    expect(writers.map(({ statement }) => statement)).toEqual(
      [0, 1].map(() => ({
        Effect: 'Allow',
        Action: ['dynamodb:PutItem', 'dynamodb:DeleteItem'],
        Resource: tableArn(),
        Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['TAG#*'] } },
      })),
    );
    for (const path of ['Renderer/RenderFunction/Function', 'Reconciler/ReconcileFunction/Function']) {
      const granted = tableStatements(resourceAtPath(template, path).logicalId);
      const writes = granted.filter((s) => actions(s).some((a) => /Put|Delete|Update|BatchWrite/.test(a)));
      expect(
        writes.map((s) => s.Condition),
        path,
      ).toEqual([{ 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['TAG#*'] } }]);
    }
  });

  it('the scheduled publisher reads and writes the table', () => {
    const publish = resourceAtPath(template, 'Publisher/PublishFunction/Function');
    const granted = tableStatements(publish.logicalId).flatMap(actions);
    expect(granted.sort()).toEqual([...TABLE_READ_ACTIONS, ...TABLE_WRITE_ACTIONS].sort());
  });

  it('only the renderer, the reconciler, the re-render chunk and not-found functions touch S3, CloudFront or SQS', () => {
    const allowed = new Set([
      resourceAtPath(template, 'Renderer/RenderFunction/Function').logicalId,
      // Its exact grants are in reconcile.test.ts.
      resourceAtPath(template, 'Reconciler/ReconcileFunction/Function').logicalId,
      // Its exact grants are in archive-rerender.test.ts.
      resourceAtPath(template, 'Rerender/ChunkFunction/Function').logicalId,
      // Reads 404.html alone; its exact grants are in site.test.ts.
      resourceAtPath(template, 'Site/NotFoundPage/Function/Function').logicalId,
    ]);
    for (const fn of resourcesOfType(template, 'AWS::Lambda::Function').filter(
      (f) => !allowed.has(f.logicalId),
    )) {
      const granted = statementsOfFunction(template, fn.logicalId).flatMap(actions);
      expect(
        granted.filter((a: Json) => /^(s3|cloudfront|sqs):/.test(a)),
        fn.logicalId,
      ).toEqual([]);
    }
  });
});
