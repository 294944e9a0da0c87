import { DeleteObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';

/** What the renderer writes: an object key with the headers CloudFront will serve it with. */
export interface StoredPage {
  readonly key: string;
  readonly contentType: string;
  readonly cacheControl: string;
}

export interface PageStore {
  put(page: StoredPage, body: string): Promise<void>;
  delete(key: string): Promise<void>;
}

/** The rendered site in S3: the only code that writes to or deletes from the pages bucket. */
export class S3PageStore implements PageStore {
  constructor(
    private readonly client: S3Client,
    private readonly bucketName: string,
  ) {}

  async put(page: StoredPage, body: string): Promise<void> {
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.bucketName,
        Key: page.key,
        Body: body,
        ContentType: page.contentType,
        CacheControl: page.cacheControl,
      }),
    );
  }

  async delete(key: string): Promise<void> {
    // Deleting a missing key succeeds, so a retried batch can delete again safely.
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucketName, Key: key }));
  }
}
