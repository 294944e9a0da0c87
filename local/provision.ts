import {
  CreateTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  ResourceNotFoundException,
} from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, ListBucketsCommand, type S3Client } from '@aws-sdk/client-s3';
import { ALL_INDEXES, TABLE_DESIGN } from '../functions/store/table-design';

/**
 * Creates the table and the bucket when missing, from the same table design the CDK stack deploys.
 * Returns whether the table was new, which is how the local stack knows a data directory is fresh.
 */

export async function ensureTable(client: DynamoDBClient, tableName: string): Promise<boolean> {
  try {
    await client.send(new DescribeTableCommand({ TableName: tableName }));
    return false;
  } catch (error) {
    if (
      !(error instanceof ResourceNotFoundException) &&
      (error as Error).name !== 'ResourceNotFoundException'
    ) {
      throw error;
    }
  }
  const keyAttributes = new Set<string>([TABLE_DESIGN.partitionKey]);
  for (const index of ALL_INDEXES) {
    keyAttributes.add(index.partitionKey);
    keyAttributes.add(index.sortKey);
  }
  await client.send(
    new CreateTableCommand({
      TableName: tableName,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [...keyAttributes].map((name) => ({ AttributeName: name, AttributeType: 'S' })),
      KeySchema: [{ AttributeName: TABLE_DESIGN.partitionKey, KeyType: 'HASH' }],
      GlobalSecondaryIndexes: ALL_INDEXES.map((index) => ({
        IndexName: index.indexName,
        KeySchema: [
          { AttributeName: index.partitionKey, KeyType: 'HASH' },
          { AttributeName: index.sortKey, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: [...index.projectedAttributes] },
      })),
    }),
  );
  return true;
}

/**
 * ListBuckets, not HeadBucket: s3rver answers HeadBucket by reading every object's metadata, so one
 * object half-written when a previous run was killed would fail it and make the bucket look missing.
 */
export async function ensureBucket(client: S3Client, bucketName: string): Promise<void> {
  const { Buckets = [] } = await client.send(new ListBucketsCommand({}));
  if (Buckets.some((bucket) => bucket.Name === bucketName)) return;
  try {
    await client.send(new CreateBucketCommand({ Bucket: bucketName }));
  } catch (error) {
    const name = (error as Error).name;
    if (name !== 'BucketAlreadyOwnedByYou' && name !== 'BucketAlreadyExists') throw error;
  }
}
