/**
 * The Flash News editor API's requests and responses, as the README's "The contract" states them. These
 * are written out by hand rather than imported from the server so the client stands alone; a test
 * (test/unit/client/contract.test.ts) holds them to the server's OpenAPI document when there is one.
 */

export const ARTICLE_STATUSES = ['draft', 'review', 'scheduled', 'published', 'unpublished'] as const;
/**
 * `review`: a contributor submitted it for an editor to publish (never live); `scheduled` until
 * `publishAt` comes, then `published`; `unpublished` takes a page off the site.
 */
export type ArticleStatus = (typeof ARTICLE_STATUSES)[number];

/** What a create may ask for: `published` with a future `publishAt` becomes `scheduled`. */
export type CreateStatus = Exclude<ArticleStatus, 'unpublished'>;

/** `POST /api/articles`. */
export interface CreateArticleRequest {
  /** One line, at most 200 characters. */
  title: string;
  /** A configured section's slug (see `sections()`), e.g. `bota`. */
  section: string;
  /** Markdown, at most 200,000 characters. */
  body: string;
  summary?: string;
  author?: string;
  /** Agency or source credit shown after the body, e.g. `REL`. */
  source?: string;
  /** At most 20, each at most 40 characters; duplicates are dropped. */
  tags?: string[];
  /** Absolute http(s) URL; needs `imageAlt`. */
  imageUrl?: string;
  imageAlt?: string;
  /** BCP 47 tag of the article's language (`en` or `sq`, any region); default: the newsroom's. */
  language?: string;
  /** One line under the photo, at most 300 characters. */
  imageCaption?: string;
  /** Shown as "Photo: <credit>", at most 120 characters. */
  imageCredit?: string;
  /** The image's size in pixels (1 to 10,000): both or neither, and only with `imageUrl`. */
  imageWidth?: number;
  imageHeight?: number;
  /** Puts the story forward to lead the home page and its section's page (the newest featured story leads). */
  featured?: boolean;
  /** Default `draft`. */
  status?: CreateStatus;
  /**
   * ISO 8601 date-time with seconds and a time zone (`2026-11-27T18:00:00Z`, `…+01:00`); returned in UTC
   * with milliseconds. In the future with `published` it schedules; in the past it backdates.
   */
  publishAt?: string;
  /** Lower-case letters and digits separated by single hyphens; derived from the title when absent. */
  slug?: string;
}

/** `PATCH /api/articles/{id}`: absent fields are left alone, `null` clears an optional one. */
export interface UpdateArticleRequest {
  title?: string;
  section?: string;
  body?: string;
  summary?: string | null;
  author?: string | null;
  source?: string | null;
  tags?: string[];
  imageUrl?: string | null;
  imageAlt?: string | null;
  /** `null`: back to the newsroom's language. */
  language?: string | null;
  imageCaption?: string | null;
  imageCredit?: string | null;
  imageWidth?: number | null;
  imageHeight?: number | null;
  /** `false` or `null` takes the story off the lead. */
  featured?: boolean | null;
  /** Publishes, schedules or unpublishes. */
  status?: ArticleStatus;
  publishAt?: string | null;
  /** A new slug keeps the old URL working as a redirect. */
  slug?: string;
  /**
   * A correction shown to readers ("Correction, <date>: <note>"): plain text, at most 1,000 characters,
   * only for an article that has been published. Without one, the edit is a silent fix.
   */
  correction?: string;
}

/** A correction readers are shown on the page and in the feeds. */
export interface ArticleCorrection {
  /** When it was made (UTC). */
  at: string;
  /** Plain text. */
  note: string;
}

