import { z } from 'zod';
import { isSupportedLanguage, SUPPORTED_LANGUAGES } from '../domain/language';
import type { NewsroomConfig } from './newsroom';
import { isTimeZone } from './time-zone';

/**
 * The newsroom file's one schema: zod checks a file with it (functions/config/newsroom-file.ts) and
 * `npm run newsroom-schema` writes the JSON Schema editors autocomplete from, generated from it
 * (newsroom.config.schema.json; a unit test fails while the file is stale).
 *
 * The schema is built on first use, not at import, so that no function bundle pays for zod: the functions
 * get the newsroom already checked, inlined at synth (infra/constructs/news-function.ts).
 */

/** Top-level paths of the site that a section's page would shadow (the API, the sitemaps, tag pages). */
export const RESERVED_SECTION_SLUGS: readonly string[] = ['api', 'sitemaps', 'tags'];

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

function isLanguageTag(value: string): boolean {
  try {
    return Intl.getCanonicalLocales(value).length === 1;
  } catch {
    return false;
  }
}

function languageOf(tag: string): string {
  return new Intl.Locale(tag).language;
}

function isLogoUrl(value: string): boolean {
  if (value.startsWith('/')) return !value.startsWith('//');
  return /^https?:\/\//.test(value) && URL.canParse(value);
}

/** A DNS host name in lower case: what `new URL(…).hostname` gives for an image URL. */
const HOST_NAME =
  /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/;
const MIN_RESIZED_WIDTH = 16;
const MAX_RESIZED_WIDTH = 10_000;

function isResizerTemplate(value: string): boolean {
  if (!value.includes('{width}')) return false;
  if (value.startsWith('{url}')) return true;
  const sample = value.replaceAll('{width}', '640').replaceAll('{url}', 'https%3A%2F%2Fexample.com%2Fa.jpg');
  return /^https?:\/\//.test(sample) && URL.canParse(sample);
}

const text = (max: number) =>
  z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);

function buildSchema() {
  const section = z
    .strictObject({
      slug: z
        .string()
        .regex(SLUG, 'must be lowercase letters and digits joined by single hyphens, e.g. "bota"')
        .max(40, 'must be at most 40 characters')
        .refine((slug) => !RESERVED_SECTION_SLUGS.includes(slug), {
          message: `is reserved for the site itself (${RESERVED_SECTION_SLUGS.join(', ')})`,
        })
        .meta({ description: 'URL segment and the value stored in each article, e.g. "bota" for /bota/.' }),
      name: text(40).meta({ description: "Label readers see, in the newsroom's language." }),
      description: text(300).meta({ description: "One sentence: the section page's meta description." }),
      order: z
        .int('must be a whole number')
        .min(0, 'must be 0 or more')
        .meta({ description: 'Position in menus and on the home page, smallest first.' }),
    })
    .meta({ title: 'Section' });

  const logo = z
    .strictObject({
      url: z
        .string()
        .refine(isLogoUrl, 'must be an http(s) URL or a root-relative path such as /logo.svg')
        .meta({
          description: 'Absolute http(s) URL, or a path on the site such as /logo.svg.',
        }),
      width: z
        .int('must be a whole number')
        .positive('must be more than 0')
        .meta({ description: 'CSS pixels' }),
      height: z
        .int('must be a whole number')
        .positive('must be more than 0')
        .meta({ description: 'CSS pixels' }),
    })
    .meta({ title: 'Logo' });

  const resizer = z
    .strictObject({
      hosts: z
        .array(
          z
            .string()
            .regex(HOST_NAME, 'must be a lower-case host name such as "images.example.com"')
            .meta({ description: 'A host name, exactly as image URLs spell it, e.g. "images.example.com".' }),
        )
        .min(1, 'must list at least one host')
        .meta({ description: 'The hosts whose image URLs this service can resize.' }),
      urlTemplate: z
        .string()
        .refine(isResizerTemplate, 'must contain {width} and be an http(s) URL or start with {url}')
        .meta({
          description:
            'The image at a width: {url} is the stored image URL, {width} the width in pixels, e.g. "{url}?w={width}".',
          examples: ['{url}?w={width}', 'https://res.cloudinary.com/demo/image/fetch/w_{width}/{url}'],
        }),
      widths: z
        .array(
          z
            .int('must be a whole number')
            .min(MIN_RESIZED_WIDTH, `must be at least ${MIN_RESIZED_WIDTH}`)
            .max(MAX_RESIZED_WIDTH, `must be at most ${MAX_RESIZED_WIDTH}`),
        )
        .min(1, 'must list at least one width')
        .max(12, 'must list at most 12 widths')
        .refine((widths) => widths.every((width, index) => index === 0 || width > (widths[index - 1] ?? 0)), {
          message: 'must be in increasing order, each once',
        })
        .meta({
          description: 'The widths offered in srcset, in pixels, smallest first, e.g. [320, 640, 1024].',
        }),
    })
    .meta({ title: 'Image resizer' });

  return z
    .strictObject({
      $schema: z.string().optional().meta({ description: 'The JSON Schema this file follows, for editors.' }),
      name: text(80).meta({ description: 'The newsroom\'s name, e.g. "Flash News".' }),
      description: text(300).meta({
        description: "The site's description: home page meta description and feeds.",
      }),
      logo: logo
        .optional()
        .meta({ description: "The newsroom's logo (publisher logo in NewsArticle data)." }),
      language: z
        .string()
        .refine(isLanguageTag, 'must be a BCP 47 language tag such as "en" or "sq"')
        .refine(
          isSupportedLanguage,
          `must be a language the page labels exist in: ${SUPPORTED_LANGUAGES.join(', ')} (functions/render/messages.ts)`,
        )
        .meta({
          description: 'BCP 47 language of the copy and the page chrome, e.g. "sq".',
          examples: ['en', 'sq'],
        }),
      locale: z
        .string()
        .refine(isLanguageTag, 'must be a BCP 47 locale such as "en-US" or "sq-AL"')
        .meta({
          description: 'BCP 47 locale dates are formatted in, e.g. "sq-AL".',
          examples: ['en-US', 'sq-AL'],
        }),
      timeZone: z
        .string()
        .refine(isTimeZone, 'must be an IANA time zone such as "Europe/Tirane" or "UTC"')
        .meta({ description: 'IANA time zone readers see times in.', examples: ['UTC', 'Europe/Tirane'] }),
      sections: z
        .array(section)
        .min(1, 'must list at least one section')
        .meta({ description: 'The sections articles are filed in.' }),
      imageResizers: z.array(resizer).optional().meta({
        description:
          'Image services that can serve smaller copies: pages offer them to browsers in srcset. Without one, images are shown as stored.',
      }),
    })
    .superRefine((config, context) => {
      if (
        isLanguageTag(config.language) &&
        isLanguageTag(config.locale) &&
        languageOf(config.locale) !== languageOf(config.language)
      ) {
        context.addIssue({
          code: 'custom',
          path: ['locale'],
          input: config.locale,
          message: `must be a locale of the language "${config.language}", e.g. "${config.language}-…"`,
        });
      }
      const firstIndex = new Map<string, number>();
      const orders = new Map<number, number>();
      config.sections.forEach((section, index) => {
        const sameSlug = firstIndex.get(section.slug);
        if (sameSlug !== undefined) {
          context.addIssue({
            code: 'custom',
            path: ['sections', index, 'slug'],
            message: `"${section.slug}" is already the slug of sections[${sameSlug}]`,
          });
        } else firstIndex.set(section.slug, index);
        const sameOrder = orders.get(section.order);
        if (sameOrder !== undefined) {
          context.addIssue({
            code: 'custom',
            path: ['sections', index, 'order'],
            message: `${section.order} is already the order of sections[${sameOrder}]`,
          });
        } else orders.set(section.order, index);
      });
    })
    .meta({
      title: 'Flash News newsroom configuration',
      description:
        'The newsroom: name, logo, language, locale, time zone and sections. Read by the CDK app, the functions and the local stack.',
    });
}

