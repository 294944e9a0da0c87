import { getSecret } from '@aws-lambda-powertools/parameters/secrets';
import { getDocumentClient, getS3Client } from '../adapters/aws-clients';
import { DynamoDbArticleRepository } from '../adapters/dynamodb-article-repository';
import { S3PageStore } from '../adapters/s3-page-store';
import { createTokenVerifier, type TokenVerifier } from '../auth/token-verifier';
import { ENV, getOptionalStringFromEnv, getStringFromEnv } from '../config/environment';
import { loadSiteConfig, type SiteConfig } from '../config/site';
import { ArticleService } from '../domain/article-service';
import { SitePublisher } from '../publishing/site-publisher';

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

export function sitePublisherFromEnv(): SitePublisher {
  return new SitePublisher(
    siteFromEnv(),
    repositoryFromEnv(),
    new S3PageStore(getS3Client(), getStringFromEnv(ENV.bucketName)),
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
