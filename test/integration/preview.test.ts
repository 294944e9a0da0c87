import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { derivePreviewKey, mintPreviewToken } from '../../functions/auth/preview-token';
import { SECURITY_HEADERS } from '../../functions/render/security-headers';
import { openLocalIssuer } from '../../local/local-issuer';
import { type ApiResponse, adminToken, api, articleInput, editorToken, expectError } from './support/api';
import { browserAvailable, launchChromium } from './support/browser';
import { page, pathOf } from './support/site';

/** Draft previews and signed preview links (issue #9, item 4), end to end through the local stack. */

interface Created {
  id: string;
  version: number;
  title: string;
  url: string;
}

async function created(overrides: Record<string, unknown> = {}): Promise<Created> {
  const response = await api('/api/articles', {
    method: 'POST',
    token: editorToken(),
    json: articleInput({ status: 'draft', ...overrides }),
  });
  expect(response.status, response.text).toBe(201);
  return response.body as Created;
}

async function patched(article: { id: string; version: number }, json: Record<string, unknown>) {
  const response = await api(`/api/articles/${article.id}`, {
    method: 'PATCH',
    token: editorToken(),
    headers: { 'if-match': `"${article.version}"` },
    json,
  });
  expect(response.status, response.text).toBe(200);
  return response.body as Created;
}

async function previewLink(id: string): Promise<{ url: string; expiresAt: string }> {
  const response = await api(`/api/articles/${id}/preview-link`, { method: 'POST', token: editorToken() });
  expect(response.status, response.text).toBe(201);
  return response.body;
}

/** The link as a reader follows it: no token, nothing but the URL. */
const opened = (url: string) => api(`${new URL(url).pathname}${new URL(url).search}`);

/** What every preview answer carries: a page no cache keeps, no search engine indexes, no Referer leaks. */
function expectPreviewPage(response: ApiResponse, title: string) {
  expect(response.status, response.text).toBe(200);
  expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
  expect(response.headers.get('cache-control')).toBe('no-store');
  expect(response.headers.get('x-robots-tag')).toMatch(/noindex/);
  expect(response.headers.get('referrer-policy')).toBe('no-referrer');
  expect(response.headers.get('content-security-policy')).toBe(SECURITY_HEADERS.contentSecurityPolicy);
  expect(response.text).toMatch(/^<!doctype html>/i);
  expect(response.text).toContain(`<h1>${title}</h1>`);
}

describe('GET /api/articles/{id}/preview', () => {
  it("shows an editor a draft's page, and writes nothing to the site", async () => {
    const draft = await created();
    const response = await api(`/api/articles/${draft.id}/preview`, { token: editorToken() });
    expectPreviewPage(response, draft.title);
    // Rendering is asynchronous: had the preview been written, the change feed would be rendering now.
    // A draft's page never exists, so the public URL must still be a 404.
    expect((await page(pathOf(draft.url))).status).toBe(404);
  });

  it.each(['review', 'published'])('shows an article in %s too', async (status) => {
    const article = await created({ status });
    expectPreviewPage(
      await api(`/api/articles/${article.id}/preview`, { token: editorToken() }),
      article.title,
    );
  });

  it('shows a scheduled article, by a slug it has had as well as by id', async () => {
    const article = await created({ status: 'published', publishAt: '2099-01-01T08:00:00Z' });
    const bySlug = await api(`/api/articles/${pathOf(article.url).split('/').pop()}/preview`, {
      token: editorToken(),
    });
    expectPreviewPage(bySlug, article.title);
  });

  it('shows an earlier version with ?revision=n, and the current one without', async () => {
    const first = await created();
    const second = await patched(first, { title: `${first.title} (revised)` });
    const earlier = await api(`/api/articles/${first.id}/preview?revision=1`, { token: editorToken() });
    expectPreviewPage(earlier, first.title);
    expect(earlier.text).not.toContain('(revised)');
    const current = await api(`/api/articles/${first.id}/preview`, { token: editorToken() });
    expectPreviewPage(current, second.title);
    const named = await api(`/api/articles/${first.id}/preview?revision=2`, { token: editorToken() });
    expectPreviewPage(named, second.title);
  });

  it.each(['0', '-1', 'abc', '1.5', '', '99999999999999999999'])(
    'refuses ?revision=%s with a 400 that names the parameter',
    async (revision) => {
      const draft = await created();
      const response = await api(`/api/articles/${draft.id}/preview?revision=${revision}`, {
        token: editorToken(),
      });
      expectError(response, 400, 'validation_failed', expect);
      expect(response.body.error.details).toEqual([expect.objectContaining({ field: 'revision' })]);
    },
  );

  it('refuses an unknown query parameter, and answers 404 for a version or article that does not exist', async () => {
    const draft = await created();
    const unknown = await api(`/api/articles/${draft.id}/preview?token=x`, { token: editorToken() });
    expectError(unknown, 400, 'validation_failed', expect);
    expect(unknown.body.error.details).toEqual([expect.objectContaining({ field: 'token' })]);
    const future = await api(`/api/articles/${draft.id}/preview?revision=2`, { token: editorToken() });
    expectError(future, 404, 'not_found', expect);
    const missing = await api('/api/articles/01JDXYZABCDEFGHJKMNPQRSTVW/preview', { token: editorToken() });
    expectError(missing, 404, 'not_found', expect);
  });

  it('refuses a contributor (403) and an anonymous caller (401)', async () => {
    const draft = await created();
    const path = `/api/articles/${draft.id}/preview`;
    expectError(await api(path, { token: inject('contributorToken') }), 403, 'forbidden', expect);
    expectError(await api(path), 401, 'unauthorized', expect);
  });
});

