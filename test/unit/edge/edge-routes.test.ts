import { describe, expect, it } from 'vitest';
import type { Article } from '../../../functions/domain/article';
import {
  desiredEdgeRoutes,
  type EdgeRoutesChange,
  edgeRouteAt,
  edgeRoutesDiff,
  GONE,
  planEdgeRoutes,
} from '../../../functions/publishing/edge-routes';

function article(overrides: Partial<Article> = {}): Article {
  return {
    id: '01JAAAAAAAAAAAAAAAAAAAAAAA',
    slug: 'story',
    previousPaths: [],
    title: 'Story',
    section: 'bota',
    body: 'Body.',
    tags: [],
    status: 'published',
    publishedAt: '2026-11-20T10:00:00.000Z',
    createdAt: '2026-11-20T10:00:00.000Z',
    updatedAt: '2026-11-20T10:00:00.000Z',
    version: 1,
    ...overrides,
  };
}

/** The change as plain data, for comparing. */
function plain(change: EdgeRoutesChange) {
  return { puts: Object.fromEntries(change.puts), deletes: [...change.deletes].sort() };
}

/** What a store holds after each change in turn. */
function applyAll(changes: readonly EdgeRoutesChange[]): Record<string, string> {
  const store = new Map<string, string>();
  for (const change of changes) {
    for (const path of change.deletes) store.delete(path);
    for (const [path, route] of change.puts) store.set(path, route);
  }
  return Object.fromEntries(store);
}

/** Slug changes as the service makes them: the path left behind joins previousPaths. */
function moved(from: Article, to: Partial<Pick<Article, 'slug' | 'section'>>): Article {
  const before = `/${from.section}/${from.slug}`;
  const next = { ...from, ...to, version: from.version + 1 };
  const current = `/${next.section}/${next.slug}`;
  return {
    ...next,
    previousPaths: [...new Set([...from.previousPaths, before])].filter((p) => p !== current),
  };
}

describe('planEdgeRoutes', () => {
  it('collapses chains: after three slug changes every old path points straight at the newest', () => {
    const v1 = article();
    const v2 = moved(v1, { slug: 'story-2' });
    const v3 = moved(v2, { slug: 'story-3', section: 'sport' });
    const v4 = moved(v3, { slug: 'story-4' });
    const store = applyAll([
      planEdgeRoutes(undefined, v1),
      planEdgeRoutes(v1, v2),
      planEdgeRoutes(v2, v3),
      planEdgeRoutes(v3, v4),
    ]);
    expect(store).toEqual({
      '/bota/story': '/sport/story-4',
      '/bota/story-2': '/sport/story-4',
      '/sport/story-3': '/sport/story-4',
    });
  });

  it('never loops: a path that becomes current again leaves the store', () => {
    const v1 = article();
    const v2 = moved(v1, { slug: 'story-2' });
    const back = moved(v2, { slug: 'story' });
    expect(back.previousPaths).toEqual(['/bota/story-2']);
    const store = applyAll([planEdgeRoutes(undefined, v1), planEdgeRoutes(v1, v2), planEdgeRoutes(v2, back)]);
    expect(store).toEqual({ '/bota/story-2': '/bota/story' });
    expect(plain(planEdgeRoutes(v2, back)).deletes).toEqual(['/bota/story']);
  });

  it('sends every path of an unpublished article to gone, and republishing brings the redirects back', () => {
    const v1 = article();
    const v2 = moved(v1, { slug: 'story-2' });
    const down = { ...v2, status: 'unpublished' as const, version: 3 };
    const up = { ...down, status: 'published' as const, version: 4 };
    expect(plain(planEdgeRoutes(v2, down))).toEqual({
      puts: { '/bota/story-2': GONE, '/bota/story': GONE },
      deletes: [],
    });
    const store = applyAll([planEdgeRoutes(undefined, v1), planEdgeRoutes(v1, v2), planEdgeRoutes(v2, down)]);
    expect(store).toEqual({ '/bota/story': GONE, '/bota/story-2': GONE });
    expect(applyAll([planEdgeRoutes(v2, down), planEdgeRoutes(down, up)])).toEqual({
      '/bota/story': '/bota/story-2',
    });
  });

  it('sends every path of a deleted live article to gone', () => {
    const v2 = moved(article(), { slug: 'story-2' });
    expect(plain(planEdgeRoutes(v2, undefined))).toEqual({
      puts: { '/bota/story-2': GONE, '/bota/story': GONE },
      deletes: [],
    });
  });

  it('clears a gone path when another article takes the released slug and publishes', () => {
    const first = article();
    const reuse = article({ id: '01JBBBBBBBBBBBBBBBBBBBBBBB' });
    expect(applyAll([planEdgeRoutes(first, undefined), planEdgeRoutes(undefined, reuse)])).toEqual({});
  });

  it('writes nothing for an edit in place, a draft, or a delete of an article that was not live', () => {
    const live = article();
    expect(plain(planEdgeRoutes(live, { ...live, title: 'Edited', version: 2 }))).toEqual({
      puts: {},
      deletes: [],
    });
    const draft = article({ status: 'draft', publishedAt: undefined });
    expect(plain(planEdgeRoutes(undefined, draft))).toEqual({ puts: {}, deletes: [] });
    const down = article({ status: 'unpublished' });
    expect(plain(planEdgeRoutes(down, undefined))).toEqual({ puts: {}, deletes: [] });
  });

  it('leaves out stored paths that are not article-shaped', () => {
    const odd = article({ previousPaths: ['/../../etc', '//evil.example/x', '/bota/fine'] });
    expect(plain(planEdgeRoutes(undefined, odd))).toEqual({
      puts: { '/bota/fine': '/bota/story' },
      deletes: ['/bota/story'],
    });
    expect(Object.keys(plain(planEdgeRoutes(odd, undefined)).puts).sort()).toEqual([
      '/bota/fine',
      '/bota/story',
    ]);
  });
});

