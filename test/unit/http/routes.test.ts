import { describe, expect, it } from 'vitest';
import { ROUTES, routeById, routeKey } from '../../../functions/http/routes';

describe('the route table', () => {
  it('has the public contract routes with the right protection', () => {
    expect(ROUTES.map((route) => [routeKey(route), route.auth])).toEqual(
      expect.arrayContaining([
        ['POST /api/articles', 'contributor'],
        ['GET /api/articles/{id}', 'optional'],
        ['PATCH /api/articles/{id}', 'contributor'],
        ['DELETE /api/articles/{id}', 'admin'],
        ['GET /api/latest', 'public'],
        ['GET /api/sections', 'public'],
      ]),
    );
  });

  it('has unique route keys, ids and handlers', () => {
    expect(new Set(ROUTES.map(routeKey)).size).toBe(ROUTES.length);
    expect(new Set(ROUTES.map((route) => route.id)).size).toBe(ROUTES.length);
    expect(new Set(ROUTES.map((route) => route.handler)).size).toBe(ROUTES.length);
  });

  it('protects every route that writes', () => {
    // Making a preview link writes nothing (the link carries its own signed grant), but is an editor's act.
    const writes = ROUTES.filter(
      (candidate) => candidate.method !== 'GET' && candidate.id !== 'CreatePreviewLink',
    );
    expect(routeById('CreatePreviewLink').auth).toBe('editor');
    for (const route of writes) {
      expect(['contributor', 'editor', 'admin'], routeKey(route)).toContain(route.auth);
      expect(route.tableAccess, routeKey(route)).toBe('read-write');
    }
  });

  it('grants each contract route exactly the table access its handler needs', () => {
    expect(ROUTES.map((route) => [routeKey(route), route.tableAccess])).toEqual(
      expect.arrayContaining([
        ['POST /api/articles', 'read-write'],
        ['GET /api/articles/{id}', 'read'],
        ['PATCH /api/articles/{id}', 'read-write'],
        ['DELETE /api/articles/{id}', 'read-write'],
        ['GET /api/latest', 'read'],
        ['GET /api/sections', 'none'],
      ]),
    );
  });

  it('gives the cursor secret to exactly the routes that page through articles', () => {
    expect(ROUTES.filter((route) => route.usesCursor).map(routeKey)).toEqual(['GET /api/latest']);
  });

  it('grants no write access to a route that only reads', () => {
    for (const route of ROUTES.filter((candidate) => candidate.method === 'GET')) {
      expect(route.tableAccess, routeKey(route)).not.toBe('read-write');
    }
  });

  it('uses PascalCase ids and kebab-case handler modules', () => {
    for (const route of ROUTES) {
      expect(route.id).toMatch(/^[A-Z][A-Za-z]+$/);
      expect(route.handler).toMatch(/^[a-z]+(?:-[a-z]+)*$/);
      expect(route.path.startsWith('/api/')).toBe(true);
    }
  });
});

describe('routeKey', () => {
  it('is the method and the path, as API Gateway writes it', () => {
    expect(routeKey({ method: 'PATCH', path: '/api/articles/{id}' })).toBe('PATCH /api/articles/{id}');
  });
});
