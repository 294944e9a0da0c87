import type { ArticleStatus, CreateArticleRequest } from 'flash-news-client';
import matter from 'gray-matter';
import YAML from 'yaml';
import { z } from 'zod';
import { FRONT_MATTER_FIELDS } from './flash-news-fields';
import { CliError } from './flash-news-output';

/**
 * An article file: Markdown with YAML front matter. The front matter carries the article's fields, the
 * Markdown after it is the body; after the first publish the CLI writes the article's `id` into it, so
 * publishing the file again updates that article instead of creating a second one.
 *
 * YAML is read as YAML 1.2 (the `yaml` package), so `publishAt: 2026-11-27T18:00:00+01:00` stays the
 * string written rather than becoming a Date, and the API checks it exactly as given.
 */

/** What a file asks the article to be. `status` defaults to `published`: the command is `publish`. */
export interface DesiredArticle {
  readonly title: string;
  readonly section: string;
  readonly body: string;
  readonly summary?: string;
  readonly author?: string;
  readonly source?: string;
  readonly tags: string[];
  readonly imageUrl?: string;
  readonly imageAlt?: string;
  readonly language?: string;
  readonly imageCaption?: string;
  readonly imageCredit?: string;
  readonly imageWidth?: number;
  readonly imageHeight?: number;
  readonly featured?: boolean;
  readonly status: ArticleStatus;
  readonly publishAt?: string;
  readonly slug?: string;
}

export interface ArticleFile {
  /** The id written back by an earlier publish, if any. */
  readonly id?: string;
  readonly article: DesiredArticle;
}

/** YAML turns `source: 24` into a number; a field meant as text takes it as text. */
const asText = (value: unknown) =>
  typeof value === 'number' || typeof value === 'boolean' ? String(value) : value;
const text = (field: string) =>
  z
    .string({ error: (issue) => (issue.input === undefined ? 'is required' : `${field} must be text`) })
    .trim();
const requiredText = (field: string) =>
  z.preprocess(asText, text(field).min(1, `${field} must not be empty`));
const optionalText = (field: string) => z.preprocess(asText, text(field).nullish());
/** Checked here only as a number; the API says what range it takes. */
const optionalNumber = (field: string) => z.number({ error: `${field} must be a number` }).nullish();
const optionalFlag = (field: string) => z.boolean({ error: `${field} must be true or false` }).nullish();

const frontMatterSchema = z.strictObject(
  {
    id: optionalText('id'),
    title: requiredText('title'),
    section: requiredText('section'),
    summary: optionalText('summary'),
    author: optionalText('author'),
    source: optionalText('source'),
    tags: z
      .union(
        [
          z.array(z.preprocess(asText, text('each tag'))),
          z.string().transform((value) => value.split(',').map((tag) => tag.trim())),
        ],
        { error: 'tags must be a list or a comma-separated text' },
      )
      .nullish(),
    status: z
      .enum(['draft', 'review', 'scheduled', 'published', 'unpublished'], {
        error: 'status must be one of draft, review, scheduled, published, unpublished',
      })
      .nullish(),
    publishAt: optionalText('publishAt'),
    image: optionalText('image'),
    imageUrl: optionalText('imageUrl'),
    imageAlt: optionalText('imageAlt'),
    language: optionalText('language'),
    imageCaption: optionalText('imageCaption'),
    imageCredit: optionalText('imageCredit'),
    imageWidth: optionalNumber('imageWidth'),
    imageHeight: optionalNumber('imageHeight'),
    featured: optionalFlag('featured'),
    slug: optionalText('slug'),
  },
  {
    error: (issue) => (issue.code === 'unrecognized_keys' ? undefined : 'the front matter must be a mapping'),
  },
);

/** The fields the schema accepts (the help text names FRONT_MATTER_FIELDS; a test compares them). */
export const SCHEMA_FIELDS = Object.keys(frontMatterSchema.shape);

const present = (value: string | null | undefined) => (value ? value : undefined);

