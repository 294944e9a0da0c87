import { type Article, type ArticleCorrection, articlePath, isLive } from '../domain/article';
import { lastCorrection } from '../domain/corrections';

/**
 * Article events: one per change that readers can see, for a newsroom's own integrations (newsletters,
 * push notifications, social posting, search indexing) to hang on without touching this code. Pure: the
 * render function decides here what a change of the table means, and an ArticleEventSink (EventBridge in
 * AWS, a file locally) carries it. docs/events.md is the contract; docs/article-event.schema.json its
 * JSON Schema.
 *
 * Only public state makes events: editing a draft, scheduling it or deleting one that never went out
 * tells a reader-facing integration nothing.
 */

/** EventBridge `source` of every event. */
export const ARTICLE_EVENT_SOURCE = 'flash-news.articles';

/** The `detail.schemaVersion` of this contract; a breaking change gets a new detail type and version. */
export const ARTICLE_EVENT_SCHEMA_VERSION = 1;

export const ARTICLE_EVENT_TYPES = ['published', 'updated', 'corrected', 'unpublished', 'deleted'] as const;
export type ArticleEventType = (typeof ARTICLE_EVENT_TYPES)[number];

/** EventBridge `detail-type`s, versioned so that rules can match one version of the contract. */
export const ARTICLE_EVENT_DETAIL_TYPES: Readonly<Record<ArticleEventType, string>> = {
  published: 'Article Published v1',
  updated: 'Article Updated v1',
  corrected: 'Article Corrected v1',
  unpublished: 'Article Unpublished v1',
  deleted: 'Article Deleted v1',
};

/** What an event says of the article: its state after the change (before it, for a deletion). */
export interface ArticleEventArticle {
  readonly id: string;
  readonly version: number;
  readonly status: Article['status'];
  readonly title: string;
  readonly summary?: string;
  readonly section: string;
  readonly slug: string;
  readonly path: string;
  /** Absolute public URL of the page (gone for `unpublished` and `deleted`). */
  readonly url: string;
  readonly author?: string;
  readonly tags: readonly string[];
  readonly imageUrl?: string;
  readonly publishedAt?: string;
  readonly updatedAt: string;
}

export interface ArticleEventDetail {
  readonly schemaVersion: typeof ARTICLE_EVENT_SCHEMA_VERSION;
  /**
   * Unique per change and the same on every delivery of it: EventBridge delivers at least once, and a
   * render batch that is retried sends its events again, so consumers that must act once key on this.
   */
  readonly eventId: string;
  readonly type: ArticleEventType;
  /** When the change was made: the article's `updatedAt`, or the time the deletion was seen. */
  readonly occurredAt: string;
  readonly article: ArticleEventArticle;
  /** The page's previous URL, when an update moved it (a slug or section change); it now redirects. */
  readonly previousUrl?: string;
  /** Only on `corrected`: the correction this change added, as readers see it on the page. */
  readonly correction?: ArticleCorrection;
}

export interface ArticleEvent {
  readonly detailType: string;
  readonly detail: ArticleEventDetail;
}

/** Where events go. `publish` resolves once every event is accepted, and throws otherwise. */
export interface ArticleEventSink {
  publish(events: readonly ArticleEvent[]): Promise<void>;
}

export const noArticleEvents: ArticleEventSink = { publish: async () => undefined };

function eventType(
  oldImage: Article | undefined,
  newImage: Article | undefined,
): ArticleEventType | undefined {
  const wasLive = oldImage !== undefined && isLive(oldImage);
  if (newImage === undefined) {
    // A deleted article that was public once (live now, or taken down earlier) may still be known to
    // subscribers and indexes; one that never went out is nobody's business.
    return oldImage?.publishedAt !== undefined ? 'deleted' : undefined;
  }
  if (isLive(newImage)) {
    if (!wasLive) return 'published';
    // A live edit that added a correction is announced as one, instead of as an update: one event per change.
    return correctionCount(newImage) > correctionCount(oldImage) ? 'corrected' : 'updated';
  }
  return wasLive ? 'unpublished' : undefined;
}

function correctionCount(article: Article | undefined): number {
  return article?.corrections?.length ?? 0;
}

function describe(article: Article, baseUrl: string): ArticleEventArticle {
  const path = articlePath(article);
  return {
    id: article.id,
    version: article.version,
    status: article.status,
    title: article.title,
    ...(article.summary === undefined ? {} : { summary: article.summary }),
    section: article.section,
    slug: article.slug,
    path,
    url: `${baseUrl}${path}`,
    ...(article.author === undefined ? {} : { author: article.author }),
    tags: article.tags,
    ...(article.imageUrl === undefined ? {} : { imageUrl: article.imageUrl }),
    ...(article.publishedAt === undefined ? {} : { publishedAt: article.publishedAt }),
    updatedAt: article.updatedAt,
  };
}

/**
 * The event a change of the table makes, if any. `baseUrl` is the site's public origin (no trailing
 * slash); `now` dates a deletion, which leaves no `updatedAt` behind.
 */
export function articleEventFor(
  oldImage: Article | undefined,
  newImage: Article | undefined,
  baseUrl: string,
  now: Date,
): ArticleEvent | undefined {
  const type = eventType(oldImage, newImage);
  const article = newImage ?? oldImage;
  if (type === undefined || article === undefined) return undefined;
  const described = describe(article, baseUrl);
  const edited = type === 'updated' || type === 'corrected';
  const moved = edited && oldImage !== undefined && articlePath(oldImage) !== described.path;
  const correction = type === 'corrected' ? lastCorrection(article) : undefined;
  return {
    detailType: ARTICLE_EVENT_DETAIL_TYPES[type],
    detail: {
      schemaVersion: ARTICLE_EVENT_SCHEMA_VERSION,
      eventId: `${article.id}.${article.version}.${type}`,
      type,
      occurredAt: type === 'deleted' ? now.toISOString() : article.updatedAt,
      article: described,
      ...(moved ? { previousUrl: `${baseUrl}${articlePath(oldImage)}` } : {}),
      ...(correction ? { correction: { at: correction.at, note: correction.note } } : {}),
    },
  };
}
