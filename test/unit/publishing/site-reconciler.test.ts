import { describe, expect, it } from 'vitest';
import { DEFAULT_SITE } from '../../../functions/config/site';
import type { Article } from '../../../functions/domain/article';
import type { ArticleRepository } from '../../../functions/domain/article-repository';
import { ArticleService } from '../../../functions/domain/article-service';
import type { ArticleEvent } from '../../../functions/publishing/article-events';
import type { ArticleChange, FailureQueue, FailureReport } from '../../../functions/publishing/failure-queue';
import { redriveFailures } from '../../../functions/publishing/redrive';
import { SitePublisher } from '../../../functions/publishing/site-publisher';
import { type ReconcileOptions, SiteReconciler } from '../../../functions/publishing/site-reconciler';
import type { RedirectTarget } from '../../../functions/render/redirect-page';
import type { RedirectObject } from '../../../functions/render/site-objects';
import { InMemoryArticleRepository } from '../../support/in-memory-article-repository';
import { MemoryPageStore } from '../../support/memory-page-store';

const NOW = new Date('2026-11-20T10:00:00.000Z');
const clock = () => NOW;

class RecordingInvalidator {
  readonly requests: string[][] = [];
  async invalidate(paths: readonly string[]): Promise<void> {
    this.requests.push([...paths]);
  }
}

type ReconcilerReads = Pick<
  ArticleRepository,
  'listLatest' | 'get' | 'getMany' | 'getVersions' | 'getSlugClaim'
>;

function setUp(listing: ReconcilerReads | undefined = undefined) {
  const repository = new InMemoryArticleRepository();
  const service = new ArticleService(repository, clock);
  const pages = new MemoryPageStore();
  const publisher = new SitePublisher(DEFAULT_SITE, repository, pages, clock);
  const invalidator = new RecordingInvalidator();
  const reconciler = new SiteReconciler(listing ?? repository, pages, publisher, invalidator);
  const reconcile = (options: Partial<ReconcileOptions> = {}) =>
    reconciler.reconcile({ concurrency: 3, ...options });
  /** What the stream would have rendered: the page as the publisher writes it. */
  const render = (article: Article) => publisher.putArticlePage(article);
  return { repository, service, pages, publisher, invalidator, reconciler, reconcile, render };
}

function publish(service: ArticleService, title: string, section = 'bota') {
  return service.create({ title, section, body: `${title}.`, status: 'published' });
}

const keyOf = (article: Pick<Article, 'section' | 'slug'>) => `${article.section}/${article.slug}/index.html`;

