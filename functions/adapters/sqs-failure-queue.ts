import {
  DeleteMessageBatchCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { ArticleChange, FailureQueue, FailureReport } from '../publishing/failure-queue';
import { type StreamBatchInfo, streamBatchOf } from './stream-batch';

/** SQS lets one batch request carry at most ten messages. */
const SQS_BATCH = 10;
/** Long enough for a whole repair (the reconcile function's 15-minute timeout) before a report reappears. */
const REDRIVE_VISIBILITY_SECONDS = 15 * 60;
/** Reading stops here; the next redrive takes the rest. */
const MAX_REPORTS_PER_REDRIVE = 10_000;

/** What the render function leaves in the queue besides the stream mapping's own failure records. */
interface DeferredInvalidation {
  readonly kind: 'pending-invalidation';
  readonly paths: readonly string[];
}

function pendingPathsOf(body: string | undefined): readonly string[] {
  try {
    const message = JSON.parse(body ?? '') as Partial<DeferredInvalidation>;
    if (message.kind !== 'pending-invalidation' || !Array.isArray(message.paths)) return [];
    return message.paths.filter((path): path is string => typeof path === 'string' && path.startsWith('/'));
  } catch {
    return [];
  }
}

/**
 * Reads a failed batch's article changes again from the stream (functions/shared/stream-reader.ts);
 * undefined when the stream no longer has them. Injected, so that the render function, which only defers
 * invalidations through this queue, bundles neither the Streams client nor the record conversion.
 */
export type StreamRecordsReader = (batch: StreamBatchInfo) => Promise<readonly ArticleChange[] | undefined>;

/** The render failure queue in SQS: the stream mapping's on-failure destination. */
export class SqsFailureQueue implements FailureQueue {
  constructor(
    private readonly client: SQSClient,
    private readonly queueUrl: string,
    /** Without one (the render function, which only defers invalidations), no changes are read back. */
    private readonly readStream?: StreamRecordsReader,
  ) {}

  async deferInvalidations(paths: readonly string[]): Promise<void> {
    const message: DeferredInvalidation = { kind: 'pending-invalidation', paths };
    await this.client.send(
      new SendMessageCommand({ QueueUrl: this.queueUrl, MessageBody: JSON.stringify(message) }),
    );
  }

  async receiveAll(): Promise<readonly FailureReport[]> {
    const reports: FailureReport[] = [];
    while (reports.length < MAX_REPORTS_PER_REDRIVE) {
      const { Messages = [] } = await this.client.send(
        new ReceiveMessageCommand({
          QueueUrl: this.queueUrl,
          MaxNumberOfMessages: SQS_BATCH,
          VisibilityTimeout: REDRIVE_VISIBILITY_SECONDS,
          WaitTimeSeconds: 1,
        }),
      );
      if (Messages.length === 0) break;
      for (const message of Messages) {
        if (message.ReceiptHandle) {
          reports.push({
            receipt: message.ReceiptHandle,
            pendingInvalidations: pendingPathsOf(message.Body),
            body: message.Body,
          });
        }
      }
    }
    return reports;
  }

  /**
   * A deferred invalidation stands for no change; Lambda's on-failure record for a stream batch says where
   * the batch is in the stream, from which its records are read again. Anything else names no change.
   */
  async failedChanges(report: FailureReport): Promise<readonly ArticleChange[] | undefined> {
    const batch = streamBatchOf(report.body);
    if (!batch) return [];
    return this.readStream ? this.readStream(batch) : undefined;
  }

  async acknowledge(reports: readonly FailureReport[]): Promise<void> {
    for (let start = 0; start < reports.length; start += SQS_BATCH) {
      const batch = reports.slice(start, start + SQS_BATCH);
      const result = await this.client.send(
        new DeleteMessageBatchCommand({
          QueueUrl: this.queueUrl,
          Entries: batch.map((report, index) => ({ Id: String(index), ReceiptHandle: report.receipt })),
        }),
      );
      if (result.Failed?.length) {
        throw new Error(`SQS kept ${result.Failed.length} report(s); they will be redriven again`);
      }
    }
  }
}
