import { performance } from 'node:perf_hooks';
import { DEFAULT_SITE } from '../../functions/config/site';
import type { Article } from '../../functions/domain/article';
import { SitePublisher } from '../../functions/publishing/site-publisher';
import { InMemoryArticleRepository } from '../../test/support/in-memory-article-repository';
import { MemoryPageStore } from '../../test/support/memory-page-store';
import { type BenchContext, type BenchSection, rounds } from '../harness';

/**
 * What one publish costs the site publisher when its month already holds thousands of articles: the
 * month's sitemap updated from the stored file (this project) against the same month rendered in full
 * from the table (the peer: how every publish did it before). Storage is in memory on both sides, so
 * the figures are the publisher's own work; with DynamoDB the full render also reads every item of the
 * month (about 6,200 entries near a busy month's end), which this measurement leaves out in its favour.
 */

const NOW = new Date('2026-11-30T20:00:00.000Z');

function article(index: number): Article {
  const time = new Date(Date.UTC(2026, 10, 1) + index * 400_000).toISOString();
  return {
    id: `01JDDDDDDDDDDDDDDDDDD${String(index).padStart(5, '0')}`,
    slug: `story-number-${index}`,
    previousPaths: [],
    title: `Story number ${index}`,
    section: ['bota', 'politics', 'business', 'sport'][index % 4] as string,
    body: 'Body',
    summary: 'A short standfirst.',
    tags: [],
    imageUrl: index % 3 ? `https://images.example.com/${index}.jpg` : undefined,
    imageAlt: index % 3 ? 'A picture' : undefined,
    status: 'published',
    publishedAt: time,
    createdAt: time,
    updatedAt: time,
    version: 1,
  };
}

export default async function publishing(context: BenchContext): Promise<BenchSection> {
  const monthSize = context.quick ? 2000 : 6200;
  const repository = new InMemoryArticleRepository();
  for (let index = 0; index < monthSize; index += 1) repository.seedArticle(article(index));
  const pages = new MemoryPageStore();
  const publisher = new SitePublisher(DEFAULT_SITE, repository, pages, () => NOW);
  await publisher.renderAllIndexes();

  let next = monthSize;
  const publishOne = async (mode: 'incremental' | 'full') => {
    const fresh = article(next);
    next += 1;
    repository.seedArticle(fresh);
    publisher.startBatch();
    const { indexes } = await publisher.applyChange(undefined, fresh);
    const months = indexes.filter((index) => index.kind === 'month-sitemap');
    const started = performance.now();
    await publisher.renderIndexes(months, mode);
    return performance.now() - started;
  };
  const count = context.quick ? 5 : 15;
  const incremental = await rounds(count, () => publishOne('incremental'));
  const full = await rounds(count, () => publishOne('full'));
  context.log(
    `month sitemap per publish: ${incremental.median.toFixed(1)} ms vs full ${full.median.toFixed(1)} ms`,
  );
  return {
    id: 'publishing',
    title: 'Publishing stays constant within a month',
    rows: [
      {
        what: `month sitemap update per publish, month of ${monthSize.toLocaleString('en-US')} articles`,
        unit: 'ms',
        higherIsBetter: false,
        ours: incremental,
        peers: [{ name: 'the month rendered in full (before)', result: full }],
        target: 'bounded by the change, not by the month',
      },
    ],
    notes: [
      'Both sides run the real SitePublisher on in-memory storage. The update reads the stored file, ' +
        'replaces the entries of the batch’s articles and writes it back over the version it read (an S3 ' +
        'conditional write); it does no table read. What remains proportional to the month is splitting and ' +
        'joining the stored XML, a few milliseconds; the full render also queried every article of the month.',
    ],
  };
}
