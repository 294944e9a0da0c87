import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { DeleteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tagMembershipKey } from '../../functions/adapters/dynamodb-tag-memberships';
import { ENV } from '../../functions/config/environment';
import { LOCAL_CREDENTIALS, startEmulators } from '../../local/emulators';
import {
  LOCAL_BUCKET_NAME,
  LOCAL_EDGE_ROUTES_FILE,
  type LocalStack,
  startLocalStack,
} from '../../local/local-stack';
import { conformingFetch } from './support/openapi-conformance';

/**
 * `npm run reconcile` as an operator runs it, on a data directory whose bucket has drifted from the
 * table the ways a crash or a change lost in the failure queue leaves it: a missing page, a stale one,
 * pages of withdrawn and deleted articles, planted objects. The dry run must list exactly those, change
 * nothing, and the real run must leave exactly what the table says.
 */

/**
 * A user's environment: without what a local stack sets for its functions (this test's and the shared
 * integration stack's, which the test process inherits), or the command would take TABLE_NAME to mean AWS.
 */
function userEnvironment(): NodeJS.ProcessEnv {
  const stackVariables = new Set<string>(Object.values(ENV));
  return Object.fromEntries(
    Object.entries(process.env).filter(
      ([name]) => !stackVariables.has(name) && !name.startsWith('AWS_') && !name.startsWith('POWERTOOLS_'),
    ),
  );
}
let dataDir: string;
let stack: LocalStack;
let s3: S3Client;
let token: string;
const NAMES = ['kept', 'lost', 'edited', 'withdrawn', 'deleted'] as const;
/** The slug of the one tag the kept story carries. */
const KEPT_TAG = 'reconcile-kept';
const story = {} as Record<(typeof NAMES)[number], { id: string; key: string; path: string }>;

async function api(
  path: string,
  init: { method?: string; json?: unknown; headers?: Record<string, string> } = {},
) {
  const response = await conformingFetch(`${stack.origin}${path}`, {
    method: init.method ?? 'GET',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...init.headers },
    body: init.json === undefined ? undefined : JSON.stringify(init.json),
  });
  return {
    status: response.status,
    body: (await response.json().catch(() => undefined)) as Record<string, unknown>,
  };
}

async function objectBody(key: string): Promise<string | undefined> {
  try {
    const object = await s3.send(new GetObjectCommand({ Bucket: LOCAL_BUCKET_NAME, Key: key }));
    return object.Body?.transformToString();
  } catch {
    return undefined;
  }
}

async function plant(key: string, body: string, metadata?: Record<string, string>) {
  await s3.send(
    new PutObjectCommand({
      Bucket: LOCAL_BUCKET_NAME,
      Key: key,
      Body: body,
      ContentType: 'text/html; charset=utf-8',
      ...(metadata ? { Metadata: metadata } : {}),
    }),
  );
}

function runReconcile(args: string[]): Promise<{ code: number | null; output: string }> {
  return runRepair('cli/reconcile.ts', args);
}

function runRepair(script: string, args: string[]): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
    env: { ...userEnvironment(), DATA_DIR: dataDir, PORT: String(stack.port), CI: 'true' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr.on('data', (chunk) => {
    output += chunk;
  });
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, output })));
}

