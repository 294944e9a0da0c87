import { IdempotencyPersistenceLayerError } from '@aws-lambda-powertools/idempotency';
import {
  ConditionalCheckFailedException,
  DynamoDBServiceException,
  InternalServerError,
  ProvisionedThroughputExceededException,
  RequestLimitExceeded,
  ResourceNotFoundException,
  ThrottlingException,
} from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DynamoDbArticleRepository } from '../../../functions/adapters/dynamodb-article-repository';
import { isStorageUnavailableFailure } from '../../../functions/adapters/storage-unavailable';
import { ArticleService } from '../../../functions/domain/article-service';
import { AppError } from '../../../functions/domain/errors';
import { httpHandler } from '../../../functions/http/http-handler';
import { RETRY_AFTER_SECONDS } from '../../../functions/http/responses';
import { logger } from '../../../functions/shared/observability';
import { asyncRefusal } from '../../support/refusal';
import { httpEvent } from './event';

/**
 * DynamoDB unavailable → 503 with Retry-After, never a 500 with a stack and never a half-written
 * article. The errors are shaped as the SDK (v3, Smithy) and Node.js really throw them after the
 * SDK's retries.
 */

const metadata = (httpStatusCode?: number) => ({
  httpStatusCode,
  requestId: 'R3QU3ST',
  attempts: 3,
  totalRetryDelay: 260,
});

/** `connect ECONNREFUSED`: a Node.js socket error, to which the SDK adds `$metadata`. */
function socketError(code: string, message: string) {
  return Object.assign(new Error(message), {
    errno: -111,
    code,
    syscall: 'connect',
    address: '127.0.0.1',
    port: 8000,
    $metadata: { attempts: 3, totalRetryDelay: 150 },
  });
}

const UNAVAILABLE: [string, () => unknown][] = [
  [
    'a connection refused (ECONNREFUSED)',
    () => socketError('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:8000'),
  ],
  ['a connection reset (ECONNRESET)', () => socketError('ECONNRESET', 'socket hang up')],
  ['a socket timeout (ETIMEDOUT)', () => socketError('ETIMEDOUT', 'connect ETIMEDOUT 10.0.0.7:443')],
  ['a DNS failure (EAI_AGAIN)', () => socketError('EAI_AGAIN', 'getaddrinfo EAI_AGAIN dynamodb')],
  [
    'every address refusing (AggregateError)',
    () =>
      Object.assign(new AggregateError([socketError('ECONNREFUSED', 'connect ECONNREFUSED ::1:8000')], ''), {
        $metadata: { attempts: 1 },
      }),
  ],
  [
    'the SDK’s TimeoutError',
    () =>
      Object.assign(new Error('Connection timed out after 1000 ms'), {
        name: 'TimeoutError',
        $metadata: { attempts: 3, totalRetryDelay: 300 },
      }),
  ],
  [
    'a 500 InternalServerError',
    () => new InternalServerError({ message: 'Internal server error', $metadata: metadata(500) }),
  ],
  [
    'an unmodelled 503',
    () =>
      new DynamoDBServiceException({
        name: 'Unknown',
        $fault: 'server',
        message: 'UnknownError',
        $metadata: metadata(503),
      }),
  ],
  [
    'an unmodelled 500 without $fault',
    () => Object.assign(new Error('UnknownError'), { name: 'Unknown', $metadata: metadata(500) }),
  ],
  [
    'ProvisionedThroughputExceededException',
    () =>
      new ProvisionedThroughputExceededException({
        message: 'The level of configured provisioned throughput for the table was exceeded.',
        $metadata: metadata(400),
      }),
  ],
  [
    'ThrottlingException',
    () =>
      new ThrottlingException({
        message: 'Rate of requests exceeds the allowed throughput.',
        $metadata: metadata(400),
      }),
  ],
  [
    'RequestLimitExceeded',
    () =>
      new RequestLimitExceeded({
        message: 'Throughput exceeds the current throughput limit',
        $metadata: metadata(400),
      }),
  ],
  [
    'a throttling error flagged $retryable',
    () =>
      Object.assign(new Error('Slow down'), {
        name: 'SomeThrottle',
        $retryable: { throttling: true },
        $metadata: metadata(400),
      }),
  ],
];