export function parseArticleFile(text: string, fileName: string): ArticleFile {
  let parsed: matter.GrayMatterFile<string>;
  try {
    parsed = matter(text, { engines: { yaml: (source) => YAML.parse(source) ?? {} } });
  } catch (error) {
    const reason = error instanceof Error ? (error.message.split('\n')[0] ?? error.message) : String(error);
    throw new CliError(`${fileName}: the front matter is not valid YAML: ${reason}`);
  }
  if (!parsed.matter.trim() && Object.keys(parsed.data).length === 0) {
    throw new CliError(
      `${fileName}: no front matter; start the file with a "---" block giving at least title and section`,
    );
  }
  const result = frontMatterSchema.safeParse(parsed.data);
  if (!result.success) {
    const problems = result.error.issues.flatMap((issue) =>
      issue.code === 'unrecognized_keys'
        ? issue.keys.map((key) => `unknown field ${key} (known: ${FRONT_MATTER_FIELDS.join(', ')})`)
        : [issue.message === 'is required' ? `${issue.path.join('.')} is required` : issue.message],
    );
    throw new CliError(`${fileName}: ${problems.join('; ')}`);
  }
  const data = result.data;
  if (data.image && data.imageUrl && data.image !== data.imageUrl) {
    throw new CliError(`${fileName}: image and imageUrl differ; give one of them`);
  }
  // Leading blank lines separate the front matter from the text; trailing ones are editor noise.
  const body = parsed.content.replace(/^(?:[ \t]*\r?\n)+/, '').trimEnd();
  if (!body) throw new CliError(`${fileName}: the article has no body (the Markdown after the front matter)`);
  const status = data.status ?? 'published';
  if (!data.id && status === 'unpublished') {
    throw new CliError(`${fileName}: a new article cannot be unpublished; use status draft`);
  }
  return {
    id: present(data.id),
    article: {
      title: data.title,
      section: data.section,
      body,
      summary: present(data.summary),
      author: present(data.author),
      source: present(data.source),
      tags: [...new Set((data.tags ?? []).filter(Boolean))],
      imageUrl: present(data.imageUrl) ?? present(data.image),
      imageAlt: present(data.imageAlt),
      language: present(data.language),
      imageCaption: present(data.imageCaption),
      imageCredit: present(data.imageCredit),
      imageWidth: data.imageWidth ?? undefined,
      imageHeight: data.imageHeight ?? undefined,
      // Only `featured: true` asks for anything; false is what an article without the field is.
      featured: data.featured ? true : undefined,
      status,
      publishAt: present(data.publishAt),
      slug: present(data.slug),
    },
  };
}

/** The create request for a file's article: only the fields it gives. */
export function createRequestOf(article: DesiredArticle): CreateArticleRequest {
  const { status, tags, ...rest } = article;
  const request: CreateArticleRequest = { ...rest, status: status === 'unpublished' ? 'draft' : status };
  if (tags.length > 0) request.tags = tags;
  for (const key of Object.keys(request) as (keyof CreateArticleRequest)[]) {
    if (request[key] === undefined) delete request[key];
  }
  return request;
}

/**
 * The file with `id: <id>` as the first line of its front matter; everything else is kept byte for
 * byte (comments, order, line endings). An `id:` line without a value is filled in instead.
 */
export function withArticleId(text: string, id: string): string {
  const newline = text.includes('\r\n') ? '\r\n' : '\n';
  const opening = /^(?:\uFEFF)?---[ \t]*\r?\n/.exec(text);
  if (!opening) throw new CliError('the file has no front matter to write the article id into');
  const start = opening[0].length;
  const end = text.slice(start).search(/^---[ \t]*\r?$/m);
  const frontMatter = end === -1 ? text.slice(start) : text.slice(start, start + end);
  const emptyId = /^id:[ \t]*(?:#.*)?$/m.exec(frontMatter);
  if (emptyId) {
    const at = start + emptyId.index;
    return `${text.slice(0, at)}id: ${id}${text.slice(at + emptyId[0].length)}`;
  }
  return `${text.slice(0, start)}id: ${id}${newline}${text.slice(start)}`;
}
