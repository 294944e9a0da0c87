import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { DynamoDbStreamReader } from '../adapters/dynamodb-stream-reader';
import type { StreamRecordsReader } from '../adapters/sqs-failure-queue';
import { articleChangeOf } from '../adapters/stream-changes';

/**
 * Reads failed stream batches back, as article changes, for redrive to announce. The stream is the
 * table's, whose ARN the on-failure record names; the function's role may read only it. Imported
 * statically by the reconciler alone: a dynamic import would make esbuild keep every DynamoDB command
 * that the record conversion's imports reach (80 KB), for a client created once per redrive anyway.
 */
export async function loadStreamReader(): Promise<StreamRecordsReader> {
  const reader = new DynamoDbStreamReader(new DynamoDBStreamsClient({}));
  return async (batch) => (await reader.records(batch))?.flatMap((record) => articleChangeOf(record) ?? []);
}
