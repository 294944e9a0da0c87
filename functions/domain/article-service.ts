import { type Article, articlePath } from './article';
import type { CreateArticleInput, UpdateArticleInput } from './article-input';
import type { ArticleRepository, LatestPage, LatestQuery } from './article-repository';
import { AppError, notFound } from './errors';
import { isArticleId, newArticleId } from './ids';
import { isDue, resolvePublication } from './publication';
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

/**
 * The article use cases. Writes that span items (a slug claim and its article) are ordered conditional
 * single-item writes: claim the slug, then write the article, and release the claim if the write fails.
 * A crash between the two leaves at worst an orphan claim, which ABANDONED_CLAIM_AFTER_MS lets the next
 * claimant take over; readers never see a half-written article.
 */
export class ArticleService {
  constructor(
    private readonly repository: ArticleRepository,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async create(input: CreateArticleInput): Promise<Article> {
    const now = this.clock();
    const id = newArticleId(now);
    // Every rule that can refuse the request runs before the slug is claimed, so a refusal claims nothing.
    const publication = resolvePublication(input.status ?? 'draft', input.publishAt, undefined, now);
    const natural = input.slug ?? (slugFromTitle(input.title) || `article-${id.toLowerCase()}`);
    let slug = natural;
    if ((await this.claim(slug, id, now)) === 'taken') {
      if (input.slug) throw slugTaken(input.slug);
      slug = disambiguatedSlug(natural, id);
      if ((await this.claim(slug, id, now)) === 'taken') throw slugTaken(slug);
    }

    const timestamp = now.toISOString();
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
      ...publication,
      createdAt: timestamp,
      updatedAt: timestamp,
      version: 1,
    };
    try {
      await this.repository.insert(article);
    } catch (error) {
      await this.repository.releaseSlug(slug, id);
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

  async update(id: string, expectedVersion: number, input: UpdateArticleInput): Promise<Article> {
    const now = this.clock();
    const current = await this.existing(id);
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
      slug,
      previousPaths,
      ...publication,
      updatedAt: now.toISOString(),
      version: current.version + 1,
    };
    let replaced = false;
    try {
      replaced = await this.repository.replace(next, current.version);
    } finally {
      if (!replaced && claimOutcome === 'claimed') await this.repository.releaseSlug(slug, id);
    }
    if (!replaced) throw stale();
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
      return { status: 'published' as const, publishAt, publishedAt: current.publishedAt };
    }
    const requested = status ?? (current.status === 'scheduled' ? 'published' : current.status);
    return resolvePublication(requested, publishAt, current, now);
  }

  async delete(id: string, expectedVersion: number | undefined): Promise<Article> {
    const current = await this.existing(id);
    if (expectedVersion !== undefined && expectedVersion !== current.version) throw stale(current.version);
    if (!(await this.repository.remove(id, current.version))) throw stale();

    // The article is gone; its slugs are released afterwards. A release that fails leaves an orphan claim
    // that the next claimant takes over after the grace period, so failures here are not the caller's.
    const slugs = new Set([current.slug, ...current.previousPaths.map(slugOfPath)]);
    await Promise.allSettled([...slugs].map((slug) => this.repository.releaseSlug(slug, id)));
    return current;
  }

  latest(query: LatestQuery): Promise<LatestPage> {
    return this.repository.listLatest(query);
  }

  /**
   * Publishes the scheduled articles whose time has come; returns how many. An article edited meanwhile
   * fails the version condition and is picked up by the next run.
   */
  async publishDue(limit = 25): Promise<number> {
    const now = this.clock();
    const due = await this.repository.listDue(now.toISOString(), limit);
    let published = 0;
    for (const { id } of due) {
      const article = await this.repository.get(id);
      if (!article || !isDue(article, now)) continue;
      const next: Article = {
        ...article,
        status: 'published',
        publishedAt: article.publishedAt ?? article.publishAt,
        updatedAt: now.toISOString(),
        version: article.version + 1,
      };
      if (await this.repository.replace(next, article.version)) published += 1;
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

  private async claim(slug: string, articleId: string, now: Date): Promise<ClaimOutcome> {
    const claim = { slug, articleId, claimedAt: now.toISOString() };
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
