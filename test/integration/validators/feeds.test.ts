import { parseJsonFeed, parseRssFeed } from 'feedsmith';
import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { publishFeatureArticle, publishPlainArticle, served } from './site-pages';

/**
 * The feeds, read by a real feed parser (npm feedsmith, RSS 2.0 and JSON Feed) as a reader's app
 * would, and the JSON Feed held to its specification (jsonfeed.org, versions 1 and 1.1) by a schema
 * written from it: required members, types, RFC 3339 dates, and extensions only under `_` names.
 */

const url = z.url({ protocol: /^https?$/ });
const rfc3339 = z.iso.datetime({ offset: true });
const author = z.object({ name: z.string().min(1).optional(), url: url.optional(), avatar: url.optional() });

/** The spec allows members it does not define only when their names start with an underscore. */
function onlyKnownMembers(known: readonly string[]) {
  return (value: Record<string, unknown>, context: z.RefinementCtx) => {
    for (const key of Object.keys(value)) {
      if (!known.includes(key) && !key.startsWith('_')) {
        context.addIssue({ code: 'custom', message: `unknown member "${key}" (extensions start with _)` });
      }
    }
  };
}

const JSON_FEED_ITEM_MEMBERS = [
  'id',
  'url',
  'external_url',
  'title',
  'content_html',
  'content_text',
  'summary',
  'image',
  'banner_image',
  'date_published',
  'date_modified',
  'author',
  'authors',
  'tags',
  'language',
  'attachments',
] as const;

const jsonFeedItem = z
  .looseObject({
    id: z.string().min(1),
    url: url.optional(),
    external_url: url.optional(),
    title: z.string().optional(),
    content_html: z.string().optional(),
    content_text: z.string().optional(),
    summary: z.string().optional(),
    image: url.optional(),
    banner_image: url.optional(),
    date_published: rfc3339.optional(),
    date_modified: rfc3339.optional(),
    author: author.optional(),
    authors: z.array(author).min(1).optional(),
    tags: z.array(z.string()).optional(),
    language: z.string().optional(),
    attachments: z
      .array(z.looseObject({ url, mime_type: z.string().min(1), title: z.string().optional() }))
      .optional(),
  })
  .superRefine(onlyKnownMembers(JSON_FEED_ITEM_MEMBERS))
  .refine((item) => item.content_html !== undefined || item.content_text !== undefined, {
    message: 'an item must have content_html or content_text',
  });

const JSON_FEED_MEMBERS = [
  'version',
  'title',
  'home_page_url',
  'feed_url',
  'description',
  'user_comment',
  'next_url',
  'icon',
  'favicon',
  'author',
  'authors',
  'language',
  'expired',
  'hubs',
  'items',
] as const;

const jsonFeed = z
  .looseObject({
    version: z.enum(['https://jsonfeed.org/version/1', 'https://jsonfeed.org/version/1.1']),
    title: z.string().min(1),
    home_page_url: url.optional(),
    feed_url: url.optional(),
    description: z.string().optional(),
    next_url: url.optional(),
    icon: url.optional(),
    favicon: url.optional(),
    author: author.optional(),
    authors: z.array(author).min(1).optional(),
    language: z.string().optional(),
    expired: z.boolean().optional(),
    items: z.array(jsonFeedItem),
  })
  .superRefine(onlyKnownMembers(JSON_FEED_MEMBERS));

describe('the feeds, read by a real feed parser', () => {
  let feature: Awaited<ReturnType<typeof publishFeatureArticle>>;
  let plain: Awaited<ReturnType<typeof publishPlainArticle>>;

  beforeAll(async () => {
    feature = await publishFeatureArticle();
    plain = await publishPlainArticle();
  }, 60_000);

  for (const path of ['/feed.xml', '/bota/feed.xml']) {
    it(`${path}: RSS 2.0 whose every item has a title, an absolute link, a date and a guid`, async () => {
      const xml = await served(path, 200, plain.url);
      const feed = parseRssFeed(xml);
      expect(feed.title).toBeTruthy();
      expect(feed.link).toMatch(/^https?:\/\//);
      expect(feed.description).toBeTruthy();
      expect(feed.items?.length).toBeGreaterThan(0);
      for (const item of feed.items ?? []) {
        expect(item.title, JSON.stringify(item)).toBeTruthy();
        expect(() => url.parse(item.link), item.link).not.toThrow();
        expect(Number.isNaN(Date.parse(item.pubDate ?? '')), item.pubDate).toBe(false);
        expect(item.guid?.value, JSON.stringify(item)).toBeTruthy();
      }
      const links = feed.items?.map((item) => item.link);
      expect(links).toContain(feature.url);
      expect(links).toContain(plain.url);
      // The full story, as the parser reads it: the body (content:encoded) and the byline (dc:creator).
      const story = feed.items?.find((item) => item.link === feature.url);
      expect(story?.content?.encoded).toContain('<h2>What was agreed</h2>');
      expect(story?.dc?.creators).toEqual(['Arta Dade']);
    });
  }

  it('/feed.json: valid JSON Feed, every item with an id, a url and content', async () => {
    const text = await served('/feed.json', 200, plain.url);
    const document = JSON.parse(text);
    const checked = jsonFeed.safeParse(document);
    expect(checked.success ? [] : checked.error.issues).toEqual([]);
    const feed = parseJsonFeed(document);
    expect(feed.items?.length).toBeGreaterThan(0);
    for (const item of feed.items ?? []) {
      expect(item.id).toBeTruthy();
      expect(() => url.parse(item.url)).not.toThrow();
      expect(item.content_html ?? item.content_text).toBeTruthy();
    }
    const urls = feed.items?.map((item) => item.url);
    expect(urls).toContain(feature.url);
    expect(urls).toContain(plain.url);
    const story = feed.items?.find((item) => item.url === feature.url);
    expect(story?.content_html).toContain('<h2>What was agreed</h2>');
  });

  it('the JSON Feed schema rejects what the spec forbids (it is not a schema that passes everything)', () => {
    const valid = { version: 'https://jsonfeed.org/version/1.1', title: 'T', items: [] };
    expect(jsonFeed.safeParse(valid).success).toBe(true);
    expect(jsonFeed.safeParse({ ...valid, items: [{ id: '1', url: 'https://example.org/a' }] }).success).toBe(
      false,
    );
    expect(jsonFeed.safeParse({ ...valid, items: [{ content_text: 'x' }] }).success).toBe(false);
    expect(jsonFeed.safeParse({ ...valid, colour: 'red' }).success).toBe(false);
    expect(jsonFeed.safeParse({ ...valid, _colour: 'red' }).success).toBe(true);
    expect(
      jsonFeed.safeParse({ ...valid, items: [{ id: '1', content_text: 'x', date_published: 'Tuesday' }] })
        .success,
    ).toBe(false);
  });
});
