import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { SECTION_SLUGS } from '../../../functions/config/site';
import {
  createArticleSchema,
  latestQuerySchema,
  updateArticleSchema,
} from '../../../functions/domain/article-input';
import { AppError, type FieldProblem } from '../../../functions/domain/errors';
import { parseOrThrow, problemsFrom } from '../../../functions/domain/validation';

const valid = {
  title: 'Rutte: US is fully committed to NATO',
  section: 'bota',
  body: 'NATO chief **Mark Rutte**.',
};

/** The problems parseOrThrow reports for `input`, failing the test if it parses. */
function problems(schema: Parameters<typeof parseOrThrow>[0], input: unknown): FieldProblem[] {
  try {
    parseOrThrow(schema, input, 'article');
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    const appError = error as AppError;
    expect(appError.code).toBe('validation_failed');
    expect(appError.status).toBe(400);
    return [...(appError.details ?? [])];
  }
  throw new Error(`expected ${JSON.stringify(input)} to be refused`);
}

const fields = (list: FieldProblem[]) => list.map((problem) => problem.field);
const messageFor = (list: FieldProblem[], field: string) =>
  list.find((problem) => problem.field === field)?.message;

describe('parseOrThrow', () => {
  it('returns the parsed value when the input is valid', () => {
    expect(parseOrThrow(createArticleSchema, valid, 'article')).toEqual(valid);
  });

  it('names what is invalid in the message and lists every problem, not just the first', () => {
    const error = (() => {
      try {
        parseOrThrow(createArticleSchema, {}, 'article');
      } catch (caught) {
        return caught as AppError;
      }
    })();
    expect(error?.message).toBe('The article is invalid');
    expect(fields([...(error?.details ?? [])])).toEqual(['title', 'section', 'body']);
  });
});

describe('problemsFrom', () => {
  it('names each unknown key separately, under its parent path', () => {
    const result = createArticleSchema.safeParse({ ...valid, colour: 'red', weight: 3 });
    expect(result.success).toBe(false);
    if (result.success) return;
    expect(problemsFrom(result.error)).toEqual([
      { field: 'colour', message: 'colour is not a known field' },
      { field: 'weight', message: 'weight is not a known field' },
    ]);
  });

  it('names an unknown key inside a nested object by its dotted path', () => {
    const nested = z.strictObject({ image: z.strictObject({ size: z.strictObject({ width: z.number() }) }) });
    const result = nested.safeParse({ image: { size: { width: 800, unit: 'px' } } });
    expect(result.success).toBe(false);
    if (result.success) return;
    expect(problemsFrom(result.error).map((problem) => problem.field)).toEqual(['image.size.unit']);
  });

  it('joins nested paths with dots', () => {
    const result = createArticleSchema.safeParse({ ...valid, tags: ['ok', 3] });
    expect(result.success).toBe(false);
    if (result.success) return;
    expect(problemsFrom(result.error)).toEqual([{ field: 'tags.1', message: 'tag must be a string' }]);
  });
});

