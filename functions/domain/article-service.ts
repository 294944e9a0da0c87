import { type Article, articlePath } from './article';
import { assertMayCreate, assertMayEdit, mayRead } from './article-access';
import type { CreateArticleInput, UpdateArticleInput } from './article-input';
import type { ArticleRepository, LatestPage, LatestQuery } from './article-repository';
import { withCorrection } from './corrections';
import { AppError, isStorageUnavailable, notFound } from './errors';
import { isArticleId, newArticleId } from './ids';
import { imageSizeProblem } from './image-size';
import { normaliseInstant, storedInstant } from './instant';
import { isDue, resolvePublication } from './publication';
import {
  isReadableVersion,
  type RevisionPage,
  revisionPagePlan,
  revisionSummaries,
  versionsOfDeletedArticle,
  versionsToPrune,
} from './revisions';
import type { Caller } from './roles';
import { disambiguatedSlug, isValidSlug, slugFromTitle } from './slug';

/**
 * A claim older than this whose article does not exist was left by a create that failed between
 * claiming the slug and writing the article; it may be taken over. The grace period covers a create
 * that is still in flight.
 */
export const ABANDONED_CLAIM_AFTER_MS = 5 * 60 * 1000;

type ClaimOutcome = 'claimed' | 'already-ours' | 'taken';

