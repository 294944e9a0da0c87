import type { CloudFrontClient, CreateInvalidationCommand } from '@aws-sdk/client-cloudfront';
import { describe, expect, it } from 'vitest';
import {
  CloudFrontInvalidator,
  fitInvalidationPaths,
  MAX_PATHS_PER_INVALIDATION,
} from '../../../functions/adapters/cloudfront-invalidator';
import type { FailureQueue, FailureReport } from '../../../functions/publishing/failure-queue';
import { InvalidationFailedError } from '../../../functions/publishing/invalidator';
import { invalidateOrDefer } from '../../../functions/publishing/redrive';

function cloudFrontError(name: string, status = 400): Error {
  return Object.assign(new Error(name), { name, $metadata: { httpStatusCode: status } });
}

/** A CloudFront client that answers with the given outcomes in turn and records every request. */
function fakeCloudFront(outcomes: (Error | 'ok')[]) {
  const requests: CreateInvalidationCommand['input'][] = [];
  const client = {
    send: async (command: CreateInvalidationCommand) => {
      requests.push(command.input);
      const outcome = outcomes.shift() ?? 'ok';
      if (outcome !== 'ok') throw outcome;
      return {};
    },
  } as unknown as CloudFrontClient;
  return { client, requests };
}

const waits: number[] = [];
const retry = { attempts: 4, baseDelayMs: 100, sleep: async (ms: number) => void waits.push(ms) };

describe('CloudFrontInvalidator', () => {
  it('waits out a busy distribution, retrying the same caller reference with growing waits', async () => {
    waits.length = 0;
    const { client, requests } = fakeCloudFront([
      cloudFrontError('TooManyInvalidationsInProgress'),
      cloudFrontError('Throttling'),
      'ok',
    ]);
    let references = 0;
    const nextReference = () => {
      references += 1;
      return `ref-${references}`;
    };
    const invalidator = new CloudFrontInvalidator(client, 'E123', nextReference, retry);
    await invalidator.invalidate(['/bota/a', '/bota/a/index.html']);
    expect(requests).toHaveLength(3);
    expect(new Set(requests.map((request) => request.InvalidationBatch?.CallerReference))).toEqual(
      new Set(['ref-1']),
    );
    expect(requests[0]?.InvalidationBatch?.Paths).toEqual({
      Quantity: 2,
      Items: ['/bota/a', '/bota/a/index.html'],
    });
    expect(waits).toEqual([100, 200]);
  });

  it('gives up after its attempts with the paths in the error, and at once on a refusal that will not pass', async () => {
    const busy = fakeCloudFront(Array(10).fill(cloudFrontError('TooManyInvalidationsInProgress')));
    const invalidator = new CloudFrontInvalidator(busy.client, 'E123', () => 'ref', retry);
    const error = await invalidator.invalidate(['/x/y']).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InvalidationFailedError);
    expect((error as InvalidationFailedError).paths).toEqual(['/x/y']);
    expect(busy.requests).toHaveLength(4);

    const denied = fakeCloudFront([cloudFrontError('AccessDenied', 403)]);
    await expect(
      new CloudFrontInvalidator(denied.client, 'E123', () => 'ref', retry).invalidate(['/x/y']),
    ).rejects.toBeInstanceOf(InvalidationFailedError);
    expect(denied.requests).toHaveLength(1);
  });

  it('sends a burst over 3,000 paths as one request of wildcards', async () => {
    const paths = Array.from(
      { length: 5000 },
      (_, index) => `/${index % 2 ? 'bota' : 'sport'}/story-${index}`,
    );
    const { client, requests } = fakeCloudFront(['ok']);
    await new CloudFrontInvalidator(client, 'E123', () => 'ref', retry).invalidate([...paths, '/feed.xml']);
    expect(requests).toHaveLength(1);
    expect(new Set(requests[0]?.InvalidationBatch?.Paths?.Items)).toEqual(
      new Set(['/bota/*', '/sport/*', '/feed.xml']),
    );
  });

  it('keeps exact paths up to the limit, and the whole site when even the prefixes are too many', () => {
    const exact = Array.from({ length: MAX_PATHS_PER_INVALIDATION }, (_, index) => `/s/${index}`);
    expect(fitInvalidationPaths(exact)).toEqual(exact);
    const scattered = Array.from({ length: 4000 }, (_, index) => `/section-${index}/story`);
    expect(fitInvalidationPaths(scattered)).toEqual(['/*']);
  });

  it('encodes paths as CloudFront expects', async () => {
    const { client, requests } = fakeCloudFront(['ok']);
    await new CloudFrontInvalidator(client, 'E123', () => 'ref', retry).invalidate(['/bota/ë story']);
    expect(requests[0]?.InvalidationBatch?.Paths?.Items).toEqual(['/bota/%C3%AB%20story']);
  });
});

describe('invalidateOrDefer', () => {
  const failing = {
    invalidate: async (paths: readonly string[]) =>
      Promise.reject(new InvalidationFailedError(paths, 'busy')),
  };

  it('leaves paths CloudFront refused in the failure queue instead of failing', async () => {
    const deferred: string[][] = [];
    const queue: FailureQueue = {
      deferInvalidations: async (paths) => void deferred.push([...paths]),
      receiveAll: async () => [] as FailureReport[],
      acknowledge: async () => undefined,
      failedChanges: async () => [],
    };
    expect(await invalidateOrDefer(failing, queue, ['/bota/a'])).toBe(true);
    expect(deferred).toEqual([['/bota/a']]);
    expect(await invalidateOrDefer({ invalidate: async () => undefined }, queue, ['/bota/b'])).toBe(false);
    expect(deferred).toHaveLength(1);
  });

  it('throws when there is nowhere to keep them, so the caller retries', async () => {
    await expect(invalidateOrDefer(failing, undefined, ['/bota/a'])).rejects.toBeInstanceOf(
      InvalidationFailedError,
    );
  });
});
