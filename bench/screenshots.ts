import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { LOCAL_CREDENTIALS } from '../local/emulators';
import { startLocalStack } from '../local/local-stack';
import { launchChromium } from '../test/integration/support/browser';

/**
 * `npm run screenshots`: the README's screenshots (docs/images/), taken in Debian's Chromium from a fresh
 * local stack with `npm start`'s sample articles, at 1280 px and 375 px.
 *
 * This machine reaches no image host, so the pictures are drawn here: simple SVG landscapes, one palette
 * per story, put in the local bucket under /media/ and given to the sample articles (with a size, a
 * caption and a credit) through the API, as an editor would. They are illustrations standing in for
 * photos, and the credit says so. Two stories keep no picture, to show the text-only cards. `npm start`
 * itself seeds no pictures: repair (`npm run reconcile`) deletes any object the table does not explain.
 */

const OUTPUT = 'docs/images';
const WIDTH = 1600;
const HEIGHT = 900;

interface Palette {
  readonly sky: readonly [string, string];
  readonly sun: string;
  readonly far: string;
  readonly near: string;
  readonly ground: string;
}

const PALETTES: readonly Palette[] = [
  { sky: ['#1d3b6e', '#f2a65a'], sun: '#ffd27a', far: '#3c5a80', near: '#24405e', ground: '#0f2a44' },
  { sky: ['#8fc7e8', '#e9f4fb'], sun: '#fff6c9', far: '#7fa88a', near: '#4f7d5c', ground: '#33553c' },
  { sky: ['#2b1b3d', '#d9667b'], sun: '#ffb199', far: '#5b3a63', near: '#3d2447', ground: '#22142b' },
  { sky: ['#b9d6f2', '#fdf1dc'], sun: '#ffe7a3', far: '#a9a3b8', near: '#7c748f', ground: '#524a66' },
  { sky: ['#0e2f3a', '#5fa8a0'], sun: '#e7f6c8', far: '#2f6f73', near: '#1f4f55', ground: '#10343a' },
  { sky: ['#f6d9a8', '#fbeee0'], sun: '#f48c5c', far: '#c9a27a', near: '#a3795a', ground: '#6e4f3a' },
  { sky: ['#3a506b', '#c9d6df'], sun: '#f4f4f4', far: '#6d7f92', near: '#4b5d70', ground: '#2c3a48' },
  { sky: ['#5d8aa8', '#f0e6c8'], sun: '#ffcf6e', far: '#8c9c6e', near: '#6b7b4e', ground: '#4a5636' },
];

/** A landscape: sky, sun, two rows of hills and the ground, shaped by `seed` so no two are alike. */
function landscape(palette: Palette, seed: number): string {
  const wave = (base: number, amplitude: number, phase: number) => {
    const points: string[] = [];
    for (let x = 0; x <= WIDTH; x += 80) {
      const y = base + amplitude * Math.sin((x / WIDTH) * Math.PI * (2 + (seed % 3)) + phase);
      points.push(`${x},${Math.round(y)}`);
    }
    return `0,${HEIGHT} ${points.join(' ')} ${WIDTH},${HEIGHT}`;
  };
  const sunX = 300 + ((seed * 397) % 1000);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}">