function slugOfPath(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** Optional fields: `null` in a patch clears, `undefined` keeps. */
function patched<T>(next: T | null | undefined, current: T | undefined): T | undefined {
  if (next === null) return undefined;
  return next ?? current;
}

/** Kept only when set: an article that is not featured carries no flag (`false` and `null` alike clear it). */
function featuredFlag(featured: boolean | null | undefined): true | undefined {
  return featured ? true : undefined;
}

/**
 * The article use cases. Writes that span items (a slug claim and its article) are ordered conditional
 * single-item writes: claim the slug, then write the article, and release the claim if the write fails.
 * A crash between the two leaves at worst an orphan claim, which ABANDONED_CLAIM_AFTER_MS lets the next
 * claimant take over; readers never see a half-written article.
 *
 * When storage is unavailable (a timeout, a dropped connection, a 5xx) a write may or may not have
 * happened, so its claim is kept: releasing the claim of an article that was in fact written would let
 * another article take its slug. If the write did not happen, the claim is an orphan like any other.
 *
 * Writes take the caller, whose role and subject the rules of functions/domain/article-access.ts check;
 * without one, the newsroom's own tools (seeding, tests) write with every right and no author.
 */
export class ArticleService {
  constructor(
    private readonly repository: ArticleRepository,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async create(input: CreateArticleInput, caller?: Caller): Promise<Article> {
    const now = this.now();
    const id = newArticleId(now);
    // Every rule that can refuse the request runs before the slug is claimed, so a refusal claims nothing.
    if (caller) assertMayCreate(caller, input.status ?? 'draft');
    const publication = resolvePublication(input.status ?? 'draft', input.publishAt, undefined, now);
    const natural = input.slug ?? (slugFromTitle(input.title) || `article-${id.toLowerCase()}`);
    let slug = natural;
    if ((await this.claim(slug, id, now)) === 'taken') {
      if (input.slug) throw slugTaken(input.slug);
      slug = disambiguatedSlug(natural, id);
      if ((await this.claim(slug, id, now)) === 'taken') throw slugTaken(slug);
    }

    const timestamp = storedInstant(now);
    const article: Article = {
      id,
      slug,
      previousPaths: [],
      title: input.title,
      section: input.section,
      body: input.body,
      summary: input.summary,
      author: input.author,
      source: input.source,
      tags: input.tags ?? [],
      imageUrl: input.imageUrl,
      imageAlt: input.imageAlt,
      language: input.language,
      imageCaption: input.imageCaption,
      imageCredit: input.imageCredit,
      imageWidth: input.imageWidth,
      imageHeight: input.imageHeight,
      featured: featuredFlag(input.featured),
      ...publication,
      createdAt: timestamp,
      updatedAt: timestamp,
      ...(caller ? { createdBy: caller.subject, updatedBy: caller.subject } : {}),
      version: 1,
    };
    try {
      await this.repository.insert(article);
    } catch (error) {
      if (!isStorageUnavailable(error)) await this.releaseQuietly(slug, id);
      throw error;
    }
    return article;
  }

  /** By id, or by any slug the article has had (so old links still resolve). */
  async get(idOrSlug: string): Promise<Article> {
    const article = await this.find(idOrSlug);
    if (!article) throw notFound('The article');
    return article;
  }

  /** What the caller (anonymous when undefined) may read: 404 for anything else, as if it did not exist. */
  async read(idOrSlug: string, caller: Caller | undefined): Promise<Article> {
    const article = await this.get(idOrSlug);
    if (!mayRead(article, caller)) throw notFound('The article');
    return article;
  }

  async update(
    id: string,
    expectedVersion: number,
    input: UpdateArticleInput,
    caller?: Caller,
  ): Promise<Article> {
    const now = this.now();
    const current = await this.existing(id);
    if (caller) assertMayEdit(caller, current, input.status);
    if (current.version !== expectedVersion) throw stale(current.version);

    const publishAt = patched(input.publishAt, current.publishAt);
    const publication = this.publicationAfterUpdate(input.status, publishAt, current, now);
    const imageUrl = patched(input.imageUrl, current.imageUrl);
    const imageAlt = patched(input.imageAlt, current.imageAlt);
    if (imageUrl && !imageAlt) {
      throw new AppError('validation_failed', 'The article is invalid', [
        { field: 'imageAlt', message: 'imageAlt is required when imageUrl is given' },
      ]);
    }
    const imageWidth = patched(input.imageWidth, current.imageWidth);
    const imageHeight = patched(input.imageHeight, current.imageHeight);
    const sizeProblem = imageSizeProblem({ imageUrl, imageWidth, imageHeight });
    if (sizeProblem) throw new AppError('validation_failed', 'The article is invalid', [sizeProblem]);

    const corrections =
      input.correction === undefined
        ? current.corrections
        : withCorrection(current, input.correction, storedInstant(now));

    // Every rule that can refuse the request has run; only now is a new slug claimed.
    const slug = input.slug ?? current.slug;
    let claimOutcome: ClaimOutcome = 'already-ours';
    if (slug !== current.slug) {
      claimOutcome = await this.claim(slug, id, now);
      if (claimOutcome === 'taken') throw slugTaken(slug);
    }

    const section = input.section ?? current.section;
    const oldPath = articlePath(current);
    const newPath = articlePath({ section, slug });
    const previousPaths = [...current.previousPaths, ...(oldPath === newPath ? [] : [oldPath])].filter(
      (path, index, all) => path !== newPath && all.indexOf(path) === index,
    );

    const next: Article = {
      ...current,
      title: input.title ?? current.title,
      section,
      body: input.body ?? current.body,
      summary: patched(input.summary, current.summary),
      author: patched(input.author, current.author),
      source: patched(input.source, current.source),
      tags: input.tags ?? current.tags,
      imageUrl,
      imageAlt,
      language: patched(input.language, current.language),
      imageCaption: patched(input.imageCaption, current.imageCaption),
      imageCredit: patched(input.imageCredit, current.imageCredit),
      imageWidth,
      imageHeight,
      featured: featuredFlag(input.featured === undefined ? current.featured : input.featured),
      slug,
      previousPaths,
      ...publication,
      ...(corrections ? { corrections } : {}),
      updatedAt: storedInstant(now),
      updatedBy: caller?.subject,
      version: current.version + 1,
    };
    let replaced: boolean;
    try {
      // The snapshot first: a crash before the replace leaves a snapshot of the still-current version.
      await this.repository.putRevision(current);
      replaced = await this.repository.replace(next, current.version);
    } catch (error) {
      if (claimOutcome === 'claimed' && !isStorageUnavailable(error)) await this.releaseQuietly(slug, id);
      throw error;
    }
    if (!replaced) {
      if (claimOutcome === 'claimed') await this.releaseQuietly(slug, id);
      throw stale();
    }
    await this.pruneRevisions(id, next.version);
    return next;
  }

  /**
   * Without a `status` in the patch, a published article stays published (a new `publishAt` is kept as
   * data but never takes it offline), and a scheduled one stays scheduled until its time has come,
   * which clearing `publishAt` (null) brings forward to now.
   */
  private publicationAfterUpdate(
    status: UpdateArticleInput['status'],
    publishAt: string | undefined,
    current: Article,
    now: Date,
  ) {
    if (status === undefined && current.status === 'published') {
      return {
        status: 'published' as const,
        publishAt: publishAt === undefined ? undefined : normaliseInstant(publishAt, 'publishAt'),
        publishedAt: current.publishedAt,
      };
    }
    const requested = status ?? (current.status === 'scheduled' ? 'published' : current.status);
    return resolvePublication(requested, publishAt, current, now);
  }

  /**
   * With a version (If-Match), deletes exactly that version: 412 if the article has changed since, 404 if
   * it is gone. Without one the caller asked for the article to be gone whatever its version, so a
   * concurrent edit never turns the delete into a 412: the delete is unconditional on the version and
   * returns what it removed, whose slugs are then released (two concurrent deletes: one 204, one 404).
   */
  async delete(id: string, expectedVersion: number | undefined): Promise<Article> {
    let deleted: Article;
    if (expectedVersion === undefined) {
      // Read first, so that its paths are tombstoned before it goes.
      const existing = isArticleId(id) ? await this.repository.get(id) : undefined;
      if (existing) await this.tombstone(existing);
      const removed = existing && (await this.repository.removeIfExists(id));
      if (!removed) throw notFound('The article');
      // Edited in between: its paths of the moment are tombstoned too.
      if (removed.version !== existing?.version) await this.tombstone(removed);
      deleted = removed;
    } else {
      const current = await this.existing(id);
      if (expectedVersion !== current.version) throw stale(current.version);
      await this.tombstone(current);
      if (!(await this.repository.remove(id, current.version))) {
        // Lost a race: to a delete (404, as if it had come first) or to an edit (412).
        if (!(await this.repository.get(id))) throw notFound('The article');
        throw stale();
      }
      deleted = current;
    }

    // The article is gone; its slugs are released afterwards. A release that fails leaves an orphan claim
    // that the next claimant takes over after the grace period, so failures here are not the caller's.
    const slugs = new Set([deleted.slug, ...deleted.previousPaths.map(slugOfPath)]);
    await Promise.allSettled([...slugs].map((slug) => this.repository.releaseSlug(slug, id)));
    // Its revisions go too, last and best effort: a snapshot left behind is never listed or read again.
    await this.repository
      .removeRevisions(id, versionsOfDeletedArticle(deleted.version))
      .catch(() => undefined);
    return deleted;
  }

  /**
   * Before a published article is deleted, the table is told that its URLs are gone (tombstones), so
   * repair keeps answering them 410 once nothing else in the table names them. A tombstone left by a
   * delete that then fails is harmless: it never wins over a live article at its path.
   */
  private async tombstone(article: Article): Promise<void> {
    if (article.publishedAt === undefined) return;
    await this.repository.putTombstones([articlePath(article), ...article.previousPaths], article.id);
  }

  /**
   * The article's versions, newest first, the current one included: who made each, when, and which fields
   * it changed. `before` (a version) continues a list below it. By id or any slug the article has had, like
   * get(); 404 when the article does not exist.
   */
  async revisions(
    id: string,
    page: { readonly limit: number; readonly before?: number },
  ): Promise<RevisionPage> {
    const current = await this.get(id);
    const plan = revisionPagePlan(current.version, page);
    const versions = new Map(
      plan.toRead.length === 0 ? [] : await this.repository.getRevisions(current.id, plan.toRead),
    );
    versions.set(current.version, current);
    return {
      items: revisionSummaries(plan.listed, versions),
      ...(plan.nextBefore === undefined ? {} : { nextBefore: plan.nextBefore }),
    };
  }

  /**
   * The article as it was at `version` (the current version is the article itself). 404 when the article
   * or that version does not exist, or is older than the kept revisions.
   */
  async revision(id: string, version: number): Promise<Article> {
    return (await this.revisionWithChanges(id, version)).article;
  }

  /** Like revision(), with the fields that version changed (absent when the version before is not kept). */
  async revisionWithChanges(
    id: string,
    version: number,
  ): Promise<{ readonly article: Article; readonly changes?: readonly string[] }> {
    const current = await this.get(id);
    if (!isReadableVersion(version, current.version)) throw notFound('The revision');
    const wanted = [version, version - 1].filter(
      (candidate) => candidate >= 1 && candidate !== current.version,
    );
    const versions = new Map(
      wanted.length === 0 ? [] : await this.repository.getRevisions(current.id, wanted),
    );
    versions.set(current.version, current);
    const [summary] = revisionSummaries([version], versions);
    const article = versions.get(version);
    if (!article || !summary) throw notFound('The revision');
    return { article, ...(summary.changes === undefined ? {} : { changes: summary.changes }) };
  }

  latest(query: LatestQuery): Promise<LatestPage> {
    return this.repository.listLatest(query);
  }

  /**
   * Publishes the scheduled articles whose time has come; returns how many. An article edited meanwhile
   * fails the version condition and is picked up by the next run.
   */
  async publishDue(limit = 25): Promise<number> {
    const now = this.now();
    const due = await this.repository.listDue(storedInstant(now), limit);
    let published = 0;
    for (const { id } of due) {
      const article = await this.repository.get(id);
      if (!article || !isDue(article, now)) continue;
      const next: Article = {
        ...article,
        status: 'published',
        publishedAt: article.publishedAt ?? article.publishAt,
        updatedAt: storedInstant(now),
        // The schedule, not a person, made this version.
        updatedBy: undefined,
        version: article.version + 1,
      };
      await this.repository.putRevision(article);
      if (await this.repository.replace(next, article.version)) {
        published += 1;
        await this.pruneRevisions(id, next.version);
      }
    }
    return published;
  }

  /**
   * Anything that is neither an id nor a slug names no article: it is answered without a read, so a
   * hostile path parameter (too long for a DynamoDB key, say) is a 404 and never a storage error.
   */
  private async find(idOrSlug: string): Promise<Article | undefined> {
    if (isArticleId(idOrSlug)) return this.repository.get(idOrSlug);
    if (!isValidSlug(idOrSlug)) return undefined;
    const claim = await this.repository.getSlugClaim(idOrSlug);
    return claim ? this.repository.get(claim.articleId) : undefined;
  }

  private async existing(id: string): Promise<Article> {
    const article = isArticleId(id) ? await this.repository.get(id) : undefined;
    if (!article) throw notFound('The article');
    return article;
  }

  /** The clock, checked once per use case: every instant derived from it is stored. */
  private now(): Date {
    const now = this.clock();
    storedInstant(now);
    return now;
  }

  /**
   * Deletes the snapshots that fell out of the bound. The new version is already written, so a failure
   * here is not the caller's: the next write's prune covers this one's too (functions/domain/revisions.ts).
   */
  private async pruneRevisions(id: string, currentVersion: number): Promise<void> {
    const versions = versionsToPrune(currentVersion);
    if (versions.length > 0) await this.repository.removeRevisions(id, versions).catch(() => undefined);
  }

  /** A release that fails leaves an orphan claim, taken over later; the caller's error matters more. */
  private async releaseQuietly(slug: string, articleId: string): Promise<void> {
    await this.repository.releaseSlug(slug, articleId).catch(() => undefined);
  }

  private async claim(slug: string, articleId: string, now: Date): Promise<ClaimOutcome> {
    const claim = { slug, articleId, claimedAt: storedInstant(now) };
    const holder = await this.repository.claimSlug(claim);
    if (!holder) return 'claimed';
    if (holder.articleId === articleId) return 'already-ours';
    const abandoned =
      now.getTime() - Date.parse(holder.claimedAt) > ABANDONED_CLAIM_AFTER_MS &&
      !(await this.repository.get(holder.articleId));
    if (abandoned && (await this.repository.takeOverSlug(claim, holder.articleId))) return 'claimed';
    return 'taken';
  }
}

function slugTaken(slug: string): AppError {
  return new AppError('slug_conflict', `The slug "${slug}" is already used by another article`, [
    { field: 'slug', message: 'is already used by another article' },
  ]);
}

function stale(currentVersion?: number): AppError {
  return new AppError(
    'precondition_failed',
    currentVersion === undefined
      ? 'The article was changed by someone else; fetch it again and retry'
      : `If-Match does not match the current version "${currentVersion}"; fetch the article again and retry`,
  );
}
