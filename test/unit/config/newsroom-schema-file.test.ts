import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { newsroomJsonSchema } from '../../../functions/config/newsroom-schema';

const root = (file: string) => fileURLToPath(new URL(`../../../${file}`, import.meta.url));
const readJson = (file: string): Record<string, unknown> => JSON.parse(readFileSync(root(file), 'utf8'));

describe('newsroom.config.schema.json', () => {
  it('is what the zod schema generates (run `npm run newsroom-schema` after changing it)', () => {
    expect(readJson('newsroom.config.schema.json')).toEqual(newsroomJsonSchema());
  });

  it('is draft 2020-12, and both shipped files point their editors at it', () => {
    expect(newsroomJsonSchema().$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    for (const file of ['newsroom.config.json', 'newsroom.config.sq.json']) {
      expect(readJson(file).$schema).toBe('./newsroom.config.schema.json');
    }
  });

  it('accepts both shipped files and refuses what an editor can catch as you type', () => {
    const validate = new Ajv2020({ strict: false }).compile(readJson('newsroom.config.schema.json'));
    for (const file of ['newsroom.config.json', 'newsroom.config.sq.json']) {
      expect(validate(readJson(file)), `${file}: ${JSON.stringify(validate.errors)}`).toBe(true);
    }
    const albanian = readJson('newsroom.config.sq.json');
    expect(validate({ ...albanian, timezone: 'UTC' })).toBe(false);
    expect(
      validate({ ...albanian, sections: [{ slug: 'Bota News', name: 'Bota', description: 'x', order: 1 }] }),
    ).toBe(false);
    expect(validate({ ...albanian, sections: [] })).toBe(false);
  });
});
