import { describe, expect, it } from 'vitest';
import { adminToken, api, createArticle, editorToken } from './support/api';
import { eventually, page, pathOf } from './support/site';

const token = editorToken;

async function pageWith(path: string, text: string) {
  return eventually(
    async () => {
      const response = await page(path);
      return response.status === 200 && response.text.includes(text) ? response : undefined;
    },
    `${path} to contain ${JSON.stringify(text)}`,
  );
}

/** Waits until `path` no longer contains `text`; with `outsideLatestNews`, only outside that aside. */
async function pageWithout(path: string, text: string, { outsideLatestNews = false } = {}) {
  return eventually(
    async () => {
      const response = await page(path);
      // The Latest news aside lists the newest stories of every section, wherever they are filed.
      const shown = outsideLatestNews
        ? response.text.replace(/<aside class="latest"[\s\S]*?<\/aside>/, '')
        : response.text;
      return response.status === 200 && !shown.includes(text) ? response : undefined;
    },
    `${path} to no longer contain ${JSON.stringify(text)}${outsideLatestNews ? ' outside Latest news' : ''}`,
  );
}

describe('publishing renders the site', () => {
  it('publish → the page appears at the returned url and is listed everywhere', async () => {
    const { body } = await createArticle({
      section: 'bota',
      title: `Summit opens in The Hague ${Date.now()}`,
    });
    const path = pathOf(body.url);
    const article = await pageWith(path, body.title);
    expect(article.headers.get('content-type')).toMatch(/^text\/html/);
    expect(article.headers.get('cache-control')).toMatch(/s-maxage=31536000/);
    expect(article.headers.get('content-security-policy')).toMatch(/script-src 'sha256-/);
    expect(article.text).toContain(`<link rel="canonical" href="${body.url}">`);
    expect(article.text).toMatch(/<time datetime="[^"]+">/);

    await pageWith('/', body.title);
    await pageWith('/bota/', body.title);
    await pageWith('/feed.xml', body.url);
    await pageWith('/bota/feed.xml', body.url);
    const month = `/sitemaps/${body.publishedAt.slice(0, 7)}.xml`;
    await pageWith('/sitemap.xml', month);
    await pageWith(month, body.url);
    await pageWith('/news-sitemap.xml', body.url);
    const other = await page('/sport/');
    expect(other.text).not.toContain(body.title);

    // The NewsArticle data's publisher logo is a real image on the site, not a 404.
    const data = JSON.parse(
      /<script type="application\/ld\+json">([\s\S]*?)<\/script>/.exec(article.text)?.[1] ?? '{}',
    ) as { publisher?: { logo?: { url?: string } } };
    const logo = await page(pathOf(String(data.publisher?.logo?.url)));
    expect(logo.status).toBe(200);
    expect(logo.headers.get('content-type')).toMatch(/^image\/svg\+xml/);
    expect(logo.text).toContain('Flash News</text>');
  });

  it('edit → the page changes; unpublish → gone from the page, lists, feeds and sitemaps', async () => {
    const { body } = await createArticle({ section: 'business' });
    const path = pathOf(body.url);
    await pageWith(path, body.title);

    const edited = await api(`/api/articles/${body.id}`, {
      method: 'PATCH',
      token: token(),
      headers: { 'if-match': '"1"' },
      json: { title: `${body.title} (updated)` },
    });
    expect(edited.status).toBe(200);
    await pageWith(path, `${body.title} (updated)`);
    await pageWith('/business/', `${body.title} (updated)`);

    const unpublished = await api(`/api/articles/${body.id}`, {
      method: 'PATCH',
      token: token(),
      headers: { 'if-match': '"2"' },
      json: { status: 'unpublished' },
    });
    expect(unpublished.status).toBe(200);
    // A takedown answers 410 Gone at the edge (the edge routes store), not a 404.
    await eventually(async () => (await page(path)).status === 410, `${path} to be gone`);
    for (const listing of [
      '/',
      '/business/',
      '/feed.xml',
      '/business/feed.xml',
      '/sitemap.xml',
      '/news-sitemap.xml',
    ]) {
      await pageWithout(listing, body.url.replace(/&/g, '&amp;'));
      await pageWithout(listing, path);
    }
  });

  it('delete → the page answers 410 Gone with the short gone page', async () => {
    const { body } = await createArticle({ section: 'culture' });
    const path = pathOf(body.url);
    await pageWith(path, body.title);
    expect((await api(`/api/articles/${body.id}`, { method: 'DELETE', token: adminToken() })).status).toBe(
      204,
    );
    const gone = await eventually(async () => {
      const response = await page(path);
      return response.status === 410 ? response : undefined;
    }, `${path} to be deleted`);
    expect(gone.headers.get('content-type')).toMatch(/^text\/html/);
    expect(gone.text).toMatch(/<title>Gone<\/title>/);
    await pageWithout('/culture/', path);
  });

  it('a slug change answers the old URL with a 301 to the new page', async () => {
    const { body } = await createArticle({ section: 'sport' });
    const oldPath = pathOf(body.url);
    await pageWith(oldPath, body.title);
    const renamed = await api(`/api/articles/${body.id}`, {
      method: 'PATCH',
      token: token(),
      headers: { 'if-match': '"1"' },
      json: { slug: `moved-${body.slug}`, section: 'culture' },
    });
    expect(renamed.status).toBe(200);
    const newPath = pathOf(renamed.body.url);
    expect(newPath).toBe(`/culture/moved-${body.slug}`);
    await pageWith(newPath, body.title);
    const redirect = await eventually(async () => {
      const response = await page(`${oldPath}?utm_source=app`);
      return response.status === 301 ? response : undefined;
    }, `${oldPath} to redirect`);
    expect(redirect.headers.get('location')).toBe(`${newPath}?utm_source=app`);
    // Filed under culture now: out of sport's own lists (its Latest news may still show it, as any story).
    await pageWithout('/sport/', newPath, { outsideLatestNews: true });
    await pageWithout('/sport/', oldPath);
    await pageWith('/culture/', newPath);
  });

  it('serves clean URLs only: a trailing slash or a bare section redirects', async () => {
    const { body } = await createArticle();
    const path = pathOf(body.url);
    await pageWith(path, body.title);
    const withSlash = await page(`${path}/`);
    expect(withSlash.status).toBe(301);
    expect(withSlash.headers.get('location')).toBe(path);
    const bareSection = await page('/bota');
    expect(bareSection.status).toBe(301);
    expect(bareSection.headers.get('location')).toBe('/bota/');
  });

  it('answers a path that is not a section with the 404 page at once, no redirect first', async () => {
    for (const path of ['/does-not-exist', '/does-not-exist/', '/does-not-exist/story/']) {
      const missing = await page(path);
      expect(missing.status, path).toBe(404);
      expect(missing.headers.get('location'), path).toBeNull();
      expect(missing.text, path).toMatch(/<html lang=/);
    }
  });

  it('never lets an article field inject markup or script into its page', async () => {
    const attack = '</script><script>alert(1)</script><img src=x onerror=alert(2)>';
    const { body } = await createArticle({
      title: `Attack ${attack}`,
      summary: `Summary ${attack}`,
      author: `Author ${attack}`,
      source: `Src ${attack}`.slice(0, 60),
      tags: [`tag${attack}`.slice(0, 40)],
      body: `Body ${attack}\n\n[click](javascript:alert(3)) <a href="javascript:alert(4)">x</a>`,
    });
    const article = await pageWith(pathOf(body.url), 'Attack');
    const scripts = article.text.match(/<script\b[^>]*>/g) ?? [];
    // Only the page's own scripts: JSON-LD and the hashed "Latest news" refresher.
    for (const tag of scripts) expect(tag).toMatch(/<script( type="application\/ld\+json")?>/);
    expect(article.text).not.toMatch(/<script>alert/);
    expect(article.text).not.toMatch(/<img[^>]+onerror/i);
    expect(article.text).not.toMatch(/href="javascript:/i);
    const home = await pageWith('/', 'Attack');
    expect(home.text).not.toMatch(/<script>alert|<img[^>]+onerror/i);
  });

  it('serves /latest.json as the first page of GET /api/latest', async () => {
    await createArticle({ section: 'technology' });
    await eventually(async () => {
      const snapshot = JSON.parse((await page('/latest.json')).text);
      const live = (await api('/api/latest?limit=10')).body;
      expect(snapshot).toEqual({ items: live.items, nextCursor: null });
      return true;
    }, '/latest.json to match the API');
  });
});
