import { createHash } from 'node:crypto';
import { readFile, realpath, writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import {
  type Article,
  type ArticleStatus,
  type FlashNewsClient,
  NotFoundError,
  StaleArticleError,
  type UpdateArticleRequest,
} from 'flash-news-client';
import {
  createRequestOf,
  type DesiredArticle,
  parseArticleFile,
  withArticleId,
} from './flash-news-front-matter';
import { CliError } from './flash-news-output';

/**
 * `flash-news publish article.md`. The first run creates the article and writes its id into the file's
 * front matter; every later run reads that article and sends only what differs (PATCH with If-Match of
 * what it just read), so re-running never duplicates. Should the first run be cut off between the create
 * and the write-back, its Idempotency-Key is derived from the file's path and content, so running it
 * again within 24 hours replays the same create instead of making a second article.
 */

export interface FieldChange {
  readonly field: keyof UpdateArticleRequest;
  readonly from: unknown;
  readonly to: unknown;
}

export interface PublishResult {
  readonly action: 'created' | 'updated' | 'unchanged' | 'would-create' | 'would-update';
  readonly file: string;
  readonly article?: Article;
  readonly changes: FieldChange[];
  /** Set when the id could not be written into the file (it is read-only, say). */
  readonly warning?: string;
}

export interface PublishOptions {
  readonly dryRun?: boolean;
  readonly progress?: (line: string) => void;
}

const OPTIONAL_FIELDS = [
  'summary',
  'author',
  'source',
  'imageUrl',
  'imageAlt',
  'imageCaption',
  'imageCredit',
  'imageWidth',
  'imageHeight',
  'language',
] as const;

function sameInstant(a: string | undefined, b: string | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return Date.parse(a) === Date.parse(b) || a === b;
}

/**
 * What the article's status will be once the API applies `requested`: a publish with a future publishAt
 * is held back as scheduled, and a scheduled one whose time has passed is published.
 */
function effectiveStatus(
  requested: ArticleStatus,
  publishAt: string | undefined,
  now: number,
): ArticleStatus {
  if (requested !== 'published' && requested !== 'scheduled') return requested;
  const future = publishAt !== undefined && Date.parse(publishAt) > now;
  return future ? 'scheduled' : 'published';
}

/** The PATCH that makes `current` what the file asks for, field by field; empty when nothing differs. */
export function changesFor(current: Article, desired: DesiredArticle, now = Date.now()): FieldChange[] {
  const changes: FieldChange[] = [];
  const change = (field: keyof UpdateArticleRequest, from: unknown, to: unknown) =>
    changes.push({ field, from, to });

  for (const field of ['title', 'section', 'body'] as const) {
    if (current[field] !== desired[field]) change(field, current[field], desired[field]);
  }
  for (const field of OPTIONAL_FIELDS) {
    const wanted = desired[field];
    if (current[field] !== wanted) change(field, current[field] ?? null, wanted ?? null);
  }
  if ((current.featured ?? false) !== (desired.featured ?? false)) {
    change('featured', current.featured ?? false, desired.featured ?? false);
  }
  if (current.tags.join('\u0000') !== desired.tags.join('\u0000')) change('tags', current.tags, desired.tags);
  if (desired.slug !== undefined && desired.slug !== current.slug) change('slug', current.slug, desired.slug);
  if (!sameInstant(current.publishAt, desired.publishAt)) {
    change('publishAt', current.publishAt ?? null, desired.publishAt ?? null);
  }
  if (current.status !== effectiveStatus(desired.status, desired.publishAt, now)) {
    // A scheduled article needs `scheduled` only when asked; `published` schedules it just as well.
    change('status', current.status, desired.status);
  }
  return changes;
}

export function patchOf(changes: readonly FieldChange[]): UpdateArticleRequest {
  return Object.fromEntries(changes.map((change) => [change.field, change.to])) as UpdateArticleRequest;
}

/** Stable for a given file and content, so a re-run of an interrupted first publish replays it. */
export function publishIdempotencyKey(path: string, request: unknown): string {
  const digest = createHash('sha256').update(path).update('\u0000').update(JSON.stringify(request));
  return `flash-news-publish-${digest.digest('base64url')}`;
}

export async function publishFile(
  client: FlashNewsClient,
  file: string,
  options: PublishOptions = {},
): Promise<PublishResult> {
  const name = basename(file);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new CliError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  const { id, article: desired } = parseArticleFile(text, name);

  if (id === undefined) {
    const request = createRequestOf(desired);
    if (options.dryRun) return { action: 'would-create', file, changes: [] };
    options.progress?.(`Creating "${desired.title}" from ${name}…`);
    const created = await client.createArticle(request, {
      idempotencyKey: publishIdempotencyKey(await realpath(file), request),
    });
    try {
      // Read again: the file may have been edited while the request was on its way.
      await writeFile(file, withArticleId(await readFile(file, 'utf8'), created.id));
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      return {
        action: 'created',
        file,
        article: created,
        changes: [],
        warning: `could not write the id into ${name} (${reason}); add "id: ${created.id}" to its front matter, or the next publish will create another article`,
      };
    }
    return { action: 'created', file, article: created, changes: [] };
  }

  options.progress?.(`Reading article ${id}…`);
  let current: Article;
  try {
    current = await client.getArticle(id);
  } catch (error) {
    if (error instanceof NotFoundError) {
      throw new CliError(
        `${name} names article ${id}, which does not exist (deleted?); remove the id line from its front matter to publish it as a new article`,
        'not_found',
      );
    }
    throw error;
  }
  const changes = changesFor(current, desired);
  if (changes.length === 0) return { action: 'unchanged', file, article: current, changes };
  if (options.dryRun) return { action: 'would-update', file, article: current, changes };
  options.progress?.(
    `Updating ${id} (version ${current.version}): ${changes.map((c) => c.field).join(', ')}…`,
  );
  try {
    const updated = await client.updateArticle(id, patchOf(changes));
    return { action: 'updated', file, article: updated, changes };
  } catch (error) {
    if (error instanceof StaleArticleError) {
      throw new CliError(
        `article ${id} was changed by someone else while publishing ${name}; nothing was changed: run publish again to apply the file over the new version`,
        'precondition_failed',
      );
    }
    throw error;
  }
}
