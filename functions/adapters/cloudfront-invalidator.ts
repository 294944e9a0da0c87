import { type CloudFrontClient, CreateInvalidationCommand } from '@aws-sdk/client-cloudfront';
import { InvalidationFailedError, type Invalidator } from '../publishing/invalidator';

/**
 * CloudFront accepts at most this many paths in one invalidation request, and at most this many in
 * progress per distribution (a wildcard counts as one).
 */
export const MAX_PATHS_PER_INVALIDATION = 3000;

/** Errors CloudFront answers while it is busy: waiting is the cure. */
const RETRYABLE = new Set([
  'TooManyInvalidationsInProgress',
  'Throttling',
  'ThrottlingException',
  'ServiceUnavailable',
  'InternalError',
]);

export interface InvalidationRetry {
  /** Requests per batch before giving up. */
  readonly attempts: number;
  /** First wait; each further one doubles. */
  readonly baseDelayMs: number;
  readonly sleep?: (ms: number) => Promise<void>;
}

/**
 * More paths than one request may carry become wildcards: one per first path segment (`/bota/*`), or
 * the whole site when even those are too many. A wildcard counts as one path, both in the limit and in
 * the price, and drops no less than the paths it stands for.
 */
export function fitInvalidationPaths(paths: readonly string[]): string[] {
  const unique = [...new Set(paths)];
  if (unique.length <= MAX_PATHS_PER_INVALIDATION) return unique;
  const prefixes = new Set(
    unique.map((path) => {
      const segment = path.split('/')[1] ?? '';
      return path.indexOf('/', 1) === -1 ? path : `/${segment}/*`;
    }),
  );
  return prefixes.size <= MAX_PATHS_PER_INVALIDATION ? [...prefixes] : ['/*'];
}

function isRetryable(error: unknown): boolean {
  const name = (error as { name?: string }).name ?? '';
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode ?? 0;
  return RETRYABLE.has(name) || status >= 500;
}

/**
 * Invalidates exact paths: each publish costs a handful of paths (the first 1,000 a month are free,
 * then $0.005 each), and a `/*` would empty every edge cache of the site. A busy distribution
 * (`TooManyInvalidationsInProgress`, throttling) is waited out with exponential backoff, retrying the
 * same caller reference so that a request that succeeded unseen is not counted twice.
 */
export class CloudFrontInvalidator implements Invalidator {
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(
    private readonly client: CloudFrontClient,
    private readonly distributionId: string,
    private readonly callerReference: () => string,
    private readonly retry: InvalidationRetry = { attempts: 5, baseDelayMs: 1000 },
  ) {
    this.sleep = retry.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  async invalidate(paths: readonly string[]): Promise<void> {
    if (paths.length === 0) return;
    const items = fitInvalidationPaths(paths).map((path) => encodeURI(path));
    const reference = this.callerReference();
    for (let attempt = 1; ; attempt += 1) {
      try {
        await this.client.send(
          new CreateInvalidationCommand({
            DistributionId: this.distributionId,
            InvalidationBatch: {
              CallerReference: reference,
              Paths: { Quantity: items.length, Items: items },
            },
          }),
        );
        return;
      } catch (error) {
        if (!isRetryable(error) || attempt >= this.retry.attempts) {
          throw new InvalidationFailedError(paths, error);
        }
        await this.sleep(this.retry.baseDelayMs * 2 ** (attempt - 1));
      }
    }
  }
}
