import * as z from 'zod';
import { SECTION_SLUGS } from '../config/site';
import { imageSizeProblem, MAX_IMAGE_DIMENSION } from './image-size';
import { parseInstant } from './instant';
import { canonicalLanguageTag, isSupportedLanguage, SUPPORTED_LANGUAGES } from './language';
import { MAX_SLUG_LENGTH, SLUG_PATTERN } from './slug';

/**
 * What editors may send. Every field from outside is checked here, with messages that name the field
 * and say what is wrong, before anything touches storage.
 */

const SINGLE_LINE = /^[^\p{Cc}]*$/u;
/** Line breaks and tabs are part of Markdown; every other control character is not. */
const hasControlCharacters = (value: string) => /\p{Cc}/u.test(value.replace(/[\n\r\t]/g, ''));

function text(label: string, max: number) {
  return z
    .string({ error: (issue) => (issue.input === undefined ? 'is required' : `${label} must be a string`) })
    .trim()
    .min(1, `${label} must not be empty`)
    .max(max, `${label} must be at most ${max} characters`)
    .regex(SINGLE_LINE, `${label} must be a single line without control characters`);
}

const title = text('title', 200);
const section = z.enum(SECTION_SLUGS, {
  error: (issue) =>
    issue.input === undefined
      ? 'is required'
      : `unknown section ${JSON.stringify(issue.input)}; expected one of ${SECTION_SLUGS.join(', ')}`,
});
const body = z
  .string({ error: (issue) => (issue.input === undefined ? 'is required' : 'body must be a string') })
  .max(200_000, 'body must be at most 200000 characters')
  .refine((value) => !hasControlCharacters(value), 'body must not contain control characters')
  .refine((value) => value.trim().length > 0, 'body must not be empty');
const summary = text('summary', 400);
const author = text('author', 120);
const source = text('source', 60);
const tags = z
  .array(text('tag', 40), { error: 'tags must be an array of strings' })
  .max(20, 'at most 20 tags')
  .transform((values) => [...new Set(values)]);
const imageUrl = z
  .url({ protocol: /^https?$/, error: 'imageUrl must be an absolute http(s) URL' })
  .max(2048, 'imageUrl must be at most 2048 characters');
const imageAlt = text('imageAlt', 300);
const LANGUAGE_PROBLEM = `language must be a BCP 47 language tag of a supported language (${SUPPORTED_LANGUAGES.join(', ')}), e.g. "sq" or "en-GB"`;
/** Stored in canonical form (`sq-al` → `sq-AL`), so equal tags are equal strings. */
const language = z
  .string({ error: LANGUAGE_PROBLEM })
  .max(35, 'language must be at most 35 characters')
  .transform((value, context) => {
    const canonical = canonicalLanguageTag(value.trim());
    if (canonical !== undefined && isSupportedLanguage(canonical)) return canonical;
    context.issues.push({ code: 'custom', message: LANGUAGE_PROBLEM, input: value });
    return z.NEVER;
  });
const imageCaption = text('imageCaption', 300);
const imageCredit = text('imageCredit', 120);
/** Intrinsic pixel size of the image: pages reserve its box before it loads, so nothing shifts. */
function imageDimension(label: string) {
  const problem = `${label} must be a whole number from 1 to ${MAX_IMAGE_DIMENSION}`;
  return z.int({ error: problem }).min(1, problem).max(MAX_IMAGE_DIMENSION, problem);
}
const imageWidth = imageDimension('imageWidth');
const imageHeight = imageDimension('imageHeight');
const featured = z.boolean({ error: 'featured must be true or false' });
/** Plain text shown to readers as it is (functions/domain/corrections.ts has what it may be added to). */
const correction = text('correction', 1000);
/**
 * Checked and normalised here (functions/domain/instant.ts has the rule and its range), so everything
 * after the schema sees the stored UTC form only.
 */
const publishAt = z
  .string({
    error: 'publishAt must be an ISO 8601 date-time string with a time zone, e.g. 2026-11-27T18:00:00Z',
  })
  .transform((value, context) => {
    const parsed = parseInstant(value, 'publishAt');
    if (parsed.ok) return parsed.iso;
    context.issues.push({ code: 'custom', message: parsed.problem, input: value });
    return z.NEVER;
  });
