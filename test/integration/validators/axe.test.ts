import axe from 'axe-core';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { origin } from '../support/api';
import { browserAvailable, launchChromium } from '../support/browser';
import {
  missingPath,
  publishAlbanianArticle,
  publishFeatureArticle,
  publishPlainArticle,
  served,
  TAG_PAGE_PATH,
} from './site-pages';

/**
 * axe-core in Debian's Chromium on the pages readers see, at a desktop and a phone width: every rule
 * tagged WCAG 2.0/2.1 A or AA, and axe's best practices. The pages' Content-Security-Policy would
 * block a script tag, so axe's source is evaluated in the page (a test's privilege, not a page's).
 */

const RULE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'];

const VIEWPORTS = [
  ['1280 px', { width: 1280, height: 900 }],
  ['375 px', { width: 375, height: 812 }],
] as const;

interface Finding {
  readonly id: string;
  readonly impact: string | null | undefined;
  readonly help: string;
  readonly targets: string[];
}

const hasBrowser = browserAvailable();

describe.skipIf(!hasBrowser)('axe-core finds no accessibility violations', () => {
  let browser: Browser;
  const pages: Record<string, { path: string; status: number }> = {};

  beforeAll(async () => {
    browser = await launchChromium();
    const feature = await publishFeatureArticle();
    const plain = await publishPlainArticle();
    await served('/', 200, feature.path);
    await served('/bota/', 200, plain.path);
    pages.home = { path: '/', status: 200 };
    pages.section = { path: '/bota/', status: 200 };
    pages['article with every feature'] = { path: feature.path, status: 200 };
    pages['article in Albanian'] = { path: (await publishAlbanianArticle()).path, status: 200 };
    await served(TAG_PAGE_PATH, 200, feature.path);
    pages['tag page'] = { path: TAG_PAGE_PATH, status: 200 };
    pages['not-found page'] = { path: missingPath(), status: 404 };
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  async function violationsOn(path: string, status: number, viewport: { width: number; height: number }) {
    const context = await browser.newContext({ viewport, deviceScaleFactor: 1 });
    try {
      const tab = await context.newPage();
      const response = await tab.goto(new URL(path, origin()).href, { waitUntil: 'networkidle' });
      expect(response?.status()).toBe(status);
      await tab.evaluate(axe.source);
      const results = await tab.evaluate(
        (tags) =>
          window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] }),
        RULE_TAGS,
      );
      // A run that checked nothing would pass too: it must have applied rules to this page.
      expect(results.passes.length + results.violations.length).toBeGreaterThan(10);
      return results.violations.map(
        (v): Finding => ({
          id: v.id,
          impact: v.impact,
          help: v.help,
          targets: v.nodes.map((node) => node.target.join(' ')),
        }),
      );
    } finally {
      await context.close();
    }
  }

  for (const name of ['home', 'section', 'article with every feature', 'tag page', 'not-found page']) {
    for (const [width, viewport] of VIEWPORTS) {
      it(`${name} at ${width}`, async () => {
        const { path, status } = pages[name] ?? { path: '', status: 0 };
        expect(await violationsOn(path, status, viewport)).toEqual([]);
      });
    }
  }

  it('axe does report a violation it should (a control page with an image without alt text)', async () => {
    const context = await browser.newContext();
    try {
      const tab = await context.newPage();
      await tab.setContent(
        '<!doctype html><html lang="en"><title>Control</title><main><img src="data:,"></main></html>',
      );
      await tab.evaluate(axe.source);
      const results = await tab.evaluate(() =>
        window.axe.run(document, { runOnly: { type: 'rule', values: ['image-alt'] } }),
      );
      expect(results.violations.map((v) => v.id)).toEqual(['image-alt']);
    } finally {
      await context.close();
    }
  });
});

declare global {
  interface Window {
    axe: typeof axe;
  }
}
