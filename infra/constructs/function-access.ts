import { CfnElement, Stack, Validations } from 'aws-cdk-lib';
import type { IDistribution } from 'aws-cdk-lib/aws-cloudfront';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { ENV } from '../../functions/config/environment';
import type { TableAccess } from '../../functions/http/routes';
import { ITEM_KEY_PREFIXES, TABLE_DESIGN } from '../../functions/store/table-design';
import type { ArticlesTable } from './articles-table';
import type { NewsFunction } from './news-function';

/**
 * Grants that come with the configuration that goes with them: a function that may read the table is
 * also told which table. Actions are spelled out (no `Get*`, no `s3:Put*`) so that each policy says
 * exactly what the code does, and so that the least-privilege tests can hold every statement to it.
 */

/** No Scan: every read path is a key lookup or a Query on a sparse index (see docs/data-model.md). */
export const TABLE_READ_ACTIONS = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query'] as const;

/** Powertools idempotency records live in the same table, and need UpdateItem/DeleteItem as well. */
export const TABLE_WRITE_ACTIONS = [
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
  // Condition checks only exist inside TransactWriteItems, which is a write.
  'dynamodb:ConditionCheckItem',
] as const;

export function grantTableRead(fn: NewsFunction, table: ArticlesTable): void {
  fn.addEnvironment(ENV.tableName, table.tableName);
  fn.role.addToPrincipalPolicy(
    new PolicyStatement({
      actions: [...TABLE_READ_ACTIONS],
      resources: [table.tableArn, ...table.allIndexArns],
    }),
  );
}

export function grantTableReadWrite(fn: NewsFunction, table: ArticlesTable): void {
  grantTableRead(fn, table);
  fn.role.addToPrincipalPolicy(
    new PolicyStatement({
      actions: [...TABLE_WRITE_ACTIONS],
      resources: [table.tableArn],
    }),
  );
}

/** Grants what a route declares in the route table, and nothing else. */
export function grantTableAccess(fn: NewsFunction, table: ArticlesTable, access: TableAccess): void {
  switch (access) {
    case 'none':
      return;
    case 'read':
      grantTableRead(fn, table);
      return;
    case 'read-write':
      grantTableReadWrite(fn, table);
      return;
  }
}

/** Query on the named indexes only: for a function that reads lists but never an article by key. */
export function grantIndexQuery(fn: NewsFunction, table: ArticlesTable, indexNames: readonly string[]): void {
  fn.addEnvironment(ENV.tableName, table.tableName);
  fn.role.addToPrincipalPolicy(
    new PolicyStatement({
      actions: ['dynamodb:Query'],
      resources: indexNames.map((name) => table.indexArn(name)),
    }),
  );
}

/**
 * Writes and deletes tag memberships (`TAG#<slug>#<id>`, functions/adapters/dynamodb-tag-memberships.ts),
 * and no other item: the site's writers derive them from articles they never write themselves.
 */
export function grantTagMembershipsWrite(fn: NewsFunction, table: ArticlesTable): void {
  fn.addEnvironment(ENV.tableName, table.tableName);
  fn.role.addToPrincipalPolicy(
    new PolicyStatement({
      actions: ['dynamodb:PutItem', 'dynamodb:DeleteItem'],
      resources: [table.tableArn],
      conditions: {
        'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [`${ITEM_KEY_PREFIXES.tagMembership}*`] },
      },
    }),
  );
}

/**
 * What the renderer reads besides the lists: whole articles in one batch (the feeds' full bodies, which no
 * index holds: `ARTICLE#` items only) and slug claims (`SLUG#`: whether a path marked gone has been claimed
 * by another article since). Without them the stream's batches fail in AWS, where the local stack, which
 * has no IAM, cannot tell.
 */
