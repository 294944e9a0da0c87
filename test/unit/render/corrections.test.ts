import { describe, expect, it } from 'vitest';
import type { ArticleCorrection } from '../../../functions/domain/article';
import { renderArticlePage } from '../../../functions/render/article-page';
import { renderJsonFeed, renderRssFeed, renderSectionRssFeed } from '../../../functions/render/feeds';
import { renderArticleSitemap, renderPagesSitemap } from '../../../functions/render/sitemaps';
import { article, SITE, summary } from './support/fixtures';
import {
  allElements,
  byId,
  element,
  elements,
  jsonLd,
  meta,
  parseHtml,
  textOf,
} from './support/html-document';
import { childElements, childText, parseXml } from './support/xml-document';

const PUBLISHED = '2025-06-24T10:30:00.000Z';
const FIRST: ArticleCorrection = {
  at: '2025-06-25T08:00:00.000Z',
  note: 'An earlier version said the summit was in Brussels. It is in The Hague.',
};
const SECOND: ArticleCorrection = { at: '2025-12-01T23:30:00.000Z', note: 'Mark Rutte’s title was wrong.' };
const HOSTILE = '<script>alert(1)</script> **bold** [link](javascript:alert(2)) & "quotes"';

const corrected = (corrections: readonly ArticleCorrection[], updatedAt = corrections.at(-1)?.at) =>
  article({ corrections, updatedAt: updatedAt ?? PUBLISHED });
const page = (corrections: readonly ArticleCorrection[], updatedAt?: string) =>
  parseHtml(renderArticlePage(SITE, corrected(corrections, updatedAt), []));
const block = (doc: ReturnType<typeof parseHtml>) =>
  allElements(doc).find((e) => e.attrs.get('class') === 'corrections');
const byline = (doc: ReturnType<typeof parseHtml>) =>
  allElements(element(doc, 'article')).find((e) => e.attrs.get('class') === 'meta');

describe('corrections on the article page', () => {
  it('shows none, and no block at all, for an article never corrected', () => {
    const doc = page([]);
    expect(block(doc)).toBeUndefined();
    expect(byId(doc, 'corrections-heading')).toBeUndefined();
  });

  it('shows each correction in a named region with a heading, newest first, dated in the site zone', () => {
    const doc = page([FIRST, SECOND]);
    const region = block(doc);
    expect(region?.name).toBe('section');
    expect(region?.attrs.get('aria-labelledby')).toBe('corrections-heading');
    expect(textOf(byId(doc, 'corrections-heading') ?? '')).toBe('Corrections');
    expect(elements(region ?? doc, 'li').map(textOf)).toEqual([
      `Correction, December 1, 2025: ${SECOND.note}`,
      `Correction, June 25, 2025: ${FIRST.note}`,
    ]);
    expect(elements(region ?? doc, 'time').map((time) => time.attrs.get('datetime'))).toEqual([
      SECOND.at,
      FIRST.at,
    ]);
    // It belongs to the story: inside the article, after the body.
    expect(allElements(element(doc, 'article'))).toContain(region);
  });

  it('dates a correction by the day in the site’s time zone, not in UTC', () => {
    const tokyo = { ...SITE, timeZone: 'Asia/Tokyo' };
    const doc = parseHtml(renderArticlePage(tokyo, corrected([SECOND]), []));
    expect(textOf(block(doc) ?? '')).toContain('Correction, December 2, 2025:');
    expect(textOf(byId(doc, 'corrections-heading') ?? '')).toBe('Correction');
  });

  it('prints a hostile note as text: no element, no Markdown, no script', () => {
    const doc = page([{ at: FIRST.at, note: HOSTILE }]);
    const region = block(doc);
    expect(textOf(region ?? '')).toContain(HOSTILE);
    expect(elements(region ?? doc, 'script')).toHaveLength(0);
    expect(elements(region ?? doc, 'a')).toHaveLength(0);
    expect(elements(region ?? doc, 'strong').map(textOf)).toEqual(['Correction, June 25, 2025:']);
    expect(renderArticlePage(SITE, corrected([{ at: FIRST.at, note: HOSTILE }]), [])).toContain(
      '&lt;script&gt;alert(1)&lt;/script&gt; **bold**',
    );
    // In the structured data too it stays inert text, and reads back as written.
    const raw = renderArticlePage(SITE, corrected([{ at: FIRST.at, note: HOSTILE }]), []);
    expect(raw).not.toContain('<script>alert');
    const [data] = jsonLd(doc) as { correction?: { text: string }[] }[];
    expect(data?.correction?.[0]?.text).toBe(HOSTILE);
  });

  it('says "Updated" in the byline with the time of the latest correction', () => {
    const doc = page([FIRST, SECOND]);
    expect(textOf(byline(doc) ?? '')).toContain('Updated');
    const times = elements(byline(doc) ?? doc, 'time').map((time) => time.attrs.get('datetime'));
    expect(times).toEqual([PUBLISHED, SECOND.at]);
  });

  it('dates the structured data and Open Graph by the latest correction, not by a later silent fix', () => {
    const doc = page([FIRST], '2025-07-01T00:00:00.000Z');
    const [data] = jsonLd(doc) as Record<string, unknown>[];
    expect(data?.datePublished).toBe(PUBLISHED);
    expect(data?.dateModified).toBe(FIRST.at);
    expect(meta(doc, 'article:modified_time')).toBe(FIRST.at);
    expect(data?.correction).toEqual([
      { '@type': 'CorrectionComment', text: FIRST.note, datePublished: FIRST.at },
    ]);
    expect(elements(byline(doc) ?? doc, 'time').map((time) => time.attrs.get('datetime'))).toEqual([
      PUBLISHED,
      FIRST.at,
    ]);
  });

  it('keeps the publication time as dateModified after silent fixes alone', () => {
    const doc = parseHtml(renderArticlePage(SITE, article({ updatedAt: '2025-07-01T00:00:00.000Z' }), []));
    const [data] = jsonLd(doc) as Record<string, unknown>[];
    expect(data?.dateModified).toBe(PUBLISHED);
    expect(meta(doc, 'article:modified_time')).toBe(PUBLISHED);
    expect(data).not.toHaveProperty('correction');
  });
});