describe('createArticleSchema', () => {
  it('accepts the required fields alone', () => {
    expect(createArticleSchema.parse(valid)).toEqual(valid);
  });

  it('accepts every optional field', () => {
    const full = {
      ...valid,
      summary: 'The alliance is united.',
      author: 'Jane Doe',
      source: 'REL',
      tags: ['nato', 'usa'],
      imageUrl: 'https://images.example.com/rutte.jpg',
      imageAlt: 'Mark Rutte at a press conference',
      status: 'scheduled',
      publishAt: '2026-11-27T18:00:00Z',
      slug: 'rutte-nato',
    };
    // publishAt comes back in its stored form: UTC, millisecond precision.
    expect(createArticleSchema.parse(full)).toEqual({ ...full, publishAt: '2026-11-27T18:00:00.000Z' });
  });

  it('names each missing required field', () => {
    const list = problems(createArticleSchema, {});
    expect(list).toEqual([
      { field: 'title', message: 'is required' },
      { field: 'section', message: 'is required' },
      { field: 'body', message: 'is required' },
    ]);
  });

  it('lists the valid sections when the section is unknown', () => {
    const message = messageFor(problems(createArticleSchema, { ...valid, section: 'weather' }), 'section');
    expect(message).toContain('"weather"');
    // Each valid section can be read off the message on its own.
    expect(message?.split(/[^a-z]+/)).toEqual(expect.arrayContaining([...SECTION_SLUGS]));
  });

  it('names every unknown key', () => {
    const list = problems(createArticleSchema, { ...valid, id: 'x', version: 3, url: '/x' });
    expect(fields(list)).toEqual(['id', 'version', 'url']);
    expect(messageFor(list, 'version')).toBe('version is not a known field');
  });

  it('names each field of the wrong type', () => {
    const list = problems(createArticleSchema, {
      title: 5,
      section: 'bota',
      body: ['b'],
      summary: false,
      tags: 'nato',
      status: 3,
    });
    expect(list).toEqual([
      { field: 'title', message: 'title must be a string' },
      { field: 'body', message: 'body must be a string' },
      { field: 'summary', message: 'summary must be a string' },
      { field: 'tags', message: 'tags must be an array of strings' },
      { field: 'status', message: 'status must be one of draft, review, scheduled, published' },
    ]);
  });

  it.each([null, [valid], 'title', 42])('refuses %j as a whole, with an empty field', (input) => {
    expect(problems(createArticleSchema, input)).toEqual([
      { field: '', message: 'the body must be a JSON object' },
    ]);
  });

  it('names each field that is too long, with its limit', () => {
    const list = problems(createArticleSchema, {
      ...valid,
      title: 't'.repeat(201),
      body: 'b'.repeat(200_001),
      summary: 's'.repeat(401),
      author: 'a'.repeat(121),
      source: 'r'.repeat(61),
      tags: Array.from({ length: 21 }, (_, index) => `tag${index}`),
      imageUrl: `https://images.example.com/${'i'.repeat(2048)}`,
      imageAlt: 'x'.repeat(301),
      slug: 's'.repeat(81),
    });
    expect(list).toEqual([
      { field: 'title', message: 'title must be at most 200 characters' },
      { field: 'body', message: 'body must be at most 200000 characters' },
      { field: 'summary', message: 'summary must be at most 400 characters' },
      { field: 'author', message: 'author must be at most 120 characters' },
      { field: 'source', message: 'source must be at most 60 characters' },
      { field: 'tags', message: 'at most 20 tags' },
      { field: 'imageUrl', message: 'imageUrl must be at most 2048 characters' },
      { field: 'imageAlt', message: 'imageAlt must be at most 300 characters' },
      { field: 'slug', message: 'slug must be at most 80 characters' },
    ]);
  });

  it('accepts fields of exactly their maximum length', () => {
    const input = { ...valid, title: 't'.repeat(200), summary: 's'.repeat(400), source: 'r'.repeat(60) };
    expect(createArticleSchema.parse(input)).toEqual(input);
  });

  it('trims single-line fields and refuses ones that are blank', () => {
    expect(createArticleSchema.parse({ ...valid, title: '  Spaced out  ' }).title).toBe('Spaced out');
    expect(problems(createArticleSchema, { ...valid, title: '   ', author: '' })).toEqual([
      { field: 'title', message: 'title must not be empty' },
      { field: 'author', message: 'author must not be empty' },
    ]);
  });

  it('refuses an empty or blank body', () => {
    // One problem each, naming the body.
    expect(problems(createArticleSchema, { ...valid, body: '' })).toEqual([
      { field: 'body', message: 'body must not be empty' },
    ]);
    expect(problems(createArticleSchema, { ...valid, body: ' \n\t ' })).toEqual([
      { field: 'body', message: 'body must not be empty' },
    ]);
  });

  it.each([
    'javascript:alert(1)',
    'data:image/png;base64,AAAA',
    'ftp://images.example.com/a.jpg',
    // Schemes that merely contain http(s) are other schemes.
    'git+https://images.example.com/a.jpg',
    'httpx://images.example.com/a.jpg',
    '/images/a.jpg',
    'not a url',
  ])('refuses imageUrl %j', (imageUrl) => {
    const list = problems(createArticleSchema, { ...valid, imageUrl, imageAlt: 'alt' });
    expect(list).toEqual([{ field: 'imageUrl', message: 'imageUrl must be an absolute http(s) URL' }]);
  });

  it('accepts http and https image URLs', () => {
    for (const imageUrl of ['http://images.example.com/a.jpg', 'https://images.example.com/a.jpg?w=800']) {
      expect(createArticleSchema.parse({ ...valid, imageUrl, imageAlt: 'A photo' }).imageUrl).toBe(imageUrl);
    }
  });

  it('requires imageAlt with imageUrl', () => {
    const list = problems(createArticleSchema, { ...valid, imageUrl: 'https://images.example.com/a.jpg' });
    expect(list).toEqual([{ field: 'imageAlt', message: 'imageAlt is required when imageUrl is given' }]);
  });

  it('accepts imageAlt without imageUrl', () => {
    expect(createArticleSchema.parse({ ...valid, imageAlt: 'alt' }).imageAlt).toBe('alt');
  });

  it.each([
    ['2026-11-27T18:00:00Z', '2026-11-27T18:00:00.000Z'],
    ['2026-11-27T18:00:00+01:00', '2026-11-27T17:00:00.000Z'],
    ['2026-11-27T18:00:00.250Z', '2026-11-27T18:00:00.250Z'],
    ['2026-11-27T18:00:00.5Z', '2026-11-27T18:00:00.500Z'],
    ['2026-11-27T18:00:00.25Z', '2026-11-27T18:00:00.250Z'],
    ['2026-11-27T18:00:00.2509999Z', '2026-11-27T18:00:00.250Z'],
    ['2026-11-27T23:15:00+05:45', '2026-11-27T17:30:00.000Z'],
    ['2026-11-27T00:30:00-12:00', '2026-11-27T12:30:00.000Z'],
    ['2026-11-28T08:00:00+14:00', '2026-11-27T18:00:00.000Z'],
    ['2026-11-27T18:00:00-00:00', '2026-11-27T18:00:00.000Z'],
    ['2028-02-29T00:00:00Z', '2028-02-29T00:00:00.000Z'],
    ['2000-02-29T12:00:00Z', '2000-02-29T12:00:00.000Z'],
    ['1990-01-01T00:00:00Z', '1990-01-01T00:00:00.000Z'],
    ['1990-01-01T05:00:00+05:00', '1990-01-01T00:00:00.000Z'],
    ['2099-12-31T23:59:59.999Z', '2099-12-31T23:59:59.999Z'],
    ['2100-01-01T10:00:00+11:00', '2099-12-31T23:00:00.000Z'],
  ])('accepts publishAt %j, normalised to %j', (publishAt, stored) => {
    expect(createArticleSchema.parse({ ...valid, publishAt }).publishAt).toBe(stored);
  });

  it.each([
    '2026-11-27',
    '2026-11-27T18:00:00',
    '2026-11-27 18:00:00Z',
    '2026-11-27T18:00Z',
    '2026-11-27t18:00:00z',
    '2026-11-27T18:00:00+0100',
    '+010000-01-01T00:00:00.000Z',
    '2026-11-27T18:00:00Z[Europe/Paris]',
    '2026-11-27T18:00:00+01:00 CET',
    'tomorrow',
    '1764266400000',
  ])('refuses publishAt %j, naming the expected format', (publishAt) => {
    const list = problems(createArticleSchema, { ...valid, publishAt });
    expect(fields(list)).toEqual(['publishAt']);
    expect(messageFor(list, 'publishAt')).toContain('2026-11-27T18:00:00Z');
  });

  it.each([
    [
      '2026-02-30T18:00:00Z',
      'publishAt is not a calendar date: 2026-02-30 does not exist (2026-02 has 28 days)',
    ],
    [
      '2026-02-29T18:00:00Z',
      'publishAt is not a calendar date: 2026-02-29 does not exist (2026-02 has 28 days)',
    ],
    [
      '2100-02-29T00:00:00Z',
      'publishAt is not a calendar date: 2100-02-29 does not exist (2100-02 has 28 days)',
    ],
    [
      '2026-04-31T18:00:00Z',
      'publishAt is not a calendar date: 2026-04-31 does not exist (2026-04 has 30 days)',
    ],
    ['2026-00-10T18:00:00Z', 'publishAt is not a calendar date: 2026-00-10 has no month 00'],
    ['2026-13-10T18:00:00Z', 'publishAt is not a calendar date: 2026-13-10 has no month 13'],
    [
      '2026-11-00T18:00:00Z',
      'publishAt is not a calendar date: 2026-11-00 does not exist (2026-11 has 30 days)',
    ],
    ['2026-11-27T25:00:00Z', 'publishAt is not a time of day: 25:00:00'],
    ['2026-11-27T24:00:00Z', 'publishAt is not a time of day: 24:00:00'],
    ['2026-11-27T18:60:00Z', 'publishAt is not a time of day: 18:60:00'],
    ['2026-11-27T18:00:61Z', 'publishAt is not a time of day: 18:00:61'],
    [
      '2016-12-31T23:59:60Z',
      'publishAt is a leap second (:60), which is not accepted; use :59 or the next minute',
    ],
    [
      '2026-06-30T23:59:60.5Z',
      'publishAt is a leap second (:60), which is not accepted; use :59 or the next minute',
    ],
    ['2026-11-27T18:00:00+14:01', 'publishAt has a UTC offset outside -12:00 to +14:00'],
    ['2026-11-27T18:00:00-12:30', 'publishAt has a UTC offset outside -12:00 to +14:00'],
    ['2026-11-27T18:00:00+05:60', 'publishAt has a UTC offset outside -12:00 to +14:00'],
  ])('refuses the impossible publishAt %j, saying why', (publishAt, message) => {
    expect(problems(createArticleSchema, { ...valid, publishAt })).toEqual([{ field: 'publishAt', message }]);
  });

  it.each([
    '9999-12-31T23:59:59-05:00',
    '9999-12-31T23:59:59Z',
    '2100-01-01T00:00:00Z',
    '2099-12-31T23:00:00-01:00',
    '1989-12-31T23:59:59.999Z',
    '1990-01-01T00:00:00+00:01',
    '1970-01-01T00:00:00Z',
    '0026-11-27T18:00:00Z',
    '0000-01-01T00:00:00Z',
  ])('refuses publishAt %j outside the accepted range, naming the range', (publishAt) => {
    expect(problems(createArticleSchema, { ...valid, publishAt })).toEqual([
      {
        field: 'publishAt',
        message: 'publishAt must be from 1990-01-01T00:00:00Z up to, not including, 2100-01-01T00:00:00Z',
      },
    ]);
  });

  it('checks publishAt the same way in an update', () => {
    expect(problems(updateArticleSchema, { publishAt: '2026-02-30T18:00:00Z' })).toEqual([
      {
        field: 'publishAt',
        message: 'publishAt is not a calendar date: 2026-02-30 does not exist (2026-02 has 28 days)',
      },
    ]);
    expect(updateArticleSchema.parse({ publishAt: '2026-11-27T19:00:00+01:00' }).publishAt).toBe(
      '2026-11-27T18:00:00.000Z',
    );
  });

  it('refuses a numeric publishAt, naming the expected format', () => {
    const list = problems(createArticleSchema, { ...valid, publishAt: 1764266400000 });
    expect(fields(list)).toEqual(['publishAt']);
    expect(messageFor(list, 'publishAt')).toContain('2026-11-27T18:00:00Z');
  });

  it('removes duplicate tags after trimming, keeping the first occurrence order', () => {
    expect(
      createArticleSchema.parse({ ...valid, tags: ['nato', 'usa', 'nato', ' usa ', 'eu'] }).tags,
    ).toEqual(['nato', 'usa', 'eu']);
  });

  it('names the offending tag by its index', () => {
    expect(problems(createArticleSchema, { ...valid, tags: ['ok', '', 't'.repeat(41)] })).toEqual([
      { field: 'tags.1', message: 'tag must not be empty' },
      { field: 'tags.2', message: 'tag must be at most 40 characters' },
    ]);
  });

  it('refuses control characters in single-line fields, including line breaks', () => {
    const list = problems(createArticleSchema, {
      ...valid,
      title: 'Breaking\u0007 news',
      summary: 'one\nline',
      author: 'Jane\u0000Doe',
      tags: ['a\tb'],
    });
    expect(fields(list)).toEqual(['title', 'summary', 'author', 'tags.0']);
    expect(messageFor(list, 'title')).toBe('title must be a single line without control characters');
  });

  it('accepts line breaks and tabs in the body', () => {
    const body = 'First paragraph.\n\nSecond\r\nparagraph.\n\n\tcode block';
    expect(createArticleSchema.parse({ ...valid, body }).body).toBe(body);
  });

  it.each(['\u0000', '\u0007', '\u001b[31m', '\u007f', '\u0085'])(
    'refuses the control character %j in the body',
    (character) => {
      expect(problems(createArticleSchema, { ...valid, body: `before${character}after` })).toEqual([
        { field: 'body', message: 'body must not contain control characters' },
      ]);
    },
  );

  it('refuses a status that cannot be created directly', () => {
    expect(problems(createArticleSchema, { ...valid, status: 'unpublished' })).toEqual([
      { field: 'status', message: 'status must be one of draft, review, scheduled, published' },
    ]);
  });

  it.each(['Rutte-NATO', 'rutte nato', 'rutte--nato', '-rutte', 'rutte_nato', 'çaj'])(
    'refuses slug %j',
    (slug) => {
      expect(fields(problems(createArticleSchema, { ...valid, slug }))).toEqual(['slug']);
    },
  );

  it('reports field problems and unknown keys together', () => {
    const list = problems(createArticleSchema, { title: '', section: 'weather', body: 'b', extra: true });
    expect(fields(list)).toEqual(['title', 'section', 'extra']);
  });
});

