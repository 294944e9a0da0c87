import { mkdir, readFile } from 'node:fs/promises';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REFERENCE_CACHE_CONTROL } from '../../functions/openapi/reference-endpoints';
import { renderReferencePage } from '../../functions/openapi/reference-page';
import { loadSwaggerUiAssets } from '../../functions/openapi/swagger-ui-assets';
import { api, origin } from './support/api';
import { browserAvailable, launchChromium } from './support/browser';

/** The API describing itself on the local stack: the document, and the page that renders it. */

const ARTIFACTS = 'test-results/screenshots';
const hasBrowser = browserAvailable();

describe('GET /api/openapi.json and GET /api/docs on the local stack', () => {
  it('serve the document that docs/openapi.json holds', async () => {
    const response = await api('/api/openapi.json');
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe(REFERENCE_CACHE_CONTROL);
    const file = await readFile(new URL('../../docs/openapi.json', import.meta.url), 'utf8');
    expect(response.body).toEqual(JSON.parse(file));
  });

  it('serve the reference page under its own policy (not the site pages’)', async () => {
    const response = await api('/api/docs');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const page = renderReferencePage(loadSwaggerUiAssets());
    expect(response.headers.get('content-security-policy')).toBe(page.contentSecurityPolicy);
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    expect(response.text).toBe(page.html);
  });
});

describe.skipIf(!hasBrowser)('the reference page in a real browser (Debian Chromium)', () => {
  let browser: Browser;

  beforeAll(async () => {
    await mkdir(ARTIFACTS, { recursive: true });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('renders every operation, with no console error, no CSP violation and no request elsewhere', async () => {
    const tab = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors: string[] = [];
    const elsewhere: string[] = [];
    tab.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    tab.on('pageerror', (error) => errors.push(error.message));
    tab.on('request', (request) => {
      if (!request.url().startsWith(`${origin()}/`) && !request.url().startsWith('data:')) {
        elsewhere.push(request.url());
      }
    });
    await tab.addInitScript(() => {
      (window as unknown as { cspViolations: string[] }).cspViolations = [];
      document.addEventListener('securitypolicyviolation', (event) => {
        (window as unknown as { cspViolations: string[] }).cspViolations.push(
          `${event.violatedDirective}: ${event.blockedURI}`,
        );
      });
    });

    const response = await tab.goto(`${origin()}/api/docs`, { waitUntil: 'networkidle' });
    expect(response?.status()).toBe(200);
    const operations = (await api('/api/openapi.json')).body.paths;
    const count = Object.values<object>(operations).reduce((sum, item) => sum + Object.keys(item).length, 0);
    await tab.waitForFunction(
      (expected) => document.querySelectorAll('.opblock').length === expected,
      count,
      { timeout: 15_000 },
    );
    expect(await tab.textContent('.info .title')).toContain('Flash News publishing API');
    expect(await tab.textContent('body')).toContain('/api/articles/{id}');
    await tab.screenshot({ path: `${ARTIFACTS}/api-reference.png` });

    expect(
      await tab.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations),
    ).toEqual([]);
    expect(errors).toEqual([]);
    expect(elsewhere).toEqual([]);
    await tab.close();
  });
});
