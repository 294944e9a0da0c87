import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  BatchWriteCommand,
  type BatchWriteCommandInput,
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  type QueryCommandInput,
  ScanCommand,
} from '@aws-sdk/lib-dynamodb';
import type { Article, ArticleSummary } from '../domain/article';
import type {
  ArticleRepository,
  DueArticle,
  LatestPage,
  LatestQuery,
  SlugClaim,
} from '../domain/article-repository';
import type { CursorKey } from '../domain/cursor';
import { storageUnavailable } from '../domain/errors';
import { type IndexDesign, ITEM_KEY_PREFIXES, TABLE_DESIGN } from '../store/table-design';
import { isStorageUnavailableFailure } from './storage-unavailable';

const { latest, latestBySection, latestByTag, dueForPublication } = TABLE_DESIGN.indexes;

const ARTICLE_PREFIX = ITEM_KEY_PREFIXES.article;
const SLUG_PREFIX = ITEM_KEY_PREFIXES.slugClaim;
const REVISION_PREFIX = ITEM_KEY_PREFIXES.revision;
const PUBLISHED = 'PUBLISHED';
const SCHEDULED = 'SCHEDULED';

export const articleKey = (id: string) => `${ARTICLE_PREFIX}${id}`;
export const revisionKey = (id: string, version: number) => `${REVISION_PREFIX}${id}#${version}`;
const slugKey = (slug: string) => `${SLUG_PREFIX}${slug}`;
const GONE_PREFIX = ITEM_KEY_PREFIXES.gone;
const tombstoneKey = (path: string) => `${GONE_PREFIX}${path}`;

/** Key attributes the adapter adds to an article; the domain never sees them. */
const KEY_ATTRIBUTES = [
  TABLE_DESIGN.partitionKey,
  latest.partitionKey,
  latest.sortKey,
  latestBySection.partitionKey,
  latestBySection.sortKey,
  dueForPublication.partitionKey,
  dueForPublication.sortKey,
  // Only on tag memberships (functions/adapters/dynamodb-tag-memberships.ts), whose entries share fromItem.
  latestByTag.partitionKey,
  latestByTag.sortKey,
] as const;

/**
 * The article item with its index keys. Only published articles get the `latest*`/`section*` keys and
 * only scheduled ones the `schedule*` keys, which keeps each index sparse: a query reads published (or
 * due) items and nothing else. The sort key ends with the id so that two articles published in the same
 * millisecond still have a stable order.
 *
 * These sort keys are strings, and DynamoDB orders them byte by byte. That is time order only because
 * every stored instant is a fixed-width UTC ISO string (`YYYY-MM-DDTHH:mm:ss.sssZ`) inside the range
 * 1990-01-01T00:00:00Z to 2100-01-01T00:00:00Z that functions/domain/instant.ts enforces on every write;
 * a `+010000-…` year or a local offset would sort in the wrong place, making `listDue` miss a due
 * article or publish one early, and `Latest` list it out of order.
 */
export function toItem(article: Article): Record<string, unknown> {
  const item: Record<string, unknown> = { ...article, [TABLE_DESIGN.partitionKey]: articleKey(article.id) };
  if (article.status === 'published' && article.publishedAt) {
    const sortKey = `${article.publishedAt}#${article.id}`;
    item[latest.partitionKey] = PUBLISHED;
    item[latest.sortKey] = sortKey;
    item[latestBySection.partitionKey] = `SECTION#${article.section}`;
    item[latestBySection.sortKey] = sortKey;
  }
  if (article.status === 'scheduled' && article.publishAt) {
    item[dueForPublication.partitionKey] = SCHEDULED;
    item[dueForPublication.sortKey] = `${article.publishAt}#${article.id}`;
  }
  return item;
}

/** The domain article of a stored item (also used on stream images). */
export function fromItem(item: Record<string, unknown>): Article {
  const article = { ...item };
  for (const attribute of KEY_ATTRIBUTES) delete article[attribute];
  // Empty lists may be absent on items written by older versions or by hand.
  article.previousPaths ??= [];
  article.tags ??= [];
  return article as unknown as Article;
}

