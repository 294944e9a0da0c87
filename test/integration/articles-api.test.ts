import { describe, expect, inject, it } from 'vitest';
import { adminToken, api, articleInput, createArticle, editorToken, expectError } from './support/api';

const token = editorToken;

describe('POST /api/articles', () => {
  it('creates an article and answers 201 with Location, ETag and the page URL', async () => {
    const response = await api('/api/articles', {
      method: 'POST',
      token: token(),
      json: articleInput({ title: 'Rutte: US is fully committed to NATO', tags: ['nato', 'summit'] }),
    });
    expect(response.status).toBe(201);
    const article = response.body;
    expect(article.id).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(article.slug).toMatch(/^rutte-us-is-fully-committed-to-nato(-[a-z0-9]+)?$/);
    expect(article.version).toBe(1);
    expect(article.status).toBe('published');
    expect(response.headers.get('location')).toBe(`/api/articles/${article.id}`);
    expect(response.headers.get('etag')).toBe('"1"');
    expect(article.url).toBe(`${inject('origin')}/bota/${article.slug}`);
    expect(Date.parse(article.createdAt)).not.toBeNaN();
    expect(article.publishedAt).toBe(article.createdAt);
  });

  it('transliterates UTF-8 headlines into ASCII slugs and keeps the headline intact', async () => {
    const title = `Çështja e ëndrrës: Москва ${Date.now()}`;
    const { body } = await createArticle({ title });
    expect(body.title).toBe(title);
    expect(body.slug).toMatch(/^ceshtja-e-endrres-moskva-\d+$/);
    const fetched = await api(`/api/articles/${body.id}`);
    expect(fetched.body.title).toBe(title);
  });

  it('gives a headline without a Latin transliteration an id-based slug', async () => {
    const { body } = await createArticle({ title: '東京の新しい図書館' });
    expect(body.slug).toBe(`article-${body.id.toLowerCase()}`);
  });

  it('gives a second article with the same headline a distinct slug', async () => {
    const title = `Same headline ${Date.now()}`;
    const first = await createArticle({ title });
    const second = await createArticle({ title });
    expect(second.body.slug).not.toBe(first.body.slug);
    expect(second.body.slug.startsWith(first.body.slug)).toBe(true);
  });

  it('refuses an explicit slug that is taken with 409', async () => {
    const first = await createArticle();
    const response = await api('/api/articles', {
      method: 'POST',
      token: token(),
      json: articleInput({ slug: first.body.slug }),
    });
    expectError(response, 409, 'slug_conflict', expect);
  });

  it('defaults to a draft that readers cannot see but editors can', async () => {
    const { body } = await createArticle({ status: undefined });
    expect(body.status).toBe('draft');
    expectError(await api(`/api/articles/${body.id}`), 404, 'not_found', expect);
    const asEditor = await api(`/api/articles/${body.id}`, { token: token() });
    expect(asEditor.status).toBe(200);
    expect(asEditor.body.status).toBe('draft');
  });

  it('schedules an article with a future publishAt', async () => {
    const publishAt = new Date(Date.now() + 3_600_000).toISOString();
    const { body } = await createArticle({ publishAt });
    expect(body.status).toBe('scheduled');
    expect(body.publishAt).toBe(publishAt);
    expect(body.publishedAt).toBeUndefined();
  });
});

