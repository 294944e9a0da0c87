import {
  apiErrorFor,
  describeErrorBody,
  FlashNewsNetworkError,
  FlashNewsTimeoutError,
  UnexpectedResponseError,
  UnknownVersionError,
} from './errors';
import {
  backoffDelayMs,
  DEFAULT_RETRY_POLICY,
  sleep as defaultSleep,
  isRetryableStatus,
  type RetryPolicy,
  retryAfterMs,
} from './retry';
import type {
  Article,
  ArticleRevision,
  CreateArticleRequest,
  LatestItem,
  LatestPage,
  LatestQuery,
  PreviewLink,
  RevisionList,
  RevisionSummary,
  Section,
  SectionList,
  UpdateArticleRequest,
} from './types';

/** Returns the bearer token to send; called before every attempt, so a refreshed token is picked up. */
export type TokenProvider = () => string | undefined | Promise<string | undefined>;

export interface FlashNewsClientOptions {
  /**
   * Where the API is: the site's origin (`http://localhost:3000`, `https://d123.cloudfront.net`), the
   * `ApiUrl` stack output (`…/api`) or the `ApiGatewayUrl` one. Paths `/api/...` are added to it.
   */
  readonly baseUrl: string | URL;
  /** Bearer token (a Cognito ID token in AWS, `npm run token` locally) or a function returning one. */
  readonly token?: string | TokenProvider;
  /** Per attempt, until the whole answer has arrived. Default 10 s (the API's own limit). */
  readonly timeoutMs?: number;
  readonly retry?: Partial<RetryPolicy>;
  /** Called before each wait, e.g. to show progress. */
  readonly onRetry?: (event: RetryEvent) => void;
  /** Default: the global fetch. */
  readonly fetch?: typeof globalThis.fetch;
  readonly userAgent?: string;
  /** For tests: how to wait (default: a timer) and where jitter comes from (default: Math.random). */
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  readonly random?: () => number;
}

export interface RetryEvent {
  readonly method: string;
  readonly url: string;
  /** The attempt that failed (1 for the first request). */
  readonly attempt: number;
  readonly maxAttempts: number;
  readonly delayMs: number;
  /** Why, e.g. `HTTP 503 service_unavailable` or `ECONNREFUSED`. */
  readonly reason: string;
}

export interface CallOptions {
  readonly signal?: AbortSignal;
}

export interface CreateOptions extends CallOptions {
  /**
   * Sent as `Idempotency-Key` on the request and every retry of it. Default: a new random key per call.
   * Pass a key of your own to make a repeated call (a re-run script) return the first article, not a copy.
   */
  readonly idempotencyKey?: string;
}

export interface UpdateOptions extends CallOptions {
  /** The version the change is based on. Default: the one this client last read or wrote. */
  readonly ifMatch?: number;
}

export interface DeleteOptions extends CallOptions {
  /**
   * Without it the article goes whatever its version (the API's default). A number, or `'last-read'`
   * for the version this client last saw, makes it conditional: `StaleArticleError` if it changed since.
   */
  readonly ifMatch?: number | 'last-read';
}

export interface LatestOptions extends Omit<LatestQuery, 'cursor'>, CallOptions {
  /** Start from this page's `nextCursor` instead of the newest article. */
  readonly cursor?: string;
}

interface RequestSpec {
  readonly method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  readonly path: string;
  readonly query?: Record<string, string | number | undefined>;
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
  readonly signal?: AbortSignal;
  /** A 409 `idempotency_conflict` on a retry means our first attempt is still running: wait for it. */
  readonly retryInProgressConflict?: boolean;
}

interface Answer {
  readonly response: Response;
  readonly text: string;
  readonly url: string;
  readonly attempts: number;
  /** Whether an attempt before this answer may have reached the API and been applied. */
  readonly earlierAttemptUncertain: boolean;
}

const ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/;
/** Versions remembered per client; the oldest are forgotten past this, so a long-lived client stays small. */
const REMEMBERED_ARTICLES = 1000;

