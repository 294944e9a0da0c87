import { CloudFrontClient } from '@aws-sdk/client-cloudfront';
import { CloudFrontInvalidator } from '../adapters/cloudfront-invalidator';
import { ENV, getOptionalStringFromEnv } from '../config/environment';
import { type Invalidator, noInvalidation } from '../publishing/invalidator';

/**
 * CloudFront in AWS (DISTRIBUTION_ID set); locally nothing caches the bucket. Loaded up front, not on
 * demand: the functions that import this invalidate after nearly every batch they write.
 */
export function invalidatorFromEnv(purpose: string): Invalidator {
  const distributionId = getOptionalStringFromEnv(ENV.distributionId);
  if (!distributionId) return noInvalidation;
  return new CloudFrontInvalidator(
    new CloudFrontClient({}),
    distributionId,
    () => `${purpose}-${Date.now()}-${Math.random().toString(36).slice(2)}`,
  );
}
