import { describe, expect, it } from 'vitest';
import { tagSlug } from '../../functions/domain/tags';
import { api, createArticle, editorToken } from './support/api';
import { eventually, page, pathOf } from './support/site';

/** Waits until `path` answers 200 and `check` accepts its body. */
async function pageWhere(path: string, check: (text: string) => boolean, what: string) {
  return eventually(async () => {
    const response = await page(path);
    return response.status === 200 && check(response.text) ? response.text : undefined;
  }, `${path} ${what}`);
}

async function patch(id: string, version: number, json: Record<string, unknown>) {
  const response = await api(`/api/articles/${id}`, {
    method: 'PATCH',
    token: editorToken(),
    headers: { 'if-match': `"${version}"` },
    json,
  });
  expect(response.status, response.text).toBe(200);
  return response.body;
}

describe('tag pages through the local stack', () => {
  it('lists the articles sharing a tag newest first, linked from each; loses them as they leave; 404 when empty', async () => {
    // A tag of this run alone, written as Albanian editors write it: the slug transliterates it.
    const run = Date.now();
    const tag = `Ballkani Perëndimor ${run}`;
    const slug = tagSlug(tag);
    expect(slug).toBe(`ballkani-perendimor-${run}`);
    const tagPagePath = `/tags/${slug}/`;

    const older = (
      await createArticle({ section: 'bota', title: `Older story ${run}`, tags: [tag, 'Other'] })
    ).body;
    const newer = (await createArticle({ section: 'bota', title: `Newer story ${run}`, tags: [tag] })).body;
    const [olderPath, newerPath] = [pathOf(older.url), pathOf(newer.url)];

    const listing = await pageWhere(
      tagPagePath,
      (text) => text.includes(olderPath) && text.includes(newerPath),
      'to list both articles',
    );
    expect(listing.indexOf(`href="${newerPath}"`)).toBeLessThan(listing.indexOf(`href="${olderPath}"`));
    expect(listing).toContain(`<h1>${tag}</h1>`);
    expect(listing).toContain(`<link rel="canonical" href="${new URL(older.url).origin}${tagPagePath}">`);

    const article = await pageWhere(olderPath, (text) => text.includes(tagPagePath), 'to link its tag page');
    expect(article).toContain(`<a href="${tagPagePath}">${tag}</a>`);

    // Without its trailing slash, a tag page is a redirect to its folder, as a section's is.
    const bare = await page(tagPagePath.slice(0, -1));
    expect(bare.status).toBe(301);
    expect(bare.headers.get('location')).toBe(tagPagePath);

    // Edited away, the tag's page loses the article; unpublished, the last one takes the page with it.
    await patch(older.id, older.version, { tags: ['Other'] });
    await pageWhere(
      tagPagePath,
      (text) => !text.includes(olderPath) && text.includes(newerPath),
      'to drop the older',
    );
    await patch(newer.id, newer.version, { status: 'unpublished' });
    await eventually(async () => (await page(tagPagePath)).status === 404, `${tagPagePath} to be gone`);
  });
});
