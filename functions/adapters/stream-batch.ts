/**
 * Lambda's on-failure record for a DynamoDB stream batch says where the batch is, not what it held. Kept
 * apart from the reader (dynamodb-stream-reader.ts) so that parsing it never bundles the Streams client.
 */

/** Where a batch of stream records is: what Lambda sends the on-failure destination instead of the records. */
export interface StreamBatchInfo {
  readonly streamArn: string;
  readonly shardId: string;
  readonly startSequenceNumber: string;
  readonly endSequenceNumber: string;
}

/** The batch a Lambda on-failure record for a DynamoDB stream points at, if the message is one. */
export function streamBatchOf(body: string | undefined): StreamBatchInfo | undefined {
  try {
    const info = (JSON.parse(body ?? '') as { DDBStreamBatchInfo?: Partial<StreamBatchInfo> })
      .DDBStreamBatchInfo;
    const fields = [info?.streamArn, info?.shardId, info?.startSequenceNumber, info?.endSequenceNumber];
    if (!info || fields.some((field) => typeof field !== 'string' || field === '')) return undefined;
    if (!/^\d+$/.test(info.startSequenceNumber ?? '') || !/^\d+$/.test(info.endSequenceNumber ?? ''))
      return undefined;
    return info as StreamBatchInfo;
  } catch {
    return undefined;
  }
}
