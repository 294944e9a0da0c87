import type { RouteAuth } from '../../functions/http/routes';

/** Every kind of caller a route can meet, by what their token's `cognito:groups` holds. */
export const CALLER_GROUPS = {
  anonymous: undefined,
  reader: [],
  'unknown group': ['readers'],
  contributor: ['contributors'],
  editor: ['editors'],
  admin: ['admins'],
} as const satisfies Record<string, readonly string[] | undefined>;

export type CallerKind = keyof typeof CALLER_GROUPS;
export const CALLER_KINDS = Object.keys(CALLER_GROUPS) as CallerKind[];

/**
 * Who each rule of the route table lets in, written out rather than derived from the code under test,
 * so that a change to the rules' code that lets someone else in fails the tests.
 */
export const ADMITTED: Readonly<Record<RouteAuth, readonly CallerKind[]>> = {
  public: CALLER_KINDS,
  optional: CALLER_KINDS,
  contributor: ['contributor', 'editor', 'admin'],
  editor: ['editor', 'admin'],
  admin: ['admin'],
};

/** The status a refused caller gets: 401 without a token, 403 with one that lacks the role. */
export const refusalStatus = (kind: CallerKind) => (kind === 'anonymous' ? 401 : 403);
