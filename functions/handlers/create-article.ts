import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { ENV, getOptionalStringFromEnv, getStringFromEnv } from '../config/environment';
import type { Article } from '../domain/article';
import { type CreateArticleInput, createArticleSchema } from '../domain/article-input';
import { AppError } from '../domain/errors';
import type { Caller } from '../domain/roles';
import { parseOrThrow } from '../domain/validation';
import { presentArticle } from '../http/article-presenter';
import { etagOf, idempotencyKey, readJsonBody } from '../http/request';
import { type HttpResult, jsonResponse } from '../http/responses';
import { routeHandler, signedIn } from '../http/route-handler';
import { articleServiceFromEnv } from '../shared/article-service';
import { metrics } from '../shared/observability';
import { siteFromEnv } from '../shared/site';
import { TABLE_DESIGN } from '../store/table-design';

const service = articleServiceFromEnv();
const site = siteFromEnv();
const tableName = getStringFromEnv(ENV.tableName);
const idempotencyTtlSeconds = Number(getOptionalStringFromEnv(ENV.idempotencyTtlSeconds) ?? 24 * 60 * 60);

function created(article: Article): HttpResult {
  return jsonResponse(201, presentArticle(article, site), {
    location: `/api/articles/${article.id}`,
    etag: etagOf(article.version),
  });
}

interface CreateRequest {
  readonly key: string;
  readonly input: CreateArticleInput;
  readonly caller: Caller;
}

/**
 * The Powertools idempotency layer (with its own DynamoDB persistence client) is imported by the first
 * create that carries an Idempotency-Key, not at cold start: creates without a key never need it.
 */
async function loadIdempotentCreate() {
  const [idempotency, { DynamoDBPersistenceLayer }] = await Promise.all([
    import('@aws-lambda-powertools/idempotency'),
    import('@aws-lambda-powertools/idempotency/dynamodb'),
  ]);
  const config = new idempotency.IdempotencyConfig({
    // Keys are scoped to the caller, so two people's keys can never collide.
    eventKeyJmesPath: 'key',
    // The same key with a different body is a client bug: refuse it rather than replay the first answer.
    payloadValidationJmesPath: 'input',
    expiresAfterSeconds: idempotencyTtlSeconds,
  });
  const createOnce = idempotency.makeIdempotent(
    async (request: CreateRequest) => created(await service.create(request.input, request.caller)),
    {
      persistenceStore: new DynamoDBPersistenceLayer({
        tableName,
        keyAttr: TABLE_DESIGN.partitionKey,
        expiryAttr: TABLE_DESIGN.timeToLiveAttribute,
      }),
      config,
      keyPrefix: 'create-article',
    },
  );
  return { idempotency, config, createOnce };
}

let idempotentCreate: ReturnType<typeof loadIdempotentCreate> | undefined;

export const handler = routeHandler('CreateArticle', async (request) => {
  const { event, context } = request;
  const caller = signedIn(request);
  const key = idempotencyKey(event);
  const input = parseOrThrow(createArticleSchema, readJsonBody(event), 'article');

  let response: HttpResult;
  if (key === undefined) {
    response = created(await service.create(input, caller));
  } else {
    idempotentCreate ??= loadIdempotentCreate();
    const { idempotency, config, createOnce } = await idempotentCreate;
    config.registerLambdaContext(context);
    try {
      response = await createOnce({ key: `${caller.subject}:${key}`, input, caller });
    } catch (error) {
      if (error instanceof idempotency.IdempotencyValidationError) {
        throw new AppError(
          'idempotency_conflict',
          'This Idempotency-Key was already used with a different body',
        );
      }
      if (error instanceof idempotency.IdempotencyAlreadyInProgressError) {
        throw new AppError(
          'idempotency_conflict',
          'A request with this Idempotency-Key is still in progress',
        );
      }
      throw error;
    }
  }
  metrics.addMetric('ArticlesCreated', MetricUnit.Count, 1);
  return response;
});