let schema: ReturnType<typeof buildSchema> | undefined;

export function newsroomSchema(): ReturnType<typeof buildSchema> {
  schema ??= buildSchema();
  return schema;
}

/** `sections[2].slug`, as a reader of the file would point at it. */
function fieldPath(path: readonly PropertyKey[]): string {
  return path
    .map((key, index) => (typeof key === 'number' ? `[${key}]` : `${index === 0 ? '' : '.'}${String(key)}`))
    .join('');
}

function describeIssue(issue: z.core.$ZodIssue): { field: string; problem: string } {
  const field = fieldPath(issue.path);
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0] ?? '';
    return {
      field: field === '' ? key : `${field}.${key}`,
      problem: 'is not a known field (a typo?)',
    };
  }
  if (issue.code === 'invalid_type') {
    if (issue.input === undefined) return { field, problem: 'is required' };
    return {
      field,
      problem: `must be ${EXPECTED[issue.expected] ?? `a ${issue.expected}`}${got(issue.input)}`,
    };
  }
  return { field, problem: `${issue.message}${got(issue.input)}` };
}

/** How a reader would say what zod expected there. */
const EXPECTED: Readonly<Record<string, string>> = {
  array: 'a list',
  int: 'a whole number',
  object: 'an object',
};

/** What the file holds, when it is short enough to quote on the same line (and not blank). */
function got(input: unknown): string {
  if (typeof input !== 'string' && typeof input !== 'number') return '';
  if (typeof input === 'string' && input.trim() === '') return '';
  const quoted = JSON.stringify(input);
  return quoted.length > 60 ? '' : ` (got ${quoted})`;
}

/** The first problem as `field: what is wrong`, plus how many more there are: one line for a terminal. */
export function describeNewsroomProblem(error: z.ZodError): string {
  const [first] = error.issues;
  if (first === undefined) return 'is not valid';
  const { field, problem } = describeIssue(first);
  const more = error.issues.length - 1;
  const line = field === '' ? `the file ${problem}` : `${field} ${problem}`;
  return more > 0 ? `${line} (and ${more} more problem${more === 1 ? '' : 's'})` : line;
}

export type NewsroomParseResult =
  | { readonly success: true; readonly config: NewsroomConfig }
  | { readonly success: false; readonly problem: string };

/** Checks parsed JSON; on success the sections are in reading order and `$schema` is dropped. */
export function parseNewsroomConfig(data: unknown): NewsroomParseResult {
  const result = newsroomSchema().safeParse(data, { reportInput: true });
  if (!result.success) return { success: false, problem: describeNewsroomProblem(result.error) };
  const { $schema: _editorHint, logo, sections, imageResizers, ...rest } = result.data;
  return {
    success: true,
    config: {
      ...rest,
      ...(logo ? { logo } : {}),
      ...(imageResizers && imageResizers.length > 0 ? { imageResizers } : {}),
      sections: [...sections].sort((a, b) => a.order - b.order),
    },
  };
}

/** The JSON Schema of the file (draft 2020-12). */
export function newsroomJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(newsroomSchema(), { target: 'draft-2020-12', io: 'input' }) as Record<
    string,
    unknown
  >;
}

/** newsroom.config.schema.json as `npm run newsroom-schema` writes it. */
export function formatNewsroomJsonSchema(): string {
  return `${JSON.stringify(newsroomJsonSchema(), null, 2)}\n`;
}