const NOT_UNAVAILABLE: [string, () => unknown][] = [
  [
    'a ValidationException (our bug)',
    () =>
      new DynamoDBServiceException({
        name: 'ValidationException',
        $fault: 'client',
        message: 'One or more parameter values were invalid',
        $metadata: metadata(400),
      }),
  ],
  [
    'ResourceNotFoundException (a missing table: a deployment fault)',
    () =>
      new ResourceNotFoundException({ message: 'Requested resource not found', $metadata: metadata(400) }),
  ],
  [
    'AccessDeniedException (a permission fault)',
    () =>
      new DynamoDBServiceException({
        name: 'AccessDeniedException',
        $fault: 'client',
        message: 'not authorized to perform: dynamodb:PutItem',
        $metadata: metadata(400),
      }),
  ],
  ['a plain Error', () => new Error('boom')],
  ['a string', () => 'boom'],
  ['an AppError', () => new AppError('not_found', 'x')],
];

describe('isStorageUnavailableFailure', () => {
  it.each(UNAVAILABLE)('recognises %s', (_, error) => {
    expect(isStorageUnavailableFailure(error())).toBe(true);
  });

  it.each(NOT_UNAVAILABLE)('does not take %s for an outage', (_, error) => {
    expect(isStorageUnavailableFailure(error())).toBe(false);
  });

  it('finds an outage wrapped in a cause (the Powertools idempotency store)', () => {
    const wrapped = new IdempotencyPersistenceLayerError(
      'Failed to save in progress record to idempotency store',
      {
        cause: socketError('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:8000'),
      },
    );
    expect(isStorageUnavailableFailure(wrapped)).toBe(true);
  });

  it('does not loop on a cause cycle', () => {
    const error: Error & { cause?: unknown } = new Error('a');
    error.cause = error;
    expect(isStorageUnavailableFailure(error)).toBe(false);
  });
});

/** A document client that answers each command by its name, and records what it was sent. */
function fakeClient(answer: (command: string, input: Record<string, unknown>) => unknown) {
  const sent: { command: string; input: Record<string, unknown> }[] = [];
  const client = {
    send: async (command: { constructor: { name: string }; input: Record<string, unknown> }) => {
      const name = command.constructor.name;
      sent.push({ command: name, input: command.input });
      const result = answer(name, command.input);
      if (result instanceof Error || (typeof result === 'object' && result !== null && 'thrown' in result)) {
        throw result instanceof Error ? result : (result as { thrown: unknown }).thrown;
      }
      return result ?? {};
    },
  };
  return { client: client as unknown as DynamoDBDocumentClient, sent };
}

const thrown = (error: unknown) => ({ thrown: error });
const ID = '01JQ7Z9K3M4N5P6Q7R8S9TVWXY';

describe('DynamoDbArticleRepository', () => {
  it.each(UNAVAILABLE)('turns %s into a 503 on every call', async (_, error) => {
    const { client } = fakeClient(() => thrown(error()));
    const repository = new DynamoDbArticleRepository(client, 'articles');
    const calls: (() => Promise<unknown>)[] = [
      () => repository.get(ID),
      () => repository.getSlugClaim('a-slug'),
      () => repository.claimSlug({ slug: 'a-slug', articleId: ID, claimedAt: '2026-03-01T12:00:00.000Z' }),
      () =>
        repository.takeOverSlug(
          { slug: 'a-slug', articleId: ID, claimedAt: '2026-03-01T12:00:00.000Z' },
          'X',
        ),
      () => repository.releaseSlug('a-slug', ID),
      () => repository.remove(ID, 1),
      () => repository.removeIfExists(ID),
      () => repository.listLatest({ limit: 10 }),
      () => repository.listPublishedBetween('2026-03-01T00:00:00.000Z', '2026-03-02T00:00:00.000Z'),
      () => repository.oldestPublishedAt(),
      () => repository.countPublished(),
      () => repository.listDue('2026-03-01T12:00:00.000Z', 25),
    ];
    for (const call of calls) {
      const refused = await asyncRefusal(call);
      expect(refused).toMatchObject({ status: 503, code: 'service_unavailable' });
      // The SDK's error stays attached for the logs.
      expect(refused.cause).toBeDefined();
    }
  });

  it.each(NOT_UNAVAILABLE.filter(([, error]) => error() instanceof Error && !(error() instanceof AppError)))(
    'passes %s through unchanged, to become a 500',
    async (_, error) => {
      const original = error();
      const { client } = fakeClient(() => thrown(original));
      await expect(new DynamoDbArticleRepository(client, 'articles').get(ID)).rejects.toBe(original);
    },
  );

  it('still reads a failed condition as "no" rather than an outage', async () => {
    const { client } = fakeClient(() =>
      thrown(
        new ConditionalCheckFailedException({
          message: 'The conditional request failed',
          $metadata: metadata(400),
        }),
      ),
    );
    expect(await new DynamoDbArticleRepository(client, 'articles').remove(ID, 1)).toBe(false);
  });

  it('deletes without If-Match by returning the old item, unconditionally on the version', async () => {
    const { client, sent } = fakeClient(() => ({
      Attributes: { pk: `ARTICLE#${ID}`, id: ID, slug: 's', version: 3 },
    }));
    const removed = await new DynamoDbArticleRepository(client, 'articles').removeIfExists(ID);
    expect(removed).toMatchObject({ id: ID, version: 3 });
    expect(sent).toEqual([
      {
        command: 'DeleteCommand',
        input: { TableName: 'articles', Key: { pk: `ARTICLE#${ID}` }, ReturnValues: 'ALL_OLD' },
      },
    ]);
  });

  it('reports nothing removed when there was no item', async () => {
    const { client } = fakeClient(() => ({}));
    expect(await new DynamoDbArticleRepository(client, 'articles').removeIfExists(ID)).toBeUndefined();
  });
});