/** An article as `GET`, `POST` and `PATCH /api/articles…` return it. */
export interface Article {
  /** ULID. */
  id: string;
  slug: string;
  /** Paths the page had before a slug or section change; each redirects to `url`. */
  previousPaths: string[];
  title: string;
  section: string;
  body: string;
  summary?: string;
  author?: string;
  source?: string;
  tags: string[];
  imageUrl?: string;
  imageAlt?: string;
  /** Canonical BCP 47 tag; absent: the newsroom's language. */
  language?: string;
  imageCaption?: string;
  imageCredit?: string;
  imageWidth?: number;
  imageHeight?: number;
  featured: boolean;
  status: ArticleStatus;
  /** UTC, e.g. `2026-11-27T17:30:00.000Z`. */
  publishAt?: string;
  /** First publication (UTC); kept across unpublish and republish. */
  publishedAt?: string;
  createdAt: string;
  updatedAt: string;
  /** The creator's user id (`sub` of their token); absent on articles older than roles. */
  createdBy?: string;
  /** Who made this version (`sub` of their token); absent when no one did (a scheduled publication). */
  updatedBy?: string;
  /** Starts at 1, +1 on every change; the `ETag` is this number in quotes. */
  version: number;
  /** Oldest first; only ever appended to, by a `PATCH` with `correction`. */
  corrections: ArticleCorrection[];
  /** Absolute URL of the article's page on the site. */
  url: string;
}

/** One entry of `GET /api/latest`. */
export interface LatestItem {
  id: string;
  slug: string;
  title: string;
  summary: string | null;
  section: string;
  /** BCP 47 tag of the article's language (the newsroom's unless the article has its own). */
  language: string;
  publishedAt: string;
  url: string;
}

/** `GET /api/latest?limit=&section=&cursor=`: newest first. */
export interface LatestPage {
  items: LatestItem[];
  /** Pass back as `cursor` for the next page; `null` on the last one. */
  nextCursor: string | null;
}

export interface LatestQuery {
  /** Only this section's articles. */
  section?: string;
  /** Items per page, 1-50 (the API's default is 10). */
  limit?: number;
  /** `nextCursor` of the previous page. */
  cursor?: string;
}

/** One entry of `GET /api/sections`. */
export interface Section {
  slug: string;
  name: string;
  description: string;
  /** Absolute URL of the section's page. */
  url: string;
}

/** `GET /api/sections`. */
export interface SectionList {
  items: Section[];
}

/** The error codes the API documents; anything else is passed through as a string. */
export type KnownErrorCode =
  | 'bad_request'
  | 'invalid_json'
  | 'validation_failed'
  | 'invalid_cursor'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'method_not_allowed'
  | 'slug_conflict'
  | 'idempotency_conflict'
  | 'precondition_failed'
  | 'precondition_required'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'too_many_requests'
  | 'internal_error'
  | 'service_unavailable';

// `string & {}` keeps editor completion for the known codes while accepting any other string.
export type ErrorCode = KnownErrorCode | (string & {});

/** One invalid field: `field` is a dotted path such as `tags.2`, empty for the body as a whole. */
export interface FieldProblem {
  field: string;
  message: string;
}

/** Every error the API itself answers: `{"error": {"code", "message", "details"?}}`. */
export interface ApiErrorBody {
  error: {
    code: ErrorCode;
    message: string;
    details?: FieldProblem[];
  };
}

/** One version of an article in `GET /api/articles/{id}/revisions`: who made it, when, what it changed. */
export interface RevisionSummary {
  version: number;
  /** When this version was made (UTC). */
  updatedAt: string;
  /** The user id (`sub`) of whoever made it; absent when no one did (a scheduled publication). */
  updatedBy?: string;
  /** The fields this version changed, when the version before it is kept. */
  changes?: string[];
}

/** `GET /api/articles/{id}/revisions?limit=&cursor=`: newest first, the current version first. */
export interface RevisionList {
  items: RevisionSummary[];
  /** Pass back as `cursor` for older versions; `null` on the last page. */
  nextCursor: string | null;
}

/**
 * `GET /api/articles/{id}/revisions/{version}`: the article as it was at that version. Restore it with an
 * `updateArticle` of its fields.
 */
export interface ArticleRevision extends Article {
  changes?: string[];
}

/** `POST /api/articles/{id}/preview-link`: a signed link to the version current when it was made. */
export interface PreviewLink {
  /** `/api/preview?token=…` on the site: opens the preview without an account. */
  url: string;
  /** When the link stops working (24 hours after it was made), unless the article is edited sooner. */
  expiresAt: string;
}