export function isArticleItem(item: Record<string, unknown> | undefined): boolean {
  const key = item?.[TABLE_DESIGN.partitionKey];
  return typeof key === 'string' && key.startsWith(ARTICLE_PREFIX);
}

/** Runs one DynamoDB call, turning an unavailability failure into the domain's 503. */
export async function storageCall<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (isStorageUnavailableFailure(error)) throw Object.assign(storageUnavailable(), { cause: error });
    throw error;
  }
}

function isConditionFailure(error: unknown): boolean {
  return (
    error instanceof ConditionalCheckFailedException ||
    (error instanceof Error && error.name === 'ConditionalCheckFailedException')
  );
}

/** BatchGetItem's limit of keys per request. */
const BATCH_GET_KEYS = 100;
/** BatchWriteItem's limit of writes per request. */
const BATCH_WRITE_ITEMS = 25;
/**
 * Keys DynamoDB leaves unprocessed (throttling, or a response over 16 MB) are asked for again after a
 * pause that doubles, as AWS recommends; still unprocessed after these many rounds, the store is
 * overloaded.
 */
const BATCH_GET_ROUNDS = 8;
const BATCH_GET_FIRST_PAUSE_MS = 50;

/** The attributes a BatchGetItem returns, when not all of them. */
interface Projection {
  readonly ProjectionExpression?: string;
  readonly ExpressionAttributeNames?: Record<string, string>;
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export class DynamoDbArticleRepository implements ArticleRepository {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(id: string): Promise<Article | undefined> {
    const { Item } = await storageCall(() =>
      this.client.send(
        new GetCommand({ TableName: this.tableName, Key: { pk: articleKey(id) }, ConsistentRead: true }),
      ),
    );
    return Item && isArticleItem(Item) ? fromItem(Item) : undefined;
  }

  async getMany(ids: readonly string[]): Promise<ReadonlyMap<string, Article>> {
    const found = new Map<string, Article>();
    for (const item of await this.batchGetArticles(ids)) {
      const article = fromItem(item);
      found.set(article.id, article);
    }
    return found;
  }

  async getVersions(ids: readonly string[]): Promise<ReadonlyMap<string, number>> {
    const versions = new Map<string, number>();
    // The key tells which article an item is; the version is all repair compares.
    const items = await this.batchGetArticles(ids, {
      ProjectionExpression: '#pk, #version',
      ExpressionAttributeNames: { '#pk': TABLE_DESIGN.partitionKey, '#version': 'version' },
    });
    for (const item of items) {
      versions.set(
        String(item[TABLE_DESIGN.partitionKey]).slice(ARTICLE_PREFIX.length),
        Number(item.version),
      );
    }
    return versions;
  }

  /** The article items of `ids`, strongly consistent, in BatchGetItems of at most 100 keys. */
  private async batchGetArticles(
    ids: readonly string[],
    projection: Projection = {},
  ): Promise<Record<string, unknown>[]> {
    const unique = [...new Set(ids)];
    const requests: Record<string, unknown>[][] = [];
    for (let start = 0; start < unique.length; start += BATCH_GET_KEYS) {
      requests.push(unique.slice(start, start + BATCH_GET_KEYS).map((id) => ({ pk: articleKey(id) })));
    }
    const pages = await Promise.all(requests.map((keys) => this.batchGet(keys, projection)));
    return pages.flat().filter(isArticleItem);
  }

  /** One BatchGetItem, asking again for the keys it left unprocessed. */
  private async batchGet(
    keys: readonly Record<string, unknown>[],
    projection: Projection,
  ): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    let pending = keys;
    for (let round = 0; pending.length > 0; round += 1) {
      if (round === BATCH_GET_ROUNDS) throw storageUnavailable();
      if (round > 0) await pause(BATCH_GET_FIRST_PAUSE_MS * 2 ** (round - 1) * (0.5 + Math.random() / 2));
      const result = await storageCall(() =>
        this.client.send(
          new BatchGetCommand({
            RequestItems: { [this.tableName]: { ...projection, Keys: [...pending], ConsistentRead: true } },
          }),
        ),
      );
      items.push(...(result.Responses?.[this.tableName] ?? []));
      pending = result.UnprocessedKeys?.[this.tableName]?.Keys ?? [];
    }
    return items;
  }

