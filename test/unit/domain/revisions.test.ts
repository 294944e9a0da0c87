import { beforeEach, describe, expect, it } from 'vitest';
import {
  articleKey,
  isArticleItem,
  revisionKey,
} from '../../../functions/adapters/dynamodb-article-repository';
import type { Article } from '../../../functions/domain/article';
import type { CreateArticleInput } from '../../../functions/domain/article-input';
import { ArticleService } from '../../../functions/domain/article-service';
import {
  changedFields,
  decodeRevisionCursor,
  encodeRevisionCursor,
  isReadableVersion,
  parseRevisionNumber,
  REVISIONS_KEPT,
  revisionPagePlan,
  revisionSummaries,
  versionsOfDeletedArticle,
  versionsToPrune,
} from '../../../functions/domain/revisions';
import type { Caller } from '../../../functions/domain/roles';
import { ITEM_KEY_PREFIXES } from '../../../functions/store/table-design';
import { InjectedFailure, InMemoryArticleRepository } from '../../support/in-memory-article-repository';
import { asyncRefusal, refusal } from '../../support/refusal';

const START = new Date('2026-03-01T12:00:00.000Z');
const MINUTE = 60_000;

let now: Date;
let repository: InMemoryArticleRepository;
let service: ArticleService;

beforeEach(() => {
  now = START;
  repository = new InMemoryArticleRepository();
  service = new ArticleService(repository, () => now);
});

const advance = (ms: number) => {
  now = new Date(now.getTime() + ms);
};

const alice: Caller = { subject: 'alice-sub', role: 'editor' };
const bob: Caller = { subject: 'bob-sub', role: 'editor' };

function input(overrides: Partial<CreateArticleInput> = {}): CreateArticleInput {
  return { title: 'First title', section: 'bota', body: 'Body one', ...overrides };
}

function article(overrides: Partial<Article> = {}): Article {
  return {
    id: '01JDZ8W2V3X4Y5Z6A7B8C9D0EF',
    slug: 'first-title',
    previousPaths: [],
    title: 'First title',
    section: 'bota',
    body: 'Body one',
    tags: [],
    status: 'draft',
    createdAt: '2026-03-01T12:00:00.000Z',
    updatedAt: '2026-03-01T12:00:00.000Z',
    version: 1,
    ...overrides,
  };
}

/** Updates the article `times` times, each a new title, one minute apart. */
async function edit(id: string, times: number, caller: Caller = alice): Promise<Article> {
  let current = await service.get(id);
  for (let index = 0; index < times; index += 1) {
    advance(MINUTE);
    current = await service.update(id, current.version, { title: `Title ${current.version + 1}` }, caller);
  }
  return current;
}

describe('changedFields', () => {
  it('names the fields that differ, sorted, and nothing for the first version', () => {
    const before = article({ tags: ['a'], summary: 'old' });
    const after = article({
      tags: ['a', 'b'],
      title: 'New title',
      summary: undefined,
      version: 2,
      updatedAt: '2026-03-01T12:01:00.000Z',
      updatedBy: 'alice-sub',
    });

    expect(changedFields(before, after)).toEqual(['summary', 'tags', 'title']);
    expect(changedFields(undefined, before)).toEqual([]);
  });

  it('ignores bookkeeping (version, times, who) and the previous paths a slug change leaves', () => {
    const before = article();
    const after = article({
      version: 2,
      updatedAt: '2026-03-01T12:01:00.000Z',
      updatedBy: 'bob-sub',
      slug: 'second',
      previousPaths: ['/bota/first-title'],
    });

    expect(changedFields(before, after)).toEqual(['slug']);
  });

  it('counts fields it does not know of, such as ones added later', () => {
    const before = article();
    const after = { ...article(), corrections: [{ at: '2026-03-01T12:01:00.000Z', note: 'Fixed.' }] };

    expect(changedFields(before, after as Article)).toEqual(['corrections']);
  });
});