function plannedActions(output: string): string[] {
  return output
    .split('\n')
    .map((line) => line.match(/^\s+(write|delete)\s+(\S+)\s+\(([\w ]+)\)$/))
    .flatMap((match) => (match ? [`${match[1]} ${match[2]} ${match[3]}`] : []))
    .sort();
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'flash-news-reconcile-'));
  stack = await startLocalStack({ port: 0, dataDir, seed: false, schedulerIntervalMs: 60_000 });
  token = await stack.issuer.mintToken();
  s3 = new S3Client({
    region: 'us-east-1',
    endpoint: stack.s3Endpoint,
    forcePathStyle: true,
    credentials: LOCAL_CREDENTIALS,
  });
  for (const name of NAMES) {
    const created = await api('/api/articles', {
      method: 'POST',
      json: {
        title: `Reconcile ${name} story`,
        section: 'bota',
        body: `The ${name} story.`,
        status: 'published',
        ...(name === 'kept' ? { tags: ['Reconcile Kept'] } : {}),
      },
    });
    expect(created.status).toBe(201);
    const path = new URL(String(created.body.url)).pathname;
    story[name] = { id: String(created.body.id), path, key: `${path.slice(1)}/index.html` };
  }
  await stack.drained();
  const { kept, edited, withdrawn, deleted, lost } = story;
  const oldEdited = (await objectBody(edited.key)) ?? '';
  const oldWithdrawn = (await objectBody(withdrawn.key)) ?? '';
  const oldDeleted = (await objectBody(deleted.key)) ?? '';

  expect(
    (
      await api(`/api/articles/${edited.id}`, {
        method: 'PATCH',
        json: { title: 'Reconcile edited story, corrected' },
        headers: { 'if-match': '"1"' },
      })
    ).status,
  ).toBe(200);
  expect(
    (
      await api(`/api/articles/${withdrawn.id}`, {
        method: 'PATCH',
        json: { status: 'unpublished' },
        headers: { 'if-match': '"1"' },
      })
    ).status,
  ).toBe(200);
  expect(
    (await api(`/api/articles/${deleted.id}`, { method: 'DELETE', headers: { 'if-match': '"1"' } })).status,
  ).toBe(204);
  await stack.drained();

  // The drift: what the stream missed, and what nobody should have written.
  await plant(edited.key, oldEdited, { 'article-id': edited.id, 'article-version': '1' });
  await plant(withdrawn.key, oldWithdrawn, { 'article-id': withdrawn.id, 'article-version': '1' });
  await plant(deleted.key, oldDeleted, { 'article-id': deleted.id, 'article-version': '1' });
  await plant('bota/planted-orphan/index.html', '<p>planted</p>');
  await plant('sitemaps/1989-01.xml', '<urlset/>');
  // Tag lists drift too: a membership lost, and the page of a tag no article carries.
  await plant('tags/planted-tag/index.html', '<p>planted</p>');
  const dynamo = DynamoDBDocumentClient.from(
    new DynamoDBClient({
      endpoint: stack.dynamoDbEndpoint,
      region: 'us-east-1',
      credentials: LOCAL_CREDENTIALS,
    }),
  );
  await dynamo.send(
    new DeleteCommand({ TableName: stack.tableName, Key: { pk: tagMembershipKey(KEPT_TAG, kept.id) } }),
  );
  dynamo.destroy();
  await s3.send(new DeleteObjectCommand({ Bucket: LOCAL_BUCKET_NAME, Key: lost.key }));
  s3.destroy();
  await stack.stop();

  // The edge routes store drifted too: a wrong entry, a missing one and one nobody should have written.
  const routesFile = join(dataDir, LOCAL_EDGE_ROUTES_FILE);
  const routes = JSON.parse(await readFile(routesFile, 'utf8')) as Record<string, string>;
  expect(routes).toEqual({ [withdrawn.path]: 'gone', [deleted.path]: 'gone' });
  delete routes[withdrawn.path];
  routes[deleted.path] = kept.path;
  routes['/bota/planted-route'] = 'gone';
  await writeFile(routesFile, JSON.stringify(routes));
}, 120_000);

afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