  async putRevision(article: Article): Promise<void> {
    // The article's attributes and nothing else: without index keys a snapshot is in no index, and its
    // key prefix keeps it out of the stream's article filter.
    await storageCall(() =>
      this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...article, [TABLE_DESIGN.partitionKey]: revisionKey(article.id, article.version) },
        }),
      ),
    );
  }

  async getRevisions(id: string, versions: readonly number[]): Promise<ReadonlyMap<number, Article>> {
    const unique = [...new Set(versions)];
    const requests: Record<string, unknown>[][] = [];
    for (let start = 0; start < unique.length; start += BATCH_GET_KEYS) {
      requests.push(
        unique
          .slice(start, start + BATCH_GET_KEYS)
          .map((version) => ({ [TABLE_DESIGN.partitionKey]: revisionKey(id, version) })),
      );
    }
    const pages = await Promise.all(requests.map((keys) => this.batchGet(keys, {})));
    const found = new Map<number, Article>();
    for (const item of pages.flat()) {
      const revision = fromItem(item);
      if (revision.id === id) found.set(revision.version, revision);
    }
    return found;
  }

  async removeRevisions(id: string, versions: readonly number[]): Promise<void> {
    const keys = [...new Set(versions)].map((version) => ({
      [TABLE_DESIGN.partitionKey]: revisionKey(id, version),
    }));
    for (let start = 0; start < keys.length; start += BATCH_WRITE_ITEMS) {
      await this.batchDelete(keys.slice(start, start + BATCH_WRITE_ITEMS));
    }
  }

  /** One BatchWriteItem of deletes, sending again what it left unprocessed, as batchGet does. */
  private async batchDelete(keys: readonly Record<string, unknown>[]): Promise<void> {
    let pending: NonNullable<BatchWriteCommandInput['RequestItems']>[string] = keys.map((Key) => ({
      DeleteRequest: { Key },
    }));
    for (let round = 0; pending.length > 0; round += 1) {
      if (round === BATCH_GET_ROUNDS) throw storageUnavailable();
      if (round > 0) await pause(BATCH_GET_FIRST_PAUSE_MS * 2 ** (round - 1) * (0.5 + Math.random() / 2));
      const requests = pending;
      const result = await storageCall(() =>
        this.client.send(new BatchWriteCommand({ RequestItems: { [this.tableName]: requests } })),
      );
      pending = result.UnprocessedItems?.[this.tableName] ?? [];
    }
  }

  async getSlugClaim(slug: string): Promise<SlugClaim | undefined> {
    const { Item } = await storageCall(() =>
      this.client.send(
        new GetCommand({ TableName: this.tableName, Key: { pk: slugKey(slug) }, ConsistentRead: true }),
      ),
    );
    return Item ? toClaim(Item) : undefined;
  }

  async claimSlug(claim: SlugClaim): Promise<SlugClaim | undefined> {
    try {
      await storageCall(() =>
        this.client.send(
          new PutCommand({
            TableName: this.tableName,
            Item: { pk: slugKey(claim.slug), ...claim },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        ),
      );
      return undefined;
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      // The emulator does not return the old item with the failure, so read the holder separately.
      return (await this.getSlugClaim(claim.slug)) ?? (await this.claimSlug(claim));
    }
  }

  async takeOverSlug(claim: SlugClaim, fromArticleId: string): Promise<boolean> {
    return this.conditional(
      new PutCommand({
        TableName: this.tableName,
        Item: { pk: slugKey(claim.slug), ...claim },
        ConditionExpression: 'articleId = :previous',
        ExpressionAttributeValues: { ':previous': fromArticleId },
      }),
    );
  }

  async releaseSlug(slug: string, articleId: string): Promise<void> {
    await this.conditional(
      new DeleteCommand({
        TableName: this.tableName,
        Key: { pk: slugKey(slug) },
        ConditionExpression: 'articleId = :owner',
        ExpressionAttributeValues: { ':owner': articleId },
      }),
    );
  }

  async insert(article: Article): Promise<void> {
    await storageCall(() =>
      this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: toItem(article),
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
    );
  }

  replace(article: Article, expectedVersion: number): Promise<boolean> {
    return this.conditional(
      new PutCommand({
        TableName: this.tableName,
        Item: toItem(article),
        ConditionExpression: 'version = :expected',
        ExpressionAttributeValues: { ':expected': expectedVersion },
      }),
    );
  }

  remove(id: string, expectedVersion: number): Promise<boolean> {
    return this.conditional(
      new DeleteCommand({
        TableName: this.tableName,
        Key: { pk: articleKey(id) },
        ConditionExpression: 'version = :expected',
        ExpressionAttributeValues: { ':expected': expectedVersion },
      }),
    );
  }

  async removeIfExists(id: string): Promise<Article | undefined> {
    // No condition: deleting an item that is not there is a no-op (and makes no stream record), and the
    // old image tells whether there was one and which slugs it held at the moment it went.
    const { Attributes } = await storageCall(() =>
      this.client.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: { pk: articleKey(id) },
          ReturnValues: 'ALL_OLD',
        }),
      ),
    );
    return Attributes && isArticleItem(Attributes) ? fromItem(Attributes) : undefined;
  }

  async listLatest(query: LatestQuery): Promise<LatestPage> {
    const index = query.section ? latestBySection : latest;
    const partition = query.section ? `SECTION#${query.section}` : PUBLISHED;
    // One item more than asked tells whether another page exists, so the last page never carries a
    // cursor to an empty one (DynamoDB returns a LastEvaluatedKey whenever the limit is reached).
    const result = await this.queryIndex(index, partition, {
      ScanIndexForward: false,
      Limit: query.limit + 1,
      ExclusiveStartKey: query.startKey,
    });
    const found = result.Items ?? [];
    const page = found.slice(0, query.limit);
    const last = page.at(-1);
    let nextKey: CursorKey | undefined;
    if (found.length > query.limit && last) {
      nextKey = {
        [TABLE_DESIGN.partitionKey]: String(last[TABLE_DESIGN.partitionKey]),
        [index.partitionKey]: String(last[index.partitionKey]),
        [index.sortKey]: String(last[index.sortKey]),
      };
    } else {
      // Fewer items than asked with a LastEvaluatedKey: DynamoDB stopped at its 1 MB page size.
      nextKey = result.LastEvaluatedKey as CursorKey | undefined;
    }
    return { items: page.map(toSummary), nextKey };
  }

  async listPublishedBetween(from: string, to: string): Promise<readonly ArticleSummary[]> {
    const items: ArticleSummary[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const result = await this.queryIndex(latest, PUBLISHED, {
        // Sort keys are `<publishedAt>#<id>`: `to` itself sorts after every key of an earlier instant.
        sortKey: { condition: '#sk BETWEEN :from AND :to', values: { ':from': from, ':to': to } },
        ScanIndexForward: false,
        ExclusiveStartKey: startKey,
      });
      // BETWEEN is inclusive; the exclusive end is checked on the instant itself, as a number.
      for (const item of result.Items ?? [])
        if (Date.parse(String(item.publishedAt)) < Date.parse(to)) items.push(toSummary(item));
      startKey = result.LastEvaluatedKey;
    } while (startKey);
    return items;
  }

  async oldestPublishedAt(from?: string): Promise<string | undefined> {
    const result = await this.queryIndex(latest, PUBLISHED, {
      // Sort keys are `<publishedAt>#<id>`: every key of the instant `from` sorts at or after it.
      ...(from === undefined ? {} : { sortKey: { condition: '#sk >= :from', values: { ':from': from } } }),
      ScanIndexForward: true,
      Limit: 1,
    });
    const oldest = result.Items?.[0]?.publishedAt;
    return typeof oldest === 'string' ? oldest : undefined;
  }

  async countPublished(): Promise<number> {
    let count = 0;
    let startKey: Record<string, unknown> | undefined;
    do {
      const result = await this.queryIndex(latest, PUBLISHED, {
        Select: 'COUNT',
        ExclusiveStartKey: startKey,
      });
      count += result.Count ?? 0;
      startKey = result.LastEvaluatedKey;
    } while (startKey);
    return count;
  }

  async listDue(now: string, limit: number): Promise<readonly DueArticle[]> {
    const result = await this.queryIndex(dueForPublication, SCHEDULED, {
      // '~' sorts after every character of an id, so `now#~` includes everything due at `now`. A string
      // comparison of instants, valid only because `now` and every stored `publishAt` are stored
      // instants of the same fixed width (see toItem); the service re-checks each one as a number.
      sortKey: { condition: '#sk <= :now', values: { ':now': `${now}#~` } },
      Limit: limit,
    });
    return (result.Items ?? []).map((item) => ({ id: String(item.id), version: Number(item.version) }));
  }

  /** One Query of one partition of a sparse index; the only way this adapter reads lists. */
  private queryIndex(
    index: IndexDesign,
    partition: string,
    options: Pick<QueryCommandInput, 'ScanIndexForward' | 'Limit' | 'ExclusiveStartKey' | 'Select'> & {
      readonly sortKey?: { readonly condition: string; readonly values: Record<string, string> };
    },
  ) {
    const { sortKey, ...rest } = options;
    return storageCall(() =>
      this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: index.indexName,
          KeyConditionExpression: sortKey ? `#pk = :pk AND ${sortKey.condition}` : '#pk = :pk',
          ExpressionAttributeNames: {
            '#pk': index.partitionKey,
            ...(sortKey ? { '#sk': index.sortKey } : {}),
          },
          ExpressionAttributeValues: { ':pk': partition, ...sortKey?.values },
          ...rest,
        }),
      ),
    );
  }

  async putTombstones(paths: readonly string[], articleId: string): Promise<void> {
    const goneAt = new Date().toISOString();
    // Unconditional: a tombstone only says that a URL once served a story that is gone, whoever wrote it.
    for (const path of new Set(paths)) {
      await storageCall(() =>
        this.client.send(
          new PutCommand({
            TableName: this.tableName,
            Item: { [TABLE_DESIGN.partitionKey]: tombstoneKey(path), path, articleId, goneAt },
          }),
        ),
      );
    }
  }

  async hasTombstone(path: string): Promise<boolean> {
    const { Item } = await storageCall(() =>
      this.client.send(
        new GetCommand({
          TableName: this.tableName,
          Key: { [TABLE_DESIGN.partitionKey]: tombstoneKey(path) },
          ConsistentRead: true,
          ProjectionExpression: '#pk',
          ExpressionAttributeNames: { '#pk': TABLE_DESIGN.partitionKey },
        }),
      ),
    );
    return Item !== undefined;
  }

  async listGonePaths(): Promise<readonly string[]> {
    const paths = new Set<string>();
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await storageCall(() =>
        this.client.send(
          new ScanCommand({
            TableName: this.tableName,
            // Only tombstones and withdrawn articles come back, and of them only what names their paths.
            FilterExpression:
              'begins_with(#pk, :gone) OR (begins_with(#pk, :article) AND attribute_exists(#publishedAt) AND #status <> :published)',
            ProjectionExpression: '#pk, #path, #section, #slug, #previousPaths',
            ExpressionAttributeNames: {
              '#pk': TABLE_DESIGN.partitionKey,
              '#path': 'path',
              '#section': 'section',
              '#slug': 'slug',
              '#previousPaths': 'previousPaths',
              '#publishedAt': 'publishedAt',
              '#status': 'status',
            },
            ExpressionAttributeValues: {
              ':gone': GONE_PREFIX,
              ':article': ARTICLE_PREFIX,
              ':published': 'published',
            },
            ExclusiveStartKey,
          }),
        ),
      );
      for (const item of page.Items ?? []) {
        if (String(item[TABLE_DESIGN.partitionKey]).startsWith(GONE_PREFIX)) paths.add(String(item.path));
        else {
          paths.add(`/${String(item.section)}/${String(item.slug)}`);
          for (const path of (item.previousPaths as string[] | undefined) ?? []) paths.add(path);
        }
      }
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    return [...paths];
  }

  private async conditional(command: PutCommand | DeleteCommand): Promise<boolean> {
    try {
      await storageCall(() => this.client.send(command as PutCommand));
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }
}

function toSummary(item: Record<string, unknown>): ArticleSummary {
  return fromItem(item) as unknown as ArticleSummary;
}

function toClaim(item: Record<string, unknown>): SlugClaim {
  return { slug: String(item.slug), articleId: String(item.articleId), claimedAt: String(item.claimedAt) };
}
