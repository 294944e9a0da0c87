import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { CloudFrontClient } from '@aws-sdk/client-cloudfront';
import { SingleBar } from 'cli-progress';

/**
 * `npm run rerender`: re-renders every published article and every index object from the table.
 *
 * The environment chooses the target. With TABLE_NAME set (or `--aws`) it works on a deployment,
 * configured like the render function: TABLE_NAME, BUCKET_NAME, SITE_BASE_URL and, to refresh the CDN,
 * DISTRIBUTION_ID (docs/deploy.md shows where each comes from). Otherwise it re-renders the local stack
 * in DATA_DIR, opening its emulators itself, so stop `npm start` first.
 */

const { values } = parseArgs({
  options: {
    aws: { type: 'boolean', default: false },
    concurrency: { type: 'string', default: '8' },
  },
});
const concurrency = Number(values.concurrency);
if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) {
  console.error('--concurrency must be a whole number from 1 to 64');
  process.exit(2);
}

const againstAws = values.aws || Boolean(process.env.TABLE_NAME);
let stopStack: (() => Promise<void>) | undefined;
if (!againstAws) {
  const { startLocalStack } = await import('../local/local-stack');
  const port = Number(process.env.PORT ?? 3000);
  try {
    const stack = await startLocalStack({
      port: 0,
      dataDir: resolve(process.env.DATA_DIR ?? '.data'),
      seed: false,
      publicOrigin: `http://localhost:${port}`,
    });
    stopStack = () => stack.stop();
  } catch (error) {
    console.error(
      `Could not open the local data in ${process.env.DATA_DIR ?? '.data'}; is \`npm start\` running? Stop it first.`,
    );
    console.error(String(error));
    process.exit(1);
  }
}

const { ENV, getOptionalStringFromEnv, getStringFromEnv } = await import('../functions/config/environment');
const { getDocumentClient } = await import('../functions/adapters/aws-clients');
const { DynamoDbArticleRepository } = await import('../functions/adapters/dynamodb-article-repository');
const { sitePublisherFromEnv } = await import('../functions/shared/dependencies');
const { rerenderSite } = await import('../functions/publishing/rerender-site');

const articles = new DynamoDbArticleRepository(getDocumentClient(), getStringFromEnv(ENV.tableName));
const total = await articles.countPublished();
const bar = new SingleBar({
  format: 'Re-rendering |{bar}| {value}/{total} articles | {rate}/s | {failed} failed | ETA {eta_formatted}',
  hideCursor: true,
  // Without a terminal (CI, a log file) the bar becomes a progress line every two seconds.
  noTTYOutput: true,
  notTTYSchedule: 2000,
});
const started = Date.now();
bar.start(total, 0, { rate: '0.0', failed: 0 });

const controller = new AbortController();
process.once('SIGINT', () => {
  controller.abort();
  bar.stop();
  console.log(
    '\nInterrupted: finishing the pages in flight. Everything written is complete; run again to finish.',
  );
});

const failures: string[] = [];
const summary = await rerenderSite(articles, sitePublisherFromEnv(), {
  concurrency,
  signal: controller.signal,
  onProgress: ({ rendered, failed }) => {
    const seconds = (Date.now() - started) / 1000;
    bar.update(rendered + failed, { rate: (rendered / Math.max(seconds, 0.001)).toFixed(1), failed });
  },
  onFailure: (id, error) => failures.push(`${id}: ${error instanceof Error ? error.message : String(error)}`),
});
bar.stop();

const distributionId = getOptionalStringFromEnv(ENV.distributionId);
if (distributionId && !summary.interrupted) {
  const { CloudFrontInvalidator } = await import('../functions/adapters/cloudfront-invalidator');
  // After a full re-render every page changed: one wildcard path is both cheaper and more complete
  // than one path per page. Publishes never do this; they invalidate exact paths.
  await new CloudFrontInvalidator(
    new CloudFrontClient({}),
    distributionId,
    () => `rerender-${Date.now()}`,
  ).invalidate(['/*']);
}

const seconds = (Date.now() - started) / 1000;
console.log(
  [
    '',
    summary.interrupted ? 'Re-render interrupted.' : 'Re-render finished.',
    `  articles rendered: ${summary.rendered} of ${total}`,
    `  failed:            ${summary.failed}`,
    `  index objects:     ${summary.interrupted ? 'not rendered (interrupted)' : 'rendered'}`,
    `  time:              ${seconds.toFixed(1)} s (${(summary.rendered / Math.max(seconds, 0.001)).toFixed(1)} articles/s)`,
    ...(distributionId && !summary.interrupted ? ['  CloudFront:        invalidation of /* requested'] : []),
    ...failures.map((line) => `  failed ${line}`),
  ].join('\n'),
);
await stopStack?.();
process.exit(summary.failed > 0 ? 1 : summary.interrupted ? 130 : 0);
