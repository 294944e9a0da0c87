import { Readable } from 'node:stream';
import { parseSitemap } from 'sitemap';
import { describe, expect, it } from 'vitest';
import { renderRobotsTxt } from '../../../functions/render/robots-txt';
import { monthBounds, monthOfSitemapUrl, publicationMonth } from '../../../functions/render/site-paths';
import {
  NEWS_SITEMAP_URL_LIMIT,
  newestLastmod,
  renderArticleSitemap,
  renderNewsSitemap,
  renderPagesSitemap,
  renderSitemapIndex,
  SITEMAP_URL_LIMIT,
  storedSitemapIndex,
} from '../../../functions/render/sitemaps';
import { HOSTILE, SITE, summaries, summary } from './support/fixtures';
import { childElements, childText, descendants, parseXml, xmlText } from './support/xml-document';

const NOW = new Date('2025-06-26T12:00:00.000Z');
const HOUR = 60 * 60 * 1000;

function locs(xml: string): string[] {
  return childElements(parseXml(xml), 'url').map((url) => childText(url, 'loc') ?? '');
}

describe('renderPagesSitemap', () => {
  const xml = renderPagesSitemap(SITE, summaries(4));

  it('lists the home page and every section page, dated by the newest change', async () => {
    expect(locs(xml)).toEqual([
      'https://news.example.com/',
      'https://news.example.com/bota/',
      'https://news.example.com/politics/',
      'https://news.example.com/business/',
    ]);
    const urls = childElements(parseXml(xml), 'url');
    expect(childText(urls[0] ?? parseXml('<x/>'), 'lastmod')).toBe('2025-06-24T12:00:00.000Z');
    expect(await parseSitemap(Readable.from([xml]))).toHaveLength(4);
  });
});

describe('renderArticleSitemap', () => {
  const items = summaries(4).map((item, index) =>
    index === 0 ? { ...item, imageUrl: 'https://images.example.com/a.jpg' } : item,
  );
  const xml = renderArticleSitemap(SITE, items);

  it('lists the articles given by absolute URL, newest first, with their images', async () => {
    expect(locs(xml)).toEqual([
      'https://news.example.com/bota/story-0',
      'https://news.example.com/politics/story-1',
      'https://news.example.com/business/story-2',
      'https://news.example.com/bota/story-3',
    ]);
    const root = parseXml(xml);
    expect(root.name).toBe('urlset');
    expect(root.attrs.get('xmlns')).toBe('http://www.sitemaps.org/schemas/sitemap/0.9');
    const parsed = await parseSitemap(Readable.from([xml]));
    expect(parsed[0]?.img[0]?.url).toBe('https://images.example.com/a.jpg');
  });

  it('dates each article by its last change', () => {
    const urls = childElements(parseXml(xml), 'url');
    expect(childText(urls[0] ?? parseXml('<x/>'), 'lastmod')).toBe('2025-06-24T12:00:00.000Z');
  });

  it('keeps within 50,000 URLs by keeping the newest articles', () => {
    const big = renderArticleSitemap(SITE, summaries(SITEMAP_URL_LIMIT + 5));
    expect(big.split('<url>').length - 1).toBe(SITEMAP_URL_LIMIT);
    expect(big).toContain('/story-0<');
    expect(big).not.toContain(`/story-${SITEMAP_URL_LIMIT + 4}<`);
    // Rendering 50,000 entries takes a few seconds, more on a loaded 2-core machine: a bound, not a measure.
  }, 60_000);
});

describe('renderSitemapIndex', () => {
  it('lists each sitemap by absolute URL in a sitemaps.org index', () => {
    const xml = renderSitemapIndex(SITE, [
      { path: '/sitemaps/pages.xml' },
      { path: '/sitemaps/2025-06.xml', lastmod: '2025-06-24T12:00:00.000Z' },
    ]);
    const root = parseXml(xml);
    expect(root.name).toBe('sitemapindex');
    expect(root.attrs.get('xmlns')).toBe('http://www.sitemaps.org/schemas/sitemap/0.9');
    const sitemaps = childElements(root, 'sitemap');
    expect(sitemaps.map((entry) => childText(entry, 'loc'))).toEqual([
      'https://news.example.com/sitemaps/pages.xml',
      'https://news.example.com/sitemaps/2025-06.xml',
    ]);
    expect(childText(sitemaps[1] ?? parseXml('<x/>'), 'lastmod')).toBe('2025-06-24T12:00:00.000Z');
  });
});

describe('publication months', () => {
  it('names, reads back and bounds months in UTC', () => {
    expect(publicationMonth('2025-12-31T23:30:00-02:00')).toBe('2026-01');
    expect(monthOfSitemapUrl('https://news.example.com/sitemaps/2026-02.xml')).toBe('2026-02');
    expect(monthOfSitemapUrl('/sitemaps/2026-12.xml')).toBe('2026-12');
    for (const other of [
      '/sitemaps/pages.xml',
      '/sitemaps/2026-13.xml',
      '/sitemaps/2026-02.xml.gz',
      '/2026-02.xml',
    ])
      expect(monthOfSitemapUrl(other), other).toBeUndefined();
    expect(monthBounds('2025-12')).toEqual({
      from: '2025-12-01T00:00:00.000Z',
      to: '2026-01-01T00:00:00.000Z',
    });
  });
});

