import {
  type DynamoDBStreamsClient,
  ExpiredIteratorException,
  GetRecordsCommand,
  GetShardIteratorCommand,
  ResourceNotFoundException,
  TrimmedDataAccessException,
} from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBRecord } from 'aws-lambda';
import type { StreamBatchInfo } from './stream-batch';

/** Pages read for one batch at most: a failed batch holds at most the mapping's batch size (100) records. */
const MAX_PAGES = 20;

function sequence(record: { readonly dynamodb?: { readonly SequenceNumber?: string } }): bigint | undefined {
  const value = record.dynamodb?.SequenceNumber;
  return value && /^\d+$/.test(value) ? BigInt(value) : undefined;
}

/**
 * Reads a failed batch's records again from the table's stream (Streams GetShardIterator at the batch's
 * first sequence number, then GetRecords up to its last), so that redrive can announce the changes the
 * render function gave up on. The stream keeps records 24 hours: past that, or if the stream is gone,
 * the answer is undefined, not an error, since waiting will not bring them back.
 */
export class DynamoDbStreamReader {
  constructor(private readonly client: DynamoDBStreamsClient) {}

  async records(batch: StreamBatchInfo): Promise<DynamoDBRecord[] | undefined> {
    const end = BigInt(batch.endSequenceNumber);
    try {
      let { ShardIterator: iterator } = await this.client.send(
        new GetShardIteratorCommand({
          StreamArn: batch.streamArn,
          ShardId: batch.shardId,
          ShardIteratorType: 'AT_SEQUENCE_NUMBER',
          SequenceNumber: batch.startSequenceNumber,
        }),
      );
      const records: DynamoDBRecord[] = [];
      for (let page = 0; iterator && page < MAX_PAGES; page += 1) {
        const { Records = [], NextShardIterator } = await this.client.send(
          new GetRecordsCommand({ ShardIterator: iterator }),
        );
        for (const record of Records as DynamoDBRecord[]) {
          const at = sequence(record);
          if (at === undefined) continue;
          if (at > end) return records;
          records.push(record);
        }
        // An empty page of an open shard means its tip: the batch, which is in the past, is all read.
        if (Records.length === 0) return records;
        iterator = NextShardIterator;
      }
      return records;
    } catch (error) {
      if (
        error instanceof TrimmedDataAccessException ||
        error instanceof ExpiredIteratorException ||
        error instanceof ResourceNotFoundException
      ) {
        return undefined;
      }
      throw error;
    }
  }
}
