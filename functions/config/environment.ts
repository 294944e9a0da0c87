/**
 * Names of the environment variables the functions read, shared with the CDK constructs and the local
 * stack so that a typo cannot silently leave a variable unset.
 */
export const ENV = {
  /** Articles table name. */
  tableName: 'TABLE_NAME',
  /** Bucket the rendered pages are written to. */
  bucketName: 'BUCKET_NAME',
  /** Public origin of the site, e.g. `https://d111111abcdef8.cloudfront.net`. */
  siteBaseUrl: 'SITE_BASE_URL',
  siteName: 'SITE_NAME',
  /** IANA time zone for the times shown on pages, e.g. `Europe/Tirane` (default UTC). */
  siteTimeZone: 'SITE_TIME_ZONE',
  /** HMAC key for pagination cursors (local stack, tests). */
  cursorSecret: 'CURSOR_SECRET',
  /** Secrets Manager secret holding the HMAC key for pagination cursors (AWS). */
  cursorSecretArn: 'CURSOR_SECRET_ARN',
  /** Expected `iss` of editor tokens (the Cognito user pool's issuer URL in AWS). */
  authIssuer: 'AUTH_ISSUER',
  /** Expected audience: the app client id (`aud` of ID tokens, `client_id` of access tokens). */
  authAudience: 'AUTH_AUDIENCE',
  /** JSON Web Key Set URL of the issuer. */
  authJwksUrl: 'AUTH_JWKS_URL',
  /** CloudFront distribution to invalidate after renders; unset locally. */
  distributionId: 'DISTRIBUTION_ID',
  /** The render failure queue (SQS): deferred invalidations go there, and redrive reads it. */
  failureQueueUrl: 'FAILURE_QUEUE_URL',
  /** EventBridge bus the render function puts article events on (AWS). */
  eventBusName: 'EVENT_BUS_NAME',
  /** File the local stack appends article events to, one JSON line each, instead of a bus. */
  eventsFile: 'EVENTS_FILE',
  /** ARN of the CloudFront KeyValueStore holding the edge routes (301s and 410s; AWS). */
  edgeRoutesStoreArn: 'EDGE_ROUTES_STORE_ARN',
  /** File the local stack keeps the edge routes in, instead of a KeyValueStore. */
  edgeRoutesFile: 'EDGE_ROUTES_FILE',
  /** How long idempotency records are kept, in seconds. */
  idempotencyTtlSeconds: 'IDEMPOTENCY_TTL_SECONDS',
} as const;

export class ConfigurationError extends Error {
  override name = 'ConfigurationError';
}

/** Fails fast at cold start when a required variable is missing, instead of on the first request. */
export function getStringFromEnv(name: string, env: NodeJS.ProcessEnv = process.env): string {
  const value = env[name];
  if (value === undefined || value.trim() === '') {
    throw new ConfigurationError(`Environment variable ${name} is required but not set`);
  }
  return value;
}

export function getOptionalStringFromEnv(
  name: string,
  env: NodeJS.ProcessEnv = process.env,
): string | undefined {
  const value = env[name];
  return value === undefined || value.trim() === '' ? undefined : value;
}
