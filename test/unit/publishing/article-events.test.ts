import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import type { Article } from '../../../functions/domain/article';
import { articleEventFor } from '../../../functions/publishing/article-events';
import { article } from '../render/support/fixtures';

const BASE_URL = 'https://news.example.com';
const NOW = new Date('2026-12-01T09:00:00.000Z');

const live = (overrides: Partial<Article> = {}) => article({ status: 'published', ...overrides });
const draft = (overrides: Partial<Article> = {}) =>
  article({ status: 'draft', publishedAt: undefined, ...overrides });
const eventOf = (oldImage: Article | undefined, newImage: Article | undefined) =>
  articleEventFor(oldImage, newImage, BASE_URL, NOW);

describe('article events', () => {
  it('a first publication is announced as published, with the page’s absolute URL', () => {
    const event = eventOf(draft({ version: 1 }), live({ version: 2 }));
    expect(event?.detailType).toBe('Article Published v1');
    expect(event?.detail).toMatchObject({
      schemaVersion: 1,
      type: 'published',
      eventId: `${article().id}.2.published`,
      occurredAt: live().updatedAt,
      article: {
        id: article().id,
        version: 2,
        status: 'published',
        path: '/bota/rutte-us-is-fully-committed-to-nato',
        url: 'https://news.example.com/bota/rutte-us-is-fully-committed-to-nato',
        title: article().title,
        tags: article().tags,
      },
    });
    expect(event?.detail.previousUrl).toBeUndefined();
  });

  it('an article created already published is announced as published', () => {
    expect(eventOf(undefined, live({ version: 1 }))?.detail.type).toBe('published');
  });

  it('a republication after a takedown is announced as published again', () => {
    const event = eventOf(live({ status: 'unpublished', version: 4 }), live({ version: 5 }));
    expect(event?.detail).toMatchObject({ type: 'published', eventId: `${article().id}.5.published` });
  });

  it('an edit of a live article is an update; a move says where the page was', () => {
    const retitled = eventOf(live({ version: 3 }), live({ version: 4, title: 'New headline' }));
    expect(retitled?.detailType).toBe('Article Updated v1');
    expect(retitled?.detail.article.title).toBe('New headline');
    expect(retitled?.detail.previousUrl).toBeUndefined();

    const moved = eventOf(live({ version: 4 }), live({ version: 5, section: 'politics', slug: 'moved' }));
    expect(moved?.detail.article.url).toBe('https://news.example.com/politics/moved');
    expect(moved?.detail.previousUrl).toBe(
      'https://news.example.com/bota/rutte-us-is-fully-committed-to-nato',
    );
  });

  it('a live edit that adds a correction is announced once, as corrected, with the note and its time', () => {
    const note = 'An earlier version said the summit was in Brussels.';
    const at = '2026-12-01T09:14:03.120Z';
    const before = live({ version: 5 });
    const after = live({ version: 6, updatedAt: at, corrections: [{ at, note }] });
    const event = eventOf(before, after);
    expect(event?.detailType).toBe('Article Corrected v1');
    expect(event?.detail).toMatchObject({
      type: 'corrected',
      eventId: `${article().id}.6.corrected`,
      occurredAt: at,
      correction: { at, note },
      article: { version: 6 },
    });
  });

  it('a correction names the newest note, and a silent fix after it is an update without one', () => {
    const first = { at: '2026-12-01T09:00:00.000Z', note: 'First.' };
    const second = { at: '2026-12-02T09:00:00.000Z', note: 'Second.' };
    const corrected = eventOf(
      live({ version: 6, corrections: [first] }),
      live({ version: 7, corrections: [first, second] }),
    );
    expect(corrected?.detail.correction).toEqual(second);

    const silent = eventOf(
      live({ version: 7, corrections: [first, second] }),
      live({ version: 8, corrections: [first, second], title: 'Typo fixed' }),
    );
    expect(silent?.detail.type).toBe('updated');
    expect(silent?.detail).not.toHaveProperty('correction');
  });

  it('a correction that also moves the page says where the page was', () => {
    const event = eventOf(
      live({ version: 2 }),
      live({ version: 3, slug: 'moved', corrections: [{ at: NOW.toISOString(), note: 'Name fixed.' }] }),
    );
    expect(event?.detail.type).toBe('corrected');
    expect(event?.detail.previousUrl).toBe(
      'https://news.example.com/bota/rutte-us-is-fully-committed-to-nato',
    );
  });

  it('a correction to an article that is not live makes no corrected event', () => {
    const note = [{ at: NOW.toISOString(), note: 'Fixed.' }];
    const takenDown = live({ status: 'unpublished', version: 4 });
    expect(
      eventOf(takenDown, live({ status: 'unpublished', version: 5, corrections: note })),
    ).toBeUndefined();
    // Republished with a correction in the same patch: readers see it come back, once.
    expect(eventOf(takenDown, live({ version: 5, corrections: note }))?.detail.type).toBe('published');
  });

  it('taking a live article down is announced as unpublished, with the URL that is gone', () => {
    const event = eventOf(live({ version: 5 }), live({ status: 'unpublished', version: 6 }));
    expect(event?.detailType).toBe('Article Unpublished v1');
    expect(event?.detail.article).toMatchObject({ status: 'unpublished', version: 6 });
    expect(event?.detail.article.url).toBe(
      'https://news.example.com/bota/rutte-us-is-fully-committed-to-nato',
    );
  });

  it('deleting an article that was ever public is announced as deleted, dated when the deletion was seen', () => {
    for (const before of [live({ version: 7 }), live({ status: 'unpublished', version: 7 })]) {
      const event = eventOf(before, undefined);
      expect(event?.detailType).toBe('Article Deleted v1');
      expect(event?.detail).toMatchObject({
        type: 'deleted',
        eventId: `${article().id}.7.deleted`,
        occurredAt: NOW.toISOString(),
      });
    }
  });

  it('drafts, scheduling and deleting what never went out make no event', () => {
    expect(eventOf(undefined, draft())).toBeUndefined();
    expect(eventOf(draft({ version: 1 }), draft({ version: 2, title: 'Better' }))).toBeUndefined();
    expect(
      eventOf(draft(), draft({ status: 'scheduled', publishAt: '2027-01-01T00:00:00.000Z' })),
    ).toBeUndefined();
    expect(eventOf(draft(), undefined)).toBeUndefined();
    expect(eventOf(undefined, undefined)).toBeUndefined();
  });

  it('the same change always gets the same event id; different changes never share one', () => {
    const change = [live({ version: 3 }), live({ version: 4 })] as const;
    expect(eventOf(...change)?.detail.eventId).toBe(eventOf(...change)?.detail.eventId);
    const ids = [
      eventOf(draft({ version: 1 }), live({ version: 2 })),
      eventOf(live({ version: 2 }), live({ version: 3 })),
      eventOf(live({ version: 3 }), live({ status: 'unpublished', version: 4 })),
      eventOf(live({ status: 'unpublished', version: 4 }), undefined),
    ].map((event) => event?.detail.eventId);
    expect(new Set(ids).size).toBe(4);
  });

  it('leaves optional fields out rather than writing them empty', () => {
    const event = eventOf(undefined, live({ summary: undefined, author: undefined, imageUrl: undefined }));
    for (const field of ['summary', 'author', 'imageUrl']) {
      expect(event?.detail.article, field).not.toHaveProperty(field);
    }
    expect(JSON.stringify(event)).not.toContain('undefined');
  });
});

