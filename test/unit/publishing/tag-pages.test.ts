import { describe, expect, it } from 'vitest';
import { DEFAULT_SITE, type SiteConfig } from '../../../functions/config/site';
import type { Article, ArticleSummary } from '../../../functions/domain/article';
import { SitePublisher } from '../../../functions/publishing/site-publisher';
import { SiteReconciler } from '../../../functions/publishing/site-reconciler';
import { renderArticlePage } from '../../../functions/render/article-page';
import {
  coalesceIndexObjects,
  planArticleChange,
  tagPageObject,
} from '../../../functions/render/site-objects';
import { renderTagPage } from '../../../functions/render/tag-page';
import {
  InjectedFailure,
  InMemoryArticleRepository,
  InMemoryTagMemberships,
} from '../../support/in-memory-article-repository';
import { MemoryPageStore } from '../../support/memory-page-store';
import { storedArticle } from '../../support/stored-article';

const NOW = new Date('2026-11-27T12:00:00.000Z');
const clock = () => NOW;

const article = storedArticle;

/** Answers tag lists from a snapshot taken before the batch's writes, as a lagging index would. */
class LaggingTagMemberships extends InMemoryTagMemberships {
  private frozen: Map<string, readonly ArticleSummary[]> | undefined;

  async freeze(slugs: readonly string[]): Promise<void> {
    this.frozen = new Map();
    for (const slug of slugs) this.frozen.set(slug, await super.listTagged(slug, 100));
  }

  override async listTagged(slug: string, limit: number): Promise<readonly ArticleSummary[]> {
    return this.frozen?.get(slug)?.slice(0, limit) ?? super.listTagged(slug, limit);
  }
}

function setUp(tags = new InMemoryTagMemberships(), site: SiteConfig = DEFAULT_SITE) {
  const repository = new InMemoryArticleRepository();
  const pages = new MemoryPageStore();
  const publisher = new SitePublisher(site, repository, pages, clock, undefined, tags);
  /** Writes an article to the table as it is, whatever version is stored. */
  const put = async (next: Article) => {
    const current = await repository.get(next.id);
    if (current) await repository.replace(next, current.version);
    else await repository.insert(next);
  };
  /** Writes `next` to the table, then feeds the change to the publisher as one stream batch would. */
  const change = async (previous: Article | undefined, next: Article | undefined) => {
    if (next) await put(next);
    else if (previous) await repository.removeIfExists(previous.id);
    return stream([[previous, next]]);
  };
  const stream = async (changes: readonly [Article | undefined, Article | undefined][]) => {
    publisher.startBatch();
    const indexes = [];
    for (const [previous, next] of changes) {
      indexes.push(...(await publisher.applyChange(previous, next)).indexes);
    }
    await publisher.renderIndexes(coalesceIndexObjects(indexes));
  };
  const reconciler = new SiteReconciler(
    repository,
    pages,
    publisher,
    { invalidate: async () => undefined },
    undefined,
    tags,
  );
  return { repository, pages, publisher, tags, put, change, stream, reconciler };
}

/** The article links of a tag page, in order. */
function listed(body: string | undefined): string[] {
  return [...(body ?? '').matchAll(/<h2 class="headline"><a href="([^"]+)">/g)].map(
    (match) => match[1] ?? '',
  );
}

describe('planArticleChange: tag pages', () => {
  it("re-renders the pages of the tags before and after, once per slug, and none of a draft's", () => {
    const before = article('a', { tags: ['NATO', 'The Hague'] });
    const after = article('a', { tags: ['Nato', 'Ballkani Perëndimor', '🔥'], version: 2 });
    const tagKeys = (plan: ReturnType<typeof planArticleChange>) =>
      plan.indexes.filter((index) => index.kind === 'tag-page').map((index) => index.key);
    expect(tagKeys(planArticleChange(DEFAULT_SITE, before, after)).sort()).toEqual([
      'tags/ballkani-perendimor/index.html',
      'tags/nato/index.html',
      'tags/the-hague/index.html',
    ]);
    expect(tagKeys(planArticleChange(DEFAULT_SITE, before, undefined)).sort()).toEqual([
      'tags/nato/index.html',
      'tags/the-hague/index.html',
    ]);
    const draft = article('a', { tags: ['NATO'], status: 'draft' });
    expect(tagKeys(planArticleChange(DEFAULT_SITE, undefined, draft))).toEqual([]);
  });
});

