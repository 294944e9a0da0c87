import { getSecret } from '@aws-lambda-powertools/parameters/secrets';
import { CloudFrontClient } from '@aws-sdk/client-cloudfront';
import { SQSClient } from '@aws-sdk/client-sqs';
import { getDocumentClient, getS3Client } from '../adapters/aws-clients';
import { CloudFrontInvalidator } from '../adapters/cloudfront-invalidator';
import { DynamoDbArticleRepository } from '../adapters/dynamodb-article-repository';
import { S3PageStore } from '../adapters/s3-page-store';
import { SqsFailureQueue } from '../adapters/sqs-failure-queue';
import { createTokenVerifier, type TokenVerifier } from '../auth/token-verifier';
import { ENV, getOptionalStringFromEnv, getStringFromEnv } from '../config/environment';
import { loadSiteConfig, type SiteConfig } from '../config/site';
import { ArticleService } from '../domain/article-service';
import type { FailureQueue } from '../publishing/failure-queue';
import { type Invalidator, noInvalidation } from '../publishing/invalidator';
import { SitePublisher } from '../publishing/site-publisher';
import { SiteReconciler } from '../publishing/site-reconciler';
import { tracer } from './observability';

/**
 * Builds what handlers need from the environment, once per function instance (module scope), failing
 * fast when configuration is missing.
 */

export function siteFromEnv(): SiteConfig {
  return loadSiteConfig(process.env);
}

function repositoryFromEnv(): DynamoDbArticleRepository {
  return new DynamoDbArticleRepository(getDocumentClient(), getStringFromEnv(ENV.tableName));
}

export function articleServiceFromEnv(): ArticleService {
  return new ArticleService(repositoryFromEnv());
}

function pageStoreFromEnv(): S3PageStore {
  return new S3PageStore(getS3Client(), getStringFromEnv(ENV.bucketName));
}

export function sitePublisherFromEnv(): SitePublisher {
  return new SitePublisher(siteFromEnv(), repositoryFromEnv(), pageStoreFromEnv());
}

/** CloudFront in AWS (DISTRIBUTION_ID set); locally nothing caches the bucket. */
export function invalidatorFromEnv(purpose: string): Invalidator {
  const distributionId = getOptionalStringFromEnv(ENV.distributionId);
  if (!distributionId) return noInvalidation;
  return new CloudFrontInvalidator(
    tracer.captureAWSv3Client(new CloudFrontClient({})),
    distributionId,
    () => `${purpose}-${Date.now()}-${Math.random().toString(36).slice(2)}`,
  );
}

/** The render failure queue in AWS (FAILURE_QUEUE_URL set). */
export function failureQueueFromEnv(): FailureQueue | undefined {
  const queueUrl = getOptionalStringFromEnv(ENV.failureQueueUrl);
  return queueUrl ? new SqsFailureQueue(tracer.captureAWSv3Client(new SQSClient({})), queueUrl) : undefined;
}

export function siteReconcilerFromEnv(invalidator: Invalidator): SiteReconciler {
  const repository = repositoryFromEnv();
  const pages = pageStoreFromEnv();
  return new SiteReconciler(
    repository,
    pages,
    new SitePublisher(siteFromEnv(), repository, pages),
    invalidator,
  );
}

export function tokenVerifierFromEnv(): TokenVerifier {
  return createTokenVerifier({
    issuer: getStringFromEnv(ENV.authIssuer),
    audience: getStringFromEnv(ENV.authAudience),
    keys: new URL(getStringFromEnv(ENV.authJwksUrl)),
  });
}

/**
 * The cursor signing key: given directly locally, or read from Secrets Manager in AWS (cached by
 * Powertools for five minutes, so a rotation takes effect without a redeploy).
 */
export function cursorSecretFromEnv(): () => Promise<string> {
  const direct = getOptionalStringFromEnv(ENV.cursorSecret);
  if (direct) return async () => direct;
  const secretArn = getStringFromEnv(ENV.cursorSecretArn);
  return async () => {
    const value = await getSecret(secretArn, { maxAge: 300 });
    if (typeof value !== 'string' || value.length < 16)
      throw new Error('The cursor secret is missing or too short');
    return value;
  };
}