describe('SiteReconciler', () => {
  it('writes every missing page, redirect and index object, and a second run finds nothing to do', async () => {
    const { service, pages, reconcile, invalidator } = setUp();
    const first = await publish(service, 'First story');
    const moved = await publish(service, 'Moved story');
    const renamed = await service.update(moved.id, 1, { slug: 'moved-story-renamed', section: 'sport' });
    await service.create({ title: 'A draft', section: 'bota', body: 'Not yet.' });

    const summary = await reconcile();
    expect(summary.actions).toEqual(
      expect.arrayContaining([
        { action: 'write', key: keyOf(first), reason: 'missing' },
        { action: 'write', key: keyOf(renamed), reason: 'missing' },
        { action: 'write', key: 'bota/moved-story/index.html', reason: 'missing' },
      ]),
    );
    expect(summary.actions).toHaveLength(3);
    expect(pages.body(keyOf(first))).toContain('First story');
    expect(pages.body('bota/moved-story/index.html')).toContain('/sport/moved-story-renamed');
    expect(pages.body('bota/a-draft/index.html')).toBeUndefined();
    for (const key of [
      'index.html',
      'bota/index.html',
      'feed.xml',
      'sitemap.xml',
      '404.html',
      'robots.txt',
    ]) {
      expect(pages.objects.has(key), key).toBe(true);
    }
    expect(summary.indexObjects).toBeGreaterThan(10);
    // Pages that never existed were never cached: nothing to invalidate.
    expect(invalidator.requests).toEqual([]);

    pages.writes.length = 0;
    const again = await reconcile();
    expect(again.actions).toEqual([]);
    expect(again.unchanged).toBe(3);
    expect(pages.writes.every((write) => !write.includes('/index.html') || write.split('/').length < 3)).toBe(
      true,
    );
  });

  it('a dry run lists exactly the planted orphans and stale pages and changes nothing; the real run removes them', async () => {
    const { service, pages, reconcile, render, invalidator } = setUp();
    const kept = await publish(service, 'Kept story');
    const edited = await publish(service, 'Edited story');
    const withdrawn = await publish(service, 'Withdrawn story');
    const deleted = await publish(service, 'Deleted story');
    for (const article of [kept, edited, withdrawn, deleted]) await render(article);
    await reconcile();

    // What the stream missed: an edit, an unpublish, a delete; plus objects nobody should have written.
    await service.update(edited.id, 1, { title: 'Edited story, corrected' });
    await service.update(withdrawn.id, 1, { status: 'unpublished' });
    await service.delete(deleted.id, 1);
    const stray = { contentType: 'text/html; charset=utf-8', cacheControl: 'no-cache' };
    await pages.put({ key: 'bota/never-existed/index.html', ...stray }, 'planted');
    await pages.put({ key: 'sitemaps/1989-01.xml', ...stray }, 'planted');
    await pages.put({ key: 'wp-admin.php', ...stray }, 'planted');

    pages.writes.length = 0;
    const plan = await reconcile({ dryRun: true });
    expect(pages.writes).toEqual([]);
    expect(invalidator.requests).toEqual([]);
    expect(new Set(plan.actions)).toEqual(
      new Set([
        { action: 'write', key: keyOf(edited), reason: 'stale' },
        { action: 'delete', key: keyOf(withdrawn), reason: 'withdrawn' },
        { action: 'delete', key: keyOf(deleted), reason: 'withdrawn' },
        { action: 'delete', key: 'bota/never-existed/index.html', reason: 'withdrawn' },
        { action: 'delete', key: 'sitemaps/1989-01.xml', reason: 'unknown' },
        { action: 'delete', key: 'wp-admin.php', reason: 'unknown' },
      ]),
    );

    const real = await reconcile();
    expect(new Set(real.actions)).toEqual(new Set(plan.actions));
    expect(pages.body(keyOf(edited))).toContain('Edited story, corrected');
    for (const key of [keyOf(withdrawn), keyOf(deleted), 'bota/never-existed/index.html', 'wp-admin.php']) {
      expect(pages.objects.has(key), key).toBe(false);
    }
    expect(pages.body('feed.xml')).not.toContain('Withdrawn story');
    expect(pages.body('index.html')).not.toContain('Deleted story');
    // Exactly what was overwritten or deleted, as readers ask for it and as CloudFront caches it.
    expect(new Set(invalidator.requests.flat())).toEqual(
      new Set([
        `/${edited.section}/${edited.slug}`,
        `/${keyOf(edited)}`,
        `/${withdrawn.section}/${withdrawn.slug}`,
        `/${keyOf(withdrawn)}`,
        `/${deleted.section}/${deleted.slug}`,
        `/${keyOf(deleted)}`,
        '/bota/never-existed',
        '/bota/never-existed/index.html',
        '/sitemaps/1989-01.xml',
        '/wp-admin.php',
      ]),
    );
    expect((await reconcile()).actions).toEqual([]);
  });

  it('never deletes the page of an article the index has not caught up with', async () => {
    const repository = new InMemoryArticleRepository();
    const lagging: ReconcilerReads = {
      // The index lags: it does not list anything yet.
      listLatest: async () => ({ items: [] }),
      get: (id) => repository.get(id),
      getMany: (ids) => repository.getMany(ids),
      getVersions: (ids) => repository.getVersions(ids),
      getSlugClaim: (slug) => repository.getSlugClaim(slug),
    };
    const service = new ArticleService(repository, clock);
    const pages = new MemoryPageStore();
    const publisher = new SitePublisher(DEFAULT_SITE, repository, pages, clock);
    const reconciler = new SiteReconciler(lagging, pages, publisher, new RecordingInvalidator());
    const fresh = await publish(service, 'Just published');
    await publisher.putArticlePage(fresh);

    const summary = await reconciler.reconcile({ concurrency: 2 });
    expect(summary.actions).toEqual([{ action: 'write', key: keyOf(fresh), reason: 'unknown' }]);
    expect(pages.body(keyOf(fresh))).toContain('Just published');
  });

  it('does not resurrect a page whose article was withdrawn while repair was writing it', async () => {
    const { service, pages, reconcile } = setUp();
    const story = await publish(service, 'Taken down mid-repair');
    // The takedown commits between repair's decision and its check after writing: while the page is
    // being written (the stream, which deletes the page, may well have run before this write lands).
    const realPut = pages.put.bind(pages);
    pages.put = async (page, body, options) => {
      if (page.key === keyOf(story)) await service.update(story.id, 1, { status: 'unpublished' });
      return realPut(page, body, options);
    };
    await reconcile();
    expect(pages.objects.has(keyOf(story))).toBe(false);
  });

  it('reads the table a batch of articles at a time, once before writing their pages and once after', async () => {
    const { repository, service, reconcile } = setUp();
    for (let index = 1; index <= 150; index += 1) await publish(service, `Batched story ${index}`);
    repository.calls.length = 0;
    const summary = await reconcile({ force: true, concurrency: 8 });
    expect(summary.actions).toHaveLength(150);
    expect(summary.failures).toEqual([]);
    // 150 articles are two batches (BatchGetItem takes 100 keys): the articles before, their versions
    // after, and nothing path by path; and once the bodies of the feeds' newest 50, for every feed.
    const reads = repository.calls.filter((method) => method.startsWith('get'));
    expect(reads.sort()).toEqual(['getMany', 'getMany', 'getMany', 'getVersions', 'getVersions']);
  });

  it('settles again only the pages whose article changed while its batch was being written', async () => {
    const { repository, service, pages, reconcile } = setUp();
    const stories = [];
    for (const title of ['Quiet one', 'Edited mid-write', 'Quiet two'])
      stories.push(await publish(service, title));
    const edited = stories[1] as Article;
    const realPut = pages.put.bind(pages);
    let edits = 0;
    pages.put = async (page, body, options) => {
      if (page.key === keyOf(edited) && edits === 0) {
        edits += 1;
        await service.update(edited.id, 1, { title: 'Edited mid-write, corrected' });
      }
      return realPut(page, body, options);
    };
    repository.calls.length = 0;
    pages.writes.length = 0;
    const summary = await reconcile({ force: true });
    expect(summary.failures).toEqual([]);
    expect(pages.body(keyOf(edited))).toContain('Edited mid-write, corrected');
    expect(pages.writes.filter((write) => write === `put ${keyOf(edited)}`)).toHaveLength(2);
    for (const quiet of [stories[0], stories[2]] as Article[]) {
      expect(pages.writes.filter((write) => write === `put ${keyOf(quiet)}`)).toHaveLength(1);
    }
    // Only the edited page's path was decided again on its own: read, written, checked once more.
    expect(repository.calls.filter((method) => method === 'getSlugClaim')).toHaveLength(2);
  });

  it('renders and writes the pages through the writer it is given (a worker pool), the lists itself', async () => {
    const { service, pages, reconcile, publisher } = setUp();
    const moved = await publish(service, 'Written elsewhere');
    const renamed = await service.update(moved.id, 1, { slug: 'written-elsewhere-renamed' });
    const calls: string[] = [];
    const writer = {
      putArticlePage: async (article: Article) => {
        calls.push(`page ${article.slug}`);
        await publisher.putArticlePage(article);
      },
      putRedirectPage: async (redirect: RedirectObject, target: RedirectTarget | undefined) => {
        calls.push(`redirect ${redirect.path} ${target?.title}`);
        await publisher.putRedirectPage(redirect, target);
      },
    };
    const summary = await reconcile({ force: true, writer });
    expect(summary.failures).toEqual([]);
    expect(calls.sort()).toEqual([
      'page written-elsewhere-renamed',
      `redirect /bota/written-elsewhere ${renamed.title}`,
    ]);
    expect(pages.objects.has(keyOf(renamed))).toBe(true);
    expect(pages.objects.has('index.html')).toBe(true);
  });

  it('reports a page it could not write, carries on with the rest, and still renders the lists', async () => {
    const { service, pages, reconcile } = setUp();
    const broken = await publish(service, 'Broken write');
    const fine = await publish(service, 'Fine write');
    pages.failKeys.add(keyOf(broken));
    const summary = await reconcile();
    expect(summary.failures).toEqual([{ key: keyOf(broken), error: `S3 refused ${keyOf(broken)}` }]);
    expect(pages.objects.has(keyOf(fine))).toBe(true);
    expect(pages.objects.has('index.html')).toBe(true);
  });

  it('stops when interrupted, leaves the lists for the next run, which finishes the job', async () => {
    const { service, pages, reconcile } = setUp();
    for (let index = 1; index <= 12; index += 1) await publish(service, `Story number ${index}`);
    const controller = new AbortController();
    const summary = await reconcile({
      concurrency: 1,
      pageSize: 5,
      signal: controller.signal,
      onProgress: ({ done }) => {
        if (done === 4) controller.abort();
      },
    });
    expect(summary.interrupted).toBe(true);
    expect(summary.actions).toHaveLength(4);
    expect(pages.objects.has('index.html')).toBe(false);

    const again = await reconcile();
    expect(again.interrupted).toBe(false);
    expect(again.actions).toHaveLength(8);
    expect(again.unchanged).toBe(4);
    expect(pages.objects.has('index.html')).toBe(true);
  });

  it('forced (npm run rerender) rewrites every page and invalidates the whole site once', async () => {
    const { service, pages, reconcile, invalidator } = setUp();
    const story = await publish(service, 'Forced story');
    await reconcile();
    pages.writes.length = 0;
    const summary = await reconcile({ force: true });
    expect(summary.actions).toEqual([{ action: 'write', key: keyOf(story), reason: 'forced' }]);
    expect(pages.writes).toContain(`put ${keyOf(story)}`);
    expect(invalidator.requests).toEqual([['/*']]);
  });
});