export function grantRendererItemReads(fn: NewsFunction, table: ArticlesTable): void {
  fn.addEnvironment(ENV.tableName, table.tableName);
  for (const [action, prefix] of [
    ['dynamodb:BatchGetItem', ITEM_KEY_PREFIXES.article],
    ['dynamodb:GetItem', ITEM_KEY_PREFIXES.slugClaim],
  ] as const) {
    fn.role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: [action],
        resources: [table.tableArn],
        conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [`${prefix}*`] } },
      }),
    );
  }
}

/**
 * Repair's reads of the tag lists: one Scan of the sparse `LatestByTag` index (memberships only, never
 * the table), and the strongly consistent batch reads of the articles it re-checks (`ARTICLE#` items only).
 */
export function grantTagMembershipsRepairRead(fn: NewsFunction, table: ArticlesTable): void {
  fn.addEnvironment(ENV.tableName, table.tableName);
  fn.role.addToPrincipalPolicy(
    new PolicyStatement({
      actions: ['dynamodb:Scan'],
      resources: [table.indexArn(TABLE_DESIGN.indexes.latestByTag.indexName)],
    }),
  );
  fn.role.addToPrincipalPolicy(
    new PolicyStatement({
      actions: ['dynamodb:BatchGetItem'],
      resources: [table.tableArn],
      conditions: {
        'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [`${ITEM_KEY_PREFIXES.article}*`] },
      },
    }),
  );
}

