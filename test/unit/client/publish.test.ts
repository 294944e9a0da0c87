import { writeFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Article, FlashNewsClient } from 'flash-news-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FRONT_MATTER_FIELDS } from '../../../cli/flash-news-fields';
import {
  createRequestOf,
  parseArticleFile,
  SCHEMA_FIELDS,
  withArticleId,
} from '../../../cli/flash-news-front-matter';
import { changesFor, publishFile, publishIdempotencyKey } from '../../../cli/flash-news-publish';
import { article, articleResponse, fakeFetch, type Scripted } from './fake-fetch';

const ID = '01JDQ3Z8K4M5N6P7Q8R9S0T1V2';

const FILE = `---
# Filed from the summit
title: "Rutte: US is fully committed to NATO"
section: bota
summary: The alliance chief speaks ahead of the summit.
tags: [nato]
source: REL
---

European allies should not worry.
`;

describe('parseArticleFile', () => {
  it('accepts exactly the fields the help text names', () => {
    expect(SCHEMA_FIELDS).toEqual([...FRONT_MATTER_FIELDS]);
  });

  it('reads every front matter field and the body', () => {
    const parsed = parseArticleFile(
      `---
id: ${ID}
title: A title
section: bota
summary: A summary
author: Jane Doe
source: 24
tags: nato, summit , nato
status: draft
publishAt: 2026-11-27T18:00:00+01:00
image: https://images.example.com/a.jpg
imageAlt: The summit hall
slug: a-title
---


Body **text**.

`,
      'a.md',
    );
    expect(parsed).toEqual({
      id: ID,
      article: {
        title: 'A title',
        section: 'bota',
        body: 'Body **text**.',
        summary: 'A summary',
        author: 'Jane Doe',
        source: '24',
        tags: ['nato', 'summit'],
        imageUrl: 'https://images.example.com/a.jpg',
        imageAlt: 'The summit hall',
        status: 'draft',
        publishAt: '2026-11-27T18:00:00+01:00',
        slug: 'a-title',
      },
    });
  });

  it('defaults the status to published and leaves absent fields out of the create request', () => {
    const { id, article: desired } = parseArticleFile(FILE, 'a.md');
    expect(id).toBeUndefined();
    expect(createRequestOf(desired)).toEqual({
      title: 'Rutte: US is fully committed to NATO',
      section: 'bota',
      body: 'European allies should not worry.',
      summary: 'The alliance chief speaks ahead of the summit.',
      source: 'REL',
      tags: ['nato'],
      status: 'published',
    });
  });

  it('names every problem on one line', () => {
    expect(() => parseArticleFile('---\ntitel: x\nsection: bota\ntags: {a: 1}\n---\nBody', 'a.md')).toThrow(
      /^a\.md: title is required; tags must be a list or a comma-separated text; unknown field titel \(known: id, title, /,
    );
  });

  it('refuses a file without front matter, without a body, or with YAML that does not parse', () => {
    expect(() => parseArticleFile('# Just Markdown', 'a.md')).toThrow(/^a\.md: no front matter/);
    expect(() => parseArticleFile('---\ntitle: x\nsection: bota\n---\n\n  \n', 'a.md')).toThrow(
      'a.md: the article has no body',
    );
    expect(() => parseArticleFile('---\ntitle: [\n---\nBody', 'a.md')).toThrow(
      /^a\.md: the front matter is not valid YAML: /,
    );
  });

  it('refuses a new article that asks to be unpublished', () => {
    expect(() =>
      parseArticleFile('---\ntitle: x\nsection: bota\nstatus: unpublished\n---\nBody', 'a.md'),
    ).toThrow(/cannot be unpublished/);
  });

  it('refuses image and imageUrl that disagree', () => {
    expect(() =>
      parseArticleFile(
        '---\ntitle: x\nsection: bota\nimage: https://a/1\nimageUrl: https://a/2\n---\nBody',
        'a.md',
      ),
    ).toThrow(/image and imageUrl differ/);
  });
});

describe('withArticleId', () => {
  it('adds the id as the first front matter line and keeps the rest byte for byte', () => {
    const updated = withArticleId(FILE, ID);
    expect(updated).toBe(FILE.replace('---\n', `---\nid: ${ID}\n`));
    expect(parseArticleFile(updated, 'a.md').id).toBe(ID);
  });

  it('keeps Windows line endings', () => {
    const crlf = FILE.replace(/\n/g, '\r\n');
    expect(withArticleId(crlf, ID)).toBe(crlf.replace('---\r\n', `---\r\nid: ${ID}\r\n`));
  });

  it('fills in an id line left empty', () => {
    const updated = withArticleId('---\ntitle: x\nid:\nsection: bota\n---\nBody\n', ID);
    expect(updated).toBe(`---\ntitle: x\nid: ${ID}\nsection: bota\n---\nBody\n`);
  });
});

describe('changesFor', () => {
  const current = (overrides: Partial<Article> = {}) => article(overrides) as Article;
  const desired = (text = FILE) => parseArticleFile(text, 'a.md').article;

  it('finds nothing to change when the file matches the article', () => {
    const file = FILE.replace('source: REL', 'source: REL\npublishAt: 2026-11-27T18:30:00+01:00');
    expect(changesFor(current({ publishAt: '2026-11-27T17:30:00.000Z' }), desired(file))).toEqual([]);
  });

  it('lists each changed field with its old and new value, and clears what the file no longer has', () => {
    const file = FILE.replace('summary: The alliance chief speaks ahead of the summit.\n', '').replace(
      'tags: [nato]',
      'tags: [nato, summit]',
    );
    expect(changesFor(current({ author: 'Jane Doe' }), desired(file))).toEqual([
      { field: 'summary', from: 'The alliance chief speaks ahead of the summit.', to: null },
      { field: 'author', from: 'Jane Doe', to: null },
      { field: 'tags', from: ['nato'], to: ['nato', 'summit'] },
    ]);
  });

  it('publishes again what was unpublished, and leaves a scheduled article scheduled', () => {
    expect(changesFor(current({ status: 'unpublished' }), desired())).toEqual([
      { field: 'status', from: 'unpublished', to: 'published' },
    ]);
    const future = new Date(Date.now() + 86_400_000).toISOString();
    const scheduled = FILE.replace('source: REL', `source: REL\npublishAt: ${future}`);
    expect(changesFor(current({ status: 'scheduled', publishAt: future }), desired(scheduled))).toEqual([]);
  });

  it('reads the photo fields and the featured flag, and changes each when the file does', () => {
    const file = FILE.replace(
      'source: REL',
      'source: REL\nimage: https://images.example.com/a.jpg\nimageAlt: The hall\nimageCaption: The hall at noon\nimageCredit: Reuters\nimageWidth: 1600\nimageHeight: 900\nfeatured: true',
    );
    expect(createRequestOf(desired(file))).toMatchObject({
      imageCaption: 'The hall at noon',
      imageCredit: 'Reuters',
      imageWidth: 1600,
      imageHeight: 900,
      featured: true,
    });
    const image = { imageUrl: 'https://images.example.com/a.jpg', imageAlt: 'The hall' };
    expect(changesFor(current({ ...image, imageWidth: 1200, imageHeight: 900 }), desired(file))).toEqual([
      { field: 'imageCaption', from: null, to: 'The hall at noon' },
      { field: 'imageCredit', from: null, to: 'Reuters' },
      { field: 'imageWidth', from: 1200, to: 1600 },
      { field: 'featured', from: false, to: true },
    ]);
    expect(() => parseArticleFile(file.replace('featured: true', 'featured: often'), 'a.md')).toThrow(
      /featured must be true or false/,
    );
  });

  it('changes the slug only when the file gives one', () => {
    expect(changesFor(current({ slug: 'another' }), desired())).toEqual([]);
    const withSlug = FILE.replace('section: bota', 'section: bota\nslug: rutte-nato');
    expect(changesFor(current(), desired(withSlug))).toEqual([
      { field: 'slug', from: 'rutte-us-is-fully-committed-to-nato', to: 'rutte-nato' },
    ]);
  });
});

describe('publishFile', () => {
  let dir: string;
  let file: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'flash-news-publish-'));
    file = join(dir, 'rutte.md');
    await writeFile(file, FILE);
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const clientOn = (script: Scripted[]) => {
    const fake = fakeFetch(...script);
    const client = new FlashNewsClient({
      baseUrl: 'http://localhost:3000',
      token: 't',
      fetch: fake.fetch,
      sleep: async () => undefined,
    });
    return { client, requests: fake.requests };
  };

  it('creates the article with a key derived from the file, then writes the id into it', async () => {
    const { client, requests } = clientOn([articleResponse(201)]);
    const result = await publishFile(client, file);
    expect(result.action).toBe('created');
    expect(requests[0]?.method).toBe('POST');
    expect(requests[0]?.headers['idempotency-key']).toBe(publishIdempotencyKey(file, requests[0]?.body));
    expect(requests[0]?.headers['idempotency-key']).toMatch(/^flash-news-publish-[\w-]{43}$/);
    expect(await readFile(file, 'utf8')).toBe(FILE.replace('---\n', `---\nid: ${ID}\n`));
  });

  it('sends the same key when an interrupted first publish is run again', async () => {
    const first = clientOn([articleResponse(201)]);
    await publishFile(first.client, file);
    await writeFile(file, FILE);
    const second = clientOn([articleResponse(201)]);
    await publishFile(second.client, file);
    expect(second.requests[0]?.headers['idempotency-key']).toBe(
      first.requests[0]?.headers['idempotency-key'],
    );
  });

  it('updates the article named by the id with what changed, If-Match from the read', async () => {
    await writeFile(file, withArticleId(FILE.replace('tags: [nato]', 'tags: [nato, summit]'), ID));
    const { client, requests } = clientOn([
      articleResponse(200, { version: 4 }),
      articleResponse(200, { version: 5, tags: ['nato', 'summit'] }),
    ]);
    const result = await publishFile(client, file);
    expect(result).toMatchObject({ action: 'updated', changes: [{ field: 'tags', to: ['nato', 'summit'] }] });
    expect(result.article?.version).toBe(5);
    expect(requests.map((request) => request.method)).toEqual(['GET', 'PATCH']);
    expect(requests[1]?.headers['if-match']).toBe('"4"');
    expect(requests[1]?.body).toEqual({ tags: ['nato', 'summit'] });
  });

  it('sends nothing when the article already matches the file', async () => {
    await writeFile(file, withArticleId(FILE, ID));
    const { client, requests } = clientOn([articleResponse(200, { version: 2 })]);
    expect((await publishFile(client, file)).action).toBe('unchanged');
    expect(requests).toHaveLength(1);
  });

  it('changes nothing on a dry run', async () => {
    const { client, requests } = clientOn([]);
    expect((await publishFile(client, file, { dryRun: true })).action).toBe('would-create');
    expect(requests).toHaveLength(0);
    expect(await readFile(file, 'utf8')).toBe(FILE);
  });

  it('explains an id that names no article', async () => {
    await writeFile(file, withArticleId(FILE, ID));
    const { client } = clientOn([
      new Response(JSON.stringify({ error: { code: 'not_found', message: 'The article was not found' } }), {
        status: 404,
      }),
    ]);
    await expect(publishFile(client, file)).rejects.toThrow(
      `rutte.md names article ${ID}, which does not exist (deleted?); remove the id line`,
    );
  });

  it('tells the user to add the id by hand when it cannot be written into the file', async () => {
    // The file loses its front matter while the create is on its way, so there is nowhere to put the id.
    const { client } = clientOn([
      () => {
        writeFileSync(file, 'European allies should not worry.\n');
        return articleResponse(201);
      },
    ]);
    const result = await publishFile(client, file);
    expect(result.action).toBe('created');
    expect(result.warning).toMatch(new RegExp(`add "id: ${ID}" to its front matter`));
  });
});
