import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileEdgeRoutesStore } from '../../../functions/adapters/file-edge-routes-store';
import { DEFAULT_SITE } from '../../../functions/config/site';
import type { Article } from '../../../functions/domain/article';
import { ArticleService } from '../../../functions/domain/article-service';
import { GONE } from '../../../functions/publishing/edge-routes';
import { SitePublisher } from '../../../functions/publishing/site-publisher';
import { SiteReconciler } from '../../../functions/publishing/site-reconciler';
import { InMemoryArticleRepository } from '../../support/in-memory-article-repository';
import { MemoryPageStore } from '../../support/memory-page-store';

const NOW = new Date('2026-11-20T10:00:00.000Z');
const clock = () => NOW;

let directory: string;
beforeEach(() => {
  directory = mkdtempSync(join(tmpdir(), 'edge-routes-'));
});
afterEach(() => rmSync(directory, { recursive: true, force: true }));

function setUp() {
  const repository = new InMemoryArticleRepository();
  const service = new ArticleService(repository, clock);
  const pages = new MemoryPageStore();
  const file = join(directory, 'edge-routes.json');
  const store = new FileEdgeRoutesStore(file);
  const publisher = new SitePublisher(DEFAULT_SITE, repository, pages, clock, store);
  const reconciler = new SiteReconciler(
    repository,
    pages,
    publisher,
    { invalidate: async () => undefined },
    { store, table: repository },
  );
  /** What the stream does with a change: the publisher applies the old and new images. */
  const stream = (before: Article | undefined, after: Article | undefined) =>
    publisher.applyChange(before, after);
  const entries = async () => Object.fromEntries(await store.entries());
  return { repository, service, store, file, stream, reconciler, entries };
}

function publish(service: ArticleService, title: string, section = 'bota') {
  return service.create({ title, section, body: `${title}.`, status: 'published' });
}