describe('SitePublisher: tag memberships and tag pages', () => {
  it('lists the articles carrying a tag, newest first, headed by the tag as the newest one writes it', async () => {
    const { change, pages, tags } = setUp();
    const older = article('older', { tags: ['Nato'], publishedAt: '2026-11-27T09:00:00.000Z' });
    const newer = article('newer', { tags: ['NATO', 'The Hague'], publishedAt: '2026-11-27T10:00:00.000Z' });
    await change(undefined, older);
    await change(undefined, newer);

    expect(tags.stored()).toEqual({
      [`nato#${older.id}`]: 1,
      [`nato#${newer.id}`]: 1,
      [`the-hague#${newer.id}`]: 1,
    });
    const page = pages.body('tags/nato/index.html');
    expect(listed(page)).toEqual(['/bota/newer', '/bota/older']);
    expect(page).toContain('<h1>NATO</h1>');
    expect(page).toContain('<title>Tag: NATO | ');
    expect(page).toContain(`<link rel="canonical" href="${DEFAULT_SITE.baseUrl}/tags/nato/">`);
    expect(page).toContain(`content="The latest stories tagged NATO on ${DEFAULT_SITE.name}."`);
    expect(listed(pages.body('tags/the-hague/index.html'))).toEqual(['/bota/newer']);
  });

  it('takes an article off the pages of the tags it lost, and deletes a page its last article left', async () => {
    const { change, pages, tags } = setUp();
    const a = article('a', { tags: ['NATO', 'EU'], publishedAt: '2026-11-27T09:00:00.000Z' });
    const b = article('b', { tags: ['NATO'], publishedAt: '2026-11-27T10:00:00.000Z' });
    await change(undefined, a);
    await change(undefined, b);

    const edited = { ...a, tags: ['EU'], version: 2 };
    await change(a, edited);
    expect(listed(pages.body('tags/nato/index.html'))).toEqual(['/bota/b']);
    expect(tags.stored()).toEqual({ [`eu#${a.id}`]: 2, [`nato#${b.id}`]: 1 });

    const unpublished = { ...b, status: 'unpublished' as const, version: 2 };
    await change(b, unpublished);
    expect(pages.objects.has('tags/nato/index.html')).toBe(false);
    expect(listed(pages.body('tags/eu/index.html'))).toEqual(['/bota/a']);

    // A deletion's REMOVE record carries only the old image.
    await change(edited, undefined);
    expect(pages.objects.has('tags/eu/index.html')).toBe(false);
    expect(tags.stored()).toEqual({});
  });

  it("is idempotent under the stream's retries, and an older record never overwrites a newer membership", async () => {
    const { change, stream, tags, pages, reconciler } = setUp();
    const v1 = article('a', { tags: ['NATO', 'EU'] });
    const v2 = { ...v1, tags: ['NATO'], title: 'Edited', version: 2 };
    await change(undefined, v1);
    await change(v1, v2);
    const before = { memberships: tags.stored(), page: pages.body('tags/nato/index.html') };
    expect(before.memberships).toEqual({ [`nato#${v1.id}`]: 2 });

    // A retried batch replays its records in order, from the first that failed.
    await stream([
      [undefined, v1],
      [v1, v2],
    ]);
    expect(tags.stored()).toEqual(before.memberships);
    expect(pages.body('tags/nato/index.html')).toBe(before.page);

    // Out of order (which the stream never does for one item): the newer membership is kept; the tag the
    // newer version dropped is listed again until repair, which removes it.
    await stream([[undefined, v1]]);
    expect(tags.storedEntry('nato', v1.id)?.title).toBe('Edited');
    await reconciler.reconcile({ concurrency: 1 });
    expect(tags.stored()).toEqual(before.memberships);
  });

  it("lays the batch's own changes over a lagging index: a publish is listed, a removal never lingers", async () => {
    const lagging = new LaggingTagMemberships();
    const { put, pages, stream } = setUp(lagging);
    const staying = article('stay', { tags: ['NATO'], publishedAt: '2026-11-27T08:00:00.000Z' });
    const leaving = article('left', { tags: ['NATO'], publishedAt: '2026-11-27T09:00:00.000Z' });
    for (const item of [staying, leaving]) {
      await put(item);
      await lagging.put(item, ['nato'], { ifNotNewer: true });
    }
    await lagging.freeze(['nato']);

    const arriving = article('come', { tags: ['NATO'], publishedAt: '2026-11-27T10:00:00.000Z' });
    await put(arriving);
    const withdrawn = { ...leaving, status: 'unpublished' as const, version: 2 };
    await put(withdrawn);
    await stream([
      [undefined, arriving],
      [leaving, withdrawn],
    ]);
    expect(listed(pages.body('tags/nato/index.html'))).toEqual(['/bota/come', '/bota/stay']);
  });

  it('fails the change when a membership cannot be written, and its retry converges', async () => {
    const { change, stream, tags, pages } = setUp();
    const a = article('a', { tags: ['NATO'] });
    tags.failNext('put');
    // The page is written first; the membership write fails and the record is retried.
    await expect(change(undefined, a)).rejects.toThrow(InjectedFailure);
    expect(pages.objects.has('bota/a/index.html')).toBe(true);
    expect(tags.stored()).toEqual({});
    await stream([[undefined, a]]);
    expect(tags.stored()).toEqual({ [`nato#${a.id}`]: 1 });
    expect(listed(pages.body('tags/nato/index.html'))).toEqual(['/bota/a']);
  });

  it('links each tag of an article to its page, and leaves a tag with no page unlinked', async () => {
    const { change, pages } = setUp();
    await change(undefined, article('a', { tags: ['The Hague', 'Ballkani Perëndimor', '🔥'] }));
    const page = pages.body('bota/a/index.html') ?? '';
    expect(page).toContain('<ul class="tags" aria-label="Tags">');
    expect(page).toContain('<li><a href="/tags/the-hague/">The Hague</a></li>');
    expect(page).toContain('<li><a href="/tags/ballkani-perendimor/">Ballkani Perëndimor</a></li>');
    expect(page).toContain('<li>🔥</li>');
  });
});

