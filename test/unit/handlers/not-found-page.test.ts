import { GetObjectCommand, NoSuchKey, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { S3PageStore } from '../../../functions/adapters/s3-page-store';
import { ENV } from '../../../functions/config/environment';
import { logger } from '../../../functions/shared/observability';

/**
 * The fallback origin of the site's cache behaviour: whatever CloudFront asks it, the site's 404 page with
 * status 404, read from the bucket (a fake S3 here) at most once a minute per instance. Time is a fake
 * clock: nothing here waits.
 */

// The module builds its production handler at import, from the environment, as it does at a cold start.
vi.stubEnv(ENV.bucketName, 'pages-bucket');
const {
  FALLBACK_NOT_FOUND_PAGE,
  NOT_FOUND_CACHE_CONTROL,
  NOT_FOUND_KEY,
  NOT_FOUND_PAGE_TTL_MS,
  UNAVAILABLE_PAGE,
  handler,
  notFoundPageHandler,
} = await import('../../../functions/handlers/not-found-page');

afterAll(() => {
  vi.unstubAllEnvs();
});

const STORED_PAGE =
  '<!doctype html><html lang="en"><title>Page not found | Flash News</title><h1>Page not found</h1>';
const UPDATED_PAGE = STORED_PAGE.replace('Page not found</h1>', 'Page not found</h1><p>Latest news</p>');

type Answer = Error | string;

/** S3 as the SDK client sees it: one bucket, GetObject only, answers given one call at a time. */
class FakeS3 {
  readonly requests: { Bucket?: string; Key?: string }[] = [];
  private readonly answers: Answer[] = [];

  answer(...answers: Answer[]): this {
    this.answers.push(...answers);
    return this;
  }

  async send(command: unknown) {
    if (!(command instanceof GetObjectCommand)) throw new Error('Only GetObject is expected');
    this.requests.push(command.input);
    const answer = this.answers.shift();
    if (answer === undefined) throw new Error('Unexpected S3 request');
    if (answer instanceof Error) throw answer;
    return { Body: { transformToString: async () => answer }, ETag: '"etag"' };
  }
}

const noSuchKey = () => new NoSuchKey({ message: 'The specified key does not exist.', $metadata: {} });
const slowDown = () => Object.assign(new Error('Please reduce your request rate.'), { name: 'SlowDown' });

let s3: FakeS3;
let clock: number;

function responder() {
  return notFoundPageHandler(new S3PageStore(s3 as unknown as S3Client, 'pages-bucket'), {
    now: () => clock,
  });
}

beforeAll(() => {
  vi.spyOn(logger, 'error').mockImplementation(() => undefined);
});

beforeEach(() => {
  s3 = new FakeS3();
  clock = 1_000_000;
  vi.mocked(logger.error).mockClear();
});

describe('the 404 page', () => {
  it('is the page the renderer stored, with status 404, as HTML that nothing may keep', async () => {
    s3.answer(STORED_PAGE);
    expect(await responder()()).toEqual({
      statusCode: 404,
      headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' },
      body: STORED_PAGE,
    });
    expect(NOT_FOUND_CACHE_CONTROL).toBe('no-store');
  });

  it('is read from the pages bucket at 404.html, the one key the function may read', async () => {
    s3.answer(STORED_PAGE);
    await responder()();
    expect(NOT_FOUND_KEY).toBe('404.html');
    expect(s3.requests).toEqual([{ Bucket: 'pages-bucket', Key: '404.html' }]);
  });

  it('is read once a minute per instance, however many missing pages are asked for', async () => {
    s3.answer(STORED_PAGE, UPDATED_PAGE);
    const answer = responder();
    const firstRead = clock;
    for (let second = 0; second < 60; second += 1) {
      clock = firstRead + second * 999;
      expect((await answer()).body).toBe(STORED_PAGE);
    }
    expect(s3.requests).toHaveLength(1);

    clock = firstRead + NOT_FOUND_PAGE_TTL_MS;
    expect((await answer()).body).toBe(UPDATED_PAGE);
    expect(s3.requests).toHaveLength(2);
  });

  it('is a built-in page, still with status 404, while the bucket has none (before the first render)', async () => {
    s3.answer(noSuchKey(), STORED_PAGE);
    const answer = responder();
    const first = await answer();
    expect(first).toMatchObject({ statusCode: 404, body: FALLBACK_NOT_FOUND_PAGE });
    expect(first.body).toContain('<meta name="robots" content="noindex">');

    clock += NOT_FOUND_PAGE_TTL_MS;
    expect(await answer()).toMatchObject({ statusCode: 404, body: STORED_PAGE });
  });

  it('stays the last page read when a later read fails', async () => {
    s3.answer(STORED_PAGE, slowDown(), UPDATED_PAGE);
    const answer = responder();
    await answer();

    clock += NOT_FOUND_PAGE_TTL_MS;
    expect(await answer()).toMatchObject({ statusCode: 404, body: STORED_PAGE });
    expect(logger.error).toHaveBeenCalledTimes(1);

    // The failure is not remembered: the next request reads again.
    expect(await answer()).toMatchObject({ statusCode: 404, body: UPDATED_PAGE });
  });
});

describe('when the bucket cannot be read and no page was ever read', () => {
  it('answers 503 with Retry-After, not 404: the page asked for may exist', async () => {
    s3.answer(slowDown(), STORED_PAGE);
    const answer = responder();
    expect(await answer()).toEqual({
      statusCode: 503,
      headers: {
        'content-type': 'text/html; charset=utf-8',
        'cache-control': 'no-store',
        'retry-after': '10',
      },
      body: UNAVAILABLE_PAGE,
    });
    expect(logger.error).toHaveBeenCalledWith(
      'Could not read the 404 page from the bucket',
      expect.objectContaining({ key: '404.html' }),
    );

    expect(await answer()).toMatchObject({ statusCode: 404, body: STORED_PAGE });
  });
});

describe('the production handler', () => {
  it('is built at import from BUCKET_NAME, as at a cold start', () => {
    expect(typeof handler).toBe('function');
  });
});
