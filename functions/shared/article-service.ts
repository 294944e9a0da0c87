import { DynamoDbArticleRepository } from '../adapters/dynamodb-article-repository';
import { getDocumentClient } from '../adapters/dynamodb-client';
import { ENV, getStringFromEnv } from '../config/environment';
import { ArticleService } from '../domain/article-service';

/** The articles table, through the DynamoDB document client; fails fast without TABLE_NAME. */
export function articleRepositoryFromEnv(): DynamoDbArticleRepository {
  return new DynamoDbArticleRepository(getDocumentClient(), getStringFromEnv(ENV.tableName));
}

export function articleServiceFromEnv(): ArticleService {
  return new ArticleService(articleRepositoryFromEnv());
}