/**
 * A typed client for the Flash News editor API. Every call is retried on 429, 5xx and network errors
 * with exponential backoff and jitter (honouring `Retry-After`); a create always carries an
 * `Idempotency-Key`, reused on its retries, so a retry never makes a second article; an update sends the
 * version this client last read of that article as `If-Match`, so it never overwrites a change it has
 * not seen. Failures are typed errors (client/errors.ts).
 */
export class FlashNewsClient {
  readonly baseUrl: string;
  private readonly token: TokenProvider;
  private readonly timeoutMs: number;
  private readonly retry: RetryPolicy;
  private readonly fetchImpl: typeof globalThis.fetch;
  private readonly userAgent: string;
  private readonly onRetry: ((event: RetryEvent) => void) | undefined;
  private readonly wait: (ms: number, signal?: AbortSignal) => Promise<void>;
  private readonly random: () => number;
  /** Article id → the version last read or written. */
  private readonly versions = new Map<string, number>();
  /** Slug (or any name an article was read by) → its id. */
  private readonly ids = new Map<string, string>();

  constructor(options: FlashNewsClientOptions) {
    this.baseUrl = normaliseBaseUrl(options.baseUrl);
    const { token } = options;
    this.token = typeof token === 'function' ? token : () => token;
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.retry = { ...DEFAULT_RETRY_POLICY, ...options.retry };
    this.fetchImpl = options.fetch ?? globalThis.fetch;
    this.userAgent = options.userAgent ?? 'flash-news-client/0.1';
    this.onRetry = options.onRetry;
    this.wait = options.sleep ?? defaultSleep;
    this.random = options.random ?? Math.random;
  }

  /** `POST /api/articles`: the created article (`201`). */
  async createArticle(input: CreateArticleRequest, options: CreateOptions = {}): Promise<Article> {
    const idempotencyKey = options.idempotencyKey ?? `flash-news-client-${globalThis.crypto.randomUUID()}`;
    const answer = await this.send({
      method: 'POST',
      path: '/api/articles',
      body: input,
      headers: { 'idempotency-key': idempotencyKey },
      signal: options.signal,
      retryInProgressConflict: true,
    });
    if (!answer.response.ok) throw this.errorFor(answer, 'POST');
    return this.remember(answer, []);
  }

  /**
   * `GET /api/articles/{idOrSlug}`: by id or by any slug the article has had. Drafts need an editor
   * token. The version read is what the next `updateArticle` of this article sends as `If-Match`.
   */
  async getArticle(idOrSlug: string, options: CallOptions = {}): Promise<Article> {
    const answer = await this.send({ method: 'GET', path: articlePath(idOrSlug), signal: options.signal });
    if (!answer.response.ok) throw this.errorFor(answer, 'GET');
    return this.remember(answer, [idOrSlug]);
  }

  /**
   * `PATCH /api/articles/{id}`: a partial update (`null` clears an optional field), made against the
   * version this client last read or wrote of the article, or `options.ifMatch`. Throws
   * `UnknownVersionError` when there is neither, and `StaleArticleError` (412) when someone else changed
   * the article since: read it again and re-apply the change.
   */
  async updateArticle(
    idOrSlug: string,
    changes: UpdateArticleRequest,
    options: UpdateOptions = {},
  ): Promise<Article> {
    const id = this.ids.get(idOrSlug) ?? idOrSlug;
    const version = options.ifMatch ?? this.versions.get(id);
    if (version === undefined) {
      throw new UnknownVersionError(
        `No version of article ${idOrSlug} is known to this client: read it with getArticle() before updating it, or pass ifMatch`,
      );
    }
    const answer = await this.send({
      method: 'PATCH',
      path: articlePath(id),
      body: changes,
      headers: { 'if-match': `"${version}"` },
      signal: options.signal,
    });
    if (!answer.response.ok) {
      if (answer.response.status === 412) this.forget(id);
      throw this.errorFor(answer, 'PATCH', version);
    }
    return this.remember(answer, [idOrSlug]);
  }

