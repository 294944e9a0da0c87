import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import {
  NewsroomConfigError,
  newsroomFilePath,
  readNewsroomConfig,
  readNewsroomConfigFromEnv,
} from '../../../functions/config/newsroom-file';
import { parseNewsroomConfig } from '../../../functions/config/newsroom-schema';
import { DEFAULT_SITE, NEWSROOM, SECTION_SLUGS } from '../../../functions/config/site';

const root = (file: string) => fileURLToPath(new URL(`../../../${file}`, import.meta.url));
const DEFAULT_FILE = root('newsroom.config.json');
const ALBANIAN_FILE = root('newsroom.config.sq.json');

/** A complete, valid newsroom, for each test to break one field of. */
function validNewsroom(): Record<string, unknown> {
  return {
    name: 'Lajme',
    description: 'Lajmet e ditës.',
    logo: { url: '/logo.svg', width: 240, height: 60 },
    language: 'sq',
    locale: 'sq-AL',
    timeZone: 'Europe/Tirane',
    sections: [
      { slug: 'bota', name: 'Bota', description: 'Lajme nga bota.', order: 1 },
      { slug: 'sport', name: 'Sport', description: 'Sporti.', order: 2 },
    ],
  };
}

function problemWith(data: unknown): string {
  const result = parseNewsroomConfig(data);
  if (result.success) throw new Error('expected the newsroom to be refused');
  return result.problem;
}

describe('the shipped newsroom files', () => {
  it('default: Flash News in English, UTC, Bota first, the sections of the seed', () => {
    const newsroom = readNewsroomConfig(DEFAULT_FILE);
    expect(newsroom).toMatchObject({ name: 'Flash News', language: 'en', locale: 'en-US', timeZone: 'UTC' });
    expect(newsroom.sections.map((section) => section.slug)).toEqual([
      'bota',
      'politics',
      'business',
      'technology',
      'sport',
      'culture',
      'opinion',
    ]);
    expect(newsroom.sections[0]?.name).toBe('Bota');
  });

  it('Albanian: sq, sq-AL, Europe/Tirane, every section named and described in Albanian', () => {
    const english = readNewsroomConfig(DEFAULT_FILE);
    const albanian = readNewsroomConfig(ALBANIAN_FILE);
    expect(albanian).toMatchObject({ language: 'sq', locale: 'sq-AL', timeZone: 'Europe/Tirane' });
    expect(albanian.description).toContain('lajmet më të fundit');
    expect(albanian.sections.map((section) => section.name)).toEqual([
      'Bota',
      'Politikë',
      'Ekonomi',
      'Teknologji',
      'Sport',
      'Kulturë',
      'Opinion',
    ]);
    // Same slugs (URLs and stored values), so switching files keeps every article; only the words change.
    expect(albanian.sections.map((section) => section.slug)).toEqual(
      english.sections.map((section) => section.slug),
    );
    albanian.sections.forEach((section, index) => {
      expect(section.description).not.toBe(english.sections[index]?.description);
    });
  });

  it('is what the code runs with when NEWSROOM_CONFIG names none', () => {
    expect(NEWSROOM).toEqual(readNewsroomConfig(DEFAULT_FILE));
    expect(DEFAULT_SITE).toMatchObject({
      name: 'Flash News',
      language: 'en',
      locale: 'en-US',
      timeZone: 'UTC',
    });
    expect(SECTION_SLUGS[0]).toBe('bota');
    // GET /api/sections lists slug, name and description: the order has done its work in the sorting.
    expect(Object.keys(DEFAULT_SITE.sections[0] ?? {})).toEqual(['slug', 'name', 'description']);
  });
});