describe('an API request while DynamoDB is unavailable', () => {
  const context = { functionName: 'test' } as Context;

  beforeAll(() => {
    // The outage is logged on purpose; keep the test output quiet.
    vi.spyOn(logger, 'warn').mockImplementation(() => undefined);
    vi.spyOn(logger, 'error').mockImplementation(() => undefined);
  });
  afterAll(() => {
    vi.restoreAllMocks();
  });

  function createRoute(client: DynamoDBDocumentClient) {
    const service = new ArticleService(
      new DynamoDbArticleRepository(client, 'articles'),
      () => new Date('2026-03-01T12:00:00Z'),
    );
    return httpHandler(async () => {
      await service.create({ title: 'Outage', section: 'bota', body: 'Body.' });
      return { statusCode: 201 };
    });
  }

  it.each(UNAVAILABLE)(
    'answers %s with 503, Retry-After and the JSON error, without a stack',
    async (_, error) => {
      const { client } = fakeClient(() => thrown(error()));
      const result = await createRoute(client)(httpEvent(), context);
      expect(result.statusCode).toBe(503);
      expect(result.headers?.['retry-after']).toBe(String(RETRY_AFTER_SECONDS));
      expect(result.headers?.['content-type']).toMatch(/^application\/json/);
      const body = JSON.parse(result.body ?? '');
      expect(body).toEqual({
        error: { code: 'service_unavailable', message: expect.stringContaining('try again') },
      });
      expect(result.body).not.toMatch(/ECONNREFUSED|\bat .+:\d+:\d+|node_modules|R3QU3ST/);
    },
  );

  it('writes no half article: when the article write times out after the slug claim, the claim is kept and nothing is undone blindly', async () => {
    const { client, sent } = fakeClient((command, input) => {
      const key = String((input.Item as { pk?: string } | undefined)?.pk ?? '');
      if (command === 'PutCommand' && key.startsWith('ARTICLE#')) {
        return thrown(
          Object.assign(new Error('Connection timed out after 1000 ms'), { name: 'TimeoutError' }),
        );
      }
      return {};
    });
    const result = await createRoute(client)(httpEvent(), context);
    expect(result.statusCode).toBe(503);
    // Claim, then the article write that timed out: no delete of the claim, which may guard a written article.
    expect(sent.map((entry) => entry.command)).toEqual(['PutCommand', 'PutCommand']);
  });

  it('answers an outage met by another SDK user (the idempotency store) with 503 too', async () => {
    const handler = httpHandler(async () => {
      throw new IdempotencyPersistenceLayerError('Failed to save in progress record to idempotency store', {
        cause: new ProvisionedThroughputExceededException({ message: 'slow down', $metadata: metadata(400) }),
      });
    });
    const result = await handler(httpEvent(), context);
    expect(result.statusCode).toBe(503);
    expect(result.headers?.['retry-after']).toBe(String(RETRY_AFTER_SECONDS));
  });

  it.each(NOT_UNAVAILABLE.filter(([, error]) => !(error() instanceof AppError)))(
    'still answers %s with a bare 500',
    async (_, error) => {
      const { client } = fakeClient(() => thrown(error()));
      const result = await createRoute(client)(httpEvent(), context);
      expect(result.statusCode).toBe(500);
      expect(result.headers?.['retry-after']).toBeUndefined();
    },
  );
});