describe('renderNewsSitemap', () => {
  const at = (hoursAgo: number, slug: string) =>
    summary({
      id: slug,
      slug,
      title: `Story ${slug}`,
      publishedAt: new Date(NOW.getTime() - hoursAgo * HOUR).toISOString(),
    });

  it('holds only articles published in the 48 hours before now, newest first', () => {
    const xml = renderNewsSitemap(
      SITE,
      [
        at(49, 'too-old'),
        at(47.9, 'just-in'),
        at(0, 'now'),
        at(-1, 'future'),
        at(48, 'boundary'),
        at(1, 'recent'),
      ],
      NOW,
    );
    expect(locs(xml)).toEqual([
      'https://news.example.com/bota/now',
      'https://news.example.com/bota/recent',
      'https://news.example.com/bota/just-in',
    ]);
  });

  it('names the publication, language, date and title of each article', () => {
    const root = parseXml(renderNewsSitemap(SITE, [at(2, 'a')], NOW));
    expect(root.attrs.get('xmlns:news')).toBe('http://www.google.com/schemas/sitemap-news/0.9');
    const [news] = descendants(root, 'news:news');
    if (!news) throw new Error('no news:news');
    expect(descendants(news, 'news:name').map(xmlText)).toEqual(['Flash News']);
    expect(descendants(news, 'news:language').map(xmlText)).toEqual(['en']);
    expect(childText(news, 'news:publication_date')).toBe('2025-06-26T10:00:00.000Z');
    expect(childText(news, 'news:title')).toBe('Story a');
  });

  it('holds at most 1,000 articles', () => {
    const recent = summaries(1_200, NOW.getTime());
    expect(locs(renderNewsSitemap(SITE, recent, NOW))).toHaveLength(NEWS_SITEMAP_URL_LIMIT);
  });

  it('is a valid empty urlset when nothing is recent', () => {
    const root = parseXml(renderNewsSitemap(SITE, [at(100, 'old')], NOW));
    expect(root.name).toBe('urlset');
    expect(childElements(root, 'url')).toHaveLength(0);
  });

  it('escapes hostile titles and publishes a primary language subtag', () => {
    const site = { ...SITE, language: 'en-GB' };
    const root = parseXml(renderNewsSitemap(site, [{ ...at(1, 'h'), title: HOSTILE }], NOW));
    expect(descendants(root, 'news:title').map(xmlText)[0]).toContain('</script><script>alert(1)</script>');
    expect(descendants(root, 'news:language').map(xmlText)).toEqual(['en']);
  });
});

describe('renderRobotsTxt', () => {
  it('points at both sitemaps with absolute URLs and keeps crawlers out of the API', () => {
    const lines = renderRobotsTxt(SITE).split('\n');
    expect(lines).toContain('User-agent: *');
    expect(lines).toContain('Disallow: /api/');
    expect(lines.filter((line) => line.startsWith('Sitemap: '))).toEqual([
      'Sitemap: https://news.example.com/sitemap.xml',
      'Sitemap: https://news.example.com/news-sitemap.xml',
    ]);
  });
});

describe('sitemap index dates', () => {
  it("reads a sitemap's newest lastmod, whatever the order of its entries, and none from one without", () => {
    const items = [
      summary({ id: 'A', slug: 'a', publishedAt: '2026-11-02T08:00:00.000Z' }),
      summary({
        id: 'B',
        slug: 'b',
        publishedAt: '2026-11-01T08:00:00.000Z',
        corrections: [{ at: '2026-11-20T09:30:00.000Z', note: 'Fixed a name.' }],
      }),
      summary({ id: 'C', slug: 'c', publishedAt: '2026-11-10T08:00:00.000Z' }),
    ];
    expect(newestLastmod(renderArticleSitemap(SITE, items))).toBe('2026-11-20T09:30:00.000Z');
    expect(newestLastmod(renderArticleSitemap(SITE, []))).toBeUndefined();
    expect(newestLastmod('<lastmod>not a date</lastmod>')).toBeUndefined();
  });

  it('writes each child sitemap with its lastmod, and reads them back by URL', () => {
    const xml = renderSitemapIndex(SITE, [
      { path: '/sitemaps/pages.xml', lastmod: '2026-11-27T11:00:00.000Z' },
      { path: '/sitemaps/2026-10.xml', lastmod: '2026-10-31T23:00:00.000Z' },
      { path: '/sitemaps/2026-09.xml' },
    ]);
    const sitemaps = childElements(parseXml(xml), 'sitemap');
    expect(sitemaps.map((entry) => childText(entry, 'lastmod'))).toEqual([
      '2026-11-27T11:00:00.000Z',
      '2026-10-31T23:00:00.000Z',
      undefined,
    ]);
    expect([...storedSitemapIndex(xml)]).toEqual([
      ['https://news.example.com/sitemaps/pages.xml', '2026-11-27T11:00:00.000Z'],
      ['https://news.example.com/sitemaps/2026-10.xml', '2026-10-31T23:00:00.000Z'],
      ['https://news.example.com/sitemaps/2026-09.xml', undefined],
    ]);
  });
});
