import { beforeEach, describe, expect, it } from 'vitest';
import type { Article } from '../../../functions/domain/article';
import { InjectedFailure, InMemoryArticleRepository } from '../../support/in-memory-article-repository';

/** The fake must behave like the DynamoDB adapter, or the service tests built on it prove nothing. */

function article(overrides: Partial<Article> & Pick<Article, 'id'>): Article {
  return {
    slug: overrides.id.toLowerCase(),
    previousPaths: [],
    title: 'Title',
    section: 'bota',
    body: 'Body',
    tags: [],
    status: 'draft',
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    version: 1,
    ...overrides,
  };
}

const published = (id: string, publishedAt: string, section = 'bota') =>
  article({ id, status: 'published', publishedAt, section });

let repository: InMemoryArticleRepository;

beforeEach(() => {
  repository = new InMemoryArticleRepository();
});

describe('InMemoryArticleRepository', () => {
  it('inserts once per id', async () => {
    await repository.insert(article({ id: 'A' }));
    await expect(repository.insert(article({ id: 'A', title: 'Other' }))).rejects.toThrow();
    expect((await repository.get('A'))?.title).toBe('Title');
  });

  it('stores copies, not the caller objects', async () => {
    const original = article({ id: 'A', tags: ['x'] });
    await repository.insert(original);
    (original.tags as string[]).push('y');
    const read = (await repository.get('A')) as Article;
    (read.tags as string[]).push('z');
    expect((await repository.get('A'))?.tags).toEqual(['x']);
  });

  it('drops undefined attributes like the document client', async () => {
    await repository.insert({ ...article({ id: 'A' }), summary: undefined });
    expect(Object.hasOwn((await repository.get('A')) ?? {}, 'summary')).toBe(false);
  });

  it('replaces and removes only at the expected version', async () => {
    await repository.insert(article({ id: 'A' }));
    expect(await repository.replace(article({ id: 'A', version: 2, title: 'New' }), 2)).toBe(false);
    expect(await repository.replace(article({ id: 'A', version: 2, title: 'New' }), 1)).toBe(true);
    expect(await repository.replace(article({ id: 'B', version: 2 }), 1)).toBe(false);
    expect(await repository.remove('A', 1)).toBe(false);
    expect(await repository.remove('A', 2)).toBe(true);
    expect(await repository.get('A')).toBeUndefined();
    expect(await repository.remove('A', 2)).toBe(false);
  });

  it('claims a free slug and returns the holder of a taken one', async () => {
    const claim = { slug: 'budget', articleId: 'A', claimedAt: '2026-01-01T00:00:00.000Z' };
    expect(await repository.claimSlug(claim)).toBeUndefined();
    expect(await repository.claimSlug({ ...claim, articleId: 'B' })).toEqual(claim);
    expect(await repository.getSlugClaim('budget')).toEqual(claim);
  });

  it('takes over a claim only from the article it still names', async () => {
    repository.seedClaim({ slug: 'budget', articleId: 'A', claimedAt: '2026-01-01T00:00:00.000Z' });
    const claim = { slug: 'budget', articleId: 'C', claimedAt: '2026-01-02T00:00:00.000Z' };
    expect(await repository.takeOverSlug(claim, 'B')).toBe(false);
    expect(await repository.takeOverSlug(claim, 'A')).toBe(true);
    expect(repository.storedClaim('budget')?.articleId).toBe('C');
    expect(await repository.takeOverSlug({ ...claim, slug: 'free' }, 'A')).toBe(false);
  });

  it('releases a claim only for its owner', async () => {
    repository.seedClaim({ slug: 'budget', articleId: 'A', claimedAt: '2026-01-01T00:00:00.000Z' });
    await repository.releaseSlug('budget', 'B');
    expect(repository.storedClaim('budget')).toBeDefined();
    await repository.releaseSlug('budget', 'A');
    expect(repository.storedClaim('budget')).toBeUndefined();
  });

  it('lists published articles newest first, by publication time then id, page by page', async () => {
    repository.seedArticle(published('A', '2026-01-01T00:00:00.000Z'));
    repository.seedArticle(published('B', '2026-01-03T00:00:00.000Z'));
    repository.seedArticle(published('C', '2026-01-03T00:00:00.000Z', 'sport'));
    repository.seedArticle(published('D', '2026-01-02T00:00:00.000Z'));
    repository.seedArticle(article({ id: 'E', status: 'draft' }));
    repository.seedArticle(article({ id: 'F', status: 'scheduled', publishAt: '2026-01-04T00:00:00.000Z' }));
    repository.seedArticle(
      article({ id: 'G', status: 'unpublished', publishedAt: '2026-01-05T00:00:00.000Z' }),
    );

    const first = await repository.listLatest({ limit: 2 });
    expect(first.items.map((item) => item.id)).toEqual(['C', 'B']);
    expect(first.nextKey).toBeDefined();
    const second = await repository.listLatest({ limit: 2, startKey: first.nextKey });
    expect(second.items.map((item) => item.id)).toEqual(['D', 'A']);
    expect(second.nextKey).toBeUndefined();

    const bota = await repository.listLatest({ section: 'bota', limit: 10 });
    expect(bota.items.map((item) => item.id)).toEqual(['B', 'D', 'A']);
    expect(bota.items[0]).toMatchObject({
      slug: 'b',
      title: 'Title',
      publishedAt: '2026-01-03T00:00:00.000Z',
    });
  });

  it('lists published articles in a time window, newest first, and counts them', async () => {
    expect(await repository.oldestPublishedAt()).toBeUndefined();
    expect(await repository.countPublished()).toBe(0);
    repository.seedArticle(published('A', '2026-01-01T00:00:00.000Z'));
    repository.seedArticle(published('B', '2026-01-03T00:00:00.000Z'));
    repository.seedArticle(published('C', '2026-01-02T00:00:00.000Z', 'sport'));
    repository.seedArticle(
      article({ id: 'D', status: 'unpublished', publishedAt: '2025-12-01T00:00:00.000Z' }),
    );
    const window = await repository.listPublishedBetween(
      '2026-01-01T00:00:00.000Z',
      '2026-01-03T00:00:00.000Z',
    );
    expect(window.map((item) => item.id)).toEqual(['C', 'A']);
    expect(await repository.oldestPublishedAt()).toBe('2026-01-01T00:00:00.000Z');
    expect(await repository.countPublished()).toBe(3);
  });

  it('lists scheduled articles that are due, oldest first', async () => {
    repository.seedArticle(article({ id: 'A', status: 'scheduled', publishAt: '2026-01-02T00:00:00.000Z' }));
    repository.seedArticle(article({ id: 'B', status: 'scheduled', publishAt: '2026-01-01T00:00:00.000Z' }));
    repository.seedArticle(article({ id: 'C', status: 'scheduled', publishAt: '2026-01-09T00:00:00.000Z' }));
    repository.seedArticle(article({ id: 'D', status: 'draft', publishAt: '2026-01-01T00:00:00.000Z' }));
    expect(await repository.listDue('2026-01-02T00:00:00.000Z', 10)).toEqual([
      { id: 'B', version: 1 },
      { id: 'A', version: 1 },
    ]);
    expect(await repository.listDue('2026-01-02T00:00:00.000Z', 1)).toEqual([{ id: 'B', version: 1 }]);
  });

  it('throws an injected failure once, then works again', async () => {
    repository.failNext('insert');
    await expect(repository.insert(article({ id: 'A' }))).rejects.toBeInstanceOf(InjectedFailure);
    expect(repository.articleCount()).toBe(0);
    await repository.insert(article({ id: 'A' }));
    expect(repository.articleCount()).toBe(1);
  });
});
