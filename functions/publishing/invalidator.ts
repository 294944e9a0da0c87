/**
 * The CDN port: which cached paths must be dropped because their objects changed. The CloudFront
 * adapter implements it in AWS; locally nothing sits in front of the bucket.
 */
export interface Invalidator {
  invalidate(paths: readonly string[]): Promise<void>;
}

/** Locally there is no CDN in front of the bucket: nothing to invalidate. */
export const noInvalidation: Invalidator = { invalidate: async () => undefined };

/** The paths did not get invalidated after every retry: the caller keeps them for later. */
export class InvalidationFailedError extends Error {
  override name = 'InvalidationFailedError';
  constructor(
    readonly paths: readonly string[],
    cause: unknown,
  ) {
    super(`CloudFront did not accept the invalidation of ${paths.length} path(s)`, { cause });
  }
}
