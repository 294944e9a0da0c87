import type { StreamRecordsReader } from '../adapters/sqs-failure-queue';
import { ENV, getOptionalStringFromEnv } from '../config/environment';
import type { FailureQueue } from '../publishing/failure-queue';

async function loadSqsFailureQueue(
  queueUrl: string,
  loadStreamReader?: () => Promise<StreamRecordsReader>,
): Promise<FailureQueue> {
  const [{ SQSClient }, { SqsFailureQueue }, readStream] = await Promise.all([
    import('@aws-sdk/client-sqs'),
    import('../adapters/sqs-failure-queue'),
    loadStreamReader?.(),
  ]);
  return new SqsFailureQueue(new SQSClient({}), queueUrl, readStream);
}

/**
 * The render failure queue in AWS (FAILURE_QUEUE_URL set). It is a rare path: the render function only
 * writes to it when CloudFront keeps refusing an invalidation, the reconciler only reads it on a redrive.
 * So the SQS client is imported on first use (`await import()`), not at every cold start. The reconciler
 * passes `loadStreamReader` (functions/shared/stream-reader.ts) to read failed batches back from the
 * stream; passing it from there keeps the Streams client out of the render function's bundle.
 */
export function failureQueueFromEnv(
  loadStreamReader?: () => Promise<StreamRecordsReader>,
): FailureQueue | undefined {
  const queueUrl = getOptionalStringFromEnv(ENV.failureQueueUrl);
  if (!queueUrl) return undefined;
  let queue: Promise<FailureQueue> | undefined;
  const loaded = () => {
    queue ??= loadSqsFailureQueue(queueUrl, loadStreamReader);
    return queue;
  };
  return {
    deferInvalidations: async (paths) => (await loaded()).deferInvalidations(paths),
    receiveAll: async () => (await loaded()).receiveAll(),
    acknowledge: async (reports) => (await loaded()).acknowledge(reports),
    failedChanges: async (report) => (await loaded()).failedChanges(report),
  };
}