describe('desiredEdgeRoutes and edgeRouteAt', () => {
  it('holds redirects of live articles and gone paths, never an entry for a live path', () => {
    const live = article({ slug: 'now', previousPaths: ['/bota/then'] });
    const reused = article({ id: '01JBBBBBBBBBBBBBBBBBBBBBBB', slug: 'reused' });
    const desired = desiredEdgeRoutes({
      live: [live, reused],
      // A tombstone at a path a live article holds again, and one at an old path still redirected.
      gone: ['/bota/reused', '/bota/then', '/sport/withdrawn', '/not an article'],
    });
    expect(Object.fromEntries(desired)).toEqual({ '/bota/then': '/bota/now', '/sport/withdrawn': GONE });
  });

  it('turns a store with a wrong, a missing and an extra entry into the desired one', () => {
    const current = new Map([
      ['/bota/a', '/bota/wrong'],
      ['/bota/extra', GONE],
    ]);
    const desired = new Map([
      ['/bota/a', '/bota/b'],
      ['/bota/gone', GONE],
    ]);
    expect(plain(edgeRoutesDiff(current, desired))).toEqual({
      puts: { '/bota/a': '/bota/b', '/bota/gone': GONE },
      deletes: ['/bota/extra'],
    });
  });

  it('decides one path from its claiming article and a tombstone: a live article always wins', () => {
    const live = article({ slug: 'now', previousPaths: ['/bota/then'] });
    expect(edgeRouteAt('/bota/then', live, true)).toBe('/bota/now');
    expect(edgeRouteAt('/bota/now', live, true)).toBeUndefined();
    const withdrawn = { ...live, status: 'unpublished' as const };
    expect(edgeRouteAt('/bota/now', withdrawn, false)).toBe(GONE);
    expect(edgeRouteAt('/bota/then', withdrawn, false)).toBe(GONE);
    const neverPublished = article({ status: 'draft', publishedAt: undefined });
    expect(edgeRouteAt('/bota/story', neverPublished, false)).toBeUndefined();
    // The slug's article lives elsewhere now (a released slug taken again): only a tombstone says gone.
    expect(edgeRouteAt('/sport/now', live, true)).toBe(GONE);
    expect(edgeRouteAt('/sport/now', live, false)).toBeUndefined();
    expect(edgeRouteAt('/bota/deleted', undefined, true)).toBe(GONE);
    expect(edgeRouteAt('/bota/deleted', undefined, false)).toBeUndefined();
  });
});
