import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { ALL_INDEXES, TABLE_DESIGN } from '../../functions/store/table-design';
import { type Json, resourcesOfType, synthTemplate } from './helpers';

let template: Template;
let table: Json;
let resource: Json;

beforeAll(() => {
  ({ template } = synthTemplate());
  const tables = resourcesOfType(template, 'AWS::DynamoDB::Table');
  expect(tables).toHaveLength(1);
  table = tables[0]?.properties;
  resource = template.toJSON().Resources[tables[0]?.logicalId as string];
});

describe('articles table', () => {
  it('is keyed by the single string partition key of TABLE_DESIGN', () => {
    expect(table.KeySchema).toEqual([{ AttributeName: TABLE_DESIGN.partitionKey, KeyType: 'HASH' }]);
  });

  it('is on-demand, with point-in-time recovery and deletion protection', () => {
    expect(table.BillingMode).toBe('PAY_PER_REQUEST');
    expect(table.ProvisionedThroughput).toBeUndefined();
    expect(table.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
    expect(table.DeletionProtectionEnabled).toBe(true);
  });

  it('is retained when the stack is deleted or the resource replaced', () => {
    expect(resource.DeletionPolicy).toBe('Retain');
    expect(resource.UpdateReplacePolicy).toBe('Retain');
  });

  it('streams new and old images for the renderer', () => {
    expect(table.StreamSpecification).toEqual({ StreamViewType: 'NEW_AND_OLD_IMAGES' });
  });

  it('expires items through the TTL attribute of TABLE_DESIGN', () => {
    expect(table.TimeToLiveSpecification).toEqual({
      AttributeName: TABLE_DESIGN.timeToLiveAttribute,
      Enabled: true,
    });
  });

  it('has exactly the global secondary indexes of TABLE_DESIGN, with their INCLUDE projections', () => {
    const expected = ALL_INDEXES.map((index) => ({
      IndexName: index.indexName,
      KeySchema: [
        { AttributeName: index.partitionKey, KeyType: 'HASH' },
        { AttributeName: index.sortKey, KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: [...index.projectedAttributes] },
    }));
    const byName = (a: { IndexName: string }, b: { IndexName: string }) =>
      a.IndexName.localeCompare(b.IndexName);
    expect([...table.GlobalSecondaryIndexes].sort(byName)).toEqual(expected.sort(byName));
  });

  it('has the sparse LatestByTag index of tag memberships, projecting what the other list indexes do', () => {
    const byTag = table.GlobalSecondaryIndexes.find(
      (index: { IndexName: string }) => index.IndexName === 'LatestByTag',
    );
    expect(byTag).toEqual({
      IndexName: 'LatestByTag',
      KeySchema: [
        { AttributeName: 'tagPk', KeyType: 'HASH' },
        { AttributeName: 'tagSk', KeyType: 'RANGE' },
      ],
      Projection: {
        ProjectionType: 'INCLUDE',
        NonKeyAttributes: [...TABLE_DESIGN.indexes.latest.projectedAttributes],
      },
    });
    expect(table.GlobalSecondaryIndexes).toHaveLength(4);
  });

  it('declares every key attribute as a string', () => {
    const keys = [
      TABLE_DESIGN.partitionKey,
      ...ALL_INDEXES.flatMap((index) => [index.partitionKey, index.sortKey]),
    ];
    expect(table.AttributeDefinitions).toEqual(
      expect.arrayContaining(keys.map((name) => ({ AttributeName: name, AttributeType: 'S' }))),
    );
    expect(table.AttributeDefinitions).toHaveLength(keys.length);
  });
});