describe('the newsroom schema', () => {
  it('accepts a complete newsroom and drops the editor hint $schema', () => {
    const result = parseNewsroomConfig({ $schema: './newsroom.config.schema.json', ...validNewsroom() });
    expect(result.success).toBe(true);
    expect(result.success && Object.keys(result.config)).not.toContain('$schema');
    expect(result.success && result.config.logo).toEqual({ url: '/logo.svg', width: 240, height: 60 });
  });

  it('puts the sections in their order, whatever the order of the file', () => {
    const newsroom = validNewsroom();
    newsroom.sections = [
      { slug: 'sport', name: 'Sport', description: 'Sporti.', order: 20 },
      { slug: 'bota', name: 'Bota', description: 'Lajme nga bota.', order: 10 },
    ];
    const result = parseNewsroomConfig(newsroom);
    expect(result.success && result.config.sections.map((section) => section.slug)).toEqual([
      'bota',
      'sport',
    ]);
  });

  it('makes the logo optional', () => {
    const { logo: _logo, ...withoutLogo } = validNewsroom();
    const result = parseNewsroomConfig(withoutLogo);
    expect(result.success && 'logo' in result.config).toBe(false);
  });

  it.each([
    ['a missing field', { name: undefined }, 'name is required'],
    ['an empty name', { name: '  ' }, 'name must not be empty'],
    ['a name of the wrong type', { name: 42 }, 'name must be a string (got 42)'],
    ['a typo in a field name', { timezone: 'UTC' }, 'timezone is not a known field (a typo?)'],
    ['a language that is no BCP 47 tag', { language: 'english!' }, 'language must be a BCP 47 language tag'],
    ['a locale that is no BCP 47 tag', { locale: 'sq_AL!' }, 'locale must be a BCP 47 locale'],
    ['a locale of another language', { locale: 'en-US' }, 'locale must be a locale of the language "sq"'],
    ['an unknown time zone', { timeZone: 'Europe/Atlantis' }, 'timeZone must be an IANA time zone'],
    ['no sections', { sections: [] }, 'sections must list at least one section'],
    ['sections that are not a list', { sections: {} }, 'sections must be a list'],
    [
      'a logo on another scheme',
      { logo: { url: 'javascript:alert(1)', width: 1, height: 1 } },
      'logo.url must be an http(s) URL or a root-relative path',
    ],
    [
      'a protocol-relative logo',
      { logo: { url: '//cdn.example.com/logo.svg', width: 1, height: 1 } },
      'logo.url must be an http(s) URL',
    ],
    [
      'a logo without a size',
      { logo: { url: '/logo.svg', width: 0, height: 60 } },
      'logo.width must be more than 0',
    ],
  ])('refuses %s, naming the field', (_kind, change, message) => {
    expect(problemWith({ ...validNewsroom(), ...change })).toContain(message);
  });

  it('takes image resizers, and leaves the field out when there are none', () => {
    const resizer = {
      hosts: ['images.example.com'],
      urlTemplate: '{url}?w={width}',
      widths: [320, 640, 1280],
    };
    const result = parseNewsroomConfig({ ...validNewsroom(), imageResizers: [resizer] });
    expect(result.success && result.config.imageResizers).toEqual([resizer]);
    const none = parseNewsroomConfig({ ...validNewsroom(), imageResizers: [] });
    expect(none.success && 'imageResizers' in none.config).toBe(false);
    const cloudinary = 'https://res.cloudinary.com/demo/image/fetch/w_{width}/{url}';
    expect(
      parseNewsroomConfig({ ...validNewsroom(), imageResizers: [{ ...resizer, urlTemplate: cloudinary }] })
        .success,
    ).toBe(true);
  });

  it.each([
    [
      'a template without {width}',
      { urlTemplate: '{url}?w=640' },
      'imageResizers[0].urlTemplate must contain {width}',
    ],
    [
      'a template on another scheme',
      { urlTemplate: 'ftp://x/{width}/{url}' },
      'imageResizers[0].urlTemplate must contain {width} and be an http(s) URL',
    ],
    [
      'a host with a scheme',
      { hosts: ['https://images.example.com'] },
      'imageResizers[0].hosts[0] must be a lower-case host name',
    ],
    ['no hosts', { hosts: [] }, 'imageResizers[0].hosts must list at least one host'],
    ['widths out of order', { widths: [640, 320] }, 'imageResizers[0].widths must be in increasing order'],
    ['a width that is too small', { widths: [8] }, 'imageResizers[0].widths[0] must be at least 16'],
  ])('refuses an image resizer with %s, naming the field', (_kind, change, message) => {
    const resizer = {
      hosts: ['images.example.com'],
      urlTemplate: '{url}?w={width}',
      widths: [320, 640],
      ...change,
    };
    expect(problemWith({ ...validNewsroom(), imageResizers: [resizer] })).toContain(message);
  });

  it.each([
    ['a slug with capitals or spaces', { slug: 'World News' }, 'sections[1].slug must be lowercase letters'],
    ['a slug the site itself uses', { slug: 'api' }, 'sections[1].slug is reserved for the site itself'],
    ['a slug twice', { slug: 'bota' }, 'sections[1].slug "bota" is already the slug of sections[0]'],
    ['an order twice', { order: 1 }, 'sections[1].order 1 is already the order of sections[0]'],
    ['an order that is not whole', { order: 1.5 }, 'sections[1].order must be a whole number'],
    ['a section without a name', { name: undefined }, 'sections[1].name is required'],
    ['a typo in a section field', { title: 'Sport' }, 'sections[1].title is not a known field'],
  ])('refuses %s in a section, naming which', (_kind, change, message) => {
    const newsroom = validNewsroom();
    const [first, second] = newsroom.sections as Record<string, unknown>[];
    newsroom.sections = [first, { ...second, ...change }];
    expect(problemWith(newsroom)).toContain(message);
  });

  it('reports the first problem on one line, and how many more there are', () => {
    const problem = problemWith({ ...validNewsroom(), name: '', timeZone: 'Nowhere' });
    expect(problem).toBe('name must not be empty (and 1 more problem)');
    expect(problem).not.toContain('\n');
  });

  it('refuses a file that is not an object', () => {
    expect(problemWith(['not', 'a', 'newsroom'])).toBe('the file must be an object');
  });
});

