/**
 * The newsroom's roles, each a Cognito group. Each role may do everything the roles before it may
 * (an admin is also an editor, an editor also a contributor), so a rule names the least role it needs.
 */

export const ROLES = ['contributor', 'editor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** The Cognito group that grants each role. */
export const ROLE_GROUPS: Readonly<Record<Role, string>> = {
  contributor: 'contributors',
  editor: 'editors',
  admin: 'admins',
};

/** How messages name someone of each role. */
export const A_ROLE: Readonly<Record<Role, string>> = {
  contributor: 'a contributor',
  editor: 'an editor',
  admin: 'an admin',
};

/** Whoever sent a verified token: its subject (`sub`) and the highest role its groups grant, if any. */
export interface Caller {
  readonly subject: string;
  readonly username?: string;
  /** Undefined for a reader: a valid token whose groups grant no role. */
  readonly role?: Role;
}

export function hasRole(role: Role | undefined, least: Role): boolean {
  return role !== undefined && ROLES.indexOf(role) >= ROLES.indexOf(least);
}

/** The highest role the groups grant; unknown groups grant nothing. */
export function roleOfGroups(groups: readonly string[]): Role | undefined {
  return [...ROLES].reverse().find((role) => groups.includes(ROLE_GROUPS[role]));
}
