import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, createArticle, editorToken, expectError, origin } from './support/api';
import { browserAvailable, launchChromium } from './support/browser';
import { eventually, page, pathOf } from './support/site';

/**
 * The front page through the local stack: an editor features a story with a photo, its caption and its
 * credit; readers get it as the home page's lead, the caption and credit under the photo on its page, and
 * every picture of the home, section and article pages in a reserved box (width and height).
 */

const IMAGE = {
  imageUrl: 'https://images.example.org/front-lead.jpg',
  imageAlt: 'Ferry passengers on the quay at dawn',
  imageCaption: 'Passengers wait for the first ferry of the season.',
  imageCredit: 'Agency photographer',
  imageWidth: 1600,
  imageHeight: 1067,
};

const imgTags = (html: string) => html.match(/<img\b[^>]*>/g) ?? [];

function expectEveryImageSized(html: string, what: string): void {
  for (const tag of imgTags(html)) {
    expect(tag, what).toMatch(/\swidth="[1-9]\d*"/);
    expect(tag, what).toMatch(/\sheight="[1-9]\d*"/);
  }
}

describe('the front page', () => {
  let leadPath: string;

  beforeAll(async () => {
    // A few stories with and without pictures in the section, then the featured one.
    for (const [index, withPicture] of [true, false, true].entries()) {
      await createArticle({
        section: 'business',
        title: `Harbour trade story ${index}`,
        summary: `What happened at the harbour, part ${index}.`,
        ...(withPicture
          ? { imageUrl: `https://images.example.org/trade-${index}.jpg`, imageAlt: 'Cranes' }
          : {}),
      });
    }
    const { body } = await createArticle({
      section: 'business',
      title: 'Ferry season opens with record bookings',
      summary: 'Operators added crossings after bookings doubled.',
      body: 'Operators added crossings.\n\n![The new ferry](https://images.example.org/ferry-body.jpg)',
      featured: true,
      ...IMAGE,
    });
    expect(body.featured).toBe(true);
    leadPath = pathOf(body.url);
    // Published after it: the newest story, which the featured one still leads.
    await createArticle({ section: 'business', title: 'Harbour trade story, newest' });
    await eventually(async () => {
      const home = await page('/');
      return home.text.includes('Harbour trade story, newest') && home.text;
    }, 'the home page with the newest story');
  });

  it('leads the home page with the featured story and its picture, even with newer stories', async () => {
    const home = (await page('/')).text;
    const lead = /<article class="lead-story">([\s\S]*?)<\/article>/.exec(home)?.[1] ?? '';
    expect(lead).toContain(`href="${leadPath}"`);
    expect(lead).toContain(`src="${IMAGE.imageUrl}"`);
    expect(lead).toMatch(/width="1600" height="1067"/);
    expect(home).toContain('Harbour trade story, newest');
    expect(home).toContain('id="latest-news"');
  });

  it('shows the caption and the credit under the photo on the article page', async () => {
    const article = (await page(leadPath)).text;
    const caption = /<figcaption>([\s\S]*?)<\/figcaption>/.exec(article)?.[1] ?? '';
    expect(caption).toContain(IMAGE.imageCaption);
    expect(caption).toContain(`Photo: ${IMAGE.imageCredit}`);
    expect(article).toContain('<meta property="og:image:width" content="1600">');
  });

  it('gives every <img> of the home, section and article pages a width and a height', async () => {
    for (const path of ['/', '/business/', leadPath]) {
      const html = (await page(path)).text;
      expect(imgTags(html).length, path).toBeGreaterThan(0);
      expectEveryImageSized(html, path);
    }
    const body = (await page(leadPath)).text;
    expect(body).toMatch(/<img src="https:\/\/images\.example\.org\/ferry-body\.jpg"[^>]*loading="lazy"/);
  });

  it('refuses a size without an image, or one out of range, with a 400 naming the field', async () => {
    const noImage = await api('/api/articles', {
      method: 'POST',
      token: editorToken(),
      json: { title: 'Sized', section: 'bota', body: 'Text.', imageWidth: 800, imageHeight: 600 },
    });
    expectError(noImage, 400, 'validation_failed', expect);
    expect(noImage.body.error.details).toEqual([
      { field: 'imageWidth', message: 'imageWidth and imageHeight need an imageUrl' },
    ]);
    const tooWide = await api('/api/articles', {
      method: 'POST',
      token: editorToken(),
      json: { title: 'Sized', section: 'bota', body: 'Text.', ...IMAGE, imageWidth: 20_000 },
    });
    expectError(tooWide, 400, 'validation_failed', expect);
    expect(tooWide.body.error.details).toEqual([
      { field: 'imageWidth', message: 'imageWidth must be a whole number from 1 to 10000' },
    ]);
  });
});

const hasBrowser = browserAvailable();

describe.skipIf(!hasBrowser)('the section menu in a real browser (Debian Chromium)', () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
  });

  for (const [device, viewport] of [
    ['phone', { width: 375, height: 812 }],
    ['desktop', { width: 1280, height: 900 }],
  ] as const) {
    it(`shows every section link inside the viewport on a ${device}, with no horizontal overflow`, async () => {
      const context = await browser.newContext({ viewport, deviceScaleFactor: 1, javaScriptEnabled: false });
      const tab = await context.newPage();
      for (const path of ['/', '/business/']) {
        const response = await tab.goto(new URL(path, origin()).href);
        expect(response?.status()).toBe(200);
        const links = tab.locator('nav.sections a');
        const count = await links.count();
        expect(count).toBeGreaterThan(1);
        for (let index = 0; index < count; index++) {
          const link = links.nth(index);
          expect(await link.isVisible(), `${path} link ${index}`).toBe(true);
          const box = await link.boundingBox();
          expect(box, `${path} link ${index}`).not.toBeNull();
          if (!box) continue;
          expect(box.x).toBeGreaterThanOrEqual(0);
          expect(box.x + box.width, `${await link.textContent()} on ${path}`).toBeLessThanOrEqual(
            viewport.width,
          );
          expect(box.y + box.height).toBeLessThanOrEqual(viewport.height);
        }
        const overflow = await tab.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        expect(overflow, path).toBeLessThanOrEqual(0);
      }
      // A section page's headlines read as headlines: each is set larger than the section's tagline.
      const fontSize = (selector: string) =>
        tab
          .locator(selector)
          .evaluateAll((found) =>
            found.map((element) => Number.parseFloat(getComputedStyle(element).fontSize)),
          );
      const [tagline] = await fontSize('.tagline');
      const headlines = await fontSize('main .headline');
      expect(headlines.length).toBeGreaterThan(1);
      for (const size of headlines) expect(size).toBeGreaterThan(tagline ?? Number.POSITIVE_INFINITY);
      await context.close();
    });
  }
});
