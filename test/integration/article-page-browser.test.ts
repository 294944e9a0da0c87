import { mkdir } from 'node:fs/promises';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, createArticle, editorToken, origin } from './support/api';
import { browserAvailable, launchChromium } from './support/browser';
import { eventually, page, pathOf } from './support/site';

const ARTIFACTS = 'test-results/screenshots';
const hasBrowser = browserAvailable();
const CORRECTION =
  'An earlier version of this article said the summit would be held in Brussels; it is held in The Hague.';

const SEED_BODY = [
  'European allies should not worry about the United States\u2019 commitment to NATO, the head of the military alliance said on Tuesday, speaking ahead of a summit where a new spending target is expected to be approved.',
  'The two-day meeting in The Hague is intended to send a message that the alliance is united and determined to improve its defences.',
  '"The American president and the American senior leadership are fully committed to NATO," he said at a public forum before the official opening of the summit.',
].join('\n\n');

describe.skipIf(!hasBrowser)('an article page in a real browser (Debian Chromium)', () => {
  let browser: Browser;
  let url: string;

  beforeAll(async () => {
    await mkdir(ARTIFACTS, { recursive: true });
    browser = await launchChromium();
    const { body } = await createArticle({
      title: 'Rutte: US is fully committed to NATO',
      section: 'bota',
      summary: 'The alliance chief reassures European allies ahead of the summit in The Hague.',
      source: 'REL',
      body: SEED_BODY,
    });
    url = body.url;
    // Corrected once, so the correction block and the "Updated" line are part of what is checked.
    const corrected = await api(`/api/articles/${body.id}`, {
      method: 'PATCH',
      token: editorToken(),
      headers: { 'if-match': `"${body.version}"` },
      json: { correction: CORRECTION },
    });
    expect(corrected.status, corrected.text).toBe(200);
    await eventually(
      async () => (await page(pathOf(url))).text.includes('class="corrections"'),
      'the corrected article page',
    );
  });

  afterAll(async () => {
    await browser?.close();
  });

  for (const [device, viewport] of [
    ['desktop', { width: 1280, height: 900 }],
    ['phone', { width: 375, height: 812 }],
  ] as const) {
    it(`renders on a ${device} with no console errors, no CSP violations and no horizontal overflow`, async () => {
      const context = await browser.newContext({ viewport, deviceScaleFactor: 1 });
      const tab = await context.newPage();
      const consoleErrors: string[] = [];
      tab.on('console', (message) => {
        if (message.type() === 'error') consoleErrors.push(message.text());
      });
      tab.on('pageerror', (error) => consoleErrors.push(error.message));
      await tab.addInitScript(() => {
        (window as unknown as { cspViolations: string[] }).cspViolations = [];
        document.addEventListener('securitypolicyviolation', (event) => {
          (window as unknown as { cspViolations: string[] }).cspViolations.push(
            `${event.violatedDirective}: ${event.blockedURI}`,
          );
        });
      });

      const response = await tab.goto(url, { waitUntil: 'networkidle' });
      expect(response?.status()).toBe(200);
      expect(response?.headers()['content-security-policy']).toBeTruthy();

      await expect.poll(() => tab.locator('h1').textContent()).toBe('Rutte: US is fully committed to NATO');
      expect(await tab.locator('html').getAttribute('lang')).toBe('en');
      // The source credit after the body, as on the seed page: "/ REL".
      expect(await tab.locator('.source-credit').textContent()).toMatch(/^\/\s.*REL$/);
      // The correction: a region named by its heading, with the note as text, and "Updated" in the byline.
      const corrections = tab.getByRole('region', { name: 'Correction' });
      expect(await corrections.isVisible()).toBe(true);
      expect(await corrections.locator('li').textContent()).toMatch(
        new RegExp(`^Correction, \\w+ \\d{1,2}, \\d{4}: ${CORRECTION}$`),
      );
      expect(await tab.locator('.meta').textContent()).toContain('Updated');
      // The "Latest news" list is there, and the refresher filled it from the API without errors.
      const latestLinks = tab.locator('#latest-news a');
      expect(await latestLinks.count()).toBeGreaterThan(0);
      // A page never lists itself under "Latest news", before or after the refresh.
      const hrefs = await latestLinks.evaluateAll((links) =>
        links.map((link) => new URL((link as HTMLAnchorElement).href).pathname),
      );
      expect(hrefs).not.toContain(pathOf(url));

      const overflow = await tab.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow).toBeLessThanOrEqual(0);
      const violations = await tab.evaluate(
        () => (window as unknown as { cspViolations: string[] }).cspViolations,
      );
      expect(violations).toEqual([]);
      expect(consoleErrors).toEqual([]);

      await tab.screenshot({ path: `${ARTIFACTS}/article-${device}.png`, fullPage: true });
      await context.close();
    });
  }

  // The API names articles on SITE_BASE_URL; a reader may be on another name for the same site.
  it('refreshes "Latest news" by path on whichever name the page is read, never linking off-site', async () => {
    const site = new URL(origin());
    const names = ['127.0.0.1', 'localhost'].map((host) => `${site.protocol}//${host}:${site.port}`);
    for (const pageOrigin of names) {
      const context = await browser.newContext();
      const tab = await context.newPage();
      // The list as the API could give it: same-site items under other names, and what must be dropped.
      await tab.route('**/api/latest?*', (route) =>
        route.fulfill({
          contentType: 'application/json',
          body: JSON.stringify({
            items: [
              {
                title: 'On the CloudFront name',
                url: 'https://d111111abcdef8.cloudfront.net/bota/cdn-story',
              },
              {
                title: 'On the other local name',
                url: `${names.find((n) => n !== pageOrigin)}/sport/other-name`,
              },
              { title: 'Off-site', url: 'https://evil.example/phish' },
              { title: 'Script', url: 'javascript:alert(1)' },
            ],
            nextCursor: null,
          }),
        }),
      );
      await tab.goto(new URL(pathOf(url), pageOrigin).href, { waitUntil: 'networkidle' });
      const links = tab.locator('#latest-news a');
      await expect
        .poll(() => links.allTextContents(), { message: pageOrigin })
        .toEqual(['On the CloudFront name', 'On the other local name']);
      const hrefs = await links.evaluateAll((found) => found.map((link) => (link as HTMLAnchorElement).href));
      expect(hrefs).toEqual([`${pageOrigin}/bota/cdn-story`, `${pageOrigin}/sport/other-name`]);
      await context.close();
    }
  });

  it('renders every body heading level under the h1 with no level skipped, none smaller than the text', async () => {
    const { body } = await createArticle({
      title: 'Headings from one to six',
      section: 'bota',
      body: ['# One', '## Two', '#### Four', '##### Five', '###### Six', 'Body text.'].join('\n\n'),
    });
    await eventually(async () => (await page(pathOf(body.url))).status === 200, 'the headings article');
    const context = await browser.newContext();
    const tab = await context.newPage();
    await tab.goto(body.url, { waitUntil: 'networkidle' });
    const levels = await tab.locator('.prose :is(h1,h2,h3,h4,h5,h6)').evaluateAll((headings) =>
      headings.map((heading) => ({
        level: Number(heading.tagName.slice(1)),
        size: Number.parseFloat(getComputedStyle(heading).fontSize),
      })),
    );
    expect(levels.map((heading) => heading.level)).toEqual([2, 2, 3, 4, 5]);
    const text = Number.parseFloat(
      await tab.locator('.prose p').evaluate((p) => getComputedStyle(p).fontSize),
    );
    for (const heading of levels) expect(heading.size).toBeGreaterThanOrEqual(text);
    await context.close();
  });
});
