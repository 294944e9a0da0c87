import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbArticleRepository, toItem } from '../../functions/adapters/dynamodb-article-repository';
import { DynamoDbTagMemberships, tagMembershipKey } from '../../functions/adapters/dynamodb-tag-memberships';
import type { Article } from '../../functions/domain/article';
import { type Emulators, LOCAL_CREDENTIALS, startEmulators } from '../../local/emulators';
import { ensureTable } from '../../local/provision';

/** The tag memberships adapter against the DynamoDB emulator, with the table the stack provisions. */

const TABLE = 'tag-memberships-test';
let dataDir: string;
let emulators: Emulators;
let client: DynamoDBDocumentClient;
let memberships: DynamoDbTagMemberships;

function article(id: string, overrides: Partial<Article> = {}): Article {
  return {
    id,
    slug: `story-${id.toLowerCase()}`,
    previousPaths: [],
    title: `Story ${id}`,
    section: 'bota',
    body: 'A body the lists never carry.',
    tags: ['NATO'],
    status: 'published',
    publishedAt: '2026-11-27T10:00:00.000Z',
    createdAt: '2026-11-27T10:00:00.000Z',
    updatedAt: '2026-11-27T10:00:00.000Z',
    version: 1,
    ...overrides,
  };
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'tag-memberships-'));
  emulators = await startEmulators(dataDir);
  const raw = new DynamoDBClient({
    endpoint: emulators.dynamoDbEndpoint,
    region: 'us-east-1',
    credentials: LOCAL_CREDENTIALS,
  });
  await ensureTable(raw, TABLE);
  client = DynamoDBDocumentClient.from(raw, { marshallOptions: { removeUndefinedValues: true } });
  memberships = new DynamoDbTagMemberships(client, TABLE);
}, 30_000);

afterAll(async () => {
  client?.destroy();
  await emulators?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

describe('DynamoDbTagMemberships', () => {
  it('lists a tag newest first, with list fields only, and never an article item', async () => {
    const older = article('01JBTAG0000000000000000001', { publishedAt: '2026-11-27T09:00:00.000Z' });
    const newer = article('01JBTAG0000000000000000002', { publishedAt: '2026-11-27T11:00:00.000Z' });
    // The articles themselves in the table too: they must not show in the tag's index.
    for (const item of [older, newer]) {
      await client.send(new PutCommand({ TableName: TABLE, Item: toItem(item) }));
      await memberships.put(item, ['nato'], { ifNotNewer: true });
    }
    const listed = await memberships.listTagged('nato', 10);
    expect(listed.map((item) => item.id)).toEqual([newer.id, older.id]);
    expect(listed[0]).not.toHaveProperty('body');
    expect(listed[0]).not.toHaveProperty('tagPk');
    expect(listed[0]).toMatchObject({ title: newer.title, tags: ['NATO'], version: 1 });
    expect(await memberships.listTagged('nato', 1)).toHaveLength(1);
    expect(await memberships.listTagged('eu', 10)).toEqual([]);

    const all = await memberships.listAll();
    expect(all.map(({ slug, articleId }) => `${slug}#${articleId}`).sort()).toEqual([
      `nato#${older.id}`,
      `nato#${newer.id}`,
    ]);
    // The article repository's lists are unaffected by the memberships.
    const latest = await new DynamoDbArticleRepository(client, TABLE).listLatest({ limit: 10 });
    expect(latest.items.map((item) => item.id)).toEqual([newer.id, older.id]);
  });

  it('never lets an older version overwrite or delete a newer membership; repair overwrites', async () => {
    const v1 = article('01JBTAG0000000000000000003', { tags: ['EU'] });
    const v3 = { ...v1, title: 'Version 3', version: 3 };
    await memberships.put(v3, ['eu'], { ifNotNewer: true });
    await memberships.put(v1, ['eu'], { ifNotNewer: true });
    const stored = async () =>
      (await client.send(new GetCommand({ TableName: TABLE, Key: { pk: tagMembershipKey('eu', v1.id) } })))
        .Item;
    expect((await stored())?.title).toBe('Version 3');

    await memberships.remove(v1.id, ['eu'], 2);
    expect((await stored())?.version).toBe(3);
    // Idempotent: the same write twice, and a delete of what is not there, are no error.
    await memberships.put(v3, ['eu'], { ifNotNewer: true });
    await memberships.remove(v1.id, ['nowhere'], 3);

    await memberships.put(v1, ['eu'], { ifNotNewer: false });
    expect((await stored())?.version).toBe(1);
    await memberships.remove(v1.id, ['eu']);
    expect(await stored()).toBeUndefined();
  });
});
