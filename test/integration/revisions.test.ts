import { describe, expect, inject, it } from 'vitest';
import type { Article } from '../../functions/domain/article';
import { newArticleId } from '../../functions/domain/ids';
import { articleRepositoryFromEnv } from '../../functions/shared/article-service';
import { adminToken, api, createArticle, editorToken, expectError } from './support/api';
import { eventually, page, pathOf } from './support/site';

/** Revisions end to end (issue #9, item 2): every change keeps the version it replaced. */

/** The `sub` of a token: who `updatedBy` names. */
function subjectOf(token: string): string {
  const [, payload] = token.split('.');
  return JSON.parse(Buffer.from(payload ?? '', 'base64url').toString('utf8')).sub;
}

function patch(id: string, token: string, version: number, json: Record<string, unknown>) {
  return api(`/api/articles/${id}`, {
    method: 'PATCH',
    token,
    headers: { 'if-match': `"${version}"` },
    json,
  });
}

const revisions = (id: string, query = '', token = editorToken()) =>
  api(`/api/articles/${id}/revisions${query}`, { token });

describe('revisions through the local stack', () => {
  it('three PATCHes make four versions, listed newest first with who made each, when and what changed', async () => {
    const created = (await createArticle({ title: 'The first headline' })).body;
    const editor = subjectOf(editorToken());
    const admin = subjectOf(adminToken());
    expect((await patch(created.id, editorToken(), 1, { title: 'The second headline' })).status).toBe(200);
    expect((await patch(created.id, adminToken(), 2, { body: 'A new body.', tags: ['nato'] })).status).toBe(
      200,
    );
    const third = await patch(created.id, editorToken(), 3, { summary: null });
    expect(third.status, third.text).toBe(200);
    expect(third.body.updatedBy).toBe(editor);

    const list = await revisions(created.id);

    expect(list.status, list.text).toBe(200);
    expect(list.body.nextCursor).toBeNull();
    expect(list.body.items.map((item: { version: number }) => item.version)).toEqual([4, 3, 2, 1]);
    expect(list.body.items).toMatchObject([
      { version: 4, updatedBy: editor, changes: ['summary'], updatedAt: third.body.updatedAt },
      { version: 3, updatedBy: admin, changes: ['body', 'tags'] },
      { version: 2, updatedBy: editor, changes: ['title'] },
      { version: 1, updatedBy: editor, changes: [], updatedAt: created.createdAt },
    ]);
    expect(created.createdBy).toBe(editor);
    const times = list.body.items.map((item: { updatedAt: string }) => Date.parse(item.updatedAt));
    expect(times).toEqual([...times].sort((a, b) => b - a));
  });

  it('shows a version as it was, and restoring it is a PATCH on the current version that adds one', async () => {
    const created = (await createArticle({ title: 'Headline as first written' })).body;
    await patch(created.id, editorToken(), 1, { title: 'Headline rewritten' });
    const current = await patch(created.id, editorToken(), 2, { title: 'Headline rewritten again' });

    const first = await api(`/api/articles/${created.id}/revisions/1`, { token: editorToken() });
    expect(first.status, first.text).toBe(200);
    expect(first.body).toMatchObject({
      id: created.id,
      version: 1,
      title: 'Headline as first written',
      url: created.url,
      changes: [],
    });
    // No ETag: a restore is conditional on the current version, never on the one shown.
    expect(first.headers.get('etag')).toBeNull();
    const second = await api(`/api/articles/${created.id}/revisions/2`, { token: editorToken() });
    expect(second.body).toMatchObject({ version: 2, title: 'Headline rewritten', changes: ['title'] });

    // An If-Match of the version shown is stale: nothing is lost to a restore.
    expectError(
      await patch(created.id, editorToken(), 1, { title: first.body.title }),
      412,
      'precondition_failed',
      expect,
    );
    const restored = await patch(created.id, editorToken(), current.body.version, {
      title: first.body.title,
    });

    expect(restored.status, restored.text).toBe(200);
    expect(restored.body).toMatchObject({ title: 'Headline as first written', version: 4 });
    const list = await revisions(created.id);
    expect(list.body.items[0]).toMatchObject({ version: 4, changes: ['title'] });
    expect(list.body.items).toHaveLength(4);
    // The site follows the table: the page shows the restored headline (revisions make no pages).
    await eventually(
      async () => (await page(pathOf(created.url))).text.includes('Headline as first written'),
      'the restored headline on the page',
    );
  });

  it('pages with a cursor, and refuses a cursor or limit it never gave with a 400', async () => {
    const created = (await createArticle()).body;
    let version = created.version;
    for (const title of ['Two', 'Three', 'Four'])
      version = (await patch(created.id, editorToken(), version, { title })).body.version;

    const first = await revisions(created.id, '?limit=3');
    expect(first.body.items.map((item: { version: number }) => item.version)).toEqual([4, 3, 2]);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await revisions(
      created.id,
      `?limit=3&cursor=${encodeURIComponent(first.body.nextCursor)}`,
    );
    expect(second.body).toMatchObject({ items: [{ version: 1, changes: [] }], nextCursor: null });

    expectError(await revisions(created.id, '?cursor=not-a-cursor'), 400, 'invalid_cursor', expect);
    expectError(await revisions(created.id, '?limit=0'), 400, 'validation_failed', expect);
    expectError(await revisions(created.id, '?colour=blue'), 400, 'validation_failed', expect);
  });

  it('answers 404 for an unknown article, a version it never had, and anything but a version number', async () => {
    const created = (await createArticle()).body;
    await patch(created.id, editorToken(), 1, { title: 'Changed once' });

    expectError(await revisions('01JDZ8W2V3X4Y5Z6A7B8C9D0EF'), 404, 'not_found', expect);
    for (const version of ['3', '0', '-1', 'one', '1.5', '99999999999999999999']) {
      const response = await api(`/api/articles/${created.id}/revisions/${version}`, {
        token: editorToken(),
      });
      expectError(response, 404, 'not_found', expect);
    }
  });

  it('lets editors in only: contributors are 403, anonymous callers 401', async () => {
    const created = (await createArticle()).body;
    for (const path of [`/api/articles/${created.id}/revisions`, `/api/articles/${created.id}/revisions/1`]) {
      expectError(await api(path, { token: inject('contributorToken') }), 403, 'forbidden', expect);
      expectError(await api(path), 401, 'unauthorized', expect);
    }
  });

  it('deletes the revisions with the article: then they are 404', async () => {
    const created = (await createArticle()).body;
    await patch(created.id, editorToken(), 1, { title: 'Changed before the delete' });
    expect((await api(`/api/articles/${created.id}/revisions/1`, { token: editorToken() })).status).toBe(200);

    expect((await api(`/api/articles/${created.id}`, { method: 'DELETE', token: adminToken() })).status).toBe(
      204,
    );

    expectError(await revisions(created.id), 404, 'not_found', expect);
    const first = await api(`/api/articles/${created.id}/revisions/1`, { token: editorToken() });
    expectError(first, 404, 'not_found', expect);
  });
});

