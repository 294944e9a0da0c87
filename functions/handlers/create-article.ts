import {
  IdempotencyAlreadyInProgressError,
  IdempotencyConfig,
  IdempotencyValidationError,
  makeIdempotent,
} from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { ENV, getOptionalStringFromEnv, getStringFromEnv } from '../config/environment';
import type { Article } from '../domain/article';
import { type CreateArticleInput, createArticleSchema } from '../domain/article-input';
import { AppError } from '../domain/errors';
import { parseOrThrow } from '../domain/validation';
import { presentArticle } from '../http/article-presenter';
import { requireEditor } from '../http/editor-auth';
import { httpHandler } from '../http/http-handler';
import { etagOf, idempotencyKey, readJsonBody } from '../http/request';
import { type HttpResult, jsonResponse } from '../http/responses';
import { articleServiceFromEnv, siteFromEnv } from '../shared/dependencies';
import { metrics } from '../shared/observability';
import { TABLE_DESIGN } from '../store/table-design';

const service = articleServiceFromEnv();
const site = siteFromEnv();

function created(article: Article): HttpResult {
  return jsonResponse(201, presentArticle(article, site), {
    location: `/api/articles/${article.id}`,
    etag: etagOf(article.version),
  });
}

const idempotencyConfig = new IdempotencyConfig({
  // Keys are scoped to the editor, so two editors' keys can never collide.
  eventKeyJmesPath: 'key',
  // The same key with a different body is a client bug: refuse it rather than replay the first answer.
  payloadValidationJmesPath: 'input',
  expiresAfterSeconds: Number(getOptionalStringFromEnv(ENV.idempotencyTtlSeconds) ?? 24 * 60 * 60),
});

const createOnce = makeIdempotent(
  async (request: { key: string; input: CreateArticleInput }) => created(await service.create(request.input)),
  {
    persistenceStore: new DynamoDBPersistenceLayer({
      tableName: getStringFromEnv(ENV.tableName),
      keyAttr: TABLE_DESIGN.partitionKey,
      expiryAttr: TABLE_DESIGN.timeToLiveAttribute,
    }),
    config: idempotencyConfig,
    keyPrefix: 'create-article',
  },
);

export const handler = httpHandler(async (event, context) => {
  const editor = requireEditor(event);
  const key = idempotencyKey(event);
  const input = parseOrThrow(createArticleSchema, readJsonBody(event), 'article');

  let response: HttpResult;
  if (key === undefined) {
    response = created(await service.create(input));
  } else {
    idempotencyConfig.registerLambdaContext(context);
    try {
      response = await createOnce({ key: `${editor.subject}:${key}`, input });
    } catch (error) {
      if (error instanceof IdempotencyValidationError) {
        throw new AppError(
          'idempotency_conflict',
          'This Idempotency-Key was already used with a different body',
        );
      }
      if (error instanceof IdempotencyAlreadyInProgressError) {
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