<defs><linearGradient id="sky" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="${palette.sky[0]}"/><stop offset="1" stop-color="${palette.sky[1]}"/></linearGradient></defs>
<rect width="${WIDTH}" height="${HEIGHT}" fill="url(#sky)"/>
<circle cx="${sunX}" cy="${260 + (seed % 4) * 30}" r="${90 + (seed % 3) * 20}" fill="${palette.sun}" opacity=".9"/>
<polygon points="${wave(520, 70, seed)}" fill="${palette.far}"/>
<polygon points="${wave(640, 50, seed * 2 + 1)}" fill="${palette.near}"/>
<polygon points="${wave(780, 25, seed * 3 + 2)}" fill="${palette.ground}"/>
</svg>`;
}

/** What each sample story gets: a picture (by palette) with caption, or none. By title, as seeded. */
const PICTURES: ReadonlyMap<string, { readonly palette: number; readonly caption: string } | null> = new Map([
  [
    'Coastal towns test floating barriers ahead of winter storms',
    { palette: 0, caption: 'Dusk over the harbour mouth where the first barrier was raised.' },
  ],
  [
    'City library opens a repair café for broken laptops and phones',
    { palette: 3, caption: 'The library at opening time.' },
  ],
  [
    'Underdogs reach the basketball cup final after a last-second three',
    { palette: 2, caption: 'The arena by night.' },
  ],
  [
    'Old cinema reopens as a home for independent film',
    { palette: 5, caption: 'The riverbank by the cinema.' },
  ],
  ['Parliament passes a law opening committee hearings to the public', null],
  [
    'Small businesses can now file their taxes on one page',
    { palette: 6, caption: 'The business district.' },
  ],
  [
    'Night trains return on the coast line after twenty years',
    { palette: 4, caption: 'The coast line at dawn.' },
  ],
  [
    'Volunteers map every bench and fountain in the old town',
    { palette: 1, caption: 'The hills above the old town.' },
  ],
  [
    'Women’s volleyball team wins the regional league unbeaten',
    { palette: 7, caption: 'The valley the club is named after.' },
  ],
  ['Why the harbour barriers matter beyond this winter', null],
]);

const dataDir = await mkdtemp(join(tmpdir(), 'flash-news-screenshots-'));
const stack = await startLocalStack({ port: 0, dataDir, schedulerIntervalMs: 60_000 });
const browser = await launchChromium();
try {
  await stack.drained();
  const token = await stack.issuer.mintToken();
  const s3 = new S3Client({
    region: 'us-east-1',
    endpoint: stack.s3Endpoint,
    forcePathStyle: true,
    credentials: LOCAL_CREDENTIALS,
  });
  const call = async (path: string, init: RequestInit = {}) => {
    const response = await fetch(`${stack.origin}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...init.headers },
    });
    if (!response.ok)
      throw new Error(`${init.method ?? 'GET'} ${path}: ${response.status} ${await response.text()}`);
    return response;
  };

  const { items } = (await (await call('/api/latest?limit=50')).json()) as {
    items: { id: string; title: string; url: string }[];
  };
  let featuredUrl = '';
  for (const [index, item] of items.entries()) {
    const picture = PICTURES.get(item.title);
    if (!picture) continue;
    const key = `media/sample-${index}.svg`;
    const palette = PALETTES[picture.palette] ?? PALETTES[0];
    if (!palette) throw new Error('no palette');
    await s3.send(
      new PutObjectCommand({
        Bucket: stack.bucketName,
        Key: key,
        Body: landscape(palette, index + picture.palette),
        ContentType: 'image/svg+xml',
      }),
    );
    const current = await call(`/api/articles/${item.id}`);
    await call(`/api/articles/${item.id}`, {
      method: 'PATCH',
      headers: { 'if-match': current.headers.get('etag') ?? '' },
      body: JSON.stringify({
        imageUrl: `${stack.origin}/${key}`,
        imageAlt: picture.caption.replace(/\.$/, ''),
        imageCaption: picture.caption,
        imageCredit: 'Flash News (sample drawing)',
        imageWidth: WIDTH,
        imageHeight: HEIGHT,
      }),
    });
    if (item.title.startsWith('Coastal towns')) featuredUrl = item.url;
  }
  await stack.drained();

  await mkdir(OUTPUT, { recursive: true });
  const shots = [
    ['home', `${stack.origin}/`],
    ['article', featuredUrl],
  ] as const;
  for (const [name, url] of shots) {
    // The desktop shot is the first screen; the phone's, the first two (a whole front page is too long).
    for (const [device, viewport, height] of [
      ['desktop', { width: 1280, height: 900 }, 900],
      ['phone', { width: 375, height: 812 }, 1624],
    ] as const) {
      const context = await browser.newContext({ viewport, deviceScaleFactor: 1 });
      const tab = await context.newPage();
      await tab.goto(url, { waitUntil: 'networkidle' });
      // Lazy pictures load as they scroll near: scroll the page through once so the shot has them all.
      await tab.evaluate(async () => {
        for (let y = 0; y < document.body.scrollHeight; y += 400) {
          window.scrollTo(0, y);
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        window.scrollTo(0, 0);
      });
      await tab.waitForLoadState('networkidle');
      const path = `${OUTPUT}/${name}-${device}.png`;
      await tab.screenshot({ path, fullPage: true, clip: { x: 0, y: 0, width: viewport.width, height } });
      console.log(`Wrote ${path}`);
      await context.close();
    }
  }
} finally {
  await browser.close();
  await stack.stop();
  await rm(dataDir, { recursive: true, force: true });
}
