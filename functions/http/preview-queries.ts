import type { ZodError } from 'zod';
import * as z from 'zod/mini';
import { MAX_PREVIEW_TOKEN_LENGTH, PREVIEW_TOKEN_PATTERN } from '../auth/preview-token';
import { AppError } from '../domain/errors';
import { problemsFrom } from '../domain/validation';

/**
 * The preview routes' queries, in zod/mini: the same validation as the other routes' zod schemas (and the
 * same OpenAPI parameters, through z.toJSONSchema), for some 70 KB less in each preview bundle, which
 * already carries the renderer.
 */

const REVISION_PROBLEM = 'revision must be a version number (a whole number from 1)';
const TOKEN_MISSING = 'token is required: open the preview link as it was given';
const NOT_A_TOKEN = 'token is not a preview link token';

/** The query of `GET /api/articles/{id}/preview`: optionally, which earlier version to show. */
export const previewQuerySchema = z.strictObject(
  {
    // `abort`: one problem per parameter, however many checks a value fails.
    revision: z.optional(
      z.coerce
        .number({ error: REVISION_PROBLEM })
        .check(
          z.multipleOf(1, { error: REVISION_PROBLEM, abort: true }),
          z.minimum(1, { error: REVISION_PROBLEM, abort: true }),
          z.maximum(Number.MAX_SAFE_INTEGER, { error: REVISION_PROBLEM, abort: true }),
        ),
    ),
  },
  { error: (issue) => (issue.code === 'unrecognized_keys' ? undefined : 'invalid query') },
);

/**
 * The query of `GET /api/preview`. The length is checked before the pattern, so a huge input costs one
 * comparison; a token of the right shape may still be forged, which the handler answers with a 400 too.
 */
export const previewLinkQuerySchema = z.strictObject(
  {
    token: z
      .string({ error: TOKEN_MISSING })
      .check(
        z.minLength(1, { error: TOKEN_MISSING, abort: true }),
        z.maxLength(MAX_PREVIEW_TOKEN_LENGTH, { error: NOT_A_TOKEN, abort: true }),
        z.regex(PREVIEW_TOKEN_PATTERN, { error: NOT_A_TOKEN }),
      ),
  },
  { error: (issue) => (issue.code === 'unrecognized_keys' ? undefined : 'invalid query') },
);

/** A 400 naming each problem, as parseOrThrow (functions/domain/validation.ts) answers for zod schemas. */
export function parseQuery<Schema extends z.ZodMiniType>(schema: Schema, input: unknown): z.output<Schema> {
  const result = z.safeParse(schema, input);
  if (!result.success) {
    // problemsFrom reads the issues alone, which zod/mini's errors share with zod's.
    throw new AppError('validation_failed', 'The query is invalid', problemsFrom(result.error as ZodError));
  }
  return result.data;
}