describe('reading a newsroom file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'newsroom-config-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };

  it('names the file and the field in one line', () => {
    const path = write('bad-zone.json', JSON.stringify({ ...validNewsroom(), timeZone: 'Mars/Olympus' }));
    expect(() => readNewsroomConfig(path, dir)).toThrow(
      new NewsroomConfigError(
        'Newsroom config bad-zone.json: timeZone must be an IANA time zone such as "Europe/Tirane" or "UTC" (got "Mars/Olympus")',
      ),
    );
  });

  it('says when the file is not JSON', () => {
    const path = write('broken.json', '{ "name": "Lajme", }');
    expect(() => readNewsroomConfig(path, dir)).toThrow(/^Newsroom config broken\.json: not valid JSON \(/);
  });

  it('says when the file is missing, with the path it looked at', () => {
    const path = join(dir, 'elsewhere', 'missing.json');
    expect(() => readNewsroomConfig(path, dir)).toThrow(
      new NewsroomConfigError(`Newsroom config ${path}: cannot read the file (no such file)`),
    );
  });

  it('reads the file NEWSROOM_CONFIG names, relative to the working directory', () => {
    expect(newsroomFilePath(undefined)).toBe(DEFAULT_FILE);
    expect(newsroomFilePath('  ')).toBe(DEFAULT_FILE);
    expect(newsroomFilePath('newsroom.config.sq.json', root(''))).toBe(ALBANIAN_FILE);
    expect(newsroomFilePath(ALBANIAN_FILE, '/elsewhere')).toBe(ALBANIAN_FILE);
    expect(readNewsroomConfigFromEnv({ NEWSROOM_CONFIG: ALBANIAN_FILE }).language).toBe('sq');
  });
});