/**
 * The DynamoDB adapter against the local stack's emulator, through the same change-feed proxy the
 * functions write through (the test process inherits the stack's environment).
 */
describe('the DynamoDB adapter keeps snapshots apart from articles', () => {
  const repository = articleRepositoryFromEnv();
  const snapshot = (id: string, version: number): Article => ({
    id,
    slug: `snapshot-${id.toLowerCase()}`,
    previousPaths: [],
    title: `Version ${version}`,
    section: 'bota',
    body: 'A body.',
    tags: ['x'],
    status: 'published',
    publishedAt: '2026-03-01T12:00:00.000Z',
    createdAt: '2026-03-01T12:00:00.000Z',
    updatedAt: '2026-03-01T12:00:00.000Z',
    updatedBy: 'someone',
    version,
  });

  it('writes, reads back and deletes snapshots by version, more than one batch of each at a time', async () => {
    const id = newArticleId(new Date());
    const versions = Array.from({ length: 30 }, (_, index) => index + 1);
    for (const version of versions) await repository.putRevision(snapshot(id, version));
    // Idempotent: the same snapshot again changes nothing.
    await repository.putRevision(snapshot(id, 7));

    const read = await repository.getRevisions(id, [...versions, 31]);
    expect([...read.keys()].sort((a, b) => a - b)).toEqual(versions);
    expect(read.get(7)).toEqual(snapshot(id, 7));
    // Another article's snapshots are not these.
    expect((await repository.getRevisions(newArticleId(new Date()), [1, 2])).size).toBe(0);

    await repository.removeRevisions(id, versions.slice(0, 28));
    expect([...(await repository.getRevisions(id, versions)).keys()].sort((a, b) => a - b)).toEqual([29, 30]);
    await repository.removeRevisions(id, [29, 30, 31]);
    expect((await repository.getRevisions(id, versions)).size).toBe(0);
  });

  it('a snapshot of a published version is no article: not read as one, and in no list', async () => {
    const id = newArticleId(new Date());
    await repository.putRevision(snapshot(id, 1));

    expect(await repository.get(id)).toBeUndefined();
    expect((await repository.getMany([id])).size).toBe(0);
    const latest = await repository.listLatest({ limit: 50 });
    expect(latest.items.map((item) => item.id)).not.toContain(id);
    const everyPublished = await repository.listPublishedBetween(
      '1990-01-01T00:00:00.000Z',
      '2099-01-01T00:00:00.000Z',
    );
    expect(everyPublished.map((item) => item.id)).not.toContain(id);
    await repository.removeRevisions(id, [1]);
  });
});
