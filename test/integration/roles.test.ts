import { describe, expect, inject, it } from 'vitest';
import { ROUTES, type RouteDefinition, routeKey } from '../../functions/http/routes';
import { ADMITTED, CALLER_KINDS, type CallerKind, refusalStatus } from '../support/route-rules';
import { type ApiResponse, api, articleInput, expectError } from './support/api';

/** Roles end to end (issue #9, item 1): every route × every kind of caller, through the local stack. */

const TOKENS: Readonly<Record<CallerKind, () => string | undefined>> = {
  anonymous: () => undefined,
  reader: () => inject('noGroupToken'),
  'unknown group': () => inject('readerToken'),
  contributor: () => inject('contributorToken'),
  editor: () => inject('editorToken'),
  admin: () => inject('adminToken'),
};
const contributor = () => inject('contributorToken');
const editor = () => inject('editorToken');

async function created(token: string, overrides: Record<string, unknown> = {}) {
  const response = await api('/api/articles', { method: 'POST', token, json: articleInput(overrides) });
  expect(response.status, response.text).toBe(201);
  return response.body as { id: string; version: number; status: string; createdBy?: string; url: string };
}

/** What each route is asked, by a caller with `token`; and the answer it gives when it lets them in. */
const TRIES: Readonly<Record<string, (token: string | undefined) => Promise<[ApiResponse, number]>>> = {
  CreateArticle: async (token) => [
    await api('/api/articles', { method: 'POST', token, json: articleInput({ status: 'draft' }) }),
    201,
  ],
  GetArticle: async (token) => {
    const { id } = await created(editor(), { status: 'published' });
    return [await api(`/api/articles/${id}`, { token }), 200];
  },
  // The contributor's own draft: one every caller the route lets in may change.
  UpdateArticle: async (token) => {
    const { id } = await created(contributor(), { status: 'draft' });
    const patch = { method: 'PATCH', token, headers: { 'if-match': '"1"' }, json: { title: 'Changed' } };
    return [await api(`/api/articles/${id}`, patch), 200];
  },
  DeleteArticle: async (token) => {
    const { id } = await created(editor(), { status: 'draft' });
    return [await api(`/api/articles/${id}`, { method: 'DELETE', token }), 204];
  },
  ListArticleRevisions: async (token) => {
    const { id } = await created(editor(), { status: 'draft' });
    return [await api(`/api/articles/${id}/revisions`, { token }), 200];
  },
  GetArticleRevision: async (token) => {
    const { id } = await created(editor(), { status: 'draft' });
    return [await api(`/api/articles/${id}/revisions/1`, { token }), 200];
  },
  PreviewArticle: async (token) => {
    const { id } = await created(editor(), { status: 'draft' });
    return [await api(`/api/articles/${id}/preview`, { token }), 200];
  },
  CreatePreviewLink: async (token) => {
    const { id } = await created(editor(), { status: 'draft' });
    return [await api(`/api/articles/${id}/preview-link`, { method: 'POST', token }), 201];
  },
  // Public: the signed link is the credential, whatever token (if any) comes with it.
  OpenPreviewLink: async (token) => {
    const { id } = await created(editor(), { status: 'draft' });
    const link = await api(`/api/articles/${id}/preview-link`, { method: 'POST', token: editor() });
    const url = new URL(link.body.url);
    return [await api(`${url.pathname}${url.search}`, { token }), 200];
  },
  ListLatest: async (token) => [await api('/api/latest', { token }), 200],
  ListSections: async (token) => [await api('/api/sections', { token }), 200],
  GetOpenApiDocument: async (token) => [await api('/api/openapi.json', { token }), 200],
  GetApiReference: async (token) => [await api('/api/docs', { token }), 200],
};

const cases = ROUTES.flatMap((route) =>
  CALLER_KINDS.map((kind) => [routeKey(route), kind, route] as [string, CallerKind, RouteDefinition]),
);

