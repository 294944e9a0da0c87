import { describe, expect, it } from 'vitest';
import { DESCRIPTION_LENGTH } from '../../../functions/render/article-page';
import {
  FEED_ITEM_LIMIT,
  renderJsonFeed,
  renderRssFeed,
  renderSectionRssFeed,
} from '../../../functions/render/feeds';
import { renderArticleBody } from '../../../functions/render/markdown';
import { HOSTILE, hostileSummary, SEED_BODY, SITE, summaries, summary } from './support/fixtures';
import { elements, parseHtml } from './support/html-document';
import { childElements, childText, descendants, parseXml, type XmlElement } from './support/xml-document';

interface JsonFeed {
  version: string;
  title: string;
  home_page_url: string;
  feed_url: string;
  items: {
    id: string;
    url: string;
    title: string;
    content_html: string;
    summary?: string;
    date_published: string;
    date_modified: string;
    image?: string;
    authors?: { name: string }[];
    tags?: string[];
  }[];
  language?: string;
  authors?: { name: string; url: string }[];
}

function channel(xml: string): XmlElement {
  const rss = parseXml(xml);
  expect(rss.name).toBe('rss');
  expect(rss.attrs.get('version')).toBe('2.0');
  const [found] = childElements(rss, 'channel');
  if (!found) throw new Error('no channel');
  return found;
}

describe('renderRssFeed', () => {
  const xml = renderRssFeed(SITE, summaries(5));
  const rss = channel(xml);
  const items = childElements(rss, 'item');

  it('is RSS 2.0 describing the site, with its own absolute self link', () => {
    expect(childText(rss, 'title')).toBe('Flash News');
    expect(childText(rss, 'link')).toBe('https://news.example.com/');
    expect(childText(rss, 'language')).toBe('en');
    const self = childElements(rss, 'atom:link')[0];
    expect(self?.attrs.get('href')).toBe('https://news.example.com/feed.xml');
    expect(self?.attrs.get('rel')).toBe('self');
  });

  it('has one item per article, newest first, with absolute links and stable GUIDs', () => {
    expect(items).toHaveLength(5);
    expect(items.map((item) => childText(item, 'title'))).toEqual(
      [0, 1, 2, 3, 4].map((n) => `Story number ${n}`),
    );
    for (const item of items)
      expect(childText(item, 'link')).toMatch(/^https:\/\/news\.example\.com\/[a-z]+\/story-\d+$/);
    const guid = childElements(items[0] as XmlElement, 'guid')[0];
    expect(guid && childText(items[0] as XmlElement, 'guid')).toBe('01JYAB6Q000000000000000000');
    expect(guid?.attrs.get('isPermaLink')).toBe('false');
    expect(childText(items[0] as XmlElement, 'pubDate')).toBe('Tue, 24 Jun 2025 12:00:00 GMT');
  });

  it('categorises items by section name and tags', () => {
    expect(descendants(items[0] as XmlElement, 'category').map((c) => c.children.join(''))).toEqual([
      'Bota',
      'NATO',
    ]);
  });

  it('keeps the newest 50 items', () => {
    const many = channel(renderRssFeed(SITE, summaries(FEED_ITEM_LIMIT + 10)));
    expect(childElements(many, 'item')).toHaveLength(FEED_ITEM_LIMIT);
  });

  it('is deterministic: the same articles give the same bytes', () => {
    expect(renderRssFeed(SITE, summaries(5))).toBe(xml);
  });

  it('stays well-formed XML with hostile text, and keeps descriptions as escaped HTML', () => {
    const hostile = channel(
      renderRssFeed(SITE, [
        hostileSummary({ title: `${HOSTILE}\u0000\u0007 ]]> end`, imageUrl: 'https://i.example.com/a.png' }),
      ]),
    );
    const [item] = childElements(hostile, 'item');
    if (!item) throw new Error('no item');
    expect(childText(item, 'title')).toContain('</script><script>alert(1)</script>');
    expect(childText(item, 'title')).toContain('end');
    expect(childText(item, 'title')).not.toContain('\u0000');
    expect(childText(item, 'title')).not.toContain('\u0007');
    // The description is HTML per RSS; a feed reader rendering it must see text, not elements.
    const description = parseHtml(childText(item, 'description') ?? '');
    expect(elements(description, 'script')).toHaveLength(0);
    expect(elements(description, 'img')).toHaveLength(0);
    const enclosure = childElements(item, 'enclosure')[0];
    expect(enclosure?.attrs.get('url')).toBe('https://i.example.com/a.png');
    expect(enclosure?.attrs.get('type')).toBe('image/png');
  });

  it('drops a non-http(s) image rather than enclose it', () => {
    const [item] = childElements(channel(renderRssFeed(SITE, [hostileSummary()])), 'item');
    expect(childElements(item as XmlElement, 'enclosure')).toHaveLength(0);
  });
});