describe('image caption, credit, size and the featured flag', () => {
  const image = { imageUrl: 'https://images.example.com/a.jpg', imageAlt: 'A photo' };

  it('accepts them with an image', () => {
    const input = {
      ...valid,
      ...image,
      imageCaption: 'Leaders at the summit table',
      imageCredit: 'Reuters',
      imageWidth: 1600,
      imageHeight: 900,
      featured: true,
    };
    expect(createArticleSchema.parse(input)).toEqual(input);
  });

  it('refuses sizes that are not whole numbers from 1 to 10000, naming the field', () => {
    for (const bad of [0, -3, 1.5, 10_001, '1600', null]) {
      const list = problems(createArticleSchema, { ...valid, ...image, imageWidth: bad, imageHeight: 900 });
      expect(list).toEqual([
        { field: 'imageWidth', message: 'imageWidth must be a whole number from 1 to 10000' },
      ]);
    }
  });

  it('wants width and height together, and only with an image', () => {
    expect(problems(createArticleSchema, { ...valid, ...image, imageWidth: 1600 })).toEqual([
      { field: 'imageHeight', message: 'imageHeight is required with imageWidth' },
    ]);
    expect(problems(createArticleSchema, { ...valid, ...image, imageHeight: 900 })).toEqual([
      { field: 'imageWidth', message: 'imageWidth is required with imageHeight' },
    ]);
    expect(problems(createArticleSchema, { ...valid, imageWidth: 1600, imageHeight: 900 })).toEqual([
      { field: 'imageWidth', message: 'imageWidth and imageHeight need an imageUrl' },
    ]);
  });

  it('keeps caption and credit to one line of bounded length', () => {
    const list = problems(createArticleSchema, {
      ...valid,
      ...image,
      imageCaption: 'x'.repeat(301),
      imageCredit: 'Line one\nline two',
    });
    expect(list).toEqual([
      { field: 'imageCaption', message: 'imageCaption must be at most 300 characters' },
      { field: 'imageCredit', message: 'imageCredit must be a single line without control characters' },
    ]);
    expect(
      messageFor(problems(createArticleSchema, { ...valid, imageCredit: 'x'.repeat(121) }), 'imageCredit'),
    ).toBe('imageCredit must be at most 120 characters');
  });

  it('refuses a featured flag that is not a boolean', () => {
    expect(problems(createArticleSchema, { ...valid, featured: 'yes' })).toEqual([
      { field: 'featured', message: 'featured must be true or false' },
    ]);
  });

  it('lets an update clear each of them with null', () => {
    const patch = {
      imageCaption: null,
      imageCredit: null,
      imageWidth: null,
      imageHeight: null,
      featured: null,
    };
    expect(updateArticleSchema.parse(patch)).toEqual(patch);
  });
});

