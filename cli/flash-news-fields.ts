/**
 * The front matter fields of an article file, apart from the parser (cli/flash-news-front-matter.ts) so
 * that `flash-news --help` can name them without loading it; a unit test keeps the two in step.
 */
export const FRONT_MATTER_FIELDS = [
  'id',
  'title',
  'section',
  'summary',
  'author',
  'source',
  'tags',
  'status',
  'publishAt',
  'image',
  'imageUrl',
  'imageAlt',
  'language',
  'imageCaption',
  'imageCredit',
  'imageWidth',
  'imageHeight',
  'featured',
  'slug',
] as const;
