import { ENV, getOptionalStringFromEnv } from '../config/environment';
import type { FailureQueue } from '../publishing/failure-queue';

async function loadSqsFailureQueue(queueUrl: string): Promise<FailureQueue> {
  const [{ SQSClient }, { SqsFailureQueue }] = await Promise.all([
    import('@aws-sdk/client-sqs'),
    import('../adapters/sqs-failure-queue'),
  ]);
  return new SqsFailureQueue(new SQSClient({}), queueUrl);
}

/**
 * The render failure queue in AWS (FAILURE_QUEUE_URL set). It is a rare path: the render function only
 * writes to it when CloudFront keeps refusing an invalidation, the reconciler only reads it on a redrive.
 * So the SQS client is imported on first use (`await import()`), not at every cold start.
 */
export function failureQueueFromEnv(): FailureQueue | undefined {
  const queueUrl = getOptionalStringFromEnv(ENV.failureQueueUrl);
  if (!queueUrl) return undefined;
  let queue: Promise<FailureQueue> | undefined;
  const loaded = () => {
    queue ??= loadSqsFailureQueue(queueUrl);
    return queue;
  };
  return {
    deferInvalidations: async (paths) => (await loaded()).deferInvalidations(paths),
    receiveAll: async () => (await loaded()).receiveAll(),
    acknowledge: async (reports) => (await loaded()).acknowledge(reports),
  };
}