class MemoryFailureQueue implements FailureQueue {
  reports: FailureReport[] = [];
  /** What each stream-batch report stands for; undefined: no longer readable. */
  readonly changes = new Map<string, readonly ArticleChange[] | undefined>();
  acknowledged = 0;
  async deferInvalidations(paths: readonly string[]): Promise<void> {
    this.reports.push({ receipt: `r${this.reports.length}`, pendingInvalidations: paths });
  }
  async receiveAll(): Promise<readonly FailureReport[]> {
    return [...this.reports];
  }
  async acknowledge(reports: readonly FailureReport[]): Promise<void> {
    const done = new Set(reports.map((report) => report.receipt));
    this.reports = this.reports.filter((report) => !done.has(report.receipt));
    this.acknowledged += reports.length;
  }
  async failedChanges(report: FailureReport): Promise<readonly ArticleChange[] | undefined> {
    return this.changes.has(report.receipt) ? this.changes.get(report.receipt) : [];
  }
}

/** Where redrive announces in these tests: a sink that records what it was sent, or refuses everything. */
function recordingAnnouncer(refuse = false) {
  const sent: ArticleEvent[] = [];
  const sink = {
    publish: async (events: readonly ArticleEvent[]) => {
      if (refuse) throw new Error('the bus is down');
      sent.push(...events);
    },
  };
  return { sent, announcer: { sink, baseUrl: DEFAULT_SITE.baseUrl, clock } };
}

