import { S3Client } from '@aws-sdk/client-s3';

/**
 * The S3 client, created once per function instance and reused across invocations; the endpoint comes
 * from the SDK's own AWS_ENDPOINT_URL_S3 variable, which the local stack sets to its emulator. A module of
 * its own so that a function writing or reading pages alone bundles no DynamoDB client
 * (@aws-sdk/lib-dynamodb is not marked free of side effects: esbuild keeps it wherever it is imported).
 * No per-client tracing: functions/adapters/dynamodb-client.ts says why.
 */

let s3Client: S3Client | undefined;

export function getS3Client(): S3Client {
  s3Client ??= new S3Client({
    // The local S3 emulator only understands path-style addressing.
    forcePathStyle: process.env.S3_FORCE_PATH_STYLE === 'true',
    // Only checksum when S3 requires it: with the defaults, the emulator stores aws-chunked framing
    // inside streamed bodies, silently corrupting them.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  return s3Client;
}