describe('updateArticleSchema', () => {
  it('refuses an empty patch', () => {
    expect(problems(updateArticleSchema, {})).toEqual([
      { field: '', message: 'the update must change at least one field' },
    ]);
  });

  it('accepts a patch of one field', () => {
    expect(updateArticleSchema.parse({ title: 'New headline' })).toEqual({ title: 'New headline' });
  });

  it('keeps null for the optional fields, which clears them', () => {
    const patch = {
      summary: null,
      author: null,
      source: null,
      imageUrl: null,
      imageAlt: null,
      publishAt: null,
    };
    expect(updateArticleSchema.parse(patch)).toEqual(patch);
  });

  it('refuses null for required fields and for fields that cannot be cleared', () => {
    const list = problems(updateArticleSchema, {
      title: null,
      section: null,
      body: null,
      tags: null,
      slug: null,
    });
    expect(fields(list)).toEqual(['title', 'section', 'body', 'tags', 'slug']);
  });

  it('accepts unpublished as a status', () => {
    expect(updateArticleSchema.parse({ status: 'unpublished' })).toEqual({ status: 'unpublished' });
  });

  it('accepts every status an edit may set, back to draft included', () => {
    for (const status of ['draft', 'scheduled', 'published', 'unpublished']) {
      expect(updateArticleSchema.parse({ status })).toEqual({ status });
    }
  });

  it('refuses an unknown status, listing the valid ones', () => {
    expect(problems(updateArticleSchema, { status: 'archived' })).toEqual([
      { field: 'status', message: 'status must be one of draft, review, scheduled, published, unpublished' },
    ]);
  });

  it('names unknown keys, including read-only article fields', () => {
    expect(fields(problems(updateArticleSchema, { id: 'x', previousPaths: [], title: 'ok' }))).toEqual([
      'id',
      'previousPaths',
    ]);
  });

  it('leaves imageAlt with imageUrl to the service, which knows the stored alt text', () => {
    // The stored article may already have an alt text, so the schema alone accepts an image URL.
    expect(updateArticleSchema.parse({ imageUrl: 'https://images.example.com/a.jpg' })).toEqual({
      imageUrl: 'https://images.example.com/a.jpg',
    });
  });

  it('applies the same field rules as create', () => {
    const list = problems(updateArticleSchema, {
      section: 'weather',
      imageUrl: 'javascript:alert(1)',
      publishAt: 'soon',
      body: 'a\u0000b',
    });
    expect(fields(list)).toEqual(['section', 'body', 'imageUrl', 'publishAt']);
  });

  it.each([null, [], 'x'])('refuses %j as a whole', (input) => {
    expect(problems(updateArticleSchema, input)).toEqual([
      { field: '', message: 'the body must be a JSON object' },
    ]);
  });
});

