import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  LOCAL_EVENTS_FILE,
  LOCAL_FAILED_RECORDS_FILE,
  type LocalStack,
  startLocalStack,
} from '../../local/local-stack';
import { conformingFetch } from './support/openapi-conformance';
import { eventually } from './support/site';

/**
 * Outages of the stand-ins for S3 and DynamoDB, on a stack of this test's own: the table stays the
 * truth, nothing is half-written, failures are reported and retried, and once the service is back the
 * site converges without anyone running anything.
 */

let dataDir: string;
let stack: LocalStack;
let token: string;

async function call(path: string, init: { method?: string; json?: unknown } = {}) {
  const response = await conformingFetch(`${stack.origin}${path}`, {
    method: init.method ?? 'GET',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: init.json === undefined ? undefined : JSON.stringify(init.json),
  });
  const text = await response.text();
  let body: Record<string, unknown> | undefined;
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    body = undefined;
  }
  return { status: response.status, headers: response.headers, body, text };
}

const story = (title: string) => ({ title, section: 'bota', body: `${title}.`, status: 'published' });

/** The detail types announced for one article, in order (DATA_DIR/events.jsonl). */
async function eventsOf(articleId: unknown): Promise<string[]> {
  const text = await readFile(join(dataDir, LOCAL_EVENTS_FILE), 'utf8').catch(() => '');
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as { 'detail-type': string; detail: { article: { id: string } } })
    .filter((event) => event.detail.article.id === articleId)
    .map((event) => event['detail-type']);
}

async function failureReports(): Promise<number> {
  const text = await readFile(join(dataDir, LOCAL_FAILED_RECORDS_FILE), 'utf8').catch(() => '');
  return text.split('\n').filter((line) => line.trim() !== '').length;
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'flash-news-faults-'));
  stack = await startLocalStack({ port: 0, dataDir, seed: false, schedulerIntervalMs: 300 });
  token = await stack.issuer.mintToken();
}, 60_000);

afterAll(async () => {
  await stack?.faults.startS3();
  await stack?.faults.startDynamoDb();
  await stack?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

describe('with S3 down', () => {
  it('publishing succeeds, the render failure is reported, and the site converges once S3 is back', async () => {
    await stack.faults.stopS3();
    let created: Awaited<ReturnType<typeof call>>;
    try {
      created = await call('/api/articles', { method: 'POST', json: story('Published while S3 was down') });
      expect(created.status, created.text).toBe(201);
      // The table is the truth: the article is there even though no page could be written.
      expect((await call(`/api/articles/${created.body?.id}`)).status).toBe(200);
      await eventually(async () => (await failureReports()) > 0, 'the failed render to be reported', 30_000);
      // Readers get a clear "try again" from the origin, never a hung request or a 500.
      expect((await fetch(`${stack.origin}/`)).status).toBe(503);
    } finally {
      await stack.faults.startS3();
    }

    const path = new URL(String(created.body?.url)).pathname;
    await eventually(async () => (await fetch(`${stack.origin}${path}`)).status === 200, 'the page', 30_000);
    await eventually(
      async () => (await (await fetch(`${stack.origin}/`)).text()).includes('Published while S3 was down'),
      'the home page to list it',
      30_000,
    );
    await eventually(async () => (await failureReports()) === 0, 'the failure reports to be cleared', 30_000);
    // The render function gave up before announcing it; the redrive that repaired it announced it, once.
    expect(await eventsOf(created.body?.id)).toEqual(['Article Published v1']);
  }, 90_000);
});

describe('with DynamoDB down', () => {
  it('the API answers 503 with a JSON error, writes nothing, and works again once DynamoDB is back', async () => {
    await stack.faults.stopDynamoDb();
    try {
      const refused = await call('/api/articles', { method: 'POST', json: story('Never half written') });
      expect(refused.status, refused.text).toBe(503);
      expect(refused.headers.get('content-type')).toMatch(/^application\/json/);
      expect(refused.body?.error).toMatchObject({ code: 'service_unavailable' });
      expect(refused.text).not.toMatch(/\bat .+\(.+:\d+:\d+\)|node_modules|\.ts:\d+/);
      expect((await call('/api/latest')).status).toBe(503);
    } finally {
      await stack.faults.startDynamoDb();
    }

    // Nothing of the refused create is left: not the article, and not its slug.
    await eventually(async () => (await call('/api/sections')).status === 200, 'the API', 30_000);
    await eventually(async () => (await call('/api/latest')).status === 200, 'reads to work again', 30_000);
    expect((await call('/api/articles/never-half-written')).status).toBe(404);
    const again = await call('/api/articles', { method: 'POST', json: story('Never half written') });
    expect(again.status, again.text).toBe(201);
    expect(again.body?.slug).toBe('never-half-written');
  }, 90_000);
});
