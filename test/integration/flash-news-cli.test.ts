import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type FakeCognito, startFakeCognito, VALID_TOTP } from '../unit/client/fake-cognito';
import { adminToken, api, editorToken, origin } from './support/api';
import { eventually, page, pathOf } from './support/site';

/**
 * `npx flash-news` as a user runs it: a separate process through the package's bin, against the shared
 * local stack, with FLASH_NEWS_API and FLASH_NEWS_TOKEN (or DATA_DIR to mint a token) in its
 * environment. Every assertion is on output, exit status and what the API and site then serve.
 */

const repository = fileURLToPath(new URL('../..', import.meta.url));
let workDir: string;

beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'flash-news-cli-it-'));
});
afterAll(async () => {
  await rm(workDir, { recursive: true, force: true });
});

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs the package's bin, bin/flash-news.mjs, with node; `npx: true` goes through `npx flash-news` as a
 * user types it (which adds npm's own start-up, a few seconds on a busy machine, so only some runs do).
 */
function flashNews(
  args: string[],
  env: Record<string, string | undefined> = {},
  { npx = false, input }: { npx?: boolean; input?: string } = {},
): Promise<Run> {
  const [command, prefix] = npx
    ? ['npx', ['--no-install', 'flash-news']]
    : [process.execPath, [join(repository, 'bin/flash-news.mjs')]];
  const child = spawn(command, [...prefix, ...args], {
    cwd: repository,
    env: {
      ...process.env,
      FLASH_NEWS_API: origin(),
      FLASH_NEWS_TOKEN: editorToken(),
      FLASH_NEWS_CONFIG_DIR: join(workDir, 'config'),
      FLASH_NEWS_USER_POOL_ID: undefined,
      FLASH_NEWS_USER_POOL_CLIENT_ID: undefined,
      ...env,
    },
    stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
  });
  child.stdin?.end(input);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    stderr += chunk;
  });
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr })));
}

function expectOneLineError(run: Run) {
  expect(run.code, run.stdout + run.stderr).not.toBe(0);
  const lines = run.stderr.trim().split('\n');
  expect(lines.at(-1)).toMatch(/^flash-news: \S/);
  expect(run.stderr).not.toMatch(/\bat .+:\d+:\d+\)?$/m);
}

let counter = 0;
async function articleFile(frontMatter: Record<string, string>, body = 'First paragraph.\n\nSecond one.') {
  counter += 1;
  const file = join(workDir, `story-${counter}.md`);
  const lines = Object.entries(frontMatter).map(([key, value]) => `${key}: ${value}`);
  await writeFile(file, `---\n# written by the CLI test\n${lines.join('\n')}\n---\n\n${body}\n`);
  return file;
}

const title = () => `CLI story ${Date.now()}-${counter + 1}`;

