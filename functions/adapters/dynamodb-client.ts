import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/**
 * The DynamoDB client, created once per function instance and reused across invocations. The endpoint
 * comes from the SDK's own AWS_ENDPOINT_URL_DYNAMODB variable, which the local stack sets to its
 * emulator; in AWS it is unset.
 *
 * No per-client tracing: wrapping a client in the Powertools Tracer (`captureAWSv3Client`) bundles
 * aws-xray-sdk-core, cls-hooked and semver into the function. Measured on a bundle holding just a DynamoDB
 * document client (`npm run bench -- --only cold-start`, whose probes are these two): 335 KB without, 456 KB
 * with (+36 %), and a third more time to import in a fresh process (median 140 → 178 ms wall clock,
 * 123 → 166 ms CPU, on the 2-core development machine), in every function, on every cold start. What it
 * would add is a subsegment per DynamoDB or S3 call in X-Ray; the functions' active tracing still records
 * each invocation (initialization, invocation, overhead), DynamoDB's and S3's own CloudWatch metrics give
 * the service latencies, and a slow call fails fast here and is logged. Not worth a third more cold start.
 */

/**
 * A DynamoDB call answers in milliseconds or the service is in trouble: a hung connection must fail fast
 * (the API then answers 503 and the caller may retry) instead of running into the function's timeout.
 * Three attempts of at most 2 s stay within the API functions' 10 s.
 */
const DYNAMODB_TIMEOUTS = { connectionTimeout: 1000, requestTimeout: 2000, throwOnRequestTimeout: true };

let documentClient: DynamoDBDocumentClient | undefined;

export function getDocumentClient(): DynamoDBDocumentClient {
  documentClient ??= DynamoDBDocumentClient.from(new DynamoDBClient({ requestHandler: DYNAMODB_TIMEOUTS }), {
    marshallOptions: { removeUndefinedValues: true },
  });
  return documentClient;
}