describe('redriveFailures', () => {
  it('repairs from the table, makes the pending invalidations and only then empties the queue', async () => {
    const { service, pages, reconciler, invalidator } = setUp();
    const story = await publish(service, 'Lost in the failure queue');
    const queue = new MemoryFailureQueue();
    queue.reports.push({ receipt: 'stream-batch', pendingInvalidations: [] });
    await queue.deferInvalidations(['/bota/older-story']);

    const summary = await redriveFailures(queue, reconciler, invalidator, { concurrency: 2 });
    expect(summary).toMatchObject({ reports: 2, acknowledged: 2, pendingInvalidations: 1 });
    expect(pages.objects.has(keyOf(story))).toBe(true);
    expect(invalidator.requests).toContainEqual(['/bota/older-story']);
    expect(queue.reports).toEqual([]);
  });

  it('announces each public change the render function gave up on, once the site shows it, then empties the queue', async () => {
    const { service, reconciler, invalidator } = setUp();
    const story = await publish(service, 'Published while the renderer failed');
    const edited = await service.update(story.id, 1, { title: 'Edited while the renderer failed' });
    const draft = await service.create({ title: 'A draft', section: 'bota', body: 'Quiet.' });
    const queue = new MemoryFailureQueue();
    queue.reports.push({ receipt: 'stream-batch', pendingInvalidations: [] });
    queue.changes.set('stream-batch', [
      { newImage: story },
      { oldImage: story, newImage: edited },
      { newImage: draft },
    ]);
    await queue.deferInvalidations(['/bota/older-story']);
    const { sent, announcer } = recordingAnnouncer();

    const summary = await redriveFailures(queue, reconciler, invalidator, { concurrency: 2 }, announcer);
    expect(summary).toMatchObject({ reports: 2, acknowledged: 2, announced: 2, unannounced: 0 });
    // The draft is not public: nothing to announce.
    expect(sent.map((event) => [event.detailType, event.detail.eventId])).toEqual([
      ['Article Published v1', `${story.id}.1.published`],
      ['Article Updated v1', `${story.id}.2.updated`],
    ]);
    expect(queue.reports).toEqual([]);
  });

  it('counts a report whose changes can no longer be read, and still clears it once the site is repaired', async () => {
    const { service, reconciler, invalidator } = setUp();
    await publish(service, 'Past the stream retention');
    const queue = new MemoryFailureQueue();
    queue.reports.push({ receipt: 'old-batch', pendingInvalidations: [] });
    queue.changes.set('old-batch', undefined);
    const { sent, announcer } = recordingAnnouncer();
    const summary = await redriveFailures(queue, reconciler, invalidator, { concurrency: 2 }, announcer);
    expect(summary).toMatchObject({ acknowledged: 1, announced: 0, unannounced: 1 });
    expect(sent).toEqual([]);
  });

  it('keeps every report when the events cannot be sent, for the next redrive to announce', async () => {
    const { service, reconciler, invalidator } = setUp();
    const story = await publish(service, 'Announced next time');
    const queue = new MemoryFailureQueue();
    queue.reports.push({ receipt: 'stream-batch', pendingInvalidations: [] });
    queue.changes.set('stream-batch', [{ newImage: story }]);
    const { announcer } = recordingAnnouncer(true);
    await expect(
      redriveFailures(queue, reconciler, invalidator, { concurrency: 2 }, announcer),
    ).rejects.toThrow('the bus is down');
    expect(queue.acknowledged).toBe(0);
    expect(queue.reports).toHaveLength(1);
  });

  it('keeps every report when the repair failed', async () => {
    const { service, pages, reconciler, invalidator } = setUp();
    const story = await publish(service, 'Still failing');
    pages.failKeys.add(keyOf(story));
    const queue = new MemoryFailureQueue();
    queue.reports.push({ receipt: 'stream-batch', pendingInvalidations: [] });
    queue.changes.set('stream-batch', [{ newImage: story }]);
    const { sent, announcer } = recordingAnnouncer();
    const summary = await redriveFailures(queue, reconciler, invalidator, { concurrency: 2 }, announcer);
    expect(summary.acknowledged).toBe(0);
    expect(queue.reports).toHaveLength(1);
    // Not announced while its page is still missing: an event's URL must already answer.
    expect(sent).toEqual([]);
  });
});