describe('npx flash-news', { timeout: 240_000 }, () => {
  it('publishes a Markdown file, then updates the same article when run again', async () => {
    const headline = title();
    const file = await articleFile({
      title: JSON.stringify(headline),
      section: 'technology',
      summary: 'Published from the command line.',
      tags: '[cli, test]',
      source: 'REL',
    });

    const first = await flashNews(['publish', file], {}, { npx: true });
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/^Created [0-9A-Z]{26} "CLI story .*" \(published, version 1\)/);
    const id = /id: ([0-9A-Z]{26})\n/.exec(await readFile(file, 'utf8'))?.[1];
    expect(id).toBeDefined();
    const created = (await api(`/api/articles/${id}`)).body;
    expect(created).toMatchObject({
      title: headline,
      section: 'technology',
      tags: ['cli', 'test'],
      version: 1,
    });
    await eventually(
      async () => (await page(pathOf(created.url))).text.includes(headline),
      'the article page',
    );

    await writeFile(
      file,
      (await readFile(file, 'utf8')).replace(
        'Published from the command line.',
        'Updated from the command line.',
      ),
    );
    const second = await flashNews(['publish', file, '--json']);
    expect(second.code, second.stderr).toBe(0);
    const result = JSON.parse(second.stdout);
    expect(result).toMatchObject({
      action: 'updated',
      id,
      version: 2,
      changes: [
        { field: 'summary', from: 'Published from the command line.', to: 'Updated from the command line.' },
      ],
    });
    const same = (await api(`/api/latest?section=technology&limit=50`)).body.items.filter(
      (item: { title: string }) => item.title === headline,
    );
    expect(same).toEqual([expect.objectContaining({ id, summary: 'Updated from the command line.' })]);
    await eventually(
      async () => (await page(pathOf(created.url))).text.includes('Updated from the command line.'),
      'the updated page',
    );

    const third = await flashNews(['publish', file]);
    expect(third.code).toBe(0);
    expect(third.stdout).toMatch(new RegExp(`^Unchanged ${id} \\(version 2\\)`));
  });

  it('gets, lists, opens, unpublishes and deletes by id or slug', async () => {
    const headline = title();
    const file = await articleFile({ title: JSON.stringify(headline), section: 'culture' });
    const published = JSON.parse((await flashNews(['publish', file, '--json'])).stdout);
    const { id, url } = published;
    const slug = published.article.slug;

    const got = await flashNews(['get', slug]);
    expect(got.code).toBe(0);
    expect(got.stdout).toContain(headline);
    expect(got.stdout).toMatch(new RegExp(`id\\s+${id}`));
    expect(JSON.parse((await flashNews(['get', id, '--json'])).stdout)).toMatchObject({
      id,
      slug,
      version: 1,
    });

    const listed = await flashNews(['list', '--section', 'culture', '--limit', '3', '--json']);
    expect(listed.code).toBe(0);
    const items = JSON.parse(listed.stdout).items;
    expect(items.length).toBeLessThanOrEqual(3);
    expect(items[0]).toMatchObject({ id, title: headline, url });
    expect((await flashNews(['list', '--limit', '2'])).stdout.trim().split('\n')).toHaveLength(2);

    const opened = await flashNews(['open', slug]);
    expect(opened).toMatchObject({ code: 0, stdout: `${url}\n` });

    const unpublished = await flashNews(['unpublish', slug]);
    expect(unpublished.code, unpublished.stderr).toBe(0);
    expect(unpublished.stdout).toMatch(new RegExp(`^Unpublished ${id} .*\\(version 2\\)`));
    expect((await api(`/api/articles/${id}`, { token: editorToken() })).body.status).toBe('unpublished');
    await eventually(async () => (await page(pathOf(url))).status >= 400, 'the page to be taken down');

    const deleted = await flashNews(['delete', id], { FLASH_NEWS_TOKEN: adminToken() });
    expect(deleted.code, deleted.stderr).toBe(0);
    expect(deleted.stdout).toMatch(new RegExp(`^Deleted ${id}`));
    expect((await api(`/api/articles/${id}`, { token: editorToken() })).status).toBe(404);

    expectOneLineError(await flashNews(['get', id]));
  });

  it("lists an article's versions, shows one, prints its preview and makes a preview link", async () => {
    const headline = title();
    const file = await articleFile({ title: JSON.stringify(headline), section: 'bota', status: 'draft' });
    const { id } = JSON.parse((await flashNews(['publish', file, '--json'])).stdout);
    await api(`/api/articles/${id}`, {
      method: 'PATCH',
      json: { summary: 'A second version.' },
      token: editorToken(),
      headers: { 'if-match': '"1"' },
    });

    const listed = await flashNews(['revisions', id]);
    expect(listed.code, listed.stderr).toBe(0);
    expect(
      listed.stdout
        .trim()
        .split('\n')
        .map((line) => line.split(/\s+/)[0]),
    ).toEqual(['v2', 'v1']);
    expect(listed.stdout.split('\n')[0]).toMatch(/summary$/);
    const shown = JSON.parse((await flashNews(['revisions', id, '--show', '1', '--json'])).stdout);
    expect(shown).toMatchObject({ id, version: 1, title: headline });
    expect(shown.summary).toBeUndefined();

    const preview = await flashNews(['preview', id]);
    expect(preview.code, preview.stderr).toBe(0);
    expect(preview.stdout).toMatch(/^<!doctype html>/);
    expect(preview.stdout).toContain('A second version.');
    const link = JSON.parse((await flashNews(['preview', id, '--link', '--json'])).stdout);
    expect(link.url).toMatch(/\/api\/preview\?token=/);
    expect((await fetch(link.url.replace(/^https?:\/\/[^/]+/, origin()))).status).toBe(200);

    expectOneLineError(await flashNews(['revisions', id, '--show', '99']));
  });

  it('mints a local editor token from DATA_DIR when given none, like npm run token', async () => {
    const local = { FLASH_NEWS_TOKEN: undefined, DATA_DIR: inject('dataDir') };
    const login = await flashNews(['login'], local);
    expect(login.code, login.stderr).toBe(0);
    expect(login.stdout).toMatch(
      /^Signed in to the local stack at http:\/\/(localhost|127\.0\.0\.1):\d+ as local-editor/,
    );

    const file = await articleFile({ title: JSON.stringify(title()), section: 'sport', status: 'draft' });
    const draft = await flashNews(['publish', file, '--json'], local);
    expect(draft.code, draft.stderr).toBe(0);
    const { id } = JSON.parse(draft.stdout);
    expect(JSON.parse((await flashNews(['get', id, '--json'], local)).stdout).status).toBe('draft');
    expect((await flashNews(['delete', id], local)).code).toBe(0);
  });

  it('answers bad input with a one-line error and a non-zero exit', async () => {
    const badSection = await articleFile({ title: 'Nowhere', section: 'nowhere' });
    const refused = await flashNews(['publish', badSection]);
    expectOneLineError(refused);
    expect(refused.stderr).toMatch(/section: unknown section "nowhere".*\[HTTP 400\]/);
    expect(await readFile(badSection, 'utf8')).not.toMatch(/^id:/m);

    const badFrontMatter = await articleFile({ titel: 'Typo', section: 'bota' });
    const typo = await flashNews(['publish', badFrontMatter]);
    expectOneLineError(typo);
    expect(typo.stderr).toMatch(/title is required; unknown field titel/);

    expectOneLineError(await flashNews(['publish', join(workDir, 'missing.md')]));
    expectOneLineError(await flashNews(['publish', badSection], { FLASH_NEWS_TOKEN: 'not-a-token' }));

    const usage = await flashNews(['publish']);
    expect(usage.code).toBe(2);
    expect(usage.stderr.trim()).toBe("flash-news: missing required argument 'file'");
    expect((await flashNews(['frobnicate'])).code).toBe(2);

    const json = await flashNews(['get', 'no-such-article-anywhere', '--json']);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stderr)).toMatchObject({ error: { code: 'not_found', status: 404 } });
  });

  it('has --help for every command', async () => {
    const help = await flashNews(['--help'], {}, { npx: true });
    expect(help.code).toBe(0);
    for (const command of [
      'login',
      'logout',
      'publish',
      'list',
      'get',
      'unpublish',
      'delete',
      'open',
      'revisions',
      'preview',
      'sections',
    ]) {
      expect(help.stdout).toMatch(new RegExp(`^  ${command}\\b`, 'm'));
    }
    const publishHelp = await flashNews(['publish', '--help']);
    expect(publishHelp.code).toBe(0);
    expect(publishHelp.stdout).toMatch(/Usage: flash-news publish \[options\] <file>/);
    expect(publishHelp.stdout).toMatch(/Front matter fields: id, title, section/);
  });
});