describe('preview links', () => {
  it('opens without any token, for 24 hours, on the site itself', async () => {
    const draft = await created();
    const before = Date.now();
    const link = await previewLink(draft.id);
    expect(link.url.startsWith(`${inject('origin')}/api/preview?token=`)).toBe(true);
    const lifetime = Date.parse(link.expiresAt) - before;
    expect(lifetime).toBeGreaterThan(23.9 * 3600 * 1000);
    expect(lifetime).toBeLessThanOrEqual(24 * 3600 * 1000 + 1000);
    expectPreviewPage(await opened(link.url), draft.title);
    expect((await page(pathOf(draft.url))).status).toBe(404);
  });

  it('stops working (410) once the article is edited; a new link shows the new version', async () => {
    const draft = await created();
    const link = await previewLink(draft.id);
    const edited = await patched(draft, { summary: 'Edited after the link was shared.' });
    expectError(await opened(link.url), 410, 'gone', expect);
    const fresh = await previewLink(draft.id);
    const response = await opened(fresh.url);
    expectPreviewPage(response, edited.title);
    expect(response.text).toContain('Edited after the link was shared.');
  });

  it('stops working (410) once the article is deleted', async () => {
    const draft = await created();
    const link = await previewLink(draft.id);
    const deleted = await api(`/api/articles/${draft.id}`, { method: 'DELETE', token: adminToken() });
    expect(deleted.status, deleted.text).toBe(204);
    expectError(await opened(link.url), 410, 'gone', expect);
  });

  it('answers an expired link with 410', async () => {
    const draft = await created();
    const { cursorSecret } = await openLocalIssuer(inject('dataDir'));
    const yesterday = new Date(Date.now() - 25 * 3600 * 1000);
    const { token } = await mintPreviewToken(
      derivePreviewKey(cursorSecret),
      { articleId: draft.id, version: draft.version },
      yesterday,
    );
    const response = await api(`/api/preview?token=${token}`);
    expectError(response, 410, 'gone', expect);
    expect(response.body.error.message).toMatch(/expired/);
  });

  it('refuses a tampered or foreign token with a 400 that says only "invalid"', async () => {
    const draft = await created();
    const other = await created();
    const token = new URL((await previewLink(draft.id)).url).searchParams.get('token') as string;
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    const swapped = Buffer.from(JSON.stringify({ ...claims, sub: other.id })).toString('base64url');
    const foreignKey = await mintPreviewToken(derivePreviewKey('not-the-secret-of-this-site'), {
      articleId: draft.id,
      version: draft.version,
    });
    const none = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${payload}.`;
    for (const forged of [`${header}.${swapped}.${signature}`, foreignKey.token, `${none}x`]) {
      const response = await api(`/api/preview?token=${forged}`);
      expectError(response, 400, 'bad_request', expect);
      expect(response.body.error.message).toBe('The preview link is invalid');
    }
  });

  it('refuses a malformed, missing or huge token with a 400 before verifying it', async () => {
    for (const query of ['?token=abc', '', '?token=', `?token=a.b.${'c'.repeat(5000)}`, '?token=a.b.c&x=1']) {
      const response = await api(`/api/preview${query}`);
      expectError(response, 400, 'validation_failed', expect);
    }
  });

  it('may be made by editors only', async () => {
    const draft = await created();
    const path = `/api/articles/${draft.id}/preview-link`;
    expectError(
      await api(path, { method: 'POST', token: inject('contributorToken') }),
      403,
      'forbidden',
      expect,
    );
    expectError(await api(path, { method: 'POST' }), 401, 'unauthorized', expect);
    const missing = await api('/api/articles/01JDXYZABCDEFGHJKMNPQRSTVW/preview-link', {
      method: 'POST',
      token: editorToken(),
    });
    expectError(missing, 404, 'not_found', expect);
  });
});

const hasBrowser = browserAvailable();

describe.skipIf(!hasBrowser)('a preview link in a real browser (Debian Chromium)', () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('renders the page with its script and stylesheet allowed, no CSP violation and no console error', async () => {
    const draft = await created({ body: 'A **draft** paragraph for the preview.' });
    const link = await previewLink(draft.id);
    const context = await browser.newContext();
    const tab = await context.newPage();
    const problems: string[] = [];
    tab.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
    tab.on('pageerror', (error) => problems.push(error.message));
    await tab.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (event) => {
        console.error(`CSP violation: ${event.violatedDirective} ${event.blockedURI}`);
      });
    });
    const response = await tab.goto(link.url, { waitUntil: 'networkidle' });
    expect(response?.status()).toBe(200);
    await expect.poll(() => tab.locator('h1').textContent()).toBe(draft.title);
    expect(await tab.locator('.prose strong').textContent()).toBe('draft');
    // The stylesheet applied (its hash allowed): the page is not in the browser's default serif.
    const font = await tab.evaluate(() => getComputedStyle(document.body).fontFamily);
    expect(font).not.toBe('"Times New Roman"');
    // The "Latest news" refresher ran (its hash allowed) and filled the list from the API.
    expect(await tab.locator('#latest-news a').count()).toBeGreaterThan(0);
    expect(problems).toEqual([]);
    await context.close();
  });
});
