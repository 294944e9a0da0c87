import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { TrimmedDataAccessException } from '@aws-sdk/client-dynamodb-streams';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { afterEach, describe, expect, it } from 'vitest';
import { toItem } from '../../../functions/adapters/dynamodb-article-repository';
import { DynamoDbStreamReader } from '../../../functions/adapters/dynamodb-stream-reader';
import { SqsFailureQueue } from '../../../functions/adapters/sqs-failure-queue';
import { streamBatchOf } from '../../../functions/adapters/stream-batch';
import { articleChangeOf } from '../../../functions/adapters/stream-changes';
import type { Article } from '../../../functions/domain/article';
import { FileFailureQueue } from '../../../local/file-failure-queue';

const STREAM_ARN =
  'arn:aws:dynamodb:eu-central-1:123456789012:table/FlashNews-Articles/stream/2026-12-01T00:00:00.000';

const article: Article = {
  id: '01KBEXAMPLE0000000000000000',
  slug: 'a-story',
  previousPaths: [],
  title: 'A story',
  section: 'bota',
  body: 'Text.',
  tags: [],
  status: 'published',
  publishedAt: '2026-12-01T08:00:00.000Z',
  createdAt: '2026-12-01T08:00:00.000Z',
  updatedAt: '2026-12-01T08:00:00.000Z',
  corrections: [],
  version: 1,
};

/** A stream record of the real shape (as Lambda and the Streams API give it) for one item change. */
function streamRecord(
  sequenceNumber: string,
  oldItem: Record<string, unknown> | undefined,
  newItem: Record<string, unknown> | undefined,
): DynamoDBRecord {
  return {
    eventName: oldItem ? (newItem ? 'MODIFY' : 'REMOVE') : 'INSERT',
    dynamodb: {
      SequenceNumber: sequenceNumber,
      ...(oldItem ? { OldImage: marshall(oldItem, { removeUndefinedValues: true }) } : {}),
      ...(newItem ? { NewImage: marshall(newItem, { removeUndefinedValues: true }) } : {}),
    },
  } as DynamoDBRecord;
}

const edited: Article = { ...article, title: 'A story, edited', version: 2 };
const published = streamRecord('100', undefined, toItem(article));
const edit = streamRecord('101', toItem(article), toItem(edited));
const slugClaim = streamRecord('102', undefined, { pk: 'SLUG#a-story', articleId: article.id });

describe('articleChangeOf', () => {
  it('reads an article change from a stream record, and nothing from the other items of the table', () => {
    expect(articleChangeOf(edit)).toEqual({ oldImage: article, newImage: edited });
    expect(articleChangeOf(published)).toEqual({ oldImage: undefined, newImage: article });
    expect(articleChangeOf(slugClaim)).toBeUndefined();
  });
});

describe('FileFailureQueue.failedChanges', () => {
  let directory: string | undefined;
  afterEach(async () => {
    if (directory) await rm(directory, { recursive: true, force: true });
  });

  it('gives each line back as the change it holds: a stream record, a deferred invalidation, a torn line', async () => {
    directory = await mkdtemp(join(tmpdir(), 'failed-changes-'));
    const file = join(directory, 'failed-records.jsonl');
    const torn = JSON.stringify(edit).slice(0, 40);
    await writeFile(
      file,
      [
        JSON.stringify(edit),
        JSON.stringify(slugClaim),
        '{"kind":"pending-invalidation","paths":["/x"]}',
        torn,
      ]
        .map((line) => `${line}\n`)
        .join(''),
    );
    const queue = new FileFailureQueue(file);
    const reports = await queue.receiveAll();
    const changes = await Promise.all(reports.map((report) => queue.failedChanges(report)));
    expect(changes).toEqual([[{ oldImage: article, newImage: edited }], [], [], undefined]);
  });
});

describe('streamBatchOf', () => {
  const info = {
    shardId: 'shardId-00000001',
    startSequenceNumber: '100',
    endSequenceNumber: '101',
    streamArn: STREAM_ARN,
    batchSize: 2,
  };

  it("reads the batch's place from Lambda's on-failure record, and nothing from any other message", () => {
    expect(
      streamBatchOf(
        JSON.stringify({ requestContext: { condition: 'RetryAttemptsExhausted' }, DDBStreamBatchInfo: info }),
      ),
    ).toMatchObject({ shardId: 'shardId-00000001', startSequenceNumber: '100', endSequenceNumber: '101' });
    expect(streamBatchOf('{"kind":"pending-invalidation","paths":["/x"]}')).toBeUndefined();
    expect(streamBatchOf('not json')).toBeUndefined();
    expect(streamBatchOf(undefined)).toBeUndefined();
    expect(
      streamBatchOf(JSON.stringify({ DDBStreamBatchInfo: { ...info, endSequenceNumber: '1e3' } })),
    ).toBeUndefined();
    expect(streamBatchOf(JSON.stringify({ DDBStreamBatchInfo: { ...info, shardId: '' } }))).toBeUndefined();
  });
});

