import type { SQSClient } from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import { SqsRerenderQueue } from '../../../functions/adapters/sqs-rerender-queue';
import { decodeChunk, type RerenderChunk } from '../../../functions/publishing/rerender-chunks';

const QUEUE_URL = 'https://sqs.eu-central-1.amazonaws.com/123456789012/FlashNews-RerenderQueue';
const DLQ_ARN = 'arn:aws:sqs:eu-central-1:123456789012:FlashNews-RerenderDeadLetterQueue';
const DLQ_URL = 'https://sqs.eu-central-1.amazonaws.com/123456789012/FlashNews-RerenderDeadLetterQueue';

type Request = { readonly command: string; readonly input: Record<string, unknown> };

/** An SQS client answering each command with `answer`, recording every request. */
function fakeSqs(answer: (request: Request) => unknown) {
  const requests: Request[] = [];
  const client = {
    send: async (command: { constructor: { name: string }; input: Record<string, unknown> }) => {
      const request = { command: command.constructor.name, input: command.input };
      requests.push(request);
      return answer(request);
    },
  } as unknown as SQSClient;
  return { client, requests };
}

function attributesOf(url: unknown): Record<string, string> {
  return url === QUEUE_URL
    ? {
        RedrivePolicy: JSON.stringify({ deadLetterTargetArn: DLQ_ARN, maxReceiveCount: 5 }),
        ApproximateNumberOfMessages: '12',
        ApproximateNumberOfMessagesNotVisible: '5',
        ApproximateNumberOfMessagesDelayed: '1',
      }
    : { ApproximateNumberOfMessages: '2', ApproximateNumberOfMessagesNotVisible: '1' };
}

function answers(request: Request): unknown {
  switch (request.command) {
    case 'GetQueueAttributesCommand':
      return { Attributes: attributesOf(request.input.QueueUrl) };
    case 'GetQueueUrlCommand':
      return { QueueUrl: DLQ_URL };
    case 'ListMessageMoveTasksCommand':
      return { Results: [{ Status: 'RUNNING' }] };
    default:
      return {};
  }
}

const chunks = (count: number): RerenderChunk[] =>
  Array.from({ length: count }, (_, chunk) => ({ run: 'r', chunk, ids: [`id-${chunk}`] }));

describe('SqsRerenderQueue', () => {
  it('sends up to ten chunks in one SendMessageBatch, one message per chunk', async () => {
    const { client, requests } = fakeSqs(() => ({}));
    await new SqsRerenderQueue(client, QUEUE_URL).send(chunks(10));
    expect(requests).toHaveLength(1);
    expect(requests[0]?.command).toBe('SendMessageBatchCommand');
    const entries = requests[0]?.input.Entries as { Id: string; MessageBody: string }[];
    expect(requests[0]?.input.QueueUrl).toBe(QUEUE_URL);
    expect(entries.map((entry) => decodeChunk(entry.MessageBody).chunk)).toEqual([
      0, 1, 2, 3, 4, 5, 6, 7, 8, 9,
    ]);
    expect(new Set(entries.map((entry) => entry.Id)).size).toBe(10);
  });

  it('sends again only the entries SQS refused for its own reasons, waiting between attempts', async () => {
    let attempt = 0;
    const { client, requests } = fakeSqs(() => {
      attempt += 1;
      return attempt === 1 ? { Failed: [{ Id: '1', Code: 'InternalError', SenderFault: false }] } : {};
    });
    const waits: number[] = [];
    await new SqsRerenderQueue(client, QUEUE_URL, async (ms) => void waits.push(ms)).send(chunks(3));
    const resent = requests[1]?.input.Entries as { Id: string; MessageBody: string }[];
    expect(resent.map((entry) => decodeChunk(entry.MessageBody).chunk)).toEqual([1]);
    expect(waits).toHaveLength(1);
  });

  it('throws on a sender fault, which would fail the same way again', async () => {
    const { client, requests } = fakeSqs(() => ({
      Failed: [{ Id: '0', Code: 'InvalidParameterValue', Message: 'too long', SenderFault: true }],
    }));
    await expect(
      new SqsRerenderQueue(client, QUEUE_URL, async () => undefined).send(chunks(1)),
    ).rejects.toThrow('SQS refused 1 chunk(s): InvalidParameterValue too long');
    expect(requests).toHaveLength(1);
  });

  it('reads the depth of the queue and of the dead-letter queue its redrive policy names', async () => {
    const { client, requests } = fakeSqs(answers);
    const queue = new SqsRerenderQueue(client, QUEUE_URL);
    expect(await queue.depth()).toEqual({ waiting: 13, inFlight: 5, deadLettered: 3, redriving: false });
    expect(requests.find((r) => r.command === 'GetQueueUrlCommand')?.input).toEqual({
      QueueName: 'FlashNews-RerenderDeadLetterQueue',
      QueueOwnerAWSAccountId: '123456789012',
    });
    // The dead-letter queue is looked up once, and a move is not asked about before one was started.
    await queue.depth();
    expect(requests.filter((r) => r.command === 'GetQueueUrlCommand')).toHaveLength(1);
    expect(requests.filter((r) => r.command === 'ListMessageMoveTasksCommand')).toHaveLength(0);
    expect(await queue.deadLetterQueueUrl()).toBe(DLQ_URL);
  });

  it('moves dead-lettered chunks back to the queue they came from, and reports the move until it ends', async () => {
    let status = 'RUNNING';
    const { client, requests } = fakeSqs((request) =>
      request.command === 'ListMessageMoveTasksCommand'
        ? { Results: [{ Status: status }] }
        : answers(request),
    );
    const queue = new SqsRerenderQueue(client, QUEUE_URL);
    await queue.retryDeadLettered();
    expect(requests.find((r) => r.command === 'StartMessageMoveTaskCommand')?.input).toEqual({
      SourceArn: DLQ_ARN,
    });
    expect((await queue.depth()).redriving).toBe(true);
    status = 'COMPLETED';
    expect((await queue.depth()).redriving).toBe(false);
    expect(requests.filter((r) => r.command === 'ListMessageMoveTasksCommand')).toHaveLength(2);
    expect(requests.find((r) => r.command === 'ListMessageMoveTasksCommand')?.input).toEqual({
      SourceArn: DLQ_ARN,
      MaxResults: 1,
    });
  });

  it('says so when the queue has no dead-letter queue', async () => {
    const { client } = fakeSqs(() => ({ Attributes: {} }));
    await expect(new SqsRerenderQueue(client, QUEUE_URL).depth()).rejects.toThrow('has no dead-letter queue');
  });
});
