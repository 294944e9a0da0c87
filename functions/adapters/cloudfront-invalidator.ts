import { type CloudFrontClient, CreateInvalidationCommand } from '@aws-sdk/client-cloudfront';

/** CloudFront accepts at most this many paths in one invalidation request. */
export const MAX_PATHS_PER_INVALIDATION = 3000;

export interface Invalidator {
  invalidate(paths: readonly string[]): Promise<void>;
}

/**
 * Invalidates exact paths, never a wildcard: each publish costs a handful of paths (the first 1,000 a
 * month are free, then $0.005 each), and a `/*` would empty every edge cache of the site.
 */
export class CloudFrontInvalidator implements Invalidator {
  constructor(
    private readonly client: CloudFrontClient,
    private readonly distributionId: string,
    private readonly callerReference: () => string,
  ) {}

  async invalidate(paths: readonly string[]): Promise<void> {
    const unique = [...new Set(paths)].map((path) => encodeURI(path));
    for (let start = 0; start < unique.length; start += MAX_PATHS_PER_INVALIDATION) {
      const batch = unique.slice(start, start + MAX_PATHS_PER_INVALIDATION);
      await this.client.send(
        new CreateInvalidationCommand({
          DistributionId: this.distributionId,
          InvalidationBatch: {
            CallerReference: this.callerReference(),
            Paths: { Quantity: batch.length, Items: batch },
          },
        }),
      );
    }
  }
}

/** Locally there is no CDN in front of the bucket: nothing to invalidate. */
export const noInvalidation: Invalidator = { invalidate: async () => undefined };