describe('GET /api/articles/{id}', () => {
  it('returns a published article with its ETag to anyone', async () => {
    const { body } = await createArticle();
    const response = await api(`/api/articles/${body.id}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('etag')).toBe('"1"');
    expect(response.body).toMatchObject({ id: body.id, title: body.title, body: body.body, url: body.url });
  });

  it('also finds an article by its slug', async () => {
    const { body } = await createArticle();
    const response = await api(`/api/articles/${body.slug}`);
    expect(response.status).toBe(200);
    expect(response.body.id).toBe(body.id);
  });

  it('answers 404 for an unknown id', async () => {
    expectError(await api('/api/articles/01ARZ3NDEKTSV4RRFFQ69G5FAV'), 404, 'not_found', expect);
  });

  it('refuses an invalid token instead of silently ignoring it', async () => {
    const { body } = await createArticle();
    expectError(await api(`/api/articles/${body.id}`, { token: 'not-a-jwt' }), 401, 'unauthorized', expect);
    expectError(
      await api(`/api/articles/${body.id}`, { token: inject('expiredToken') }),
      401,
      'unauthorized',
      expect,
    );
  });
});

describe('PATCH /api/articles/{id}', () => {
  it('updates the fields given, bumps the version and returns the new ETag', async () => {
    const { body } = await createArticle({ tags: ['one'] });
    const response = await api(`/api/articles/${body.id}`, {
      method: 'PATCH',
      token: token(),
      headers: { 'if-match': '"1"' },
      json: { summary: 'A new standfirst', tags: ['one', 'two'] },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('etag')).toBe('"2"');
    expect(response.body).toMatchObject({ version: 2, summary: 'A new standfirst', tags: ['one', 'two'] });
    expect(response.body.title).toBe(body.title);
    expect(response.body.updatedAt >= body.updatedAt).toBe(true);
  });

  it('answers 428 without If-Match and 412 with a stale one, changing nothing', async () => {
    const { body } = await createArticle();
    const patch = { title: 'Changed headline' };
    expectError(
      await api(`/api/articles/${body.id}`, { method: 'PATCH', token: token(), json: patch }),
      428,
      'precondition_required',
      expect,
    );
    const first = await api(`/api/articles/${body.id}`, {
      method: 'PATCH',
      token: token(),
      headers: { 'if-match': '"1"' },
      json: { summary: 'first editor wins' },
    });
    expect(first.status).toBe(200);
    const second = await api(`/api/articles/${body.id}`, {
      method: 'PATCH',
      token: token(),
      headers: { 'if-match': '"1"' },
      json: patch,
    });
    expectError(second, 412, 'precondition_failed', expect);
    const current = await api(`/api/articles/${body.id}`);
    expect(current.body).toMatchObject({ version: 2, title: body.title, summary: 'first editor wins' });
  });

  it('lets exactly one of two concurrent edits of the same version win', async () => {
    const { body } = await createArticle();
    const edit = (summary: string) =>
      api(`/api/articles/${body.id}`, {
        method: 'PATCH',
        token: token(),
        headers: { 'if-match': '"1"' },
        json: { summary },
      });
    const results = await Promise.all([edit('editor A'), edit('editor B'), edit('editor C')]);
    const statuses = results.map((result) => result.status).sort();
    expect(statuses).toEqual([200, 412, 412]);
    const winner = results.find((result) => result.status === 200);
    const current = await api(`/api/articles/${body.id}`);
    expect(current.body.summary).toBe(winner?.body.summary);
    expect(current.body.version).toBe(2);
  });

  it('keeps the old URL resolving after a slug change', async () => {
    const { body } = await createArticle();
    const newSlug = `renamed-${body.slug}`;
    const response = await api(`/api/articles/${body.id}`, {
      method: 'PATCH',
      token: token(),
      headers: { 'if-match': '"1"' },
      json: { slug: newSlug },
    });
    expect(response.status).toBe(200);
    expect(response.body.slug).toBe(newSlug);
    expect(response.body.url).toBe(`${inject('origin')}/bota/${newSlug}`);
    expect(response.body.previousPaths).toEqual([`/bota/${body.slug}`]);
    const byOldSlug = await api(`/api/articles/${body.slug}`);
    expect(byOldSlug.body.id).toBe(body.id);
    // The old slug stays claimed, so no other article can take over the redirecting URL.
    expectError(
      await api('/api/articles', { method: 'POST', token: token(), json: articleInput({ slug: body.slug }) }),
      409,
      'slug_conflict',
      expect,
    );
  });

  it('unpublishes and republishes through status, keeping the first publication date', async () => {
    const { body } = await createArticle();
    const unpublished = await api(`/api/articles/${body.id}`, {
      method: 'PATCH',
      token: token(),
      headers: { 'if-match': '"1"' },
      json: { status: 'unpublished' },
    });
    expect(unpublished.body.status).toBe('unpublished');
    expectError(await api(`/api/articles/${body.id}`), 404, 'not_found', expect);
    const republished = await api(`/api/articles/${body.id}`, {
      method: 'PATCH',
      token: token(),
      headers: { 'if-match': '"2"' },
      json: { status: 'published' },
    });
    expect(republished.body).toMatchObject({
      status: 'published',
      publishedAt: body.publishedAt,
      version: 3,
    });
  });

  it('answers 404 for an unknown article', async () => {
    const response = await api('/api/articles/01ARZ3NDEKTSV4RRFFQ69G5FAV', {
      method: 'PATCH',
      token: token(),
      headers: { 'if-match': '"1"' },
      json: { title: 'x' },
    });
    expectError(response, 404, 'not_found', expect);
  });
});

describe('DELETE /api/articles/{id}', () => {
  it('deletes with 204, after which the article is gone and its slug is free again', async () => {
    const { body } = await createArticle();
    const response = await api(`/api/articles/${body.id}`, { method: 'DELETE', token: adminToken() });
    expect(response.status).toBe(204);
    expect(response.text).toBe('');
    expectError(await api(`/api/articles/${body.id}`, { token: token() }), 404, 'not_found', expect);
    expectError(
      await api(`/api/articles/${body.id}`, { method: 'DELETE', token: adminToken() }),
      404,
      'not_found',
      expect,
    );
    const reused = await api('/api/articles', {
      method: 'POST',
      token: token(),
      json: articleInput({ slug: body.slug }),
    });
    expect(reused.status).toBe(201);
  });

  it('lets exactly one of concurrent deletes without If-Match succeed; the others are 404, never 412 or 500', async () => {
    for (let round = 0; round < 3; round += 1) {
      const { body } = await createArticle();
      const statuses = await Promise.all(
        [1, 2, 3].map(
          async () =>
            (await api(`/api/articles/${body.id}`, { method: 'DELETE', token: adminToken() })).status,
        ),
      );
      expect(statuses.filter((status) => status === 204)).toHaveLength(1);
      expect(statuses.filter((status) => status !== 204).every((status) => status === 404)).toBe(true);
      expect((await api(`/api/articles/${body.id}`, { token: token() })).status).toBe(404);
    }
  });

  it('deletes without If-Match even while edits keep bumping the version: 204, never 412', async () => {
    for (let round = 0; round < 3; round += 1) {
      const { body } = await createArticle();
      const edit = async (version: number) =>
        (
          await api(`/api/articles/${body.id}`, {
            method: 'PATCH',
            token: token(),
            headers: { 'if-match': `"${version}"` },
            json: { summary: `Edit ${version}` },
          })
        ).status;
      const [deleted, ...edits] = await Promise.all([
        api(`/api/articles/${body.id}`, { method: 'DELETE', token: adminToken() }),
        edit(1),
        edit(1),
      ]);
      expect(deleted.status, deleted.text).toBe(204);
      // An edit either landed before the delete or found the article gone (or lost to the other edit).
      for (const status of edits) expect([200, 404, 412]).toContain(status);
      expect((await api(`/api/articles/${body.id}`, { token: token() })).status).toBe(404);
      // Its slug went with it, whichever version was deleted.
      expect((await api(`/api/articles/${body.slug}`, { token: token() })).status).toBe(404);
    }
  });

  it('answers 404, not 412, to a delete with If-Match of an article that is already gone', async () => {
    const { body } = await createArticle();
    expect((await api(`/api/articles/${body.id}`, { method: 'DELETE', token: adminToken() })).status).toBe(
      204,
    );
    const response = await api(`/api/articles/${body.id}`, {
      method: 'DELETE',
      token: adminToken(),
      headers: { 'if-match': '"1"' },
    });
    expectError(response, 404, 'not_found', expect);
  });

  it('honours a stale If-Match with 412 and keeps the article', async () => {
    const { body } = await createArticle();
    const response = await api(`/api/articles/${body.id}`, {
      method: 'DELETE',
      token: adminToken(),
      headers: { 'if-match': '"7"' },
    });
    expectError(response, 412, 'precondition_failed', expect);
    expect((await api(`/api/articles/${body.id}`)).status).toBe(200);
  });
});

describe('GET /api/sections', () => {
  it('lists the configured sections, Bota first', async () => {
    const response = await api('/api/sections');
    expect(response.status).toBe(200);
    expect(response.body.items[0]).toMatchObject({ slug: 'bota', name: 'Bota' });
    expect(response.body.items.length).toBeGreaterThanOrEqual(5);
    expect(response.headers.get('cache-control')).toMatch(/public/);
  });
});

describe('the local stack', () => {
  it('seeded sample articles into the fresh data directory', () => {
    expect(inject('seededArticles')).toBeGreaterThan(0);
  });
});

describe('response headers', () => {
  it('sends the security headers of the CloudFront response-headers policy on API responses too', async () => {
    const response = await api('/api/sections');
    expect(response.headers.get('content-security-policy')).toMatch(/default-src 'none'/);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('strict-transport-security')).toMatch(/max-age=/);
  });
});
