import { CloudFrontKeyValueStoreClient } from '@aws-sdk/client-cloudfront-keyvaluestore';
import { CloudFrontKeyValueStore } from '../adapters/cloudfront-key-value-store';
import { FileEdgeRoutesStore } from '../adapters/file-edge-routes-store';
import { ENV, getOptionalStringFromEnv } from '../config/environment';
import { type EdgeRoutesStore, noEdgeRoutes } from '../publishing/edge-routes';

/**
 * The edge routes store the render and reconcile functions keep: the stack's CloudFront KeyValueStore in
 * AWS (EDGE_ROUTES_STORE_ARN), a file in DATA_DIR on the local stack (EDGE_ROUTES_FILE), none when
 * neither is set (unit tests, tools).
 */
export function edgeRoutesStoreFromEnv(): EdgeRoutesStore {
  const storeArn = getOptionalStringFromEnv(ENV.edgeRoutesStoreArn);
  // The store's API is global: its requests are signed for every region (SigV4A) whatever this one is.
  if (storeArn) return new CloudFrontKeyValueStore(new CloudFrontKeyValueStoreClient({}), storeArn);
  const file = getOptionalStringFromEnv(ENV.edgeRoutesFile);
  if (file) return new FileEdgeRoutesStore(file);
  return noEdgeRoutes;
}