describe('npx flash-news login against Cognito', { timeout: 240_000 }, () => {
  // A deployment stand-in: Cognito's endpoint (SRP, TOTP, refresh) and an API that records the token it
  // is sent. The API listens on 127.0.0.2, which is not the local stack, so the CLI signs in to Cognito.
  let cognito: FakeCognito;
  let server: Server;
  let apiUrl: string;
  const seen: (string | undefined)[] = [];

  beforeAll(async () => {
    cognito = await startFakeCognito({ mfa: true });
    server = createServer((request, response) => {
      seen.push(request.headers.authorization);
      response.writeHead(200, { 'content-type': 'application/json', etag: '"1"' });
      response.end(
        JSON.stringify({
          id: '01JDQ3Z8K4M5N6P7Q8R9S0T1V2',
          slug: 'a-story',
          previousPaths: [],
          title: 'A story',
          section: 'bota',
          body: 'Text.',
          tags: [],
          status: 'draft',
          createdAt: '2026-11-27T17:30:00.000Z',
          updatedAt: '2026-11-27T17:30:00.000Z',
          version: 1,
          url: 'https://news.example.com/bota/a-story',
        }),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.2', resolve));
    apiUrl = `http://127.0.0.2:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await cognito.close();
    await new Promise((resolve) => server.close(resolve));
  });

  const aws = () => ({
    FLASH_NEWS_API: apiUrl,
    FLASH_NEWS_TOKEN: undefined,
    FLASH_NEWS_CONFIG_DIR: join(workDir, 'aws-config'),
    FLASH_NEWS_USER_POOL_ID: 'eu-central-1_AbCdEf123',
    FLASH_NEWS_USER_POOL_CLIENT_ID: 'client-1',
    FLASH_NEWS_COGNITO_ENDPOINT: cognito.endpoint,
  });

  it('signs in with SRP and the TOTP code, saves the session privately, and sends and refreshes its token', async () => {
    const refused = await flashNews(
      ['login', '--username', 'alice', '--password-stdin', '--mfa-code', '000000'],
      aws(),
      {
        input: 'Correct-Horse-Battery-9\n',
      },
    );
    expectOneLineError(refused);
    expect(refused.stderr).toMatch(/the MFA code is wrong/);

    // An ID token with a minute left, so the next command refreshes it first.
    cognito.idTokenLifetime = 60;
    const login = await flashNews(
      ['login', '--username', 'alice', '--password-stdin', '--mfa-code', VALID_TOTP, '--json'],
      aws(),
      { input: 'Correct-Horse-Battery-9\n' },
    );
    expect(login.code, login.stderr).toBe(0);
    expect(JSON.parse(login.stdout)).toMatchObject({ api: apiUrl, local: false, username: 'alice' });
    const file = join(workDir, 'aws-config', 'credentials.json');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const saved = JSON.parse(await readFile(file, 'utf8')).sessions[apiUrl];
    expect(saved).toMatchObject({
      username: 'alice',
      userPoolId: 'eu-central-1_AbCdEf123',
      clientId: 'client-1',
    });
    expect(JSON.stringify(saved)).not.toContain('Correct-Horse-Battery-9');

    cognito.idTokenLifetime = 3600;
    const got = await flashNews(['get', 'a-story', '--json'], aws());
    expect(got.code, got.stderr).toBe(0);
    const refreshed = JSON.parse(await readFile(file, 'utf8')).sessions[apiUrl];
    expect(refreshed.idToken).not.toBe(saved.idToken);
    expect(seen.at(-1)).toBe(`Bearer ${refreshed.idToken}`);
    expect(cognito.calls.at(-1)?.body).toMatchObject({ AuthFlow: 'REFRESH_TOKEN_AUTH' });

    const logout = await flashNews(['logout'], aws());
    expect(logout.stdout.trim()).toBe(`Signed out of ${apiUrl}`);
    const anonymous = await flashNews(['get', 'a-story'], aws());
    expect(anonymous.code).toBe(0);
    expect(seen.at(-1)).toBeUndefined();
  });
});
