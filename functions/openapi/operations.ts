import type * as z from 'zod';
import { createArticleSchema, latestQuerySchema, updateArticleSchema } from '../domain/article-input';
import { revisionsQuerySchema } from '../domain/revision-query';
import { previewLinkQuerySchema, previewQuerySchema } from '../http/preview-queries';

/**
 * What the route table (functions/http/routes.ts) does not say about each route: prose, the schemas its
 * handler validates with, and its answers. Keyed by route id; the document builder takes the paths,
 * methods and auth from the route table and refuses a route without an entry here, or an entry without
 * a route, so the two cannot drift apart.
 *
 * Error answers that follow from the route table are added by the builder (401/403 from `auth`, 503 from
 * `tableAccess`, 400/413/415 from a request body, 429 and 500 everywhere); `errors` lists the others.
 */

/** Components of the document that an operation can name (see openapi-document.ts). */
export type HeaderName =
  | 'ETag'
  | 'Location'
  | 'Cache-Control'
  | 'Vary'
  | 'Content-Security-Policy'
  | 'X-Robots-Tag'
  | 'Referrer-Policy';
export type HeaderParameterName = 'IfMatchRequired' | 'IfMatchOptional' | 'IdempotencyKey';
export type SchemaName =
  | 'Article'
  | 'LatestPage'
  | 'SectionList'
  | 'OpenApiDocument'
  | 'PreviewLink'
  | 'RevisionList'
  | 'ArticleRevision';

export interface SuccessResponse {
  readonly status: 200 | 201 | 204;
  readonly description: string;
  /** A JSON body of this component schema, or an HTML page; none for 204. */
  readonly body?: SchemaName | 'html';
  /** Headers the answer always carries. */
  readonly headers?: readonly HeaderName[];
}

export interface OperationSpec {
  readonly summary: string;
  readonly description: string;
  readonly tag: 'Articles' | 'Site' | 'Reference';
  readonly headerParameters?: readonly HeaderParameterName[];
  /**
   * The handler's query schema, expanded into one parameter per field; any zod object, zod/mini's too
   * (the preview handlers use it to keep their bundles small).
   */
  readonly query?: {
    readonly schema: z.core.$ZodObject;
    readonly descriptions: Readonly<Record<string, string>>;
  };
  /** The handler's body schema, published as a component of this name. */
  readonly requestBody?: {
    readonly component: 'CreateArticleRequest' | 'UpdateArticleRequest';
    readonly schema: z.ZodType;
    readonly description: string;
  };
  readonly success: SuccessResponse;
  readonly errors?: readonly (400 | 404 | 409 | 410 | 412 | 428)[];
}

const ARTICLE_HEADERS: readonly HeaderName[] = ['ETag', 'Cache-Control'];
const PREVIEW_HEADERS: readonly HeaderName[] = [
  'Cache-Control',
  'Content-Security-Policy',
  'X-Robots-Tag',
  'Referrer-Policy',
];

