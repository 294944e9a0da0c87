import { readFile } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { validateXML, type XMLFileInfo } from 'xmllint-wasm';
import { createArticle } from '../support/api';
import { publishFeatureArticle, served } from './site-pages';

const BACKDATED = '2023-05-10T08:00:00.000Z';

/**
 * The sitemaps, validated by libxml2 (xmllint, compiled to WebAssembly by npm xmllint-wasm: no native
 * build, no system package) against the published sitemap schemas vendored in test/fixtures/xsd/.
 */

const XSD_DIR = new URL('../../fixtures/xsd/', import.meta.url);

async function schemaFile(name: string): Promise<XMLFileInfo> {
  return { fileName: name, contents: await readFile(new URL(name, XSD_DIR), 'utf8') };
}

async function validate(fileName: string, xml: string, schema: string, preload: readonly string[] = []) {
  return validateXML({
    xml: { fileName, contents: xml },
    schema: await schemaFile(schema),
    preload: await Promise.all(preload.map(schemaFile)),
  });
}

/** A `<urlset>`: sitemap.xsd, with the image and news extensions its `<url>`s may carry. */
const validateUrlset = (fileName: string, xml: string) =>
  validate(fileName, xml, 'urlset-with-extensions.xsd', [
    'sitemap.xsd',
    'sitemap-image.xsd',
    'sitemap-news.xsd',
  ]);

const monthsSince = (iso: string) => {
  const [from, to] = [new Date(iso), new Date()];
  return (to.getUTCFullYear() - from.getUTCFullYear()) * 12 + to.getUTCMonth() - from.getUTCMonth() + 1;
};

const errorsOf = (result: Awaited<ReturnType<typeof validateXML>>) => result.errors.map((e) => e.rawMessage);

describe('the sitemaps are valid against the sitemap schemas', () => {
  let articleUrl: string;
  let index: string;

  beforeAll(async () => {
    // An article with an image and tags, so the entries carry image and news elements.
    const article = await publishFeatureArticle();
    articleUrl = article.url;
    // A story filed long after the fact: the months between it and now have no article, so no sitemap,
    // and the index must not list them (a sitemap needs at least one <url>; a listed one must exist).
    await createArticle({
      status: 'published',
      publishAt: BACKDATED,
      title: 'From the archive: a 2023 story',
    });
    index = await served('/sitemap.xml', 200, '/sitemaps/2023-05.xml');
    await served('/news-sitemap.xml', 200, articleUrl);
  }, 60_000);

  it('the sitemap index (siteindex.xsd)', async () => {
    const result = await validate('sitemap.xml', index, 'siteindex.xsd');
    expect(errorsOf(result)).toEqual([]);
    expect(result.valid).toBe(true);
    // Optional in the schema, but what tells a crawler which child sitemaps to fetch again.
    const entries = [...index.matchAll(/<sitemap>([\s\S]*?)<\/sitemap>/g)].map((match) => match[1] ?? '');
    expect(entries.length).toBeGreaterThan(1);
    for (const entry of entries) expect(entry, entry).toMatch(/<lastmod>[^<]+<\/lastmod>/);
  });

  it('every monthly sitemap and the pages sitemap the index lists (sitemap.xsd with image and news)', async () => {
    const listed = [...index.matchAll(/<loc>([^<]+)<\/loc>/g)].map(
      (match) => new URL(match[1] ?? '').pathname,
    );
    expect(listed).toContain('/sitemaps/pages.xml');
    const months = listed.filter((path) => /^\/sitemaps\/\d{4}-\d{2}\.xml$/.test(path));
    expect(months).toContain('/sitemaps/2023-05.xml');
    // Not every month since May 2023: the ones without an article are left out.
    expect(months.length).toBeLessThan(monthsSince(BACKDATED));
    let sawArticle = false;
    for (const path of listed) {
      const xml = await served(path);
      sawArticle ||= xml.includes(articleUrl);
      const result = await validateUrlset(path.slice(1), xml);
      expect(errorsOf(result), path).toEqual([]);
      expect(result.valid, path).toBe(true);
    }
    expect(sawArticle).toBe(true);
  });

  it('the Google News sitemap (sitemap.xsd with the news extension)', async () => {
    const xml = await served('/news-sitemap.xml', 200, articleUrl);
    expect(xml).toContain('<news:news>');
    const result = await validateUrlset('news-sitemap.xml', xml);
    expect(errorsOf(result)).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('the schemas do reject what they should: a sitemap whose entry has no <loc>, a news entry without its title', async () => {
    const noLoc =
      '<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><lastmod>2026-12-01</lastmod></url></urlset>\n';
    expect((await validateUrlset('no-loc.xml', noLoc)).valid).toBe(false);
    const newsWithoutTitle = (await served('/news-sitemap.xml')).replace(
      /<news:title>[^<]*<\/news:title>/,
      '',
    );
    const result = await validateUrlset('news-without-title.xml', newsWithoutTitle);
    expect(result.valid).toBe(false);
    expect(errorsOf(result).join('\n')).toMatch(/news\/0\.9\}title/);
  });
});