describe('npm run reconcile', () => {
  it('a dry run lists exactly the drift, the real run repairs it, and a second run finds nothing', async () => {
    const { kept, lost, edited, withdrawn, deleted } = story;
    const plan = await runReconcile(['--dry-run']);
    expect(plan.code, plan.output).toBe(0);
    expect(plan.output).toContain('Dry run: nothing was changed');
    expect(plannedActions(plan.output)).toEqual(
      [
        `write ${lost.key} missing`,
        `write ${edited.key} stale`,
        `delete ${withdrawn.key} withdrawn`,
        `delete ${deleted.key} withdrawn`,
        'delete bota/planted-orphan/index.html withdrawn',
        'delete sitemaps/1989-01.xml unknown',
        'delete tags/planted-tag/index.html unknown',
        `write tag-membership:${KEPT_TAG}#${kept.id} missing`,
        `write edge-route:${withdrawn.path} missing`,
        `write edge-route:${deleted.path} stale`,
        'delete edge-route:/bota/planted-route unknown',
      ].sort(),
    );

    const repair = await runReconcile([]);
    expect(repair.code, repair.output).toBe(0);
    expect(repair.output).toContain('Reconcile finished.');

    const again = await runReconcile(['--dry-run']);
    expect(again.code, again.output).toBe(0);
    expect(plannedActions(again.output)).toEqual([]);
    // The store says exactly what the table does: the withdrawn and the deleted story are gone (the
    // deleted one through its tombstone), nothing else.
    expect(JSON.parse(await readFile(join(dataDir, LOCAL_EDGE_ROUTES_FILE), 'utf8'))).toEqual({
      [withdrawn.path]: 'gone',
      [deleted.path]: 'gone',
    });

    // The bucket itself, read through the emulator with nothing else running.
    const emulators = await startEmulators(dataDir);
    const client = new S3Client({
      region: 'us-east-1',
      endpoint: emulators.s3Endpoint,
      forcePathStyle: true,
      credentials: LOCAL_CREDENTIALS,
    });
    try {
      const listed = await client.send(new ListObjectsV2Command({ Bucket: LOCAL_BUCKET_NAME }));
      const keys = new Set((listed.Contents ?? []).map((object) => object.Key));
      for (const key of [kept.key, lost.key, edited.key, `tags/${KEPT_TAG}/index.html`]) {
        expect(keys, key).toContain(key);
      }
      for (const key of [
        withdrawn.key,
        deleted.key,
        'bota/planted-orphan/index.html',
        'sitemaps/1989-01.xml',
        'tags/planted-tag/index.html',
      ]) {
        expect(keys, key).not.toContain(key);
      }
      const read = async (key: string) =>
        (
          await client.send(new GetObjectCommand({ Bucket: LOCAL_BUCKET_NAME, Key: key }))
        ).Body?.transformToString();
      expect(await read(edited.key)).toContain('Reconcile edited story, corrected');
      const feed = (await read('feed.xml')) ?? '';
      expect(feed).toContain(kept.path);
      expect(feed).not.toContain(withdrawn.path);
      expect(feed).not.toContain(deleted.path);
      expect(await read(`tags/${KEPT_TAG}/index.html`)).toContain(kept.path);
    } finally {
      client.destroy();
      await emulators.stop();
    }
  }, 120_000);

  it('npm run rerender rewrites every page on its render threads, and prunes a bucket of over 1,000 objects', async () => {
    const { kept, lost, edited } = story;
    // s3rver pages a listing past 1,000 keys with continuation tokens: the command must list past them.
    const planted = Array.from(
      { length: 1_001 },
      (_, index) => `planted/${String(index).padStart(4, '0')}.txt`,
    );
    const emulators = await startEmulators(dataDir);
    const client = new S3Client({
      region: 'us-east-1',
      endpoint: emulators.s3Endpoint,
      forcePathStyle: true,
      credentials: LOCAL_CREDENTIALS,
    });
    try {
      let next = 0;
      await Promise.all(
        Array.from({ length: 8 }, async () => {
          for (let key = planted[next++]; key; key = planted[next++]) {
            await client.send(new PutObjectCommand({ Bucket: LOCAL_BUCKET_NAME, Key: key, Body: 'planted' }));
          }
        }),
      );
    } finally {
      client.destroy();
      await emulators.stop();
    }

    const rerender = await runRepair('cli/rerender.ts', ['--threads', '2']);
    expect(rerender.code, rerender.output).toBe(0);
    expect(rerender.output).toContain('Re-render finished.');
    expect(rerender.output).toMatch(/pages written:\s+3\n/);
    expect(rerender.output).toMatch(/pages deleted:\s+1001\n/);

    const reopened = await startEmulators(dataDir);
    const reader = new S3Client({
      region: 'us-east-1',
      endpoint: reopened.s3Endpoint,
      forcePathStyle: true,
      credentials: LOCAL_CREDENTIALS,
    });
    try {
      const listed = await reader.send(new ListObjectsV2Command({ Bucket: LOCAL_BUCKET_NAME }));
      const keys = (listed.Contents ?? []).map((object) => object.Key ?? '');
      expect(keys.filter((key) => key.startsWith('planted/'))).toEqual([]);
      for (const key of [kept.key, lost.key, edited.key]) expect(keys, key).toContain(key);
      // Written by a render thread exactly as the stream writes pages: the current version, with its
      // provenance, and the page complete.
      const page = await reader.send(new GetObjectCommand({ Bucket: LOCAL_BUCKET_NAME, Key: edited.key }));
      expect(page.Metadata).toMatchObject({ 'article-id': edited.id, 'article-version': '2' });
      const body = (await page.Body?.transformToString()) ?? '';
      expect(body).toContain('Reconcile edited story, corrected');
      expect(body).toContain('Latest news');
    } finally {
      reader.destroy();
      await reopened.stop();
    }
  }, 180_000);
});