describe('renderSectionRssFeed', () => {
  it("holds only the section's items and links to the section", () => {
    const politics = SITE.sections[1] ?? { slug: 'politics', name: 'Politics', description: '' };
    const rss = channel(renderSectionRssFeed(SITE, politics, summaries(9)));
    expect(childText(rss, 'title')).toBe('Flash News: Politics');
    expect(childText(rss, 'link')).toBe('https://news.example.com/politics/');
    expect(childElements(rss, 'atom:link')[0]?.attrs.get('href')).toBe(
      'https://news.example.com/politics/feed.xml',
    );
    const links = childElements(rss, 'item').map((item) => childText(item, 'link'));
    expect(links).toEqual([
      'https://news.example.com/politics/story-1',
      'https://news.example.com/politics/story-4',
      'https://news.example.com/politics/story-7',
    ]);
  });
});

describe('renderJsonFeed', () => {
  const feed = JSON.parse(renderJsonFeed(SITE, [summary(), ...summaries(2)])) as JsonFeed;

  it('is a JSON Feed 1.1 of the site, in its language, by the newsroom, with absolute URLs', () => {
    expect(feed.version).toBe('https://jsonfeed.org/version/1.1');
    expect(feed.language).toBe('en');
    expect(feed.authors).toEqual([{ name: 'Flash News', url: 'https://news.example.com/' }]);
    expect(feed.items[0]?.authors).toEqual([{ name: 'John Roe' }]);
    expect(feed.items[0]).not.toHaveProperty('author');
    expect(feed.home_page_url).toBe('https://news.example.com/');
    expect(feed.feed_url).toBe('https://news.example.com/feed.json');
    expect(feed.items).toHaveLength(3);
    for (const item of feed.items) expect(item.url).toMatch(/^https:\/\/news\.example\.com\//);
  });

  it('gives plain-text summaries and escaped HTML content', () => {
    const hostile = JSON.parse(renderJsonFeed(SITE, [hostileSummary()])) as JsonFeed;
    const [item] = hostile.items;
    expect(item?.summary).toBe(HOSTILE);
    expect(elements(parseHtml(item?.content_html ?? ''), 'script')).toHaveLength(0);
    expect(item?.authors).toEqual([{ name: HOSTILE }]);
    expect(item?.image).toBeUndefined();
  });

  it('dates items by publication and last change', () => {
    const newest = feed.items[0];
    expect(newest?.date_published).toBe('2025-06-24T12:00:00.000Z');
    expect(newest?.date_modified).toBe('2025-06-24T12:00:00.000Z');
    expect(feed.items.at(-1)?.id).toBe(summary().id);
  });
});

describe('full content', () => {
  const body = `${SEED_BODY}\n\n## What next\n\nA [link](https://example.org/a) and \`code ]]> here\`.\n\nText ]]> too.`;
  const withBody = { ...summary(), body };
  const pageBody = renderArticleBody(withBody.id, body, SITE.baseUrl, DESCRIPTION_LENGTH, SITE.language);

  it('gives RSS the page body in content:encoded, the byline as dc:creator, with both namespaces', () => {
    const xml = renderRssFeed(SITE, [withBody, summaries(1)[0] ?? summary()]);
    const rss = parseXml(xml);
    expect(rss.attrs.get('xmlns:content')).toBe('http://purl.org/rss/1.0/modules/content/');
    expect(rss.attrs.get('xmlns:dc')).toBe('http://purl.org/dc/elements/1.1/');
    // Newest first: the summary-only item is the newer.
    const [summaryOnly, full] = childElements(channel(xml), 'item') as [XmlElement, XmlElement];
    // The CDATA section survives `]]>` in the text: the parsed content is the page's HTML, `>` as `&gt;`.
    expect(childText(full, 'content:encoded')).toBe(pageBody.html.toString());
    expect(childText(full, 'content:encoded')).toContain('<h2>What next</h2>');
    expect(childText(full, 'content:encoded')).toContain('“The American president');
    expect(childText(full, 'dc:creator')).toBe('John Roe');
    expect(childText(full, 'description')).toBe('Leaders gather for a two-day meeting.');
    // Read without a body, an item's content is its summary; a feed never waits for a body.
    expect(childText(summaryOnly, 'content:encoded')).toBe('<p>Summary of story 0.</p>');
  });

  it('gives JSON Feed the page body as content_html, and keeps the byline out of an item without one', () => {
    const feed = JSON.parse(
      renderJsonFeed(SITE, [withBody, { ...summary({ id: 'X', slug: 'x' }), author: undefined }]),
    ) as JsonFeed;
    const [full, anonymous] = feed.items;
    expect(full?.content_html).toBe(pageBody.html.toString());
    expect(anonymous?.authors).toBeUndefined();
  });

  it('keeps a hostile byline inert in dc:creator', () => {
    const [item] = childElements(channel(renderRssFeed(SITE, [{ ...hostileSummary(), body: 'x' }])), 'item');
    expect(childText(item as XmlElement, 'dc:creator')).toContain('</script><script>alert(1)</script>');
    expect(childElements(item as XmlElement, 'script')).toHaveLength(0);
  });
});