export const OPERATIONS: Readonly<Record<string, OperationSpec>> = {
  CreateArticle: {
    summary: 'Create an article',
    description:
      'Creates a draft, or submits it for review, publishes or schedules it (`status`; contributors may ' +
      'only draft or submit for review, `403` otherwise). `published` with a future `publishAt` is ' +
      '`scheduled`; with a past one it is backdated. The slug is derived from the title unless given.\n\n' +
      'Send an `Idempotency-Key` to make retries safe: the same key with the same body within 24 hours ' +
      'returns the first answer instead of a second article; with another body it is a `409`.',
    tag: 'Articles',
    headerParameters: ['IdempotencyKey'],
    requestBody: {
      component: 'CreateArticleRequest',
      schema: createArticleSchema,
      description: 'The new article. `imageAlt` is required with `imageUrl`.',
    },
    success: {
      status: 201,
      description: 'Created (or, for a repeated Idempotency-Key, the first answer again)',
      body: 'Article',
      headers: ['Location', ...ARTICLE_HEADERS],
    },
    errors: [400, 409],
  },
  GetArticle: {
    summary: 'Read an article',
    description:
      'By id, or by any slug the article has had. Published articles are public; drafts, articles in ' +
      'review, scheduled and unpublished articles exist only for editors and, for their own articles, ' +
      'their contributor (`404` to everyone else, readers with a token of no group included).',
    tag: 'Articles',
    success: {
      status: 200,
      description: 'The article; its `ETag` is what a later `PATCH` sends as `If-Match`',
      body: 'Article',
      headers: [...ARTICLE_HEADERS, 'Vary'],
    },
    errors: [404],
  },
  UpdateArticle: {
    summary: 'Change an article',
    description:
      'A partial update: absent fields are left as they are, `null` clears an optional field. `If-Match` ' +
      'with the ETag of the version the change was made to is required (`428` without it, `412` when ' +
      'someone changed the article since). Contributors may change only their own articles while those are ' +
      '`draft` or `review`, and only to those statuses (`403`; `404` for drafts not theirs). ' +
      'Changing `status` publishes, schedules or unpublishes; a new ' +
      '`slug` or `section` keeps the old URL working as a redirect.',
    tag: 'Articles',
    headerParameters: ['IfMatchRequired'],
    requestBody: {
      component: 'UpdateArticleRequest',
      schema: updateArticleSchema,
      description: 'The fields to change, at least one.',
    },
    success: { status: 200, description: 'The changed article', body: 'Article', headers: ARTICLE_HEADERS },
    errors: [404, 409, 412, 428],
  },
  DeleteArticle: {
    summary: 'Delete an article',
    description:
      'Its page, feed and sitemap entries go. `If-Match` is honoured when sent (`412` if stale); without ' +
      'it, whatever the current version is goes.',
    tag: 'Articles',
    headerParameters: ['IfMatchOptional'],
    success: { status: 204, description: 'Deleted', headers: ['Cache-Control'] },
    errors: [404, 412, 428],
  },
  PreviewArticle: {
    summary: 'Preview an article',
    description:
      "The article's page exactly as it would be published, whatever its status (draft, review, " +
      'scheduled, published, unpublished), or as one of its earlier versions (`revision`). Answered, never ' +
      'written to the site: `Cache-Control: no-store`, `X-Robots-Tag: noindex`, `Referrer-Policy: ' +
      "no-referrer`, and the site's own Content-Security-Policy.",
    tag: 'Articles',
    query: {
      schema: previewQuerySchema,
      descriptions: {
        revision: 'An earlier version to show (see the ETag and the revisions); the current one by default',
      },
    },
    success: { status: 200, description: 'The page', body: 'html', headers: PREVIEW_HEADERS },
    errors: [400, 404],
  },
  CreatePreviewLink: {
    summary: 'Make a shareable preview link',
    description:
      "A signed link to the page of the article's current version that anyone can open without an " +
      'account, for 24 hours. Editing the article (any PATCH) or deleting it ends every link made for it ' +
      '(`410`); make a new one after each change. Nothing is stored: the link carries its own signed grant.',
    tag: 'Articles',
    success: {
      status: 201,
      description: 'The link and when it expires',
      body: 'PreviewLink',
      headers: ['Cache-Control'],
    },
    errors: [404],
  },
  OpenPreviewLink: {
    summary: 'Open a preview link',
    description:
      'The page a preview link was made for, as `GET /api/articles/{id}/preview` shows it, to anyone ' +
      'holding the link. A link that is not one of ours, or was altered, is a `400` (`bad_request`); one ' +
      'that has expired, or whose article has since been edited or deleted, is a `410` (`gone`).',
    tag: 'Site',
    query: {
      schema: previewLinkQuerySchema,
      descriptions: { token: 'The signed token, as the preview link carries it' },
    },
    success: { status: 200, description: 'The page', body: 'html', headers: PREVIEW_HEADERS },
    errors: [400, 410],
  },
  ListArticleRevisions: {
    summary: "An article's versions",
    description:
      'Every kept version of the article, newest first, the current one first: who made it (`updatedBy`), ' +
      'when, and which fields it changed. Every change (a PATCH, a scheduled publication going live) keeps ' +
      'the version it replaced; the current version and the 50 before it are kept, older ones are ' +
      'deleted, and all of them go with the article. Follow `nextCursor` until it is `null`.',
    tag: 'Articles',
    query: {
      schema: revisionsQuerySchema,
      descriptions: { limit: 'Versions per page', cursor: '`nextCursor` of the previous page' },
    },
    success: {
      status: 200,
      description: 'One page of versions',
      body: 'RevisionList',
      headers: ['Cache-Control'],
    },
    errors: [400, 404],
  },
  GetArticleRevision: {
    summary: 'An article as it was at one version',
    description:
      'The article as GET /api/articles/{id} showed it at that version, with the fields that version ' +
      'changed. To restore it, PATCH the article with its fields and `If-Match` set to the ETag of the ' +
      "article's *current* version (GET /api/articles/{id}): the restore is a new version, and an edit " +
      'made meanwhile is a `412`, never lost. A version newer than the current one, older than the kept ' +
      'ones, or not a positive whole number is a `404`.',
    tag: 'Articles',
    success: {
      status: 200,
      description: 'The article at that version',
      body: 'ArticleRevision',
      headers: ['Cache-Control'],
    },
    errors: [404],
  },
  ListLatest: {
    summary: 'The latest published articles',
    description:
      'Newest first, a page at a time. Follow `nextCursor` (with the same `section`) until it is `null`. ' +
      'Cursors are opaque and signed: a changed or foreign one is a `400 invalid_cursor`.',
    tag: 'Site',
    query: {
      schema: latestQuerySchema,
      descriptions: {
        limit: 'Items per page',
        section: "Only this section's articles",
        cursor: '`nextCursor` of the previous page',
      },
    },
    success: { status: 200, description: 'One page', body: 'LatestPage', headers: ['Cache-Control'] },
    errors: [400],
  },
  ListSections: {
    summary: 'The configured sections',
    description: 'Every section articles can be filed in, with the URL of its page.',
    tag: 'Site',
    success: { status: 200, description: 'The sections', body: 'SectionList', headers: ['Cache-Control'] },
  },
  GetOpenApiDocument: {
    summary: 'This document',
    description:
      'The OpenAPI 3.1 description of this API, generated from the validation schemas the handlers use ' +
      'and the route table. The same document is in the repository as docs/openapi.json.',
    tag: 'Reference',
    success: {
      status: 200,
      description: 'The OpenAPI document',
      body: 'OpenApiDocument',
      headers: ['Cache-Control'],
    },
  },
  GetApiReference: {
    summary: 'The API reference page',
    description:
      'This document rendered for people (Swagger UI), in one self-contained page that needs nothing but ' +
      'this origin, under a Content-Security-Policy that allows exactly its inline script and style.',
    tag: 'Reference',
    success: {
      status: 200,
      description: 'The reference page',
      body: 'html',
      headers: ['Cache-Control', 'Content-Security-Policy'],
    },
  },
};
