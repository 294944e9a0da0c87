import {
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListMessageMoveTasksCommand,
  type QueueAttributeName,
  SendMessageBatchCommand,
  type SQSClient,
  StartMessageMoveTaskCommand,
} from '@aws-sdk/client-sqs';
import type { QueueDepth, RerenderQueue } from '../publishing/archive-fanout';
import { encodeChunk, type RerenderChunk } from '../publishing/rerender-chunks';

/** Entries SQS refused for its own reasons (throttling, a busy partition) are sent again this often. */
const SEND_ATTEMPTS = 5;

interface DeadLetterQueue {
  readonly arn: string;
  readonly url: string;
}

/**
 * The re-render queue in SQS, from the sender's side (`npm run rerender` against a deployment): it sends
 * chunks, reads the queue's and the dead-letter queue's depth, and moves dead-lettered chunks back. The
 * dead-letter queue is found through the queue's own redrive policy, so one URL configures both.
 */
export class SqsRerenderQueue implements RerenderQueue {
  private deadLetterQueue: Promise<DeadLetterQueue> | undefined;
  private retryStarted = false;

  constructor(
    private readonly client: SQSClient,
    private readonly queueUrl: string,
    private readonly sleep: (ms: number) => Promise<void> = (ms) =>
      new Promise((resolve) => setTimeout(resolve, ms)),
  ) {}

  async send(chunks: readonly RerenderChunk[]): Promise<void> {
    let entries = chunks.map((chunk, index) => ({ Id: String(index), MessageBody: encodeChunk(chunk) }));
    for (let attempt = 1; entries.length > 0; attempt += 1) {
      const { Failed = [] } = await this.client.send(
        new SendMessageBatchCommand({ QueueUrl: this.queueUrl, Entries: entries }),
      );
      if (Failed.length === 0) return;
      const [first] = Failed;
      // A sender fault (a message too large, a bad attribute) fails the same way every time.
      if (Failed.some((entry) => entry.SenderFault) || attempt >= SEND_ATTEMPTS) {
        throw new Error(
          `SQS refused ${Failed.length} chunk(s): ${first?.Code} ${first?.Message ?? ''}`.trim(),
        );
      }
      const refused = new Set(Failed.map((entry) => entry.Id));
      entries = entries.filter((entry) => refused.has(entry.Id));
      await this.sleep(200 * 2 ** (attempt - 1));
    }
  }

  async depth(): Promise<QueueDepth> {
    const deadLetter = await this.deadLetter();
    const [queue, dead, redriving] = await Promise.all([
      this.counts(this.queueUrl, [
        'ApproximateNumberOfMessages',
        'ApproximateNumberOfMessagesNotVisible',
        'ApproximateNumberOfMessagesDelayed',
      ]),
      this.counts(deadLetter.url, ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible']),
      this.redriving(deadLetter.arn),
    ]);
    return {
      waiting: queue.ApproximateNumberOfMessages + queue.ApproximateNumberOfMessagesDelayed,
      inFlight: queue.ApproximateNumberOfMessagesNotVisible,
      deadLettered: dead.ApproximateNumberOfMessages + dead.ApproximateNumberOfMessagesNotVisible,
      redriving,
    };
  }

  async retryDeadLettered(): Promise<void> {
    const { arn } = await this.deadLetter();
    // Without a destination, SQS moves each message back to the queue it was dead-lettered from.
    await this.client.send(new StartMessageMoveTaskCommand({ SourceArn: arn }));
    this.retryStarted = true;
  }

  /** The dead-letter queue's URL, for the operator who wants to look at a failed chunk. */
  async deadLetterQueueUrl(): Promise<string> {
    return (await this.deadLetter()).url;
  }

  private deadLetter(): Promise<DeadLetterQueue> {
    this.deadLetterQueue ??= this.findDeadLetterQueue().catch((error: unknown) => {
      this.deadLetterQueue = undefined;
      throw error;
    });
    return this.deadLetterQueue;
  }

  private async findDeadLetterQueue(): Promise<DeadLetterQueue> {
    const { Attributes = {} } = await this.client.send(
      new GetQueueAttributesCommand({ QueueUrl: this.queueUrl, AttributeNames: ['RedrivePolicy'] }),
    );
    const arn = (JSON.parse(Attributes.RedrivePolicy ?? '{}') as { deadLetterTargetArn?: string })
      .deadLetterTargetArn;
    // arn:<partition>:sqs:<region>:<account>:<name>
    const [, , , , account, name] = arn?.split(':') ?? [];
    if (!arn || !account || !name) throw new Error(`${this.queueUrl} has no dead-letter queue`);
    const { QueueUrl } = await this.client.send(
      new GetQueueUrlCommand({ QueueName: name, QueueOwnerAWSAccountId: account }),
    );
    if (!QueueUrl) throw new Error(`SQS did not return the URL of ${arn}`);
    return { arn, url: QueueUrl };
  }

  private async counts<Name extends QueueAttributeName>(
    queueUrl: string,
    names: readonly Name[],
  ): Promise<Record<Name, number>> {
    const { Attributes = {} } = await this.client.send(
      new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: [...names] }),
    );
    return Object.fromEntries(names.map((name) => [name, Number(Attributes[name] ?? 0)])) as Record<
      Name,
      number
    >;
  }

  /** Only asked once this sender started a move, which needs ListMessageMoveTasks only then. */
  private async redriving(deadLetterArn: string): Promise<boolean> {
    if (!this.retryStarted) return false;
    const { Results = [] } = await this.client.send(
      new ListMessageMoveTasksCommand({ SourceArn: deadLetterArn, MaxResults: 1 }),
    );
    const running = Results[0]?.Status === 'RUNNING';
    if (!running) this.retryStarted = false;
    return running;
  }
}