describe('edge routes through the publisher and repair', () => {
  it('keeps the store in step with slug changes, unpublish, republish and delete', async () => {
    const { service, stream, entries, repository } = setUp();
    const v1 = await publish(service, 'Chain story');
    await stream(undefined, v1);
    const v2 = await service.update(v1.id, 1, { slug: 'chain-2' });
    await stream(v1, v2);
    const v3 = await service.update(v1.id, 2, { slug: 'chain-3' });
    await stream(v2, v3);
    const v4 = await service.update(v1.id, 3, { slug: 'chain-4', section: 'sport' });
    await stream(v3, v4);
    expect(await entries()).toEqual({
      '/bota/chain-story': '/sport/chain-4',
      '/bota/chain-2': '/sport/chain-4',
      '/bota/chain-3': '/sport/chain-4',
    });

    const down = await service.update(v1.id, 4, { status: 'unpublished' });
    await stream(v4, down);
    expect(Object.values(await entries())).toEqual([GONE, GONE, GONE, GONE]);

    const up = await service.update(v1.id, 5, { status: 'published' });
    await stream(down, up);
    expect(await entries()).toEqual({
      '/bota/chain-story': '/sport/chain-4',
      '/bota/chain-2': '/sport/chain-4',
      '/bota/chain-3': '/sport/chain-4',
    });

    const deleted = await service.delete(v1.id, 6);
    await stream(up, undefined);
    expect(Object.values(await entries())).toEqual([GONE, GONE, GONE, GONE]);
    // The table still says so once the article is gone: a tombstone per path, written before it went.
    expect([...repository.storedTombstones().keys()].sort()).toEqual(
      ['/bota/chain-2', '/bota/chain-3', '/bota/chain-story', '/sport/chain-4'].sort(),
    );
    expect(deleted.id).toBe(v1.id);
  });

  it('writes no tombstone for a draft that never went live', async () => {
    const { service, repository } = setUp();
    const draft = await service.create({ title: 'Never live', section: 'bota', body: 'x' });
    await service.delete(draft.id, undefined);
    expect(repository.storedTombstones().size).toBe(0);
  });

  it('repairs a store with a wrong, a missing and an extra entry, and a second run changes nothing', async () => {
    const { service, store, reconciler, entries } = setUp();
    const moved = await publish(service, 'Moved');
    await service.update(moved.id, 1, { slug: 'moved-again' });
    const withdrawn = await publish(service, 'Withdrawn');
    await service.update(withdrawn.id, 1, { status: 'unpublished' });
    const deleted = await publish(service, 'Deleted');
    await service.delete(deleted.id, 1);
    const live = await publish(service, 'Live');
    // Nothing was streamed; then the store was tampered with.
    await store.apply({
      puts: new Map([
        ['/bota/moved', '/bota/wrong'],
        [`/bota/${live.slug}`, GONE],
        ['/bota/planted', '/bota/live'],
      ]),
      deletes: [],
    });

    const summary = await reconciler.reconcile({ concurrency: 2 });
    const expected = {
      '/bota/moved': '/bota/moved-again',
      [`/bota/${withdrawn.slug}`]: GONE,
      [`/bota/${deleted.slug}`]: GONE,
    };
    expect(await entries()).toEqual(expected);
    expect(summary.actions.filter((action) => action.key.startsWith('edge-route:'))).toHaveLength(5);

    const again = await reconciler.reconcile({ concurrency: 2 });
    expect(again.actions.filter((action) => action.key.startsWith('edge-route:'))).toEqual([]);
    expect(await entries()).toEqual(expected);
  });

  it('lets a new article take a deleted one slug: its live page wins over the tombstone', async () => {
    const { service, reconciler, entries, stream } = setUp();
    const first = await publish(service, 'Reused');
    await service.delete(first.id, 1);
    await stream(first, undefined);
    expect(await entries()).toEqual({ '/bota/reused': GONE });
    const second = await publish(service, 'Reused');
    expect(second.slug).toBe('reused');
    await stream(undefined, second);
    expect(await entries()).toEqual({});
    await reconciler.reconcile({ concurrency: 2 });
    expect(await entries()).toEqual({});
  });

  it('never marks gone a path another article holds now, whatever order the stream delivers them in', async () => {
    const { service, entries, stream } = setUp();
    const first = await publish(service, 'Taken again');
    await service.delete(first.id, 1);
    const second = await publish(service, 'Taken again');
    expect(second.slug).toBe(first.slug);
    // The second article's publish arrives before the first one's removal (two items, two shards).
    await stream(undefined, second);
    await stream(first, undefined);
    expect(await entries()).toEqual({});
  });

  it('reports what a dry run would change, changing nothing', async () => {
    const { service, reconciler, entries } = setUp();
    const withdrawn = await publish(service, 'Dry');
    await service.update(withdrawn.id, 1, { status: 'unpublished' });
    const summary = await reconciler.reconcile({ concurrency: 2, dryRun: true });
    expect(summary.actions).toContainEqual({
      action: 'write',
      key: 'edge-route:/bota/dry',
      reason: 'missing',
    });
    expect(await entries()).toEqual({});
  });
});

describe('FileEdgeRoutesStore', () => {
  it('replaces the file whole, so a reader never sees half of it, and reads a torn or foreign file as empty', async () => {
    const file = join(directory, 'routes.json');
    const store = new FileEdgeRoutesStore(file);
    await store.apply({ puts: new Map([['/bota/a', '/bota/b']]), deletes: [] });
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ '/bota/a': '/bota/b' });
    expect(store.lookup('/bota/a')).toBe('/bota/b');

    // What a process killed mid-write would leave if the file were written in place.
    writeFileSync(file, '{"/bota/a": "/bo');
    expect(store.lookup('/bota/a')).toBeUndefined();
    writeFileSync(file, '["not", "routes"]');
    expect(await store.entries()).toEqual(new Map());
    // The next write replaces it.
    await store.apply({ puts: new Map([['/bota/c', GONE]]), deletes: ['/bota/missing'] });
    expect(new FileEdgeRoutesStore(file).lookup('/bota/c')).toBe(GONE);
  });

  it('refuses a change that would take the store over the KeyValueStore size, keeping what it held', async () => {
    const file = join(directory, 'routes.json');
    const store = new FileEdgeRoutesStore(file);
    await store.apply({ puts: new Map([['/bota/kept', GONE]]), deletes: [] });
    const huge = new Map<string, string>();
    for (let i = 0; i < 14_000; i += 1) huge.set(`/bota/${'x'.repeat(400)}-${i}`, GONE);
    await expect(store.apply({ puts: huge, deletes: [] })).rejects.toThrow(/full/);
    expect(await store.entries()).toEqual(new Map([['/bota/kept', GONE]]));
  });
});