/** Acknowledges the `<bucket>/*` resource of a page-object statement, which cdk-nag reports as a wildcard. */
function acknowledgeObjectKeys(fn: NewsFunction, bucket: IBucket, reason: string): void {
  const cfnBucket = bucket.node.defaultChild;
  if (CfnElement.isCfnElement(cfnBucket)) {
    Validations.of(fn.role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${Stack.of(bucket).getLogicalId(cfnBucket)}.Arn>/*]`,
      reason,
    });
  }
}

/** Writes and deletes rendered objects; no read or list, which rendering never needs. */
export function grantPagesWrite(fn: NewsFunction, bucket: IBucket): void {
  fn.addEnvironment(ENV.bucketName, bucket.bucketName);
  fn.role.addToPrincipalPolicy(
    new PolicyStatement({
      actions: ['s3:PutObject', 's3:DeleteObject'],
      resources: [bucket.arnForObjects('*')],
    }),
  );
  acknowledgeObjectKeys(
    fn,
    bucket,
    'The renderer writes and deletes pages under keys derived from article slugs, which are not known ' +
      'in advance; the wildcard is only on object keys of this one bucket, for PutObject/DeleteObject only.',
  );
}

/**
 * Writes rendered objects, and nothing else: no delete, read or list. For a function that only ever
 * (re)writes pages of live articles and leaves pruning to the repair.
 */
export function grantPagesPut(fn: NewsFunction, bucket: IBucket): void {
  fn.addEnvironment(ENV.bucketName, bucket.bucketName);
  fn.role.addToPrincipalPolicy(
    new PolicyStatement({
      actions: ['s3:PutObject'],
      resources: [bucket.arnForObjects('*')],
    }),
  );
  acknowledgeObjectKeys(
    fn,
    bucket,
    'The archive re-render writes the pages of live articles under keys derived from their slugs, which ' +
      'are not known in advance; the wildcard is only on object keys of this one bucket, for PutObject only.',
  );
}

/**
 * What a repair of the whole bucket needs: the listing, each object's metadata (HEAD needs GetObject,
 * and ListBucket makes a missing key a 404 rather than a 403), and writes and deletes.
 */
export function grantPagesRepair(fn: NewsFunction, bucket: IBucket): void {
  fn.addEnvironment(ENV.bucketName, bucket.bucketName);
  fn.role.addToPrincipalPolicy(
    new PolicyStatement({
      actions: ['s3:ListBucket'],
      resources: [bucket.bucketArn],
    }),
  );
  fn.role.addToPrincipalPolicy(
    new PolicyStatement({
      actions: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
      resources: [bucket.arnForObjects('*')],
    }),
  );
  acknowledgeObjectKeys(
    fn,
    bucket,
    'The reconciler compares every page in the bucket with the table, so it reads the metadata of, writes ' +
      'and deletes objects whose keys come from article slugs; the wildcard is only on object keys of this ' +
      'one bucket, for GetObject/PutObject/DeleteObject only.',
  );
}

/** GetItem only, on the table itself: strongly consistent re-checks of single articles. */
export function grantItemRead(fn: NewsFunction, table: ArticlesTable): void {
  fn.addEnvironment(ENV.tableName, table.tableName);
  fn.role.addToPrincipalPolicy(
    new PolicyStatement({
      actions: ['dynamodb:GetItem'],
      resources: [table.tableArn],
    }),
  );
}

/** Reads and removes the render failure queue's messages, which only redrive does. */
export function grantFailureQueueRedrive(fn: NewsFunction, queue: IQueue): void {
  fn.addEnvironment(ENV.failureQueueUrl, queue.queueUrl);
  fn.role.addToPrincipalPolicy(
    new PolicyStatement({
      actions: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'],
      resources: [queue.queueArn],
    }),
  );
}

/**
 * Redrive reads a failed batch back from the table's stream (GetShardIterator at its first record, then
 * GetRecords) to announce the changes it stands for: that stream only, and only those two reads.
 */
export function grantFailedBatchRead(fn: NewsFunction, { table }: ArticlesTable): void {
  if (!table.tableStreamArn) throw new Error('The articles table has no stream to read failed batches from');
  fn.role.addToPrincipalPolicy(
    new PolicyStatement({
      actions: ['dynamodb:GetShardIterator', 'dynamodb:GetRecords'],
      resources: [table.tableStreamArn],
    }),
  );
}

export function grantInvalidation(fn: NewsFunction, distribution: IDistribution): void {
  fn.addEnvironment(ENV.distributionId, distribution.distributionId);
  fn.role.addToPrincipalPolicy(
    new PolicyStatement({
      actions: ['cloudfront:CreateInvalidation'],
      resources: [
        Stack.of(fn).formatArn({
          service: 'cloudfront',
          region: '',
          resource: 'distribution',
          resourceName: distribution.distributionId,
        }),
      ],
    }),
  );
}

/** Puts article events on the stack's bus, and on no other. */
export function grantArticleEventsPut(fn: NewsFunction, bus: IEventBus): void {
  fn.addEnvironment(ENV.eventBusName, bus.eventBusName);
  fn.role.addToPrincipalPolicy(
    new PolicyStatement({ actions: ['events:PutEvents'], resources: [bus.eventBusArn] }),
  );
}

export function grantCursorSecretRead(fn: NewsFunction, secret: ISecret): void {
  fn.addEnvironment(ENV.cursorSecretArn, secret.secretArn);
  fn.role.addToPrincipalPolicy(
    new PolicyStatement({
      actions: ['secretsmanager:GetSecretValue'],
      resources: [secret.secretArn],
    }),
  );
}

export interface SiteEnvironment {
  /** Public origin of the site, without a trailing slash. */
  readonly siteBaseUrl: string;
  readonly siteName: string;
  readonly siteTimeZone: string;
}

export function setSiteEnvironment(fn: NewsFunction, site: SiteEnvironment): void {
  fn.addEnvironment(ENV.siteBaseUrl, site.siteBaseUrl);
  fn.addEnvironment(ENV.siteName, site.siteName);
  fn.addEnvironment(ENV.siteTimeZone, site.siteTimeZone);
}

export interface TokenIssuer {
  readonly issuer: string;
  readonly audience: string;
  readonly jwksUrl: string;
}

/** For handlers that verify bearer tokens themselves (`optional` routes, which have no authorizer). */
export function setAuthEnvironment(fn: NewsFunction, issuer: TokenIssuer): void {
  fn.addEnvironment(ENV.authIssuer, issuer.issuer);
  fn.addEnvironment(ENV.authAudience, issuer.audience);
  fn.addEnvironment(ENV.authJwksUrl, issuer.jwksUrl);
}