describe('the bound', () => {
  it('reads the current version and the REVISIONS_KEPT before it, nothing else', () => {
    const current = REVISIONS_KEPT + 10;

    expect(isReadableVersion(current, current)).toBe(true);
    expect(isReadableVersion(current - REVISIONS_KEPT, current)).toBe(true);
    expect(isReadableVersion(current - REVISIONS_KEPT - 1, current)).toBe(false);
    expect(isReadableVersion(current + 1, current)).toBe(false);
    expect(isReadableVersion(0, current)).toBe(false);
    expect(isReadableVersion(1.5, 3)).toBe(false);
  });

  it('prunes nothing until the bound is reached, then the snapshot that left it and the one before', () => {
    expect(versionsToPrune(2)).toEqual([]);
    expect(versionsToPrune(REVISIONS_KEPT + 2)).toEqual([]);
    expect(versionsToPrune(REVISIONS_KEPT + 3)).toEqual([1]);
    expect(versionsToPrune(REVISIONS_KEPT + 10)).toEqual([8, 7]);
  });

  it('deletes a bounded set of snapshots with a deleted article, whatever its history', () => {
    expect(versionsOfDeletedArticle(1)).toEqual([]);
    expect(versionsOfDeletedArticle(4)).toEqual([3, 2, 1]);
    const many = versionsOfDeletedArticle(10_000);
    expect(many).toHaveLength(REVISIONS_KEPT + 3);
    expect(many[0]).toBe(9_999);
    // What pruning may have missed is among them.
    expect(many).toEqual(expect.arrayContaining(versionsToPrune(10_000)));
  });
});

describe('revisionPagePlan', () => {
  it('lists newest first from the current version, reading one more to tell what the oldest changed', () => {
    expect(revisionPagePlan(5, { limit: 2 })).toEqual({ listed: [5, 4], toRead: [4, 3], nextBefore: 4 });
    expect(revisionPagePlan(5, { limit: 2, before: 4 })).toEqual({
      listed: [3, 2],
      toRead: [3, 2, 1],
      nextBefore: 2,
    });
    expect(revisionPagePlan(5, { limit: 2, before: 2 })).toEqual({ listed: [1], toRead: [1] });
  });

  it('stops at the bound and past the end', () => {
    const current = REVISIONS_KEPT + 5;
    const plan = revisionPagePlan(current, { limit: 50, before: 10 });
    expect(plan.listed).toEqual([9, 8, 7, 6, 5]);
    expect(plan.nextBefore).toBeUndefined();
    expect(revisionPagePlan(3, { limit: 5, before: 1 })).toEqual({ listed: [], toRead: [] });
    // A cursor above the current version starts at the current version.
    expect(revisionPagePlan(3, { limit: 1, before: 99 }).listed).toEqual([3]);
  });
});

describe('revisionSummaries', () => {
  it('skips versions with no snapshot, and omits changes whose previous version is not kept', () => {
    const v2 = article({ version: 2, title: 'Two', updatedBy: 'bob-sub' });
    const v3 = article({ version: 3, title: 'Three', body: 'Body three' });
    const versions = new Map([
      [2, v2],
      [3, v3],
    ]);

    expect(revisionSummaries([3, 2, 1], versions)).toEqual([
      { version: 3, updatedAt: v3.updatedAt, changes: ['body', 'title'] },
      { version: 2, updatedAt: v2.updatedAt, updatedBy: 'bob-sub' },
    ]);
  });
});

describe('revision numbers and cursors', () => {
  it('reads only positive whole numbers as revisions', () => {
    expect(parseRevisionNumber('7')).toBe(7);
    for (const bad of ['0', '-1', '1.5', '01', 'abc', '', '1e3', '9'.repeat(20)]) {
      expect(parseRevisionNumber(bad)).toBeUndefined();
    }
  });

  it('turns back what it gave out, and refuses anything else with a 400', () => {
    expect(decodeRevisionCursor(encodeRevisionCursor(12))).toBe(12);
    expect(decodeRevisionCursor(undefined)).toBeUndefined();
    for (const bad of ['x', '1', '0', '-3']) {
      expect(refusal(() => decodeRevisionCursor(bad)).status).toBe(400);
    }
  });
});

