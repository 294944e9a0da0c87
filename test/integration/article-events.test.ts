import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { adminToken, api, createArticle } from './support/api';
import { edit } from './support/edit';
import { eventually } from './support/site';

interface EventLine {
  readonly source: string;
  readonly 'detail-type': string;
  readonly time: string;
  // biome-ignore lint/suspicious/noExplicitAny: the test reads the detail field by field.
  readonly detail: any;
}

/** The local event bus: DATA_DIR/events.jsonl. */
async function eventsOf(articleId: string): Promise<EventLine[]> {
  let text = '';
  try {
    text = await readFile(join(inject('dataDir'), 'events.jsonl'), 'utf8');
  } catch {}
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as EventLine)
    .filter((event) => event.detail.article.id === articleId);
}

describe('article events', () => {
  it('announce each public change exactly once, in order, with the page URL; draft work stays quiet', async () => {
    const { body: draft } = await createArticle({ status: 'draft' });
    await edit(draft.id, 1, { summary: 'Still a draft' });
    await edit(draft.id, 2, { status: 'published' });
    await edit(draft.id, 3, { title: `${draft.title} (updated)` });
    const moved = await edit(draft.id, 4, { slug: `${draft.slug}-moved` });
    await edit(draft.id, 5, { status: 'unpublished' });
    const deleted = await api(`/api/articles/${draft.id}`, { method: 'DELETE', token: adminToken() });
    expect(deleted.status).toBe(204);

    const events = await eventually(async () => {
      const found = await eventsOf(draft.id);
      return found.some((event) => event.detail.type === 'deleted') && found;
    }, 'the deletion event');

    expect(events.map((event) => [event['detail-type'], event.detail.article.version])).toEqual([
      ['Article Published v1', 3],
      ['Article Updated v1', 4],
      ['Article Updated v1', 5],
      ['Article Unpublished v1', 6],
      ['Article Deleted v1', 6],
    ]);
    for (const event of events) {
      expect(event.source).toBe('flash-news.articles');
      expect(event.detail.schemaVersion).toBe(1);
      expect(event.time).toBe(event.detail.occurredAt);
    }
    expect(new Set(events.map((event) => event.detail.eventId)).size).toBe(events.length);

    const [published, retitled, slugChange] = events;
    expect(published?.detail.article.url).toBe(`${inject('origin')}/bota/${draft.slug}`);
    expect(published?.detail.article.status).toBe('published');
    expect(retitled?.detail.article.title).toBe(`${draft.title} (updated)`);
    expect(retitled?.detail.previousUrl).toBeUndefined();
    expect(slugChange?.detail.article.url).toBe(moved.url);
    expect(slugChange?.detail.previousUrl).toBe(`${inject('origin')}/bota/${draft.slug}`);

    // Deleted, the article has no page any more.
    const page = await fetch(moved.url, { redirect: 'manual' });
    expect(page.status).not.toBe(200);
  });

  it('announce a correction of a live article once, as corrected, and a silent fix after it as an update', async () => {
    const { body } = await createArticle();
    const corrected = await edit(body.id, 1, { correction: 'The venue was wrong.' });
    await edit(body.id, 2, { body: 'Typo fixed, silently.' });

    const events = await eventually(async () => {
      const found = await eventsOf(body.id);
      return found.some((event) => event.detail.article.version === 3) && found;
    }, 'the update after the correction');
    expect(events.map((event) => [event['detail-type'], event.detail.article.version])).toEqual([
      ['Article Published v1', 1],
      ['Article Corrected v1', 2],
      ['Article Updated v1', 3],
    ]);
    expect(events[1]?.detail).toMatchObject({
      eventId: `${body.id}.2.corrected`,
      occurredAt: corrected.updatedAt,
      correction: { at: corrected.updatedAt, note: 'The venue was wrong.' },
    });
    expect(events[2]?.detail).not.toHaveProperty('correction');
  });

  it('announce a publication only once the page answers', async () => {
    const { body } = await createArticle();
    const [published] = await eventually(async () => {
      const found = await eventsOf(body.id);
      return found.length > 0 && found;
    }, 'the publication event');
    expect(published?.detail.type).toBe('published');
    const page = await fetch(published?.detail.article.url, { redirect: 'manual' });
    expect(page.status).toBe(200);
  });
});