const slug = z
  .string({ error: 'slug must be a string' })
  .max(MAX_SLUG_LENGTH, `slug must be at most ${MAX_SLUG_LENGTH} characters`)
  .regex(SLUG_PATTERN, 'slug must be lower-case letters and digits separated by single hyphens');

const requireAltWithImage = (value: { imageUrl?: string | null; imageAlt?: string | null }) =>
  !value.imageUrl || Boolean(value.imageAlt);
const altProblem = { message: 'imageAlt is required when imageUrl is given', path: ['imageAlt'] };

export const createArticleSchema = z
  .strictObject(
    {
      title,
      section,
      body,
      summary: summary.optional(),
      author: author.optional(),
      source: source.optional(),
      tags: tags.optional(),
      imageUrl: imageUrl.optional(),
      imageAlt: imageAlt.optional(),
      language: language.optional(),
      imageCaption: imageCaption.optional(),
      imageCredit: imageCredit.optional(),
      imageWidth: imageWidth.optional(),
      imageHeight: imageHeight.optional(),
      featured: featured.optional(),
      status: z
        .enum(['draft', 'review', 'scheduled', 'published'], {
          error: 'status must be one of draft, review, scheduled, published',
        })
        .optional(),
      publishAt: publishAt.optional(),
      slug: slug.optional(),
    },
    { error: (issue) => (issue.code === 'unrecognized_keys' ? undefined : 'the body must be a JSON object') },
  )
  .refine(requireAltWithImage, altProblem)
  .superRefine((value, context) => {
    const problem = imageSizeProblem(value);
    if (problem) context.addIssue({ code: 'custom', message: problem.message, path: [problem.field] });
  });

export type CreateArticleInput = z.infer<typeof createArticleSchema>;

/** `null` clears an optional field; an absent field is left as it is. */
export const updateArticleSchema = z
  .strictObject(
    {
      title: title.optional(),
      section: section.optional(),
      body: body.optional(),
      summary: summary.nullable().optional(),
      author: author.nullable().optional(),
      source: source.nullable().optional(),
      tags: tags.optional(),
      imageUrl: imageUrl.nullable().optional(),
      imageAlt: imageAlt.nullable().optional(),
      language: language.nullable().optional(),
      imageCaption: imageCaption.nullable().optional(),
      imageCredit: imageCredit.nullable().optional(),
      imageWidth: imageWidth.nullable().optional(),
      imageHeight: imageHeight.nullable().optional(),
      // `false` and `null` alike take the article off the lead (it is stored only when true).
      featured: featured.nullable().optional(),
      status: z
        .enum(['draft', 'review', 'scheduled', 'published', 'unpublished'], {
          error: 'status must be one of draft, review, scheduled, published, unpublished',
        })
        .optional(),
      publishAt: publishAt.nullable().optional(),
      slug: slug.optional(),
      // Not nullable: corrections are only ever appended, a patch cannot take one back.
      correction: correction
        .optional()
        .describe(
          'A correction shown to readers ("Correction, <date>: <note>"), dated now and kept for good; only for an article that has been published. Without one, the edit is a silent fix that moves no date readers see',
        ),
    },
    { error: (issue) => (issue.code === 'unrecognized_keys' ? undefined : 'the body must be a JSON object') },
  )
  .refine((value) => Object.keys(value).length > 0, { message: 'the update must change at least one field' });

export type UpdateArticleInput = z.infer<typeof updateArticleSchema>;

export const latestQuerySchema = z.strictObject(
  {
    limit: z.coerce
      .number({ error: 'limit must be a whole number from 1 to 50' })
      .int('limit must be a whole number from 1 to 50')
      .min(1, 'limit must be a whole number from 1 to 50')
      .max(50, 'limit must be a whole number from 1 to 50')
      .default(10),
    section: section.optional(),
    cursor: z.string().min(1, 'cursor must not be empty').max(2048, 'cursor is too long').optional(),
  },
  { error: (issue) => (issue.code === 'unrecognized_keys' ? undefined : 'invalid query') },
);

export type LatestQuery = z.infer<typeof latestQuerySchema>;