interface JsonFeedItem {
  readonly id: string;
  readonly content_html: string;
  readonly date_published: string;
  readonly date_modified: string;
}

const jsonItems = (xml: string) => (JSON.parse(xml) as { items: JsonFeedItem[] }).items;

describe('corrections in the feeds', () => {
  const plain = summary({ updatedAt: '2025-06-30T00:00:00.000Z' });
  const fixed = summary({
    updatedAt: '2025-07-01T00:00:00.000Z',
    corrections: [{ at: '2025-06-25T08:00:00.000Z', note: HOSTILE }],
  });

  it('JSON Feed: a corrected item is modified at its correction and its content says so, escaped', () => {
    const [item] = jsonItems(renderJsonFeed(SITE, [fixed]));
    expect(item?.date_published).toBe(fixed.publishedAt);
    expect(item?.date_modified).toBe('2025-06-25T08:00:00.000Z');
    expect(item?.content_html).toContain(
      '<p>Correction, June 25, 2025: &lt;script&gt;alert(1)&lt;/script&gt; **bold**',
    );
    expect(item?.content_html).not.toContain('<script>');
  });

  it('JSON Feed: a silent fix moves no date and adds nothing', () => {
    const [item] = jsonItems(renderJsonFeed(SITE, [plain]));
    expect(item?.date_modified).toBe(plain.publishedAt);
    expect(item?.content_html).toBe(`<p>${plain.summary}</p>`);
    expect(renderJsonFeed(SITE, [plain])).toBe(
      renderJsonFeed(SITE, [{ ...plain, updatedAt: plain.publishedAt }]),
    );
  });

  it('RSS: the item description carries the correction after the summary; pubDate stays the publication', () => {
    const section = SITE.sections[0];
    if (!section) throw new Error('no section');
    for (const rss of [renderRssFeed(SITE, [fixed]), renderSectionRssFeed(SITE, section, [fixed])]) {
      const channel = childElements(parseXml(rss), 'channel')[0];
      const item = channel && childElements(channel, 'item')[0];
      if (!channel || !item) throw new Error('no item');
      expect(childText(item, 'description')).toBe(
        `<p>${fixed.summary}</p><p>Correction, June 25, 2025: &lt;script&gt;alert(1)&lt;/script&gt; **bold** [link](javascript:alert(2)) &amp; &quot;quotes&quot;</p>`,
      );
      expect(childText(item, 'pubDate')).toBe(new Date(fixed.publishedAt).toUTCString());
      expect(childText(channel, 'lastBuildDate')).toBe(new Date('2025-06-25T08:00:00.000Z').toUTCString());
    }
  });

  it('RSS: a silent fix renders the same feed as no edit at all', () => {
    expect(renderRssFeed(SITE, [plain])).toBe(
      renderRssFeed(SITE, [{ ...plain, updatedAt: plain.publishedAt }]),
    );
  });
});

describe('corrections in the sitemaps', () => {
  const lastmods = (xml: string) => [...xml.matchAll(/<lastmod>([^<]*)<\/lastmod>/g)].map((m) => m[1]);

  it('an article entry is dated by its latest correction, and a silent fix moves no lastmod', () => {
    const fixed = summary({
      updatedAt: '2025-07-01T00:00:00.000Z',
      corrections: [{ at: '2025-06-25T08:00:00.000Z', note: 'Fixed.' }],
    });
    expect(lastmods(renderArticleSitemap(SITE, [fixed]))).toEqual(['2025-06-25T08:00:00.000Z']);
    const silent = summary({ updatedAt: '2025-07-01T00:00:00.000Z' });
    expect(lastmods(renderArticleSitemap(SITE, [silent]))).toEqual([silent.publishedAt]);
    expect(lastmods(renderPagesSitemap(SITE, [silent]))[0]).toBe(silent.publishedAt);
    expect(lastmods(renderPagesSitemap(SITE, [fixed]))[0]).toBe('2025-06-25T08:00:00.000Z');
  });
});
