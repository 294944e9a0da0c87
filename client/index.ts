/**
 * flash-news-client: a typed client for the Flash News editor API (docs/api.md).
 *
 *   const client = new FlashNewsClient({ baseUrl: 'http://localhost:3000', token });
 *   const article = await client.createArticle({ title, section: 'bota', body });
 *   for await (const item of client.latest({ section: 'bota' })) console.log(item.title);
 */
export {
  type CallOptions,
  type CreateOptions,
  type DeleteOptions,
  FlashNewsClient,
  type FlashNewsClientOptions,
  type LatestOptions,
  type RetryEvent,
  type TokenProvider,
  type UpdateOptions,
} from './client';
export {
  AuthenticationError,
  ConflictError,
  FlashNewsApiError,
  FlashNewsError,
  FlashNewsNetworkError,
  FlashNewsTimeoutError,
  ForbiddenError,
  NotFoundError,
  PreconditionRequiredError,
  ServiceUnavailableError,
  StaleArticleError,
  UnexpectedResponseError,
  UnknownVersionError,
  ValidationError,
} from './errors';
export { DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry';
export * from './types';
