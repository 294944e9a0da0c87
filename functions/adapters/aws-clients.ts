import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { tracer } from '../shared/observability';

/**
 * SDK clients, created once per function instance and reused across invocations. Endpoints come from
 * the SDK's own AWS_ENDPOINT_URL_DYNAMODB / AWS_ENDPOINT_URL_S3 variables, which the local stack sets to
 * its emulators; in AWS they are unset.
 */

/**
 * A DynamoDB call answers in milliseconds or the service is in trouble: a hung connection must fail fast
 * (the API then answers 503 and the caller may retry) instead of running into the function's timeout.
 * Three attempts of at most 2 s stay within the API functions' 10 s.
 */
const DYNAMODB_TIMEOUTS = { connectionTimeout: 1000, requestTimeout: 2000, throwOnRequestTimeout: true };

let documentClient: DynamoDBDocumentClient | undefined;
let s3Client: S3Client | undefined;

export function getDocumentClient(): DynamoDBDocumentClient {
  documentClient ??= DynamoDBDocumentClient.from(
    tracer.captureAWSv3Client(new DynamoDBClient({ requestHandler: DYNAMODB_TIMEOUTS })),
    {
      marshallOptions: { removeUndefinedValues: true },
    },
  );
  return documentClient;
}

export function getS3Client(): S3Client {
  s3Client ??= tracer.captureAWSv3Client(
    new S3Client({
      // The local S3 emulator only understands path-style addressing.
      forcePathStyle: process.env.S3_FORCE_PATH_STYLE === 'true',
      // Only checksum when S3 requires it: with the defaults, the emulator stores aws-chunked framing
      // inside streamed bodies, silently corrupting them.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    }),
  );
  return s3Client;
}