  /**
   * `DELETE /api/articles/{id}` (`204`). A slug is resolved to the article's id first (the API deletes by
   * id). A retry that finds the article gone after an unanswered attempt counts as success: that attempt
   * deleted it.
   */
  async deleteArticle(idOrSlug: string, options: DeleteOptions = {}): Promise<void> {
    let id = this.ids.get(idOrSlug) ?? idOrSlug;
    if (!ULID.test(id)) id = (await this.getArticle(idOrSlug, options)).id;
    const version = options.ifMatch === 'last-read' ? this.versions.get(id) : options.ifMatch;
    if (options.ifMatch === 'last-read' && version === undefined) {
      throw new UnknownVersionError(
        `No version of article ${idOrSlug} is known to this client: read it first`,
      );
    }
    const answer = await this.send({
      method: 'DELETE',
      path: articlePath(id),
      headers: version === undefined ? {} : { 'if-match': `"${version}"` },
      signal: options.signal,
    });
    const goneAlready = answer.response.status === 404 && answer.earlierAttemptUncertain;
    if (!answer.response.ok && !goneAlready) throw this.errorFor(answer, 'DELETE', version);
    this.forget(id);
  }

  /** `GET /api/latest`: one page of published articles, newest first. */
  async latestPage(query: LatestQuery = {}, options: CallOptions = {}): Promise<LatestPage> {
    const answer = await this.send({
      method: 'GET',
      path: '/api/latest',
      query: { limit: query.limit, section: query.section, cursor: query.cursor },
      signal: options.signal,
    });
    if (!answer.response.ok) throw this.errorFor(answer, 'GET');
    return parseJson<LatestPage>(answer);
  }

