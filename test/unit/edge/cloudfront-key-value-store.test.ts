import {
  type CloudFrontKeyValueStoreClient,
  DescribeKeyValueStoreCommand,
  GetKeyCommand,
  ListKeysCommand,
  UpdateKeysCommand,
} from '@aws-sdk/client-cloudfront-keyvaluestore';
import { describe, expect, it } from 'vitest';
import {
  CloudFrontKeyValueStore,
  UPDATE_KEYS_BATCH,
} from '../../../functions/adapters/cloudfront-key-value-store';
import { EdgeRoutesFullError, GONE } from '../../../functions/publishing/edge-routes';

const ARN = 'arn:aws:cloudfront::123456789012:key-value-store/edge-routes';

function serviceError(name: string): Error {
  return Object.assign(new Error(name), { name });
}

/**
 * The KeyValueStore's data plane in memory: an ETag that changes with every write, UpdateKeys refused
 * with a conflict when its IfMatch is stale, GetKey of a missing key a ResourceNotFoundException.
 */
class FakeKeyValueStore {
  readonly data = new Map<string, string>();
  readonly calls: string[] = [];
  version = 1;
  /** Writes made by someone else just before each of our next UpdateKeys calls. */
  racingWrites = 0;
  quotaExceeded = false;

  readonly client = {
    send: async (command: unknown) => {
      const input = (command as { input: Record<string, unknown> }).input;
      expect(input.KvsARN).toBe(ARN);
      if (command instanceof DescribeKeyValueStoreCommand) {
        this.calls.push('Describe');
        return { ETag: `etag-${this.version}` };
      }
      if (command instanceof GetKeyCommand) {
        this.calls.push(`Get ${input.Key}`);
        const value = this.data.get(input.Key as string);
        if (value === undefined) throw serviceError('ResourceNotFoundException');
        return { Key: input.Key, Value: value };
      }
      if (command instanceof ListKeysCommand) {
        this.calls.push('List');
        const keys = [...this.data].sort(([a], [b]) => (a < b ? -1 : 1));
        const start = Number(input.NextToken ?? 0);
        const page = keys.slice(start, start + 2);
        const next = start + 2 < keys.length ? String(start + 2) : undefined;
        return { Items: page.map(([Key, Value]) => ({ Key, Value })), NextToken: next };
      }
      if (command instanceof UpdateKeysCommand) {
        this.calls.push('Update');
        if (this.racingWrites > 0) {
          this.racingWrites -= 1;
          this.version += 1;
        }
        if (input.IfMatch !== `etag-${this.version}`) throw serviceError('ConflictException');
        if (this.quotaExceeded && (input.Puts as unknown[] | undefined)?.length) {
          throw serviceError('ServiceQuotaExceededException');
        }
        for (const { Key } of (input.Deletes as { Key: string }[] | undefined) ?? []) this.data.delete(Key);
        for (const { Key, Value } of (input.Puts as { Key: string; Value: string }[] | undefined) ?? []) {
          this.data.set(Key, Value);
        }
        this.version += 1;
        return { ETag: `etag-${this.version}` };
      }
      throw new Error('unexpected command');
    },
  };

  store(): CloudFrontKeyValueStore {
    return new CloudFrontKeyValueStore(this.client as unknown as CloudFrontKeyValueStoreClient, ARN);
  }
}

describe('CloudFrontKeyValueStore', () => {
  it('puts and deletes in UpdateKeys calls naming the current ETag, dropping deletes of absent keys', async () => {
    const fake = new FakeKeyValueStore();
    fake.data.set('/bota/old', GONE);
    await fake.store().apply({
      puts: new Map([['/bota/a', '/bota/b']]),
      deletes: ['/bota/old', '/bota/never-there'],
    });
    expect(Object.fromEntries(fake.data)).toEqual({ '/bota/a': '/bota/b' });
    expect(fake.calls).toEqual([
      'Get /bota/old',
      'Get /bota/never-there',
      'Describe',
      'Update',
      'Describe',
      'Update',
    ]);
  });

  it('makes no call for an empty change, and none to delete keys the store does not hold', async () => {
    const fake = new FakeKeyValueStore();
    await fake.store().apply({ puts: new Map(), deletes: [] });
    await fake.store().apply({ puts: new Map(), deletes: ['/bota/absent'] });
    expect(fake.calls).toEqual(['Get /bota/absent']);
  });

  it('tries again on the new ETag when another writer got there first, and gives up after five conflicts', async () => {
    const fake = new FakeKeyValueStore();
    fake.racingWrites = 2;
    await fake.store().apply({ puts: new Map([['/bota/a', GONE]]), deletes: [] });
    expect(fake.data.get('/bota/a')).toBe(GONE);
    expect(fake.calls.filter((call) => call === 'Update')).toHaveLength(3);

    const busy = new FakeKeyValueStore();
    busy.racingWrites = 10;
    await expect(busy.store().apply({ puts: new Map([['/bota/a', GONE]]), deletes: [] })).rejects.toThrow(
      'ConflictException',
    );
    expect(busy.calls.filter((call) => call === 'Update')).toHaveLength(5);
  });

  it('reports a full store as EdgeRoutesFullError, having still applied the deletes', async () => {
    const fake = new FakeKeyValueStore();
    fake.quotaExceeded = true;
    fake.data.set('/bota/old', '/bota/new');
    const change = { puts: new Map([['/bota/x', GONE]]), deletes: ['/bota/old'] };
    await expect(fake.store().apply(change)).rejects.toBeInstanceOf(EdgeRoutesFullError);
    expect(fake.data.has('/bota/old')).toBe(false);
  });

  it('writes a large change in batches of at most 50 keys, and reads every page of the store back', async () => {
    const fake = new FakeKeyValueStore();
    const puts = new Map(Array.from({ length: 120 }, (_, i) => [`/bota/story-${i}`, GONE] as const));
    await fake.store().apply({ puts, deletes: [] });
    expect(fake.calls.filter((call) => call === 'Update')).toHaveLength(Math.ceil(120 / UPDATE_KEYS_BATCH));
    const entries = await fake.store().entries();
    expect(entries.size).toBe(120);
    expect(fake.calls.filter((call) => call === 'List')).toHaveLength(60);
  });
});
