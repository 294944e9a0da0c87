import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conformingFetch } from './support/openapi-conformance';
import { freePort } from './support/ports';
import { eventually } from './support/site';

/**
 * `NEWSROOM_CONFIG=… npm start` as a user runs it: a second local stack in its own process (the handlers
 * read the newsroom at import, one newsroom a process), on its own port and data directory.
 */

const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const ALBANIAN_FILE = join(PROJECT_ROOT, 'newsroom.config.sq.json');

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'flash-news-newsroom-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function start(env: Record<string, string>): {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
} {
  const child = spawn(process.execPath, ['--import', 'tsx', 'cli/start.ts'], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    stderr += chunk;
  });
  return { child, stdout: () => stdout, stderr: () => stderr };
}

function exitOf(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

type Started = ReturnType<typeof start>;

/** Starts the stack, lets `act` use it on its port, and stops it as Ctrl-C would, checking it stops cleanly. */
async function withStack(
  env: Record<string, string>,
  act: (port: number, stack: Started) => Promise<void>,
): Promise<void> {
  const port = await freePort();
  const stack = start({ ...env, PORT: String(port) });
  try {
    await eventually(
      async () => stack.stdout().includes('Press Ctrl-C to stop'),
      'the stack to start',
      60_000,
    );
    await act(port, stack);
  } finally {
    stack.child.kill('SIGTERM');
    expect(await exitOf(stack.child)).toBe(0);
  }
}

describe('npm start with the Albanian newsroom', () => {
  it('serves its sections, in Albanian, on the API and the site', async () => {
    const env = { DATA_DIR: join(dir, 'data'), NEWSROOM_CONFIG: 'newsroom.config.sq.json' };
    await withStack(env, async (port, stack) => {
      expect(stack.stdout()).toContain(`Newsroom:  Flash News (sq, Europe/Tirane; ${ALBANIAN_FILE})`);

      const response = await conformingFetch(`http://127.0.0.1:${port}/api/sections`);
      expect(response.status).toBe(200);
      const { items } = (await response.json()) as {
        items: { slug: string; name: string; description: string }[];
      };
      const albanian = JSON.parse(await readFile(ALBANIAN_FILE, 'utf8')) as {
        sections: { slug: string; name: string; description: string }[];
      };
      expect(items.map(({ slug, name, description }) => ({ slug, name, description }))).toEqual(
        albanian.sections.map(({ slug, name, description }) => ({ slug, name, description })),
      );
      expect(items.map((item) => item.name)).toContain('Kulturë');

      // The site is rendered for this newsroom: its language and its section names.
      const home = await (await fetch(`http://127.0.0.1:${port}/`)).text();
      expect(home).toContain('<html lang="sq"');
      expect(home).toContain('Politikë');
      const section = await fetch(`http://127.0.0.1:${port}/culture/`);
      expect(await section.text()).toContain('Arti, librat, filmi, muzika dhe shoqëria.');

      // Every label, date and language tag, with no code changed: an article page, the 404, the feed.
      const latest = (await (await fetch(`http://127.0.0.1:${port}/api/latest?limit=1`)).json()) as {
        items: { url: string; language: string }[];
      };
      const [newest] = latest.items;
      if (!newest) throw new Error('the stack seeded no article');
      expect(newest.language).toBe('sq');
      const article = await (await fetch(`http://127.0.0.1:${port}${new URL(newest.url).pathname}`)).text();
      expect(article).toContain('<html lang="sq"');
      expect(article).toContain('<meta property="og:locale" content="sq_AL">');
      expect(article).toMatch(/Publikuar <time datetime="[^"]+">\d{1,2} [a-zë]+ \d{4},? (në )?\d{2}:\d{2}/);
      expect(article).toContain('Lajmet e fundit');
      expect(article).toContain('Kalo te përmbajtja');
      expect(article).not.toMatch(/>Published |>Latest news<|Skip to content|RSS feed/);
      const missing = await fetch(`http://127.0.0.1:${port}/no-such-page`);
      expect(missing.status).toBe(404);
      expect(await missing.text()).toContain('Faqja nuk u gjet');
      const feed = (await (await fetch(`http://127.0.0.1:${port}/feed.json`)).json()) as { language: string };
      expect(feed.language).toBe('sq');
    });
  }, 120_000);
});

describe('npm start with a newsroom of its own sections', () => {
  it('seeds only the samples its sections hold, and files articles in its sections only', async () => {
    const ownSections = join(dir, 'own-sections.json');
    const albanian = JSON.parse(await readFile(ALBANIAN_FILE, 'utf8')) as Record<string, unknown>;
    await writeFile(
      ownSections,
      JSON.stringify({
        ...albanian,
        sections: [
          { slug: 'ekonomi', name: 'Ekonomi', description: 'Ekonomia dhe tregjet.', order: 3 },
          { slug: 'bota', name: 'Bota', description: 'Lajme nga bota.', order: 1 },
          { slug: 'sport', name: 'Sport', description: 'Sporti.', order: 2 },
        ],
      }),
    );
    const dataDir = join(dir, 'own-data');
    await withStack({ DATA_DIR: dataDir, NEWSROOM_CONFIG: ownSections }, async (port, stack) => {
      // Of the eleven samples, the two in Bota and the two in Sport.
      expect(stack.stdout()).toContain('Seeded 4 sample articles');
      const sections = (await (await conformingFetch(`http://127.0.0.1:${port}/api/sections`)).json()) as {
        items: { slug: string }[];
      };
      expect(sections.items.map((section) => section.slug)).toEqual(['bota', 'sport', 'ekonomi']);

      const token = spawn(process.execPath, ['--import', 'tsx', 'cli/token.ts'], {
        cwd: PROJECT_ROOT,
        env: { ...process.env, DATA_DIR: dataDir },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      let jwt = '';
      token.stdout?.on('data', (chunk) => {
        jwt += chunk;
      });
      expect(await exitOf(token)).toBe(0);
      const create = (section: string) =>
        conformingFetch(`http://127.0.0.1:${port}/api/articles`, {
          method: 'POST',
          headers: { authorization: `Bearer ${jwt.trim()}`, 'content-type': 'application/json' },
          body: JSON.stringify({ title: 'Tregjet sot', section, body: 'Tekst.' }),
        });
      expect((await create('ekonomi')).status).toBe(201);
      const refused = await create('business');
      expect(refused.status).toBe(400);
      expect(JSON.stringify(await refused.json())).toContain('expected one of bota, sport, ekonomi');
    });
  }, 120_000);
});

describe('npm start with a bad newsroom file', () => {
  it('exits 1 with one line naming the file, the field and the problem, and starts nothing', async () => {
    const bad = join(dir, 'bad.json');
    const albanian = JSON.parse(await readFile(ALBANIAN_FILE, 'utf8')) as Record<string, unknown>;
    await writeFile(bad, JSON.stringify({ ...albanian, locale: 'en-US' }));
    const port = await freePort();
    const stack = start({ PORT: String(port), DATA_DIR: join(dir, 'never'), NEWSROOM_CONFIG: bad });
    expect(await exitOf(stack.child)).toBe(1);
    expect(stack.stderr()).toBe(
      `Newsroom config ${bad}: locale must be a locale of the language "sq", e.g. "sq-…" (got "en-US")\n`,
    );
    expect(stack.stdout()).toBe('');
  }, 60_000);
});