  /**
   * Every published article, newest first, fetched a page (`limit`, default 10, at most 50) at a time as
   * the loop asks for more: `for await (const item of client.latest({ section: 'bota' }))`. Breaking out
   * of the loop stops the fetching.
   */
  async *latest(options: LatestOptions = {}): AsyncGenerator<LatestItem, void, undefined> {
    let cursor = options.cursor;
    do {
      const page = await this.latestPage(
        { section: options.section, limit: options.limit, cursor },
        { signal: options.signal },
      );
      yield* page.items;
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
  }

  /** `GET /api/sections`: the configured sections. */
  async sections(options: CallOptions = {}): Promise<Section[]> {
    const answer = await this.send({ method: 'GET', path: '/api/sections', signal: options.signal });
    if (!answer.response.ok) throw this.errorFor(answer, 'GET');
    return parseJson<SectionList>(answer).items;
  }

  /** `GET /api/articles/{id}/revisions`: one page of an article's versions, newest first (editors). */
  async revisionsPage(
    idOrSlug: string,
    query: { limit?: number; cursor?: string } = {},
    options: CallOptions = {},
  ): Promise<RevisionList> {
    const answer = await this.send({
      method: 'GET',
      path: `${articlePath(this.ids.get(idOrSlug) ?? idOrSlug)}/revisions`,
      query: { limit: query.limit, cursor: query.cursor },
      signal: options.signal,
    });
    if (!answer.response.ok) throw this.errorFor(answer, 'GET');
    return parseJson<RevisionList>(answer);
  }

  /** Every kept version of an article, newest first, a page at a time as the loop asks for more. */
  async *revisions(
    idOrSlug: string,
    options: CallOptions & { limit?: number } = {},
  ): AsyncGenerator<RevisionSummary, void, undefined> {
    let cursor: string | undefined;
    do {
      const page = await this.revisionsPage(idOrSlug, { limit: options.limit, cursor }, options);
      yield* page.items;
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
  }

  /** `GET /api/articles/{id}/revisions/{version}`: the article as it was at that version (editors). */
  async getRevision(idOrSlug: string, version: number, options: CallOptions = {}): Promise<ArticleRevision> {
    const answer = await this.send({
      method: 'GET',
      path: `${articlePath(this.ids.get(idOrSlug) ?? idOrSlug)}/revisions/${encodeURIComponent(String(version))}`,
      signal: options.signal,
    });
    if (!answer.response.ok) throw this.errorFor(answer, 'GET');
    return parseJson<ArticleRevision>(answer);
  }

  /**
   * `GET /api/articles/{id}/preview[?revision=]`: the page exactly as it would be published, as HTML
   * (editors); of a kept version with `revision`.
   */
  async preview(
    idOrSlug: string,
    query: { revision?: number } = {},
    options: CallOptions = {},
  ): Promise<string> {
    const answer = await this.send({
      method: 'GET',
      path: `${articlePath(this.ids.get(idOrSlug) ?? idOrSlug)}/preview`,
      query: { revision: query.revision },
      signal: options.signal,
    });
    if (!answer.response.ok) throw this.errorFor(answer, 'GET');
    return answer.text;
  }

  /** `POST /api/articles/{id}/preview-link`: a signed link anyone can open for 24 hours (editors). */
  async createPreviewLink(idOrSlug: string, options: CallOptions = {}): Promise<PreviewLink> {
    const answer = await this.send({
      method: 'POST',
      path: `${articlePath(this.ids.get(idOrSlug) ?? idOrSlug)}/preview-link`,
      signal: options.signal,
    });
    if (!answer.response.ok) throw this.errorFor(answer, 'POST');
    return parseJson<PreviewLink>(answer);
  }

  /** The version of an article this client last read or wrote (what an update would send as If-Match). */
  versionOf(idOrSlug: string): number | undefined {
    return this.versions.get(this.ids.get(idOrSlug) ?? idOrSlug);
  }

  private remember(answer: Answer, names: readonly string[]): Article {
    const article = parseJson<Article>(answer);
    const version = versionFromEtag(answer.response.headers.get('etag')) ?? article.version;
    this.versions.delete(article.id);
    this.versions.set(article.id, version);
    for (const name of new Set([...names, article.slug])) {
      if (name === article.id) continue;
      this.ids.delete(name);
      this.ids.set(name, article.id);
    }
    trim(this.versions);
    trim(this.ids);
    return article;
  }

  private forget(id: string): void {
    this.versions.delete(id);
    for (const [name, target] of this.ids) if (target === id) this.ids.delete(name);
  }

  private errorFor(answer: Answer, method: string, expectedVersion?: number) {
    const { response } = answer;
    const described = describeErrorBody(response.status, response.statusText, answer.text);
    const retryAfter = retryAfterMs(response.headers.get('retry-after'));
    return apiErrorFor({
      ...described,
      status: response.status,
      method,
      url: answer.url,
      attempts: answer.attempts,
      retryAfterSeconds: retryAfter === undefined ? undefined : Math.ceil(retryAfter / 1000),
      expectedVersion,
      mayHaveBeenApplied: answer.earlierAttemptUncertain,
    });
  }

  /**
   * Sends the request, retrying what may be retried, and returns the last answer (whatever its status);
   * throws only when no answer came at all, or when the caller's signal aborted.
   */
  private async send(spec: RequestSpec): Promise<Answer> {
    const url = this.urlFor(spec);
    let uncertain = false;
    for (let attempt = 1; ; attempt += 1) {
      const lastAttempt = attempt >= this.retry.maxAttempts;
      let reason: string;
      let delayMs: number;
      // Asked before every attempt, outside the try: a provider that fails is not a network error.
      const token = await this.token();
      try {
        const { response, text } = await this.attempt(url, spec, token);
        const answer = { response, text, url, attempts: attempt, earlierAttemptUncertain: uncertain };
        const inProgress =
          spec.retryInProgressConflict === true &&
          uncertain &&
          response.status === 409 &&
          describeErrorBody(409, '', text).code === 'idempotency_conflict';
        if (!isRetryableStatus(response.status) && !inProgress) return answer;
        const retryAfter = retryAfterMs(response.headers.get('retry-after'));
        if (lastAttempt || (retryAfter !== undefined && retryAfter > this.retry.maxRetryAfterMs)) {
          return answer;
        }
        // A 429 was refused before anything ran; a 5xx may have been applied.
        if (response.status >= 500) uncertain = true;
        reason = `HTTP ${response.status} ${describeErrorBody(response.status, response.statusText, text).code}`;
        delayMs = retryAfter ?? backoffDelayMs(this.retry, attempt, this.random);
      } catch (error) {
        if (spec.signal?.aborted) throw spec.signal.reason;
        const timedOut = error instanceof DOMException && error.name === 'TimeoutError';
        reason = timedOut ? `no answer within ${this.timeoutMs} ms` : networkReason(error);
        if (lastAttempt) {
          const message = `${spec.method} ${url} failed after ${attempt} attempt${attempt > 1 ? 's' : ''}: ${reason}`;
          throw timedOut
            ? new FlashNewsTimeoutError(message, attempt, { cause: error })
            : new FlashNewsNetworkError(message, attempt, { cause: error });
        }
        uncertain = true;
        delayMs = backoffDelayMs(this.retry, attempt, this.random);
      }
      this.onRetry?.({
        method: spec.method,
        url,
        attempt,
        maxAttempts: this.retry.maxAttempts,
        delayMs,
        reason,
      });
      await this.wait(delayMs, spec.signal);
    }
  }

  private async attempt(
    url: string,
    spec: RequestSpec,
    token: string | undefined,
  ): Promise<{ response: Response; text: string }> {
    const headers: Record<string, string> = {
      accept: 'application/json',
      'user-agent': this.userAgent,
      ...spec.headers,
    };
    if (token) headers.authorization = `Bearer ${token}`;
    let body: string | undefined;
    if (spec.body !== undefined) {
      body = JSON.stringify(spec.body);
      headers['content-type'] = 'application/json';
    }
    const timeout = AbortSignal.timeout(this.timeoutMs);
    const signal = spec.signal ? AbortSignal.any([spec.signal, timeout]) : timeout;
    const response = await this.fetchImpl(url, { method: spec.method, headers, body, signal });
    // Reading the body is part of the attempt: a connection that dies half-way is retried too.
    const text = await response.text();
    return { response, text };
  }

  private urlFor(spec: RequestSpec): string {
    const url = new URL(`${this.baseUrl}${spec.path}`);
    for (const [name, value] of Object.entries(spec.query ?? {})) {
      if (value !== undefined) url.searchParams.set(name, String(value));
    }
    return url.toString();
  }
}

function normaliseBaseUrl(baseUrl: string | URL): string {
  const url = new URL(baseUrl);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new TypeError(`baseUrl must be an http(s) URL, not ${url.protocol}`);
  }
  url.search = '';
  url.hash = '';
  return url
    .toString()
    .replace(/\/+$/, '')
    .replace(/\/api$/, '');
}

function articlePath(idOrSlug: string): string {
  if (!idOrSlug) throw new TypeError('An article id or slug is required');
  return `/api/articles/${encodeURIComponent(idOrSlug)}`;
}

function versionFromEtag(etag: string | null): number | undefined {
  const match = etag ? /^"(\d+)"$/.exec(etag.trim()) : null;
  return match ? Number(match[1]) : undefined;
}

function parseJson<T>(answer: Answer): T {
  try {
    return JSON.parse(answer.text) as T;
  } catch {
    throw new UnexpectedResponseError(
      `${answer.url} answered ${answer.response.status} with a body that is not JSON`,
    );
  }
}

function networkReason(error: unknown): string {
  const cause =
    error instanceof Error ? (error.cause as { code?: string; message?: string } | undefined) : undefined;
  return cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
}

function trim(map: Map<string, unknown>): void {
  while (map.size > REMEMBERED_ARTICLES) {
    const oldest = map.keys().next().value;
    if (oldest === undefined) return;
    map.delete(oldest);
  }
}
