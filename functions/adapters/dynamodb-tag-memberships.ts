import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  PutCommand,
  QueryCommand,
  ScanCommand,
} from '@aws-sdk/lib-dynamodb';
import type { Article, ArticleSummary } from '../domain/article';
import type { TagMembership, TagMemberships } from '../publishing/tag-memberships';
import { ITEM_KEY_PREFIXES, TABLE_DESIGN } from '../store/table-design';
import { fromItem, storageCall } from './dynamodb-article-repository';

const { latestByTag } = TABLE_DESIGN.indexes;
const PK = TABLE_DESIGN.partitionKey;
const TAG_PREFIX = ITEM_KEY_PREFIXES.tagMembership;

/** `TAG#<slug>#<id>`: slugs and ids hold no `#`, so the key splits back into both. */
export const tagMembershipKey = (slug: string, articleId: string) => `${TAG_PREFIX}${slug}#${articleId}`;
const tagPartition = (slug: string) => `${TAG_PREFIX}${slug}`;

function parseMembershipKey(key: unknown): { slug: string; articleId: string } | undefined {
  if (typeof key !== 'string' || !key.startsWith(TAG_PREFIX)) return undefined;
  const [slug, articleId, ...rest] = key.slice(TAG_PREFIX.length).split('#');
  return slug && articleId && rest.length === 0 ? { slug, articleId } : undefined;
}

function isConditionFailure(error: unknown): boolean {
  return error instanceof Error && error.name === 'ConditionalCheckFailedException';
}

/**
 * Tag memberships as items of the articles table: each holds the article's list fields (what the index
 * projects, so a tag page reads no article) and the `LatestByTag` keys. Writes are single-item and
 * conditional on the article version they were derived from, so the stream's retries and replays are
 * idempotent and an older record never overwrites what a newer one wrote.
 */
export class DynamoDbTagMemberships implements TagMemberships {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async put(article: Article, slugs: Iterable<string>, options: { readonly ifNotNewer: boolean }) {
    if (!article.publishedAt) return;
    const entry: Record<string, unknown> = {};
    for (const name of latestByTag.projectedAttributes) {
      const value = (article as unknown as Record<string, unknown>)[name];
      if (value !== undefined) entry[name] = value;
    }
    for (const slug of new Set(slugs)) {
      await this.conditional(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...entry,
            [PK]: tagMembershipKey(slug, article.id),
            [latestByTag.partitionKey]: tagPartition(slug),
            [latestByTag.sortKey]: `${article.publishedAt}#${article.id}`,
          },
          ...(options.ifNotNewer
            ? {
                ConditionExpression: 'attribute_not_exists(#pk) OR #version <= :version',
                ExpressionAttributeNames: { '#pk': PK, '#version': 'version' },
                ExpressionAttributeValues: { ':version': article.version },
              }
            : {}),
        }),
      );
    }
  }

  async remove(articleId: string, slugs: Iterable<string>, upToVersion?: number): Promise<void> {
    for (const slug of new Set(slugs)) {
      await this.conditional(
        new DeleteCommand({
          TableName: this.tableName,
          Key: { [PK]: tagMembershipKey(slug, articleId) },
          ...(upToVersion === undefined
            ? {}
            : {
                ConditionExpression: '#version <= :version',
                ExpressionAttributeNames: { '#version': 'version' },
                ExpressionAttributeValues: { ':version': upToVersion },
              }),
        }),
      );
    }
  }

  async listTagged(slug: string, limit: number): Promise<readonly ArticleSummary[]> {
    const result = await storageCall(() =>
      this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: latestByTag.indexName,
          KeyConditionExpression: '#pk = :pk',
          ExpressionAttributeNames: { '#pk': latestByTag.partitionKey },
          ExpressionAttributeValues: { ':pk': tagPartition(slug) },
          ScanIndexForward: false,
          Limit: limit,
        }),
      ),
    );
    return (result.Items ?? []).map((item) => fromItem(item) as unknown as ArticleSummary);
  }

  async listAll(): Promise<readonly TagMembership[]> {
    const memberships: TagMembership[] = [];
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      // The sparse index holds memberships and nothing else: its Scan reads no article, slug claim or
      // revision, so it costs what the memberships weigh, not what the table does.
      const page = await storageCall(() =>
        this.client.send(
          new ScanCommand({ TableName: this.tableName, IndexName: latestByTag.indexName, ExclusiveStartKey }),
        ),
      );
      for (const item of page.Items ?? []) {
        const key = parseMembershipKey(item[PK]);
        if (key) memberships.push({ ...key, entry: fromItem(item) as unknown as ArticleSummary });
      }
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    return memberships;
  }

  /** A condition that fails means a newer membership stands (or none does): nothing to do. */
  private async conditional(command: PutCommand | DeleteCommand): Promise<void> {
    try {
      await storageCall(() => this.client.send(command as PutCommand));
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }
}