describe('SqsFailureQueue.failedChanges', () => {
  const sqs = { send: async () => ({}) } as unknown as SQSClient;
  const batchMessage = JSON.stringify({
    DDBStreamBatchInfo: {
      shardId: 'shardId-00000001',
      startSequenceNumber: '100',
      endSequenceNumber: '101',
      streamArn: STREAM_ARN,
    },
  });

  it("reads a failed batch's changes back through the reader it was given", async () => {
    const asked: unknown[] = [];
    const queue = new SqsFailureQueue(sqs, 'https://queue', async (batch) => {
      asked.push(batch);
      return [{ newImage: article }];
    });
    const report = { receipt: 'r', pendingInvalidations: [], body: batchMessage };
    expect(await queue.failedChanges(report)).toEqual([{ newImage: article }]);
    expect(asked).toEqual([expect.objectContaining({ streamArn: STREAM_ARN, startSequenceNumber: '100' })]);
  });

  it('stands for no change when the message is a deferred invalidation, and cannot read one without a reader', async () => {
    const withReader = new SqsFailureQueue(sqs, 'https://queue', async () => [{ newImage: article }]);
    const deferred = {
      receipt: 'r',
      pendingInvalidations: ['/x'],
      body: '{"kind":"pending-invalidation","paths":["/x"]}',
    };
    expect(await withReader.failedChanges(deferred)).toEqual([]);
    const withoutReader = new SqsFailureQueue(sqs, 'https://queue');
    expect(
      await withoutReader.failedChanges({ receipt: 'r', pendingInvalidations: [], body: batchMessage }),
    ).toBeUndefined();
  });
});

describe('DynamoDbStreamReader', () => {
  const batch = {
    streamArn: STREAM_ARN,
    shardId: 'shardId-1',
    startSequenceNumber: '99',
    endSequenceNumber: '100',
  };

  /** A Streams client serving `pages` of records in turn, recording each command. */
  function fakeStreams(pages: readonly (readonly DynamoDBRecord[])[], failWith?: Error) {
    const commands: string[] = [];
    let page = 0;
    const client = {
      send: async (command: { constructor: { name: string } }) => {
        commands.push(command.constructor.name);
        if (failWith) throw failWith;
        if (command.constructor.name === 'GetShardIteratorCommand') return { ShardIterator: 'it-0' };
        const records = pages[page] ?? [];
        page += 1;
        return { Records: records, NextShardIterator: page < pages.length + 1 ? `it-${page}` : undefined };
      },
    } as unknown as DynamoDBStreamsClient;
    return { client, commands };
  }

  it('reads from the first record of the batch to its last, comparing sequence numbers as numbers', async () => {
    const first = streamRecord('99', undefined, toItem(article));
    const last = streamRecord('100', toItem(article), toItem(edited));
    // "101" sorts before "99" as a string: the reader must stop there all the same.
    const after = streamRecord('101', toItem(edited), undefined);
    const { client, commands } = fakeStreams([[first], [last, after]]);
    const records = await new DynamoDbStreamReader(client).records(batch);
    expect(records?.map((record) => record.dynamodb?.SequenceNumber)).toEqual(['99', '100']);
    expect(commands).toEqual(['GetShardIteratorCommand', 'GetRecordsCommand', 'GetRecordsCommand']);
  });

  it("stops at the open shard's tip (an empty page)", async () => {
    const { client } = fakeStreams([[streamRecord('99', undefined, toItem(article))], []]);
    expect((await new DynamoDbStreamReader(client).records(batch))?.length).toBe(1);
  });

  it('answers undefined once the stream no longer has the records, and passes any other error on', async () => {
    const trimmed = new TrimmedDataAccessException({ message: 'trimmed', $metadata: {} });
    expect(await new DynamoDbStreamReader(fakeStreams([], trimmed).client).records(batch)).toBeUndefined();
    const throttled = new Error('throttled');
    await expect(new DynamoDbStreamReader(fakeStreams([], throttled).client).records(batch)).rejects.toBe(
      throttled,
    );
  });
});
