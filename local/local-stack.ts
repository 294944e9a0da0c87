import { appendFile, mkdir } from 'node:fs/promises';
import type { Server } from 'node:http';
import { join, resolve } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { FileEdgeRoutesStore } from '../functions/adapters/file-edge-routes-store';
import { createTokenVerifier } from '../functions/auth/token-verifier';
import { ENV } from '../functions/config/environment';
import { findSection, loadSiteConfig } from '../functions/config/site';
import { ROUTES, type RouteDefinition } from '../functions/http/routes';
import { TABLE_DESIGN } from '../functions/store/table-design';
import { createApiGateway, type LambdaHandler, lambdaContext } from './api-gateway';
import { type StreamHandler, startChangeFeed } from './dynamodb-change-feed';
import { type EmulatorFaults, LOCAL_CREDENTIALS, LOOPBACK, startEmulators } from './emulators';
import { FileFailureQueue } from './file-failure-queue';
import { LOCAL_JWKS_PATH, type LocalIssuer, openLocalIssuer } from './local-issuer';
import { LocalRepairLoop } from './local-repair';
import { createLocalServer, type LocalServerRoutes, listenOnLoopback } from './local-server';
import { ensureBucket, ensureTable } from './provision';
import { SAMPLE_ARTICLES } from './sample-articles';
import { createSiteHandler } from './site-server';

/**
 * Everything `npm start` and the integration tests run: the emulators, the table and bucket, the local
 * issuer, the gateway in front of the real handlers and the site, on one loopback origin.
 *
 * The handlers are the Lambda modules themselves and read their configuration from `process.env` at
 * import, exactly as in Lambda, so one process holds one local stack.
 */

export const LOCAL_TABLE_NAME = 'flash-news-articles';
export const LOCAL_BUCKET_NAME = 'flash-news-pages';
/** The local failure queue (in DATA_DIR): stream records the render function gave up on, one a line. */
export const LOCAL_FAILED_RECORDS_FILE = 'failed-stream-records.jsonl';
/** In DATA_DIR: the article events the render function announces, as the event bus would carry them. */
export const LOCAL_EVENTS_FILE = 'events.jsonl';
/** In DATA_DIR: the edge routes store (301s and 410s), the local stand-in for the KeyValueStore. */
export const LOCAL_EDGE_ROUTES_FILE = 'edge-routes.json';
/** How often scheduled articles are checked locally (EventBridge runs the same handler every minute). */
const SCHEDULER_INTERVAL_MS = 10_000;

export interface LocalStackOptions {
  readonly port: number;
  readonly dataDir: string;
  /** Seed sample articles when the table is new (default true). */
  readonly seed?: boolean;
  /** How often scheduled articles are checked (default every ten seconds). */
  readonly schedulerIntervalMs?: number;
  /** The origin readers use, when it is not this server's (the re-render command renders for `npm start`'s). */
  readonly publicOrigin?: string;
}

export interface LocalStack {
  readonly origin: string;
  readonly port: number;
  readonly issuer: LocalIssuer;
  readonly dynamoDbEndpoint: string;
  readonly s3Endpoint: string;
  readonly tableName: string;
  readonly bucketName: string;
  /** Stops and starts the emulators on demand: what the fault tests use. */
  readonly faults: EmulatorFaults;
  readonly seeded: number;
  /** The article events (docs/events.md), one JSON line each: the local stand-in for the event bus. */
  readonly eventsFile: string;
  /** The edge routes store (path → newest path or `gone`): the local stand-in for the KeyValueStore. */
  readonly edgeRoutesFile: string;
  /** Resolves once every committed change has been rendered. */
  drained(): Promise<void>;
  stop(): Promise<void>;
}

function configureEnvironment(values: Record<string, string>): void {
  for (const [name, value] of Object.entries(values)) process.env[name] = value;
}

async function loadHandler(module: string): Promise<LambdaHandler> {
  const loaded = (await import(`../functions/handlers/${module}.ts`)) as { handler: LambdaHandler };
  return loaded.handler;
}

