import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AppError, storageUnavailable } from '../../../functions/domain/errors';
import { httpHandler } from '../../../functions/http/http-handler';
import { logger, metrics } from '../../../functions/shared/observability';
import { httpEvent } from './event';

// `npm test` starts the integration project's local stack in the main process, which sets POWERTOOLS_*
// for its in-process handlers (WARN, metrics off), and test workers started after it inherit them. This
// file checks the functions' own defaults, so it clears them before observability.ts reads them.
vi.hoisted(() => {
  delete process.env.POWERTOOLS_LOG_LEVEL;
  delete process.env.POWERTOOLS_METRICS_DISABLED;
});

/** What the function writes to its log (CloudWatch reads both streams), one JSON object a line. */
let written: string[];

beforeEach(() => {
  written = [];
  const capture = (chunk: unknown) => {
    written.push(String(chunk));
    return true;
  };
  vi.spyOn(process.stdout, 'write').mockImplementation(capture);
  vi.spyOn(process.stderr, 'write').mockImplementation(capture);
});

afterEach(() => {
  vi.restoreAllMocks();
});

function logLines(): Record<string, unknown>[] {
  return written
    .flatMap((chunk) => chunk.split('\n'))
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** The one line a request logged. */
function onlyLogLine(): Record<string, unknown> | undefined {
  const lines = logLines();
  expect(lines).toHaveLength(1);
  return lines[0];
}

const context = { functionName: 'flash-news-api', awsRequestId: 'request-1' } as Context;
const event = (routeKey: string): APIGatewayProxyEventV2 => ({ ...httpEvent(), routeKey });

describe('httpHandler', () => {
  it("answers with the operation's own result", async () => {
    const handler = httpHandler(async () => ({ statusCode: 201, body: '{"id":"a"}' }));
    expect(await handler(event('POST /api/articles'), context)).toEqual({
      statusCode: 201,
      body: '{"id":"a"}',
    });
  });

  it('logs a refusal quietly, at info, with its status and code', async () => {
    const handler = httpHandler(async () => {
      throw new AppError('forbidden', 'Not an editor');
    });
    const result = await handler(event('PATCH /api/articles/{id}'), context);
    expect(result.statusCode).toBe(403);
    expect(onlyLogLine()).toMatchObject({
      level: 'INFO',
      message: expect.stringMatching(/\w/),
      status: 403,
      code: 'forbidden',
      routeKey: 'PATCH /api/articles/{id}',
    });
  });

  it('logs a storage outage as a warning with the error that caused it, and answers 503', async () => {
    // As the Powertools idempotency store reports DynamoDB throttling: wrapped, with the SDK's error as cause.
    const cause = Object.assign(new Error('Rate exceeded'), {
      name: 'ProvisionedThroughputExceededException',
    });
    const handler = httpHandler(async () => {
      throw new Error('Failed to save in progress record to idempotency store', { cause });
    });
    const result = await handler(event('POST /api/articles'), context);
    expect(result.statusCode).toBe(503);
    expect(onlyLogLine()).toMatchObject({
      level: 'WARN',
      message: expect.stringMatching(/\w/),
      routeKey: 'POST /api/articles',
      error: { name: 'ProvisionedThroughputExceededException', message: 'Rate exceeded' },
    });
  });

  it('logs an outage met directly as a warning with that error', async () => {
    const handler = httpHandler(async () => {
      throw Object.assign(new Error('Connection timed out after 1000 ms'), { name: 'TimeoutError' });
    });
    expect((await handler(event('GET /api/latest'), context)).statusCode).toBe(503);
    expect(logLines()).toEqual([
      expect.objectContaining({ level: 'WARN', error: expect.objectContaining({ name: 'TimeoutError' }) }),
    ]);
  });

  it('logs an outage the repository already classified as a warning too', async () => {
    const handler = httpHandler(async () => {
      throw storageUnavailable();
    });
    expect((await handler(event('GET /api/latest'), context)).statusCode).toBe(503);
    expect(logLines()).toEqual([expect.objectContaining({ level: 'WARN' })]);
  });

  it('logs a bug as an error with its stack, and answers a bare 500', async () => {
    const handler = httpHandler(async () => {
      throw new TypeError('x is undefined');
    });
    const result = await handler(event('GET /api/sections'), context);
    expect(result.statusCode).toBe(500);
    expect(result.body).not.toContain('x is undefined');
    expect(onlyLogLine()).toMatchObject({
      level: 'ERROR',
      message: expect.stringMatching(/\w/),
      routeKey: 'GET /api/sections',
      error: { name: 'TypeError', message: 'x is undefined', stack: expect.stringContaining('TypeError') },
    });
  });

  it("never carries one request's route into the next request's log lines", async () => {
    const refuse = httpHandler(async () => {
      throw new AppError('forbidden', 'Not an editor');
    });
    await refuse(event('DELETE /api/articles/{id}'), context);
    logger.info('between requests');
    const [, between] = logLines();
    expect(between?.message).toBe('between requests');
    expect(between).not.toHaveProperty('routeKey');
  });

  it('publishes the metrics a request recorded, once, after it', async () => {
    const handler = httpHandler(async () => {
      metrics.addMetric('ArticlesCreated', 'Count', 1);
      return { statusCode: 201 };
    });
    await handler(event('POST /api/articles'), context);
    expect(metrics.hasStoredMetrics()).toBe(false);
    const published = logLines().filter((line) => '_aws' in line);
    expect(published).toHaveLength(1);
    expect(published[0]).toMatchObject({ ArticlesCreated: 1 });
  });

  it('publishes nothing, and warns of nothing, for a request that recorded no metrics', async () => {
    const handler = httpHandler(async () => ({ statusCode: 200 }));
    await handler(event('GET /api/latest'), context);
    expect(written).toEqual([]);
  });
});
