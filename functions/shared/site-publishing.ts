import { getDocumentClient } from '../adapters/dynamodb-client';
import { DynamoDbTagMemberships } from '../adapters/dynamodb-tag-memberships';
import { getS3Client } from '../adapters/s3-client';
import { S3PageStore } from '../adapters/s3-page-store';
import { ENV, getStringFromEnv } from '../config/environment';
import type { Invalidator } from '../publishing/invalidator';
import { SitePublisher } from '../publishing/site-publisher';
import { SiteReconciler } from '../publishing/site-reconciler';
import { articleRepositoryFromEnv } from './article-service';
import { edgeRoutesStoreFromEnv } from './edge-routes';
import { siteFromEnv } from './site';

/**
 * The renderer and the bucket it writes to: only the functions that write the site (render, reconcile)
 * import this module, so the templates, Markdown, feeds, sitemaps and the S3 client stay out of the API
 * handlers' bundles.
 */

function pageStoreFromEnv(): S3PageStore {
  return new S3PageStore(getS3Client(), getStringFromEnv(ENV.bucketName));
}

/** The tag lists (`TAG#` memberships in the articles table), which only the site's writers keep. */
function tagMembershipsFromEnv(): DynamoDbTagMemberships {
  return new DynamoDbTagMemberships(getDocumentClient(), getStringFromEnv(ENV.tableName));
}

export function sitePublisherFromEnv(): SitePublisher {
  return new SitePublisher(
    siteFromEnv(),
    articleRepositoryFromEnv(),
    pageStoreFromEnv(),
    undefined,
    edgeRoutesStoreFromEnv(),
    tagMembershipsFromEnv(),
  );
}

export function siteReconcilerFromEnv(invalidator: Invalidator): SiteReconciler {
  const repository = articleRepositoryFromEnv();
  const pages = pageStoreFromEnv();
  const edgeRoutes = edgeRoutesStoreFromEnv();
  const tagMemberships = tagMembershipsFromEnv();
  return new SiteReconciler(
    repository,
    pages,
    new SitePublisher(siteFromEnv(), repository, pages, undefined, edgeRoutes, tagMemberships),
    invalidator,
    { store: edgeRoutes, table: repository },
    tagMemberships,
  );
}
