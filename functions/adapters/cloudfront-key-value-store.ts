// The store's API is signed with SigV4A only. This side-effect import registers the SDK's pure-JavaScript
// SigV4A signer, so the Lambda bundle needs no native aws-crt binary.
import '@aws-sdk/signature-v4a';
import {
  type CloudFrontKeyValueStoreClient,
  DescribeKeyValueStoreCommand,
  GetKeyCommand,
  ListKeysCommand,
  UpdateKeysCommand,
} from '@aws-sdk/client-cloudfront-keyvaluestore';
import {
  type EdgeRoute,
  type EdgeRoutesChange,
  EdgeRoutesFullError,
  type EdgeRoutesStore,
  isEmptyChange,
} from '../publishing/edge-routes';

/** Writes that lose the race for the store's ETag to another writer are tried again this many times. */
const UPDATE_ATTEMPTS = 5;
/** UpdateKeys takes at most this many puts and deletes together. */
export const UPDATE_KEYS_BATCH = 50;

function errorName(error: unknown): string | undefined {
  return error instanceof Error ? error.name : undefined;
}

/**
 * The edge routes store in AWS: a CloudFront KeyValueStore, written through its data-plane API.
 * Every write names the store's current version (ETag): a write that raced another one (the render
 * function and the reconciler) fails with a conflict, and is tried again on the new version. Deletes of
 * keys the store does not hold are dropped first (each checked with GetKey), so a delete is never an
 * error. Each batch of keys is written in one all-or-nothing UpdateKeys call.
 */
export class CloudFrontKeyValueStore implements EdgeRoutesStore {
  constructor(
    private readonly client: CloudFrontKeyValueStoreClient,
    private readonly storeArn: string,
  ) {}

  async apply(change: EdgeRoutesChange): Promise<void> {
    if (isEmptyChange(change)) return;
    const deletes: string[] = [];
    for (const key of change.deletes) if (await this.holds(key)) deletes.push(key);
    const puts = [...change.puts].map(([Key, Value]) => ({ Key, Value }));
    // Deletes first: a full store gets room before the puts are tried.
    for (let start = 0; start < deletes.length; start += UPDATE_KEYS_BATCH) {
      await this.update({ Deletes: deletes.slice(start, start + UPDATE_KEYS_BATCH).map((Key) => ({ Key })) });
    }
    for (let start = 0; start < puts.length; start += UPDATE_KEYS_BATCH) {
      await this.update({ Puts: puts.slice(start, start + UPDATE_KEYS_BATCH) });
    }
  }

  async entries(): Promise<ReadonlyMap<string, EdgeRoute>> {
    const entries = new Map<string, EdgeRoute>();
    let NextToken: string | undefined;
    do {
      const page = await this.client.send(new ListKeysCommand({ KvsARN: this.storeArn, NextToken }));
      for (const item of page.Items ?? []) if (item.Key && item.Value) entries.set(item.Key, item.Value);
      NextToken = page.NextToken;
    } while (NextToken);
    return entries;
  }

  private async holds(key: string): Promise<boolean> {
    try {
      await this.client.send(new GetKeyCommand({ KvsARN: this.storeArn, Key: key }));
      return true;
    } catch (error) {
      if (errorName(error) === 'ResourceNotFoundException') return false;
      throw error;
    }
  }

  private async update(
    keys: Pick<ConstructorParameters<typeof UpdateKeysCommand>[0], 'Puts' | 'Deletes'>,
  ): Promise<void> {
    for (let attempt = 1; ; attempt += 1) {
      const { ETag } = await this.client.send(new DescribeKeyValueStoreCommand({ KvsARN: this.storeArn }));
      try {
        await this.client.send(new UpdateKeysCommand({ KvsARN: this.storeArn, IfMatch: ETag, ...keys }));
        return;
      } catch (error) {
        const name = errorName(error);
        if (name === 'ServiceQuotaExceededException') {
          throw new EdgeRoutesFullError('The edge routes KeyValueStore is full', { cause: error });
        }
        if (name !== 'ConflictException' || attempt === UPDATE_ATTEMPTS) throw error;
      }
    }
  }
}
