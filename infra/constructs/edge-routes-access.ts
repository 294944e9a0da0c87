import type { IKeyValueStore } from 'aws-cdk-lib/aws-cloudfront';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { ENV } from '../../functions/config/environment';
import type { ArticlesTable } from './articles-table';
import type { NewsFunction } from './news-function';

/**
 * Keeps the edge routes store (functions/adapters/cloudfront-key-value-store.ts): the data-plane calls
 * the adapter makes, on this one store only. Reading its ETag (DescribeKeyValueStore) is what every
 * write needs; ListKeys is repair's way of reading the whole store.
 */
export function grantEdgeRoutesWrite(fn: NewsFunction, store: IKeyValueStore): void {
  fn.addEnvironment(ENV.edgeRoutesStoreArn, store.keyValueStoreArn);
  fn.role.addToPrincipalPolicy(
    new PolicyStatement({
      actions: [
        'cloudfront-keyvaluestore:DescribeKeyValueStore',
        'cloudfront-keyvaluestore:GetKey',
        'cloudfront-keyvaluestore:ListKeys',
        'cloudfront-keyvaluestore:UpdateKeys',
      ],
      resources: [store.keyValueStoreArn],
    }),
  );
}

/**
 * Repair lists what the table says is gone (withdrawn articles and tombstones, in no index): one Scan of
 * the table per run, and nothing else Scans it.
 */
export function grantGonePathsScan(fn: NewsFunction, table: ArticlesTable): void {
  fn.role.addToPrincipalPolicy(
    new PolicyStatement({ actions: ['dynamodb:Scan'], resources: [table.table.tableArn] }),
  );
}
