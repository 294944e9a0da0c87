import * as z from 'zod';
import { ARTICLE_STATUSES } from '../domain/article';
import type { ErrorCode } from '../domain/errors';
import { ARTICLE_ID_PATTERN } from '../domain/ids';

/**
 * What the API answers, as zod schemas, so that the OpenAPI document describes responses the same way it
 * describes requests (functions/domain/article-input.ts): both go through `z.toJSONSchema`. Objects are
 * strict, so a field a presenter adds without adding it here fails the presenter tests and every
 * integration test that receives it (test/integration/support/openapi-conformance.ts).
 */

/** Registered as a component of its own (see openapi-document.ts), so its long pattern is written once. */
export const timestampSchema = z.iso
  .datetime({ offset: false })
  .describe('ISO 8601 in UTC, e.g. 2026-11-27T17:30:00.000Z');
const timestamp = timestampSchema;
const pageUrl = z.url().describe('Absolute URL of the page on the site');

export const articleResponseSchema = z
  .strictObject({
    id: z.string().regex(ARTICLE_ID_PATTERN).describe('ULID: unique, sortable by creation time'),
    slug: z.string().describe('Current URL slug; `{id}` in the path may also be any slug the article had'),
    previousPaths: z
      .array(z.string())
      .describe('Paths the page had before a slug or section change; each redirects to `url`'),
    title: z.string(),
    section: z.string().describe('A section slug (GET /api/sections)'),
    body: z.string().describe('Markdown'),
    summary: z.string().optional(),
    author: z.string().optional(),
    source: z.string().optional().describe('Agency or source credit shown after the body, e.g. REL'),
    tags: z.array(z.string()),
    imageUrl: z.string().optional(),
    imageAlt: z.string().optional(),
    language: z
      .string()
      .optional()
      .describe("BCP 47 language of the copy (canonical form); absent: the newsroom's language"),
    imageCaption: z.string().optional().describe('Shown under the photo on the article page'),
    imageCredit: z.string().optional().describe('Shown under the photo as "Photo: <credit>"'),
    imageWidth: z.int().optional().describe('Pixels; given with imageHeight'),
    imageHeight: z.int().optional().describe('Pixels; given with imageWidth'),
    featured: z.boolean().describe('Put forward to lead the home page (the newest featured story leads)'),
    status: z
      .enum(ARTICLE_STATUSES)
      .describe('`review`: submitted by a contributor for an editor to publish; only `published` is live'),
    publishAt: timestamp.optional().describe('When a scheduled article goes live (UTC)'),
    publishedAt: timestamp
      .optional()
      .describe('First publication (UTC); kept across unpublish and republish'),
    createdAt: timestamp,
    updatedAt: timestamp,
    createdBy: z
      .string()
      .optional()
      .describe("The creator's user id (`sub` of their token); absent on articles older than roles"),
    updatedBy: z
      .string()
      .optional()
      .describe(
        'The user id (`sub`) of whoever made this version; absent when no one did (a scheduled ' +
          'publication going live) and on versions older than revisions',
      ),
    version: z.int().min(1).describe('Starts at 1, +1 on every change; the ETag is this number in quotes'),
    corrections: z
      .array(
        z.strictObject({
          at: timestamp.describe('When the correction was made (UTC)'),
          note: z.string().describe('Plain text, shown to readers as it is'),
        }),
      )
      .describe('Corrections shown to readers, oldest first; a PATCH with `correction` appends one'),
    url: pageUrl,
  })
  .describe('An article as GET, POST and PATCH /api/articles… return it');

const changesSchema = z
  .array(z.string())
  .describe(
    'The fields this version changed from the one before, sorted (`[]` for version 1); absent when the ' +
      'version before it is not kept',
  );

export const articleRevisionSchema = articleResponseSchema
  .extend({ changes: changesSchema.optional() })
  .describe(
    'An article as it was at one version (GET /api/articles/{id}/revisions/{version}): restore it by a ' +
      "PATCH of its fields with If-Match of the article's current version",
  );

export const revisionSummarySchema = z.strictObject({
  version: z.int().min(1),
  updatedAt: timestamp.describe('When this version was made (UTC)'),
  updatedBy: z.string().optional().describe('The user id (`sub`) of whoever made it; absent when no one did'),
  changes: changesSchema.optional(),
});

export const revisionListSchema = z
  .strictObject({
    items: z
      .array(revisionSummarySchema)
      .describe('Newest first: the current version, then the kept ones before it'),
    nextCursor: z
      .string()
      .nullable()
      .describe('Pass back as `cursor` for older versions; null on the last page'),
  })
  .describe("One page of an article's versions");

export const latestItemSchema = z.strictObject({
  id: z.string().regex(ARTICLE_ID_PATTERN),
  slug: z.string(),
  title: z.string(),
  summary: z.string().nullable(),
  section: z.string(),
  language: z.string().describe("BCP 47 language of the article (the newsroom's unless it has its own)"),
  publishedAt: timestamp,
  url: pageUrl,
});

export const latestPageSchema = z
  .strictObject({
    items: z.array(latestItemSchema).describe('Newest first'),
    nextCursor: z
      .string()
      .nullable()
      .describe('Pass back as `cursor` (with the same `section`) for the next page; null on the last page'),
  })
  .describe('One page of the latest published articles');

export const sectionSchema = z.strictObject({
  slug: z.string(),
  name: z.string(),
  description: z.string(),
  url: pageUrl.describe("Absolute URL of the section's page"),
});

export const sectionListSchema = z.strictObject({ items: z.array(sectionSchema) });

export const previewLinkSchema = z
  .strictObject({
    url: z
      .url()
      .describe(
        '`/api/preview?token=…` on the site: opens the preview without an account; share it as it is',
      ),
    expiresAt: timestamp.describe(
      'When the link stops working (24 hours after it was made), unless edited sooner',
    ),
  })
  .describe('A signed preview link to the version of the article current when it was made');

const fieldProblemSchema = z.strictObject({
  field: z
    .string()
    .describe('Dotted path of the offending field, e.g. `tags.2`; empty for the body as a whole'),
  message: z.string(),
});

/**
 * The API's error body, narrowed to the codes one status can carry. The top-level `message` is API
 * Gateway's: its own refusals carry only that in AWS, and the local gateway sends both.
 */
export function errorBodySchema(codes: readonly [ErrorCode, ...ErrorCode[]]) {
  return z.strictObject({
    error: z.strictObject({
      code: z.enum(codes),
      message: z.string().describe('For people: what was wrong, never a stack trace'),
      details: z
        .array(fieldProblemSchema)
        .optional()
        .describe('Each invalid field, when fields were invalid'),
    }),
    message: z.string().optional().describe("API Gateway's own message, when it answered before the API"),
  });
}

/** What API Gateway itself answers in AWS when it refuses a request before any function runs. */
export const gatewayRefusalSchema = z
  .strictObject({ message: z.string() })
  .describe('API Gateway\'s own refusal, e.g. {"message":"Unauthorized"} or {"message":"Too Many Requests"}');

/** Just enough of an OpenAPI document to tell one from anything else. */
export const openApiDocumentSchema = z.looseObject({
  openapi: z.string().regex(/^3\.1\.\d+$/),
  info: z.looseObject({ title: z.string(), version: z.string() }),
  paths: z.record(z.string(), z.unknown()),
});
