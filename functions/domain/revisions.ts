import type { Article } from './article';
import { AppError } from './errors';

/**
 * Revisions: every version an article had, kept as a snapshot when it is superseded. Pure rules (which
 * versions are kept, listed and pruned, what changed between two versions); storage is the repository's.
 *
 * The bound: the current version and the REVISIONS_KEPT versions before it can be read. One snapshot more
 * is stored, only so that the oldest readable version can still say what it changed; older snapshots are
 * deleted as new versions are written, and all of them when the article is deleted.
 */
export const REVISIONS_KEPT = 50;

/**
 * Snapshots that pruning deletes on each write: the one that just fell out of the bound and the one
 * before, so that a single prune lost to a crash is made good by the next write.
 */
const PRUNE_WINDOW = 2;

/** Fields that every version changes, or that never change once written: not what an editor changed. */
const BOOKKEEPING_FIELDS: ReadonlySet<string> = new Set([
  'id',
  'version',
  'createdAt',
  'createdBy',
  'updatedAt',
  'updatedBy',
  // Follows from slug and section changes, which are reported themselves.
  'previousPaths',
]);

/** One entry of an article's revision list. */
export interface RevisionSummary {
  readonly version: number;
  readonly updatedAt: string;
  readonly updatedBy?: string;
  /** Absent when the version before it is not kept (written before revisions were kept). */
  readonly changes?: readonly string[];
}

export interface RevisionPage {
  readonly items: readonly RevisionSummary[];
  /** The version to list from next (exclusive), when older ones remain. */
  readonly nextBefore?: number;
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  // Article fields are JSON data (strings, numbers, lists of strings, plain records).
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * The names of the fields that differ from `previous` to `next`, sorted; `[]` for the first version.
 * Every field counts, including ones added after this was written, except bookkeeping.
 */
export function changedFields(previous: Article | undefined, next: Article): string[] {
  if (!previous) return [];
  const before = previous as unknown as Record<string, unknown>;
  const after = next as unknown as Record<string, unknown>;
  const names = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...names]
    .filter((name) => !BOOKKEEPING_FIELDS.has(name) && !sameValue(before[name], after[name]))
    .sort();
}

/** The oldest version that can be read while `currentVersion` is current. */
export function oldestReadableVersion(currentVersion: number): number {
  return Math.max(1, currentVersion - REVISIONS_KEPT);
}

/** Whether version `version` of an article now at `currentVersion` can be read (it may still be missing). */
export function isReadableVersion(version: number, currentVersion: number): boolean {
  return (
    Number.isSafeInteger(version) &&
    version >= oldestReadableVersion(currentVersion) &&
    version <= currentVersion
  );
}

/** The snapshots to delete once version `currentVersion` is written (none while the bound is not reached). */
export function versionsToPrune(currentVersion: number): number[] {
  const newestPruned = currentVersion - REVISIONS_KEPT - 2;
  const versions: number[] = [];
  for (let version = newestPruned; version > newestPruned - PRUNE_WINDOW && version >= 1; version -= 1) {
    versions.push(version);
  }
  return versions;
}

/**
 * Every snapshot an article deleted at `lastVersion` can have: the stored ones and those pruning may have
 * missed, newest first. Bounded, whatever the article's history.
 */
export function versionsOfDeletedArticle(lastVersion: number): number[] {
  const oldest = Math.max(1, lastVersion - REVISIONS_KEPT - 1 - PRUNE_WINDOW);
  const versions: number[] = [];
  for (let version = lastVersion - 1; version >= oldest; version -= 1) versions.push(version);
  return versions;
}

/**
 * Which versions one page of the list shows, newest first (the current one included), and which
 * snapshots to read for it: each listed one and the version before the oldest listed, to tell what it
 * changed.
 */
export function revisionPagePlan(
  currentVersion: number,
  page: { readonly limit: number; readonly before?: number },
): { readonly listed: number[]; readonly toRead: number[]; readonly nextBefore?: number } {
  const oldest = oldestReadableVersion(currentVersion);
  const start = Math.min(currentVersion, (page.before ?? currentVersion + 1) - 1);
  const listed: number[] = [];
  for (let version = start; version >= oldest && listed.length < page.limit; version -= 1) {
    listed.push(version);
  }
  const last = listed.at(-1);
  const below = last === undefined ? [] : [last - 1].filter((version) => version >= 1);
  const toRead = [...listed, ...below].filter((version) => version !== currentVersion);
  const nextBefore = last !== undefined && last > oldest ? last : undefined;
  return { listed, toRead, ...(nextBefore === undefined ? {} : { nextBefore }) };
}

/** The list entries of `listed`, from the versions read (the current one among them); missing ones are skipped. */
export function revisionSummaries(
  listed: readonly number[],
  versions: ReadonlyMap<number, Article>,
): RevisionSummary[] {
  return listed.flatMap((version): RevisionSummary[] => {
    const article = versions.get(version);
    if (!article) return [];
    const previous = versions.get(version - 1);
    const changes = version === 1 || previous ? changedFields(previous, article) : undefined;
    return [
      {
        version,
        updatedAt: article.updatedAt,
        ...(article.updatedBy === undefined ? {} : { updatedBy: article.updatedBy }),
        ...(changes === undefined ? {} : { changes }),
      },
    ];
  });
}

/** A revision number from a path: anything but a positive whole number names no revision (a 404, like a bad id). */
export function parseRevisionNumber(text: string): number | undefined {
  if (!/^[1-9][0-9]{0,14}$/.test(text)) return undefined;
  return Number(text);
}

const CURSOR_MESSAGE = 'cursor must be one returned as nextCursor by this list';

/** The version a cursor continues below; a 400 for anything this list never returned. */
export function decodeRevisionCursor(cursor: string | undefined): number | undefined {
  if (cursor === undefined) return undefined;
  const version = parseRevisionNumber(cursor);
  if (version === undefined || version < 2) {
    throw new AppError('invalid_cursor', 'The cursor is invalid', [
      { field: 'cursor', message: CURSOR_MESSAGE },
    ]);
  }
  return version;
}

export function encodeRevisionCursor(before: number): string {
  return String(before);
}
