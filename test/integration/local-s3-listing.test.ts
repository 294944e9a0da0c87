import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulators, LOCAL_CREDENTIALS, startEmulators } from '../../local/emulators';

/**
 * s3rver makes its listing continuation tokens with single DES, which OpenSSL 3 offers only behind its
 * legacy provider; patches/ swaps in an equivalent cipher. This process runs without the provider, like
 * `npm start`, whose repair loop lists the whole bucket.
 */
describe('the local S3', () => {
  let dataDir: string;
  let emulators: Emulators;
  let client: S3Client;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'flash-news-s3-listing-'));
    emulators = await startEmulators(dataDir);
    client = new S3Client({
      region: 'us-east-1',
      endpoint: emulators.s3Endpoint,
      forcePathStyle: true,
      credentials: LOCAL_CREDENTIALS,
    });
  });

  afterAll(async () => {
    client?.destroy();
    await emulators?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('lists a bucket of more than 1,000 objects page by page, each key once', async () => {
    const bucket = 'listing';
    await client.send(new CreateBucketCommand({ Bucket: bucket }));
    const keys = Array.from({ length: 1_003 }, (_, index) => `pages/${String(index).padStart(4, '0')}.html`);
    let next = 0;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        for (let key = keys[next++]; key; key = keys[next++]) {
          await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: key }));
        }
      }),
    );

    const listed: string[] = [];
    let pages = 0;
    let token: string | undefined;
    do {
      const page = await client.send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token }));
      pages += 1;
      listed.push(...(page.Contents ?? []).map((object) => object.Key ?? ''));
      token = page.NextContinuationToken;
    } while (token);

    expect(pages).toBe(2);
    expect(listed).toEqual(keys);
  }, 120_000);
});
