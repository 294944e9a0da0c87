import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import dynalite from 'dynalite';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type ChangeFeed, startChangeFeed } from '../../../local/dynamodb-change-feed';

/** The local stand-in for DynamoDB Streams, against a real (in-memory) dynalite. */

let server: Server;
let feed: ChangeFeed;
let client: DynamoDBDocumentClient;
let delivered: DynamoDBStreamEvent[];
let failures: DynamoDBRecord[][];
let respond: (event: DynamoDBStreamEvent) => DynamoDBBatchResponse | undefined;

const TABLE = 'feed-test';

beforeAll(async () => {
  server = dynalite({ createTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const target = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const config = { region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } };
  for (const table of [TABLE, 'other-table']) {
    await new DynamoDBClient({ ...config, endpoint: target }).send(
      new CreateTableCommand({
        TableName: table,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      }),
    );
  }
  feed = await startChangeFeed({
    target,
    tableName: TABLE,
    keyAttributes: ['pk'],
    batchingWindowMs: 5,
    maxRetries: 2,
    retryDelayMs: 5,
  });
  client = DynamoDBDocumentClient.from(new DynamoDBClient({ ...config, endpoint: feed.endpoint }));
  feed.attach(
    async (event) => {
      delivered.push(structuredClone(event));
      return respond(event);
    },
    (records) => failures.push(records),
  );
});

afterAll(async () => {
  await feed.stop();
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  delivered = [];
  failures = [];
  respond = () => ({ batchItemFailures: [] });
});

const records = () => delivered.flatMap((event) => event.Records);

describe('the local change feed', () => {
  it('records inserts, modifications and removals with keys, images and increasing sequence numbers', async () => {
    await client.send(new PutCommand({ TableName: TABLE, Item: { pk: 'a', n: 1 } }));
    await client.send(
      new UpdateCommand({
        TableName: TABLE,
        Key: { pk: 'a' },
        UpdateExpression: 'SET n = :n',
        ExpressionAttributeValues: { ':n': 2 },
      }),
    );
    await client.send(new DeleteCommand({ TableName: TABLE, Key: { pk: 'a' } }));
    await feed.drained();

    const [insert, modify, remove] = records();
    expect(records()).toHaveLength(3);
    expect(insert).toMatchObject({
      eventName: 'INSERT',
      eventSource: 'aws:dynamodb',
      dynamodb: {
        Keys: { pk: { S: 'a' } },
        NewImage: { pk: { S: 'a' }, n: { N: '1' } },
        StreamViewType: 'NEW_AND_OLD_IMAGES',
      },
    });
    expect(insert?.dynamodb?.OldImage).toBeUndefined();
    expect(modify).toMatchObject({
      eventName: 'MODIFY',
      dynamodb: { OldImage: { n: { N: '1' } }, NewImage: { n: { N: '2' } } },
    });
    expect(remove).toMatchObject({ eventName: 'REMOVE', dynamodb: { OldImage: { n: { N: '2' } } } });
    expect(remove?.dynamodb?.NewImage).toBeUndefined();
    const sequence = records().map((record) => BigInt(record.dynamodb?.SequenceNumber ?? '0'));
    expect([...sequence].sort((a, b) => (a < b ? -1 : 1))).toEqual(sequence);
    expect(new Set(sequence).size).toBe(3);
  });

  it('records nothing for a refused conditional write, an unchanged item or another table', async () => {
    await client.send(new PutCommand({ TableName: TABLE, Item: { pk: 'b', n: 1 } }));
    await expect(
      client.send(
        new PutCommand({
          TableName: TABLE,
          Item: { pk: 'b', n: 9 },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
    ).rejects.toThrow();
    await client.send(new PutCommand({ TableName: TABLE, Item: { pk: 'b', n: 1 } }));
    await client.send(new PutCommand({ TableName: 'other-table', Item: { pk: 'b', n: 1 } }));
    await feed.drained();
    expect(records().map((record) => record.eventName)).toEqual(['INSERT']);
  });

  it('keeps the order of concurrent writes to one item, with exact old images', async () => {
    await client.send(new PutCommand({ TableName: TABLE, Item: { pk: 'c', n: 0 } }));
    await Promise.all(
      Array.from({ length: 10 }, () =>
        client.send(
          new UpdateCommand({
            TableName: TABLE,
            Key: { pk: 'c' },
            UpdateExpression: 'SET n = n + :one',
            ExpressionAttributeValues: { ':one': 1 },
          }),
        ),
      ),
    );
    await feed.drained();
    const modifies = records().filter((record) => record.eventName === 'MODIFY');
    expect(modifies).toHaveLength(10);
    modifies.forEach((record, index) => {
      expect(record.dynamodb?.OldImage?.n).toEqual({ N: String(index) });
      expect(record.dynamodb?.NewImage?.n).toEqual({ N: String(index + 1) });
    });
  });

  it('retries from the first failed record reported in batchItemFailures, and only from there', async () => {
    let failedOnce = false;
    respond = (event) => {
      const second = event.Records.find((record) => record.dynamodb?.NewImage?.pk?.S === 'd2');
      if (second && !failedOnce) {
        failedOnce = true;
        return { batchItemFailures: [{ itemIdentifier: second.dynamodb?.SequenceNumber ?? '' }] };
      }
      return { batchItemFailures: [] };
    };
    // One BatchWriteItem, so the three records arrive in one batch.
    const { BatchWriteCommand } = await import('@aws-sdk/lib-dynamodb');
    await client.send(
      new BatchWriteCommand({
        RequestItems: { [TABLE]: ['d1', 'd2', 'd3'].map((pk) => ({ PutRequest: { Item: { pk } } })) },
      }),
    );
    await feed.drained();
    const batches = delivered.map((event) => event.Records.map((record) => record.dynamodb?.NewImage?.pk?.S));
    expect(batches).toEqual([
      ['d1', 'd2', 'd3'],
      ['d2', 'd3'],
    ]);
    expect(failures).toEqual([]);
  });

  it('hands records to the on-failure callback after the last retry', async () => {
    respond = () => {
      throw new Error('render outage');
    };
    await client.send(new PutCommand({ TableName: TABLE, Item: { pk: 'e' } }));
    await feed.drained();
    expect(delivered).toHaveLength(3);
    expect(failures).toHaveLength(1);
    expect(failures[0]?.map((record) => record.dynamodb?.Keys?.pk?.S)).toEqual(['e']);
  });
});
