import {
  AuthenticationError,
  ConflictError,
  type CreateArticleRequest,
  FlashNewsClient,
  ForbiddenError,
  NotFoundError,
  StaleArticleError,
  ValidationError,
} from 'flash-news-client';
import { describe, expect, inject, it } from 'vitest';
import { adminToken, articleInput, editorToken, origin } from './support/api';
import { conformingFetch } from './support/openapi-conformance';

/** The typed client (client/) against the real local stack: what the unit tests fake, for real. */

/** The tests' article input, typed as the client's request (its status is one of the allowed ones). */
const storyInput = (overrides: Record<string, unknown> = {}) =>
  articleInput(overrides) as CreateArticleRequest;

// Every answer the client gets is held to the OpenAPI document too.
const editor = () => new FlashNewsClient({ baseUrl: origin(), token: editorToken(), fetch: conformingFetch });
const anonymous = () => new FlashNewsClient({ baseUrl: origin(), fetch: conformingFetch });

async function caught(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail');
}

describe('flash-news-client against the local stack', () => {
  it('lists the configured sections', async () => {
    const sections = await anonymous().sections();
    expect(sections.map((section) => section.slug)).toContain('bota');
    expect(sections[0]).toMatchObject({ slug: 'bota', name: 'Bota', url: `${origin()}/bota/` });
  });

  it('creates, reads by id and by slug, updates with If-Match from the read, and deletes', async () => {
    const client = editor();
    const created = await client.createArticle(storyInput({ tags: ['client', 'client'] }));
    expect(created).toMatchObject({ version: 1, status: 'published', tags: ['client'] });
    expect(created.url).toBe(`${origin()}/bota/${created.slug}`);

    const bySlug = await anonymous().getArticle(created.slug);
    expect(bySlug.id).toBe(created.id);

    const updated = await client.updateArticle(created.id, { summary: 'Updated by the client.' });
    expect(updated).toMatchObject({ version: 2, summary: 'Updated by the client.' });
    const cleared = await client.updateArticle(created.slug, { summary: null });
    expect(cleared.version).toBe(3);
    expect(cleared.summary).toBeUndefined();

    const admin = new FlashNewsClient({ baseUrl: origin(), token: adminToken(), fetch: conformingFetch });
    // Deleting needs an admin: an editor is refused, and the article stays.
    expect(await caught(client.deleteArticle(created.slug))).toBeInstanceOf(ForbiddenError);
    await admin.deleteArticle(created.slug);
    expect(await caught(client.getArticle(created.id))).toBeInstanceOf(NotFoundError);
  });

  it('refuses an update made against a version someone else has changed since, until it is read again', async () => {
    const mine = editor();
    const theirs = editor();
    const created = await mine.createArticle(storyInput());
    await theirs.getArticle(created.id);
    await theirs.updateArticle(created.id, { title: `${created.title} (theirs)` });

    const error = await caught(mine.updateArticle(created.id, { summary: 'Mine' }));
    expect(error).toBeInstanceOf(StaleArticleError);
    expect(error).toMatchObject({ status: 412, code: 'precondition_failed', expectedVersion: 1 });

    const fresh = await mine.getArticle(created.id);
    expect(fresh.title).toBe(`${created.title} (theirs)`);
    expect((await mine.updateArticle(created.id, { summary: 'Mine' })).version).toBe(3);
  });

  it('returns the first article when a create is repeated with its Idempotency-Key', async () => {
    const client = editor();
    const input = storyInput();
    const key = `client-it-${Date.now()}`;
    const first = await client.createArticle(input, { idempotencyKey: key });
    const again = await client.createArticle(input, { idempotencyKey: key });
    expect(again.id).toBe(first.id);
    const error = await caught(client.createArticle(storyInput(), { idempotencyKey: key }));
    expect(error).toBeInstanceOf(ConflictError);
    expect((error as ConflictError).code).toBe('idempotency_conflict');
  });

  it('iterates the latest articles across pages, each once, newest first', async () => {
    const client = editor();
    const titles = new Set<string>();
    for (let n = 0; n < 3; n += 1) {
      titles.add((await client.createArticle(storyInput({ section: 'opinion' }))).title);
    }
    const paged: string[] = [];
    for await (const item of anonymous().latest({ section: 'opinion', limit: 2 })) paged.push(item.id);
    const single = (await anonymous().latestPage({ section: 'opinion', limit: 50 })).items.map(
      (item) => item.id,
    );
    expect(paged.slice(0, single.length)).toEqual(single);
    expect(new Set(paged).size).toBe(paged.length);

    const newest: string[] = [];
    for await (const item of anonymous().latest({ section: 'opinion', limit: 2 })) {
      newest.push(item.title);
      if (newest.length === 3) break;
    }
    expect(new Set(newest)).toEqual(titles);
  });

  it('lists and reads the versions of an article, previews it, and makes a preview link anyone can open', async () => {
    const client = editor();
    const created = await client.createArticle(
      storyInput({ status: 'draft', title: 'Client preview story' }),
    );
    await client.updateArticle(created.id, { summary: 'A second version.' });
    await client.updateArticle(created.id, { title: 'Client preview story, retitled' });

    const versions = [];
    for await (const version of client.revisions(created.id, { limit: 2 })) versions.push(version);
    expect(versions.map((version) => version.version)).toEqual([3, 2, 1]);
    expect(versions[0]?.changes).toEqual(['title']);
    const first = await client.getRevision(created.id, 1);
    expect(first).toMatchObject({ id: created.id, version: 1, title: 'Client preview story' });

    const current = await client.preview(created.id);
    expect(current).toContain('<h1>Client preview story, retitled</h1>');
    expect(await client.preview(created.id, { revision: 1 })).toContain('<h1>Client preview story</h1>');

    const link = await client.createPreviewLink(created.id);
    expect(new Date(link.expiresAt).getTime()).toBeGreaterThan(Date.now());
    const opened = await fetch(link.url.replace(/^https?:\/\/[^/]+/, origin()));
    expect(opened.status).toBe(200);
    expect(await opened.text()).toContain('Client preview story, retitled');

    expect(await caught(anonymous().revisionsPage(created.id))).toBeInstanceOf(AuthenticationError);
    expect(await caught(client.getRevision(created.id, 99))).toBeInstanceOf(NotFoundError);
  });

  it('shows drafts to editors only', async () => {
    const draft = await editor().createArticle(storyInput({ status: 'draft' }));
    expect((await editor().getArticle(draft.id)).status).toBe('draft');
    expect(await caught(anonymous().getArticle(draft.id))).toBeInstanceOf(NotFoundError);
  });

  it('maps the API’s refusals to typed errors carrying its JSON error', async () => {
    const invalid = await caught(editor().createArticle(storyInput({ section: 'nowhere' })));
    expect(invalid).toBeInstanceOf(ValidationError);
    expect(invalid).toMatchObject({ status: 400, code: 'validation_failed' });
    expect((invalid as ValidationError).details.map((problem) => problem.field)).toEqual(['section']);

    const unauthenticated = await caught(anonymous().createArticle(storyInput()));
    expect(unauthenticated).toBeInstanceOf(AuthenticationError);
    expect(unauthenticated).toMatchObject({ status: 401, code: 'unauthorized' });

    const reader = new FlashNewsClient({
      baseUrl: origin(),
      token: inject('readerToken'),
      fetch: conformingFetch,
    });
    expect(await caught(reader.createArticle(storyInput()))).toBeInstanceOf(ForbiddenError);

    const cursor = await caught(anonymous().latestPage({ cursor: 'forged' }));
    expect(cursor).toMatchObject({ status: 400, code: 'invalid_cursor' });
  });
});