describe('the documented schema (docs/article-event.schema.json)', () => {
  const schema = JSON.parse(
    readFileSync(fileURLToPath(new URL('../../../docs/article-event.schema.json', import.meta.url)), 'utf8'),
  );
  const ajv = new Ajv2020({ strict: true, allErrors: true });
  addFormats(ajv);
  const validate = ajv.compile(schema);

  it('describes every event the render function sends', () => {
    const sent = [
      eventOf(undefined, live({ version: 1 })),
      eventOf(live({ version: 1 }), live({ version: 2, slug: 'moved' })),
      eventOf(live({ version: 2 }), live({ version: 3, status: 'unpublished' })),
      eventOf(live({ version: 3, status: 'unpublished' }), undefined),
      eventOf(undefined, live({ summary: undefined, author: undefined, imageUrl: undefined })),
      eventOf(
        live({ version: 3 }),
        live({ version: 4, corrections: [{ at: '2026-12-01T09:14:03.120Z', note: 'Name fixed.' }] }),
      ),
    ];
    expect(sent.map((event) => event?.detail.type)).toContain('corrected');
    for (const event of sent) {
      expect(validate(JSON.parse(JSON.stringify(event?.detail))), JSON.stringify(validate.errors)).toBe(true);
    }
  });

  it('refuses details that break the contract', () => {
    const detail = JSON.parse(JSON.stringify(eventOf(undefined, live())?.detail));
    expect(validate({ ...detail, type: 'retracted' })).toBe(false);
    // A corrected event carries its correction, and no other event does.
    expect(validate({ ...detail, type: 'corrected' })).toBe(false);
    expect(validate({ ...detail, correction: { at: detail.occurredAt, note: 'Fixed.' } })).toBe(false);
    expect(validate({ ...detail, type: 'corrected', correction: { at: detail.occurredAt, note: '' } })).toBe(
      false,
    );
    expect(validate({ ...detail, schemaVersion: 2 })).toBe(false);
    expect(validate({ ...detail, article: { ...detail.article, url: 'not a url' } })).toBe(false);
    expect(validate({ ...detail, surprise: true })).toBe(false);
  });
});
