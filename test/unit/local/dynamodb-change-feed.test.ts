import { mkdtemp, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import dynalite from 'dynalite';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ChangeJournal } from '../../../local/change-journal';
import {
  type ChangeFeed,
  type ChangeFeedOptions,
  startChangeFeed,
} from '../../../local/dynamodb-change-feed';

/** The local stand-in for DynamoDB Streams, against a real (in-memory) dynalite. */

let server: Server;
let target: string;
let journals: string;
let feed: ChangeFeed;
let client: DynamoDBDocumentClient;
let delivered: DynamoDBStreamEvent[];
let failures: DynamoDBRecord[][];
let respond: (event: DynamoDBStreamEvent) => DynamoDBBatchResponse | undefined;

const TABLE = 'feed-test';
const config = { region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } };

function feedOptions(journalDirectory: string): ChangeFeedOptions {
  return {
    target,
    tableName: TABLE,
    keyAttributes: ['pk'],
    journalDirectory,
    batchingWindowMs: 5,
    maxRetries: 2,
    retryDelayMs: 5,
  };
}

beforeAll(async () => {
  journals = await mkdtemp(join(tmpdir(), 'change-feed-test-'));
  server = dynalite({ createTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  target = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
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
  feed = await startChangeFeed(feedOptions(join(journals, 'shared')));
  client = DynamoDBDocumentClient.from(new DynamoDBClient({ ...config, endpoint: feed.endpoint }));
  feed.attach(
    async (event) => {
      delivered.push(structuredClone(event));
      return respond(event);
    },
    (records) => {
      failures.push(records);
    },
  );
});

afterAll(async () => {
  await feed.stop();
  await new Promise((resolve) => server.close(resolve));
  await rm(journals, { recursive: true, force: true });
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

describe('the local change feed across restarts', () => {
  /** A feed on its own journal that collects what it delivers; attached at once unless `handle` is false. */
  async function startCollecting(journalDirectory: string, handle = true) {
    const collected: DynamoDBRecord[] = [];
    const deadLettered: DynamoDBRecord[] = [];
    const started = await startChangeFeed(feedOptions(journalDirectory));
    const attach = (respondWith: () => DynamoDBBatchResponse = () => ({ batchItemFailures: [] })) =>
      started.attach(
        async (event) => {
          collected.push(...structuredClone(event.Records));
          return respondWith();
        },
        async (records) => {
          deadLettered.push(...records);
        },
      );
    if (handle) attach();
    const writer = DynamoDBDocumentClient.from(new DynamoDBClient({ ...config, endpoint: started.endpoint }));
    return { feed: started, writer, collected, deadLettered, attach };
  }

  const direct = () => DynamoDBDocumentClient.from(new DynamoDBClient({ ...config, endpoint: target }));
  const keysOf = (list: DynamoDBRecord[]) => list.map((item) => item.dynamodb?.Keys?.pk?.S);
  const sequenceOf = (item: DynamoDBRecord | undefined) => BigInt(item?.dynamodb?.SequenceNumber ?? '0');

  it('delivers on the next start what was committed but not delivered, then newer changes after it', async () => {
    const directory = join(journals, 'undelivered');
    const first = await startCollecting(directory, false);
    await first.writer.send(new PutCommand({ TableName: TABLE, Item: { pk: 'r1', n: 1 } }));
    await first.writer.send(new PutCommand({ TableName: TABLE, Item: { pk: 'r2', n: 1 } }));
    await first.feed.stop();

    const second = await startCollecting(directory);
    await second.writer.send(new PutCommand({ TableName: TABLE, Item: { pk: 'r1', n: 2 } }));
    await second.feed.drained();
    expect(keysOf(second.collected)).toEqual(['r1', 'r2', 'r1']);
    const [, , modify] = second.collected;
    expect(modify).toMatchObject({ eventName: 'MODIFY', dynamodb: { OldImage: { n: { N: '1' } } } });
    expect(sequenceOf(modify)).toBeGreaterThan(sequenceOf(second.collected[1]));
    await second.feed.stop();

    // Delivered records are not delivered again, and sequence numbers keep increasing.
    const third = await startCollecting(directory);
    await third.writer.send(new DeleteCommand({ TableName: TABLE, Key: { pk: 'r2' } }));
    await third.feed.drained();
    expect(keysOf(third.collected)).toEqual(['r2']);
    expect(sequenceOf(third.collected[0])).toBeGreaterThan(sequenceOf(modify));
    await third.feed.stop();
  });

  it('settles a write the previous run forwarded but never recorded, from the items as they are', async () => {
    const directory = join(journals, 'unsettled');
    await direct().send(new PutCommand({ TableName: TABLE, Item: { pk: 'u-modified', n: 1 } }));
    await direct().send(new PutCommand({ TableName: TABLE, Item: { pk: 'u-removed', n: 1 } }));
    // The run that died: it journalled the intent, the emulator committed, the process was killed.
    const dead = ChangeJournal.open({ directory });
    dead.recordIntent(
      [
        { pk: { S: 'u-inserted' } },
        { pk: { S: 'u-modified' } },
        { pk: { S: 'u-removed' } },
        { pk: { S: 'u-same' } },
      ],
      [
        undefined,
        { pk: { S: 'u-modified' }, n: { N: '1' } },
        { pk: { S: 'u-removed' }, n: { N: '1' } },
        undefined,
      ],
    );
    dead.close();
    await direct().send(new PutCommand({ TableName: TABLE, Item: { pk: 'u-inserted', n: 1 } }));
    await direct().send(new PutCommand({ TableName: TABLE, Item: { pk: 'u-modified', n: 2 } }));
    await direct().send(new DeleteCommand({ TableName: TABLE, Key: { pk: 'u-removed' } }));

    const next = await startCollecting(directory);
    await next.feed.drained();
    expect(next.collected.map((item) => [item.eventName, item.dynamodb?.Keys?.pk?.S])).toEqual([
      ['INSERT', 'u-inserted'],
      ['MODIFY', 'u-modified'],
      ['REMOVE', 'u-removed'],
    ]);
    expect(next.collected[1]?.dynamodb?.OldImage?.n).toEqual({ N: '1' });
    expect(next.collected[1]?.dynamodb?.NewImage?.n).toEqual({ N: '2' });
    await next.feed.stop();

    const after = ChangeJournal.open({ directory });
    expect(after.unsettledIntents).toEqual([]);
    expect(after.pending).toEqual([]);
    after.close();
  });

  it('records nothing for an intent whose write never reached the emulator', async () => {
    const directory = join(journals, 'never-forwarded');
    const dead = ChangeJournal.open({ directory });
    dead.recordIntent([{ pk: { S: 'never-written' } }], [undefined]);
    dead.close();
    const next = await startCollecting(directory);
    await next.writer.send(new PutCommand({ TableName: TABLE, Item: { pk: 'written-later' } }));
    await next.feed.drained();
    expect(keysOf(next.collected)).toEqual(['written-later']);
    await next.feed.stop();
  });

  it('does not deliver again what went to the on-failure callback', async () => {
    const directory = join(journals, 'dead-lettered');
    const first = await startCollecting(directory, false);
    first.attach(() => {
      throw new Error('render outage');
    });
    await first.writer.send(new PutCommand({ TableName: TABLE, Item: { pk: 'given-up' } }));
    await first.feed.drained();
    expect(keysOf(first.deadLettered)).toEqual(['given-up']);
    await first.feed.stop();

    const second = await startCollecting(directory);
    await second.feed.drained();
    expect(second.collected).toEqual([]);
    await second.feed.stop();
  });
});