export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  const dataDir = resolve(options.dataDir);
  await mkdir(dataDir, { recursive: true });

  // The port is taken first, so a busy port fails fast with a clear message before anything starts.
  let routes: LocalServerRoutes | undefined;
  const server: Server = createLocalServer(() => routes);
  const port = await listenOnLoopback(server, options.port);
  const origin = options.publicOrigin ?? `http://localhost:${port}`;

  const emulators = await startEmulators(dataDir);
  // The functions reach DynamoDB through the change feed, which turns their writes into stream records.
  // Its journal is opened only now, after dynalite has locked the data directory against a second stack.
  const changeFeed = await startChangeFeed({
    target: emulators.dynamoDbEndpoint,
    tableName: LOCAL_TABLE_NAME,
    keyAttributes: [TABLE_DESIGN.partitionKey],
    journalDirectory: join(dataDir, 'change-feed'),
  });
  const issuer = await openLocalIssuer(dataDir);
  configureEnvironment({
    // The SDK warns on Node.js 20 that its 2027 releases need Node.js 22; the lock file pins a release
    // that supports 20 (README, "Requirements"), so the warning is noise on every local start.
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
    AWS_ENDPOINT_URL_DYNAMODB: changeFeed.endpoint,
    AWS_ENDPOINT_URL_S3: emulators.s3Endpoint,
    S3_FORCE_PATH_STYLE: 'true',
    [ENV.tableName]: LOCAL_TABLE_NAME,
    [ENV.bucketName]: LOCAL_BUCKET_NAME,
    [ENV.siteBaseUrl]: origin,
    [ENV.eventsFile]: join(dataDir, LOCAL_EVENTS_FILE),
    [ENV.edgeRoutesFile]: join(dataDir, LOCAL_EDGE_ROUTES_FILE),
    [ENV.cursorSecret]: issuer.cursorSecret,
    [ENV.authIssuer]: issuer.issuer,
    [ENV.authAudience]: issuer.audience,
    [ENV.authJwksUrl]: `http://${LOOPBACK}:${port}${LOCAL_JWKS_PATH}`,
    POWERTOOLS_SERVICE_NAME: 'flash-news',
    POWERTOOLS_METRICS_NAMESPACE: 'FlashNews',
    // Locally, metrics would only be JSON noise on stdout, and there is no X-Ray daemon to trace to.
    POWERTOOLS_METRICS_DISABLED: 'true',
    POWERTOOLS_TRACE_ENABLED: 'false',
    POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? 'WARN',
  });

  // The site settings users may set (SITE_NAME, SITE_TIME_ZONE) are checked now, not on the first request.
  loadSiteConfig(process.env);

  const clientConfig = { region: 'us-east-1', credentials: LOCAL_CREDENTIALS };
  const dynamoDb = new DynamoDBClient({ ...clientConfig, endpoint: emulators.dynamoDbEndpoint });
  const s3 = new S3Client({ ...clientConfig, endpoint: emulators.s3Endpoint, forcePathStyle: true });
  const tableIsNew = await ensureTable(dynamoDb, LOCAL_TABLE_NAME);
  await ensureBucket(s3, LOCAL_BUCKET_NAME);

  // The render function, fed by the change feed as Lambda is by the table's stream. Records it gives up
  // on go to a file, the local counterpart of the on-failure queue. Changes a previous run left undelivered
  // (even one killed outright) are delivered from here on, before anything newer.
  const renderPages = (await import('../functions/handlers/render-pages')).handler;
  const failedRecordsFile = join(dataDir, LOCAL_FAILED_RECORDS_FILE);
  const deliverToRenderer: StreamHandler = (event) => renderPages(event, lambdaContext('render-pages'));
  changeFeed.attach(deliverToRenderer, async (records, error) => {
    console.error(
      `[render] gave up on ${records.length} change(s) after retries; kept in ${failedRecordsFile}:`,
      error,
    );
    // Awaited: the feed counts the records as handled only once they are in the file.
    await appendFile(failedRecordsFile, records.map((record) => `${JSON.stringify(record)}\n`).join(''));
  });

  const handlers = new Map<string, Promise<LambdaHandler>>();
  const handlerFor = (route: RouteDefinition) => {
    let handler = handlers.get(route.handler);
    if (!handler) {
      handler = loadHandler(route.handler);
      handlers.set(route.handler, handler);
    }
    return handler;
  };
  routes = {
    api: createApiGateway({
      routes: ROUTES,
      verifyToken: createTokenVerifier({
        issuer: issuer.issuer,
        audience: issuer.audience,
        keys: issuer.keys(),
      }),
      loadHandler: handlerFor,
    }),
    // The bucket says when an object changes, so the site answers from memory until then, as the edge does.
    // The same function source as CloudFront, reading the file the render function keeps.
    site: createSiteHandler(s3, LOCAL_BUCKET_NAME, {
      objectChanges: emulators.onObjectChange,
      edgeRoutes: new FileEdgeRoutesStore(join(dataDir, LOCAL_EDGE_ROUTES_FILE)),
    }),
    jwks: issuer.jwks,
  };

  let seeded = 0;
  if (tableIsNew) {
    const { articleServiceFromEnv, sitePublisherFromEnv } = await import('../functions/shared/dependencies');
    // A new site has its home page, 404 page and feeds even before the first article.
    await sitePublisherFromEnv().renderAllIndexes();
    if (options.seed !== false) {
      const service = articleServiceFromEnv();
      // The samples are filed in the default newsroom's sections; another newsroom gets those it also has.
      for (const article of SAMPLE_ARTICLES.filter((sample) => findSection(sample.section))) {
        await service.create(article);
        seeded += 1;
      }
      await changeFeed.drained();
    }
  }

  const { siteReconcilerFromEnv } = await import('../functions/shared/dependencies');
  const { redriveFailures } = await import('../functions/publishing/redrive');
  const { noInvalidation } = await import('../functions/publishing/invalidator');
  const failureQueue = new FileFailureQueue(failedRecordsFile);
  const reconciler = siteReconcilerFromEnv(noInvalidation);
  const { articleEventSinkFromEnv } = await import('../functions/shared/article-events');
  const { siteFromEnv } = await import('../functions/shared/site');
  // Changes the renderer gave up on are announced once repaired, as the render function would have.
  const announcer = { sink: articleEventSinkFromEnv(), baseUrl: siteFromEnv().baseUrl };
  const repair = new LocalRepairLoop(failureQueue, () =>
    redriveFailures(failureQueue, reconciler, noInvalidation, { concurrency: 4 }, announcer),
  );
  // A first start killed before it rendered the home page left a site without one: repair it now.
  if (!tableIsNew && !(await objectExists(s3, LOCAL_BUCKET_NAME, 'index.html'))) repair.tick(true);

  const publishDue = (await import('../functions/handlers/publish-due-articles')).handler;
  const scheduler = setInterval(() => {
    publishDue({}, lambdaContext('publish-due-articles')).catch((error: unknown) =>
      console.error('[scheduler] publishing due articles failed:', error),
    );
    repair.tick();
  }, options.schedulerIntervalMs ?? SCHEDULER_INTERVAL_MS);
  scheduler.unref();

  return {
    origin,
    port,
    issuer,
    dynamoDbEndpoint: emulators.dynamoDbEndpoint,
    s3Endpoint: emulators.s3Endpoint,
    tableName: LOCAL_TABLE_NAME,
    bucketName: LOCAL_BUCKET_NAME,
    seeded,
    eventsFile: join(dataDir, LOCAL_EVENTS_FILE),
    edgeRoutesFile: join(dataDir, LOCAL_EDGE_ROUTES_FILE),
    faults: emulators.faults,
    drained: () => changeFeed.drained(),
    async stop() {
      clearInterval(scheduler);
      await repair.settled();
      routes = undefined;
      server.closeAllConnections();
      await new Promise<void>((done) => server.close(() => done()));
      // Changes already committed are rendered before the emulators go away.
      await changeFeed.stop();
      dynamoDb.destroy();
      s3.destroy();
      await emulators.stop();
    },
  };
}

async function objectExists(s3: S3Client, bucket: string, key: string): Promise<boolean> {
  try {
    await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    return true;
  } catch {
    return false;
  }
}
