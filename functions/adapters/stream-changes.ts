import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import type { ArticleChange } from '../publishing/failure-queue';
import { fromItem, isArticleItem } from './dynamodb-article-repository';

function image(value: Record<string, AttributeValue> | undefined): Record<string, unknown> | undefined {
  return value ? unmarshall(value) : undefined;
}

/**
 * The article change a stream record carries: its old and new images as articles. Undefined for every
 * other item of the table: slug claims, revisions, tombstones and idempotency records share it, and only
 * articles become pages and events (a deleted article's REMOVE record, not its tombstones, says its paths
 * are gone). Records from Lambda's stream event and from the Streams API have the same shape.
 */
export function articleChangeOf(record: DynamoDBRecord): ArticleChange | undefined {
  const oldItem = image(record.dynamodb?.OldImage as Record<string, AttributeValue> | undefined);
  const newItem = image(record.dynamodb?.NewImage as Record<string, AttributeValue> | undefined);
  if (!isArticleItem(newItem ?? oldItem)) return undefined;
  return {
    oldImage: oldItem ? fromItem(oldItem) : undefined,
    newImage: newItem ? fromItem(newItem) : undefined,
  };
}
