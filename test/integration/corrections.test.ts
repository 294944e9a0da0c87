import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { loadSiteConfig } from '../../functions/config/site';
import { formatDayDate } from '../../functions/render/dates';
import { escapeHtml } from '../../functions/render/html';
import { api, createArticle, editorToken, expectError } from './support/api';
import { edit } from './support/edit';
import { eventually, page, pathOf } from './support/site';

/**
 * Corrections end to end: a silent fix changes nothing a reader or a crawler sees; a correction shows on
 * the page, moves dateModified, reaches the feeds and is announced once, as `corrected`.
 */

const site = loadSiteConfig();

/** The page once it shows `marker` (rendering is asynchronous). */
async function pageShowing(path: string, marker: string): Promise<string> {
  return eventually(async () => {
    const { status, text } = await page(path);
    return status === 200 && text.includes(marker) && text;
  }, `${path} showing ${marker}`);
}

function newsArticle(html: string): Record<string, unknown> {
  const json = /<script type="application\/ld\+json">(.*?)<\/script>/s.exec(html)?.[1];
  if (!json) throw new Error('no JSON-LD');
  return JSON.parse(json);
}

const byline = (html: string) => /<p class="meta">.*?<\/p>/s.exec(html)?.[0] ?? '';
const modifiedTime = (html: string) =>
  /<meta property="article:modified_time" content="([^"]*)">/.exec(html)?.[1];

interface JsonFeedItem {
  readonly id: string;
  readonly title: string;
  readonly content_html: string;
  readonly date_modified: string;
}

/** The article's item in /feed.json once it satisfies `ready`. */
async function feedItem(id: string, ready: (item: JsonFeedItem) => boolean): Promise<JsonFeedItem> {
  return eventually(async () => {
    const { text } = await page('/feed.json');
    const item = (JSON.parse(text) as { items: JsonFeedItem[] }).items.find((entry) => entry.id === id);
    return item && ready(item) && item;
  }, `the feed item of ${id}`);
}

async function correctedEventsOf(articleId: string) {
  const text = await readFile(join(inject('dataDir'), 'events.jsonl'), 'utf8').catch(() => '');
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line))
    .filter((event) => event.detail.article.id === articleId && event.detail.type === 'corrected');
}

describe('corrections', () => {
  it('a silent fix shows nothing; a correction shows on the page, in the feeds and as one event', async () => {
    const { body: created } = await createArticle();
    const path = pathOf(created.url);
    const published: string = created.publishedAt;

    // A silent fix: the page changes, no date readers see does.
    const fixedTitle = `${created.title} (typo fixed)`;
    const silent = await edit(created.id, 1, { title: fixedTitle });
    expect(silent.corrections).toEqual([]);
    const silentPage = await pageShowing(path, fixedTitle);
    expect(silentPage).not.toContain('class="corrections"');
    expect(byline(silentPage)).not.toContain('Updated');
    expect(newsArticle(silentPage).dateModified).toBe(published);
    expect(modifiedTime(silentPage)).toBe(published);
    const silentItem = await feedItem(created.id, (item) => item.title === fixedTitle);
    expect(silentItem.date_modified).toBe(published);
    expect(silentItem.content_html).not.toContain('Correction');

    // A correction: shown, dated, in the feeds. The note is untrusted text and stays text.
    const note = 'An earlier version named the wrong <b>venue</b> & date.';
    const corrected = await edit(created.id, 2, { correction: `  ${note}  ` });
    const at: string = corrected.updatedAt;
    expect(corrected.corrections).toEqual([{ at, note }]);
    const fetched = await api(`/api/articles/${created.id}`);
    expect(fetched.body.corrections).toEqual([{ at, note }]);

    const line = `Correction, ${formatDayDate(at, site)}: ${note}`;
    const correctedPage = await pageShowing(path, 'class="corrections"');
    expect(correctedPage).toContain(
      `Correction, <time datetime="${at}">${formatDayDate(at, site)}</time>:</strong> ${escapeHtml(note)}`,
    );
    expect(correctedPage).not.toContain('<b>venue</b>');
    expect(byline(correctedPage)).toMatch(new RegExp(`Updated <time datetime="${at}">`));
    expect(newsArticle(correctedPage).dateModified).toBe(at);
    expect(newsArticle(correctedPage).datePublished).toBe(published);
    expect(modifiedTime(correctedPage)).toBe(at);

    const item = await feedItem(created.id, (entry) => entry.date_modified === at);
    expect(item.content_html).toContain(`<p>${escapeHtml(line)}</p>`);
    const rss = await eventually(async () => {
      const { text } = await page('/feed.xml');
      return text.includes(escapeHtml(line)) && text;
    }, 'the correction in /feed.xml');
    expect(rss).not.toContain('<b>venue</b>');

    // Announced exactly once, as a correction with its note.
    const [event, ...more] = await eventually(async () => {
      const found = await correctedEventsOf(created.id);
      return found.length > 0 && found;
    }, 'the corrected event');
    expect(more).toEqual([]);
    expect(event['detail-type']).toBe('Article Corrected v1');
    expect(event.detail.correction).toEqual({ at, note });
    expect(event.detail.article.version).toBe(3);
  });

  it('refuses a correction to an article readers never saw, and notes that are not plain text', async () => {
    const { body: draft } = await createArticle({ status: 'draft' });
    const patch = (json: unknown) =>
      api(`/api/articles/${draft.id}`, {
        method: 'PATCH',
        token: editorToken(),
        headers: { 'if-match': '"1"' },
        json,
      });

    const unseen = await patch({ correction: 'Nothing was published.' });
    expectError(unseen, 400, 'validation_failed', expect);
    expect(unseen.body.error.details).toEqual([
      { field: 'correction', message: expect.stringContaining('never published') },
    ]);

    for (const correction of ['', 'x'.repeat(1001), 'two\nlines', null]) {
      const refused = await patch({ correction });
      expectError(refused, 400, 'validation_failed', expect);
      expect(refused.body.error.details?.map((problem: { field: string }) => problem.field)).toEqual([
        'correction',
      ]);
    }
    expect((await api(`/api/articles/${draft.id}`, { token: editorToken() })).body.version).toBe(1);
  });
});