describe('ArticleService revisions', () => {
  it('keeps every superseded version: who made each, when, and what it changed', async () => {
    const created = await service.create(input(), alice);
    advance(MINUTE);
    await service.update(created.id, 1, { title: 'Second title' }, alice);
    advance(MINUTE);
    await service.update(created.id, 2, { body: 'Body two', tags: ['x'] }, bob);

    const page = await service.revisions(created.id, { limit: 10 });

    expect(page.nextBefore).toBeUndefined();
    expect(page.items).toEqual([
      { version: 3, updatedAt: '2026-03-01T12:02:00.000Z', updatedBy: 'bob-sub', changes: ['body', 'tags'] },
      { version: 2, updatedAt: '2026-03-01T12:01:00.000Z', updatedBy: 'alice-sub', changes: ['title'] },
      { version: 1, updatedAt: '2026-03-01T12:00:00.000Z', updatedBy: 'alice-sub', changes: [] },
    ]);
    expect((await service.revision(created.id, 1)).title).toBe('First title');
    expect(await service.revisionWithChanges(created.id, 2)).toMatchObject({
      article: { title: 'Second title', version: 2, updatedBy: 'alice-sub' },
      changes: ['title'],
    });
    // The current version is a revision too: the article itself.
    expect(await service.revision(created.id, 3)).toEqual(await service.get(created.id));
  });

  it('costs an update one write more (the snapshot, before the replace) and a read of the article nothing', async () => {
    const created = await service.create(input());
    repository.calls.length = 0;

    await service.update(created.id, 1, { title: 'Second title' }, alice);
    expect(repository.calls).toEqual(['get', 'putRevision', 'replace']);

    repository.calls.length = 0;
    await service.read(created.id, alice);
    expect(repository.calls).toEqual(['get']);
  });

  it('pages newest first with a cursor that reaches every version once', async () => {
    const created = await service.create(input());
    await edit(created.id, 6);

    const seen: number[] = [];
    let before: number | undefined;
    do {
      const page = await service.revisions(created.id, { limit: 3, before });
      seen.push(...page.items.map((item) => item.version));
      before = page.nextBefore;
    } while (before !== undefined);

    expect(seen).toEqual([7, 6, 5, 4, 3, 2, 1]);
  });

  it('a version made without a caller (scheduled publication) names nobody', async () => {
    const created = await service.create(
      input({ status: 'scheduled', publishAt: '2026-03-01T13:00:00.000Z' }),
      alice,
    );
    const edited = await edit(created.id, 1, alice);
    advance(2 * 60 * MINUTE);

    expect(await service.publishDue()).toBe(1);

    const page = await service.revisions(created.id, { limit: 10 });
    expect(page.items[0]).toEqual({
      version: edited.version + 1,
      updatedAt: now.toISOString(),
      changes: ['publishedAt', 'status'],
    });
    expect(page.items[0]).not.toHaveProperty('updatedBy');
    expect(page.items[1]?.updatedBy).toBe('alice-sub');
    expect((await service.revision(created.id, edited.version)).status).toBe('scheduled');
  });

  it('stores at most REVISIONS_KEPT + 1 snapshots, and older versions are 404', async () => {
    const created = await service.create(input());
    const current = await edit(created.id, REVISIONS_KEPT + 10);

    const stored = repository.storedRevisionVersions(created.id);
    expect(stored).toHaveLength(REVISIONS_KEPT + 1);
    expect(stored[0]).toBe(current.version - REVISIONS_KEPT - 1);
    expect(
      (await asyncRefusal(service.revision(created.id, current.version - REVISIONS_KEPT - 1))).status,
    ).toBe(404);
    const oldest = await service.revisionWithChanges(created.id, current.version - REVISIONS_KEPT);
    expect(oldest.changes).toEqual(['title']);

    const listed: number[] = [];
    let before: number | undefined;
    do {
      const page = await service.revisions(created.id, { limit: 50, before });
      listed.push(...page.items.map((item) => item.version));
      before = page.nextBefore;
    } while (before !== undefined);
    expect(listed).toHaveLength(REVISIONS_KEPT + 1);
    expect(listed.at(-1)).toBe(current.version - REVISIONS_KEPT);
  });

  it('a prune that fails does not fail the update, and the next write makes it good', async () => {
    const created = await service.create(input());
    await edit(created.id, REVISIONS_KEPT + 2);
    repository.failNext('removeRevisions');

    const updated = await edit(created.id, 1);
    expect(updated.version).toBe(REVISIONS_KEPT + 4);
    expect(repository.storedRevisionVersions(created.id)).toHaveLength(REVISIONS_KEPT + 2);

    await edit(created.id, 1);
    expect(repository.storedRevisionVersions(created.id)).toHaveLength(REVISIONS_KEPT + 1);
  });

  it('a crash between the snapshot and the replace leaves the article as it was and a harmless snapshot', async () => {
    const created = await service.create(input());
    await service.update(created.id, 1, { title: 'Second title' }, alice);
    repository.failNext('replace', new InjectedFailure('the process died here'));

    await expect(service.update(created.id, 2, { title: 'Lost title' }, bob)).rejects.toThrow(
      InjectedFailure,
    );

    // The article is untouched; the snapshot of its current version is there, and the list does not
    // show it twice or show the lost edit.
    expect(repository.storedArticle(created.id)?.title).toBe('Second title');
    expect(repository.storedRevisionVersions(created.id)).toEqual([1, 2]);
    const page = await service.revisions(created.id, { limit: 10 });
    expect(page.items.map((item) => item.version)).toEqual([2, 1]);

    // The retry writes the same snapshot again and goes through.
    await service.update(created.id, 2, { title: 'Third title' }, bob);
    expect((await service.revision(created.id, 2)).title).toBe('Second title');
    expect((await service.revisions(created.id, { limit: 10 })).items[0]).toMatchObject({
      version: 3,
      updatedBy: 'bob-sub',
      changes: ['title'],
    });
  });

  it('a snapshot that cannot be written stops the update before anything changes', async () => {
    const created = await service.create(input());
    repository.failNext('putRevision');

    await expect(
      service.update(created.id, 1, { title: 'Second title', slug: 'new-slug' }, alice),
    ).rejects.toThrow(InjectedFailure);

    expect(repository.storedArticle(created.id)?.version).toBe(1);
    // The new slug's claim was given back, as when the replace itself fails.
    expect(repository.storedClaim('new-slug')).toBeUndefined();
  });

  it('two editors of the same version write the same snapshot; the loser gets a 412 and changes nothing', async () => {
    const created = await service.create(input());
    repository.interleave('replace', async () => {
      await service.update(created.id, 1, { title: 'Bob wins' }, bob);
    });

    expect((await asyncRefusal(service.update(created.id, 1, { title: 'Alice loses' }, alice))).status).toBe(
      412,
    );

    expect(repository.storedRevisionVersions(created.id)).toEqual([1]);
    expect((await service.revision(created.id, 1)).title).toBe('First title');
    expect((await service.revisions(created.id, { limit: 10 })).items.map((item) => item.version)).toEqual([
      2, 1,
    ]);
  });

  it('deleting an article deletes its revisions, and then they are 404', async () => {
    const created = await service.create(input());
    const current = await edit(created.id, 3);

    await service.delete(created.id, current.version);

    expect(repository.storedRevisionVersions(created.id)).toEqual([]);
    expect((await asyncRefusal(service.revision(created.id, 1))).status).toBe(404);
    expect((await asyncRefusal(service.revisions(created.id, { limit: 10 }))).status).toBe(404);
  });

  it('a delete whose revision clean-up fails still deletes the article', async () => {
    const created = await service.create(input());
    await edit(created.id, 2);
    repository.failNext('removeRevisions');

    await service.delete(created.id, undefined);

    expect(repository.storedArticle(created.id)).toBeUndefined();
    // Left behind, but never reachable: the article is gone.
    expect((await asyncRefusal(service.revision(created.id, 1))).status).toBe(404);
  });

  it('answers 404 for unknown articles, versions above the current one and versions with no snapshot', async () => {
    const created = await service.create(input());
    await edit(created.id, 1);
    // Version 1 of an article written before revisions were kept has no snapshot.
    const legacy = article({ id: '01JDZ8W2V3X4Y5Z6A7B8C9D0EG', version: 3 });
    repository.seedArticle(legacy);

    expect((await asyncRefusal(service.revision(created.id, 3))).status).toBe(404);
    expect((await asyncRefusal(service.revision(created.id, 0))).status).toBe(404);
    expect((await asyncRefusal(service.revision('01JDZ8W2V3X4Y5Z6A7B8C9D0EH', 1))).status).toBe(404);
    expect((await asyncRefusal(service.revisions('not-an-id', { limit: 10 }))).status).toBe(404);
    expect((await asyncRefusal(service.revision(legacy.id, 2))).status).toBe(404);
    // The current version of such an article is listed, without what it changed.
    expect((await service.revisions(legacy.id, { limit: 10 })).items).toEqual([
      { version: 3, updatedAt: legacy.updatedAt },
    ]);
  });
});

describe('the revision item key', () => {
  it('is never taken for an article: not by the stream filter, the render function or the adapter', () => {
    const id = '01JDZ8W2V3X4Y5Z6A7B8C9D0EF';
    const key = revisionKey(id, 3);

    expect(key).toBe(`REVISION#${id}#3`);
    // The table stream's filter (infra/constructs/page-renderer.ts) selects keys beginning with this.
    expect(key.startsWith(ITEM_KEY_PREFIXES.article)).toBe(false);
    expect(isArticleItem({ pk: key, ...article({ id }) })).toBe(false);
    expect(isArticleItem({ pk: articleKey(id), ...article({ id }) })).toBe(true);
    // Prefixes are distinct, so no kind of item can be read as another.
    const prefixes = Object.values(ITEM_KEY_PREFIXES);
    for (const prefix of prefixes) {
      expect(prefixes.filter((other) => other !== prefix && other.startsWith(prefix))).toEqual([]);
    }
  });
});
