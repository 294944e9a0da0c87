import { describe, expect, it } from 'vitest';
import { api, createArticle, editorToken, expectError } from './support/api';
import { edit } from './support/edit';
import { eventually, page, pathOf } from './support/site';

/**
 * An Albanian story on the default (English) newsroom, end to end through the local stack: its page,
 * the API, the feeds and the news sitemap all say Albanian, and its labels and dates are Albanian; the
 * newsroom's own pages stay English.
 */

async function served(path: string, marker: string): Promise<string> {
  return eventually(async () => {
    const { status, text } = await page(path);
    return status === 200 && text.includes(marker) && text;
  }, `${path} showing ${marker}`);
}

describe('an article in its own language', () => {
  it('is Albanian on its page, in the API, the feeds and the news sitemap; the home page stays English', async () => {
    const { body } = await createArticle({
      title: 'Samiti i NATO-s nis në Hagë',
      language: 'sq-al',
      summary: 'Udhëheqësit mblidhen për dy ditë.',
      author: 'Arta Dade',
      body: 'Ministri tha "jemi gati" para takimit.',
    });
    expect(body.language).toBe('sq-AL');
    const path = pathOf(body.url);
    const corrected = await edit(body.id, body.version, { correction: 'Emri i qytetit u saktësua.' });
    expect(corrected.language).toBe('sq-AL');

    const html = await served(path, 'Korrigjim');
    expect(html).toMatch(/<html lang="sq-AL">/);
    expect(html).toContain('<meta property="og:locale" content="sq_AL">');
    expect(html).toContain('"inLanguage":"sq-AL"');
    expect(html).toContain('Nga Arta Dade');
    // The 24-hour clock, in the newsroom's zone.
    expect(html).toMatch(/Publikuar <time datetime="[^"]+">\d{1,2} [a-zë]+ \d{4},? (në )?\d{2}:\d{2}/);
    expect(html).toContain('Lajmet e fundit');
    expect(html).toContain('Ministri tha „jemi gati“ para takimit.');
    expect(html).not.toMatch(/>Published |>Latest news<|Skip to content/);

    const latest = await api('/api/latest?limit=50');
    expect(latest.body.items.find((item: { id: string }) => item.id === body.id)?.language).toBe('sq-AL');

    const feed = JSON.parse(await served('/feed.json', body.id)) as {
      items: { id: string; language: string }[];
    };
    expect(feed.items.find((item) => item.id === body.id)?.language).toBe('sq-AL');
    const rss = await served('/feed.xml', body.id);
    expect(rss).toMatch(new RegExp(`${body.id}</guid>[\\s\\S]*?<dc:language>sq-AL</dc:language>`));

    const news = await served('/news-sitemap.xml', path);
    const entry = news.split('<url>').find((part) => part.includes(`${path}</loc>`)) ?? '';
    expect(entry).toContain('<news:language>sq</news:language>');

    const home = await served('/', body.title);
    expect(home).toMatch(/<html lang="en">/);
    // The Albanian headline on the English page is marked as Albanian.
    expect(home).toMatch(new RegExp(`<a href="${path}" lang="sq-AL">`));

    // Back to the newsroom's language.
    const cleared = await edit(body.id, corrected.version, { language: null });
    expect(cleared.language).toBeUndefined();
    await served(path, 'By Arta Dade');
  });

  it('refuses a language the pages have no labels in, and changes nothing', async () => {
    const refused = await api('/api/articles', {
      method: 'POST',
      json: { title: 'Ein Gipfel', section: 'bota', body: 'Text.', language: 'de' },
      token: editorToken(),
    });
    expectError(refused, 400, 'validation_failed', expect);
    expect(JSON.stringify(refused.body)).toMatch(
      /language must be a BCP 47 language tag of a supported language/,
    );
    const latest = await api('/api/latest?limit=50');
    expect(latest.body.items.map((item: { title: string }) => item.title)).not.toContain('Ein Gipfel');
  });
});