describe('renderArticlePage: tags', () => {
  it('links each tag to its page with the label of the language, as previews show it too', () => {
    const albanian = renderArticlePage(
      { ...DEFAULT_SITE, language: 'sq' },
      article('a', { tags: ['NATO'] }),
      [],
    );
    expect(albanian).toContain(
      '<ul class="tags" aria-label="Etiketa"><li><a href="/tags/nato/">NATO</a></li></ul>',
    );
  });
});

describe('renderTagPage', () => {
  it('says so when no article carries the tag, in the language of the site', () => {
    expect(renderTagPage(DEFAULT_SITE, 'nato', [])).toContain('<p>No story carries this tag yet.</p>');
    const albanian = renderTagPage({ ...DEFAULT_SITE, language: 'sq' }, 'nato', [
      { ...article('a', { tags: ['NATO'] }), publishedAt: '2026-11-27T11:00:00.000Z' },
    ]);
    expect(albanian).toContain('<title>Etiketa: NATO | ');
    expect(albanian).toContain('Lajmet më të reja me etiketën NATO');
  });
});

describe('SiteReconciler: tag memberships and tag pages', () => {
  it('rebuilds a membership deleted or corrupted behind the app, deletes orphans, and settles', async () => {
    const { change, tags, reconciler, pages } = setUp();
    const a = article('a', { tags: ['NATO'], publishedAt: '2026-11-27T09:00:00.000Z' });
    const b = article('b', { tags: ['NATO', 'EU'], publishedAt: '2026-11-27T10:00:00.000Z' });
    await change(undefined, a);
    await change(undefined, b);
    const expected = tags.stored();

    tags.setStored('nato', a.id, undefined);
    tags.setStored('eu', b.id, {
      ...(tags.storedEntry('eu', b.id) as ArticleSummary),
      title: 'Tampered',
      version: 9,
    });
    tags.setStored('ghost', '01JBBBBBBBBBBBBBBBBBBBGONE', {
      ...(tags.storedEntry('nato', b.id) as ArticleSummary),
    });
    tags.setStored('planted', a.id, tags.storedEntry('nato', b.id));
    pages.objects.delete('tags/nato/index.html');

    const summary = await reconciler.reconcile({ concurrency: 2 });
    expect(summary.failures).toEqual([]);
    expect(summary.actions).toEqual(
      expect.arrayContaining([
        { action: 'write', key: `tag-membership:nato#${a.id}`, reason: 'missing' },
        { action: 'write', key: `tag-membership:eu#${b.id}`, reason: 'stale' },
        { action: 'delete', key: 'tag-membership:ghost#01JBBBBBBBBBBBBBBBBBBBGONE', reason: 'withdrawn' },
        { action: 'delete', key: `tag-membership:planted#${a.id}`, reason: 'unknown' },
      ]),
    );
    expect(tags.stored()).toEqual(expected);
    expect(tags.storedEntry('eu', b.id)?.title).toBe(b.title);
    expect(listed(pages.body('tags/nato/index.html'))).toEqual(['/bota/b', '/bota/a']);

    const again = await reconciler.reconcile({ concurrency: 2 });
    expect(again.actions).toEqual([]);
  });

  it('converges after a crash between the page write and the membership write', async () => {
    const { change, tags, reconciler, pages } = setUp();
    const a = article('a', { tags: ['NATO'] });
    tags.failNext('put');
    await expect(change(undefined, a)).rejects.toThrow(InjectedFailure);
    expect(pages.objects.has('tags/nato/index.html')).toBe(false);

    await reconciler.reconcile({ concurrency: 2 });
    expect(tags.stored()).toEqual({ [`nato#${a.id}`]: 1 });
    expect(listed(pages.body('tags/nato/index.html'))).toEqual(['/bota/a']);
  });

  it('keeps exactly the tag pages of the tags live articles carry', async () => {
    const { change, reconciler, pages } = setUp();
    await change(undefined, article('a', { tags: ['NATO'] }));
    await pages.put(tagPageObject('stale'), 'a tag no article carries');
    const dry = await reconciler.reconcile({ concurrency: 2, dryRun: true });
    expect(dry.actions).toContainEqual({
      action: 'delete',
      key: 'tags/stale/index.html',
      reason: 'unknown',
    });
    expect(pages.objects.has('tags/stale/index.html')).toBe(true);

    await reconciler.reconcile({ concurrency: 2 });
    expect(pages.objects.has('tags/stale/index.html')).toBe(false);
    expect(listed(pages.body('tags/nato/index.html'))).toEqual(['/bota/a']);
  });

  it('settles an article edited while its memberships were being repaired', async () => {
    const { change, repository, tags, reconciler } = setUp();
    const a = article('a', { tags: ['NATO'] });
    await change(undefined, a);
    tags.setStored('nato', a.id, undefined);
    const edited = { ...a, tags: ['EU'], version: 2 };
    // The edit lands (and the stream applies it) between repair's read of the article and its check after.
    repository.interleave('getVersions', async () => {
      await change(a, edited);
    });
    const summary = await reconciler.reconcile({ concurrency: 1 });
    expect(summary.failures).toEqual([]);
    expect(tags.stored()).toEqual({ [`eu#${a.id}`]: 2 });
  });
});
