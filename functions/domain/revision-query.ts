import * as z from 'zod';

/**
 * Kept apart from functions/domain/revisions.ts, which the article service (and so every function that
 * has one) imports: zod belongs only in the bundles that validate a query with it.
 */

/** `GET /api/articles/{id}/revisions` query: the cursor is the version to continue below, as returned. */
export const revisionsQuerySchema = z.strictObject(
  {
    limit: z.coerce
      .number({ error: 'limit must be a whole number from 1 to 50' })
      .int('limit must be a whole number from 1 to 50')
      .min(1, 'limit must be a whole number from 1 to 50')
      .max(50, 'limit must be a whole number from 1 to 50')
      .default(20),
    cursor: z.string().max(16, 'cursor is too long').optional(),
  },
  { error: (issue) => (issue.code === 'unrecognized_keys' ? undefined : 'invalid query') },
);