describe('latestQuerySchema', () => {
  it('defaults the limit to 10', () => {
    expect(latestQuerySchema.parse({})).toEqual({ limit: 10 });
  });

  it('turns query-string numbers into numbers', () => {
    expect(latestQuerySchema.parse({ limit: '1' })).toEqual({ limit: 1 });
    expect(latestQuerySchema.parse({ limit: '50' })).toEqual({ limit: 50 });
  });

  it.each(['0', '51', '-1', '2.5', 'abc', '', '10,20'])('refuses limit %j', (limit) => {
    expect(problems(latestQuerySchema, { limit })).toEqual([
      { field: 'limit', message: 'limit must be a whole number from 1 to 50' },
    ]);
  });

  it('accepts a known section and a cursor', () => {
    expect(latestQuerySchema.parse({ section: 'sport', cursor: 'abc.def' })).toEqual({
      limit: 10,
      section: 'sport',
      cursor: 'abc.def',
    });
  });

  it('refuses an unknown section, listing the valid ones', () => {
    const message = messageFor(problems(latestQuerySchema, { section: 'weather' }), 'section');
    expect(message).toContain('politics');
  });

  it('refuses an empty or over-long cursor', () => {
    expect(fields(problems(latestQuerySchema, { cursor: '' }))).toEqual(['cursor']);
    expect(problems(latestQuerySchema, { cursor: 'c'.repeat(2049) })).toEqual([
      { field: 'cursor', message: 'cursor is too long' },
    ]);
  });

  it('names every unknown parameter', () => {
    expect(problems(latestQuerySchema, { page: '2', sort: 'asc', limit: '5' })).toEqual([
      { field: 'page', message: 'page is not a known field' },
      { field: 'sort', message: 'sort is not a known field' },
    ]);
  });
});

describe('an article’s language', () => {
  it('is a BCP 47 tag of a language the pages have labels in, stored in canonical form', () => {
    expect(createArticleSchema.parse({ ...valid, language: 'sq' }).language).toBe('sq');
    expect(createArticleSchema.parse({ ...valid, language: 'SQ-al' }).language).toBe('sq-AL');
    expect(createArticleSchema.parse({ ...valid, language: 'en-GB' }).language).toBe('en-GB');
    expect(createArticleSchema.parse(valid).language).toBeUndefined();
    expect(updateArticleSchema.parse({ language: null }).language).toBeNull();
  });

  it('refuses anything else with a message naming the supported languages', () => {
    for (const language of ['de', 'not a tag', '', 'en_US', 'x'.repeat(36), 42, ['sq']]) {
      const list = problems(createArticleSchema, { ...valid, language });
      expect(
        list.map((problem) => problem.field),
        JSON.stringify(language),
      ).toEqual(['language']);
      if (typeof language === 'string' && language.length <= 35)
        expect(list[0]?.message, language).toMatch(/supported language \(en, sq\)/);
    }
  });
});
