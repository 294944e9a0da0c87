import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  NoSuchKey,
  NotFound,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import {
  type ListedObject,
  type PageStore,
  PageVersionConflictError,
  type PutOptions,
  type StoredPage,
  type VersionedBody,
} from '../publishing/page-store';

export type { PageStore, StoredPage } from '../publishing/page-store';

/** The rendered site in S3: the only code that reads, writes or deletes the pages bucket. */
export class S3PageStore implements PageStore {
  constructor(
    private readonly client: S3Client,
    private readonly bucketName: string,
  ) {}

  async put(page: StoredPage, body: string, options: PutOptions = {}): Promise<void> {
    const { expectedVersion } = options;
    try {
      await this.client.send(
        new PutObjectCommand({
          Bucket: this.bucketName,
          Key: page.key,
          Body: body,
          ContentType: page.contentType,
          CacheControl: page.cacheControl,
          ...(page.provenance ? { Metadata: { ...page.provenance } } : {}),
          // S3's conditional writes: the ETag read before, or "nothing there yet".
          ...(expectedVersion === null ? { IfNoneMatch: '*' } : {}),
          ...(expectedVersion ? { IfMatch: expectedVersion } : {}),
        }),
      );
    } catch (error) {
      // 412 when the condition failed; 409 when another conditional write to the key was in flight.
      const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      if (expectedVersion !== undefined && (status === 412 || status === 409)) {
        throw new PageVersionConflictError(page.key);
      }
      throw error;
    }
  }

  async read(key: string): Promise<VersionedBody | undefined> {
    try {
      const object = await this.client.send(new GetObjectCommand({ Bucket: this.bucketName, Key: key }));
      return { body: (await object.Body?.transformToString('utf-8')) ?? '', version: object.ETag ?? '' };
    } catch (error) {
      if (error instanceof NoSuchKey || (error as Error).name === 'NoSuchKey') return undefined;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucketName, Key: key }));
  }

  async *list(): AsyncIterable<ListedObject> {
    let token: string | undefined;
    do {
      const page = await this.client.send(
        new ListObjectsV2Command({ Bucket: this.bucketName, ContinuationToken: token }),
      );
      for (const object of page.Contents ?? []) if (object.Key) yield { key: object.Key };
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }

  async provenance(key: string): Promise<Readonly<Record<string, string>> | undefined> {
    try {
      const head = await this.client.send(new HeadObjectCommand({ Bucket: this.bucketName, Key: key }));
      return head.Metadata ?? {};
    } catch (error) {
      if (error instanceof NotFound || (error as Error).name === 'NotFound') return undefined;
      throw error;
    }
  }
}