describe('every route × every kind of caller', () => {
  it('has a try for every route in the table', () => {
    expect(Object.keys(TRIES).sort()).toEqual(ROUTES.map((route) => route.id).sort());
  });

  it.concurrent.each(cases)('%s as %s', async (_, kind, route) => {
    const try_ = TRIES[route.id];
    if (!try_) throw new Error(`No try for ${route.id}`);
    const [response, success] = await try_(TOKENS[kind]());
    if (ADMITTED[route.auth].includes(kind)) {
      expect(response.status, response.text).toBe(success);
    } else {
      const status = refusalStatus(kind);
      expectError(response, status, status === 401 ? 'unauthorized' : 'forbidden', expect);
    }
  });
});

describe("who sees a contributor's draft", () => {
  const SEES_IT: readonly CallerKind[] = ['contributor', 'editor', 'admin'];

  it.concurrent.each(CALLER_KINDS)('%s', async (kind) => {
    const draft = await created(contributor(), { status: 'draft' });
    const response = await api(`/api/articles/${draft.id}`, { token: TOKENS[kind]() });
    if (SEES_IT.includes(kind)) expect(response.body).toMatchObject({ id: draft.id, status: 'draft' });
    else expectError(response, 404, 'not_found', expect);
  });
});

describe('what a contributor may do', () => {
  it('writes their own draft, submits it for review, and may not publish it; an editor does', async () => {
    const draft = await created(contributor(), { status: 'draft' });
    expect(draft.createdBy).toMatch(/\S/);
    expectError(
      await api('/api/articles', { method: 'POST', token: contributor(), json: articleInput() }),
      403,
      'forbidden',
      expect,
    );
    const patch = (token: string, version: number, json: Record<string, unknown>) =>
      api(`/api/articles/${draft.id}`, {
        method: 'PATCH',
        token,
        headers: { 'if-match': `"${version}"` },
        json,
      });

    for (const status of ['published', 'scheduled', 'unpublished']) {
      const json = { status, publishAt: new Date(Date.now() + 3_600_000).toISOString() };
      expectError(await patch(contributor(), 1, json), 403, 'forbidden', expect);
    }
    const submitted = await patch(contributor(), 1, { status: 'review', title: 'Ready for the desk' });
    expect(submitted.body).toMatchObject({ status: 'review', version: 2, createdBy: draft.createdBy });
    // Submitted, not live: readers still get a 404, and no list has it.
    expectError(await api(`/api/articles/${draft.id}`), 404, 'not_found', expect);
    const latest = await api('/api/latest?limit=50');
    expect(latest.body.items.map((item: { id: string }) => item.id)).not.toContain(draft.id);

    const published = await patch(editor(), 2, { status: 'published' });
    expect(published.body).toMatchObject({ status: 'published', createdBy: draft.createdBy });
    expectError(await patch(contributor(), 3, { title: 'One more change' }), 403, 'forbidden', expect);
    expect((await api(`/api/articles/${draft.id}`)).body).toMatchObject({ title: 'Ready for the desk' });
  });

  it("sees and changes only their own drafts: someone else's are 404, as if they did not exist", async () => {
    const theirs = await created(inject('otherContributorToken'), { status: 'draft' });
    const editors = await created(editor(), { status: 'draft' });
    for (const { id } of [theirs, editors]) {
      expectError(await api(`/api/articles/${id}`, { token: contributor() }), 404, 'not_found', expect);
      const patch = {
        method: 'PATCH',
        token: contributor(),
        headers: { 'if-match': '"1"' },
        json: { title: 'Mine' },
      };
      expectError(await api(`/api/articles/${id}`, patch), 404, 'not_found', expect);
    }
    expect((await api(`/api/articles/${theirs.id}`, { token: inject('otherContributorToken') })).status).toBe(
      200,
    );
    expect((await api(`/api/articles/${theirs.id}`, { token: editor() })).status).toBe(200);
  });

  it('may not touch a live article, not even to take it down: 403', async () => {
    const live = await created(editor(), { status: 'published' });
    const patch = { method: 'PATCH', token: contributor(), headers: { 'if-match': '"1"' } };
    for (const json of [{ title: 'Hijacked' }, { status: 'unpublished' }, { status: 'draft' }]) {
      expectError(await api(`/api/articles/${live.id}`, { ...patch, json }), 403, 'forbidden', expect);
    }
    expect((await api(`/api/articles/${live.id}`)).body).toMatchObject({ status: 'published', version: 1 });
  });
});
