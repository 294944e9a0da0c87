import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conformingFetch } from './support/openapi-conformance';
import { freePort } from './support/ports';
import { eventually } from './support/site';

const waitFor = (check: () => boolean, what: string, timeoutMs = 30_000) =>
  eventually(async () => check(), what, timeoutMs);

/** `npm start` and `npm run token` as a user runs them: separate processes, real ports, real signals. */

let dataDir: string;
beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'flash-news-cli-'));
});
afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

function run(script: string, env: Record<string, string>, args: string[] = []): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', script, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

function collect(child: ChildProcess): { output: () => string } {
  let output = '';
  child.stdout?.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    output += chunk;
  });
  return { output: () => output };
}

function exitOf(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

/** Whether any process of the group led by `pid` is still alive (kill with signal 0 only checks). */
function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function portIsFree(port: number): Promise<boolean> {
  const probe = createServer();
  return new Promise((resolve) => {
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

describe('npm start', () => {
  it('serves the API and the site, and stops cleanly on SIGTERM keeping the data', async () => {
    const port = await freePort();
    const env = { PORT: String(port), DATA_DIR: dataDir };
    const first = run('cli/start.ts', env);
    const firstOutput = collect(first);
    await waitFor(() => firstOutput.output().includes('Press Ctrl-C to stop'), 'the stack to start');
    expect(firstOutput.output()).toContain(`http://localhost:${port}/`);
    expect(firstOutput.output()).toContain('npm run --silent token');

    const token = run('cli/token.ts', { DATA_DIR: dataDir });
    const tokenOutput = collect(token);
    expect(await exitOf(token)).toBe(0);
    const jwt = tokenOutput.output().trim();
    expect(jwt).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    // The local stack's owner may do everything: an admin, unless --groups says otherwise.
    const claims = JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString());
    expect(claims['cognito:groups']).toEqual(['admins']);

    const created = await conformingFetch(`http://127.0.0.1:${port}/api/articles`, {
      method: 'POST',
      headers: { authorization: `Bearer ${jwt}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        title: 'Kept across restarts',
        section: 'bota',
        body: 'Text',
        status: 'published',
      }),
    });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    expect((await fetch(`http://127.0.0.1:${port}/`)).status).toBe(200);

    first.kill('SIGTERM');
    expect(await exitOf(first)).toBe(0);
    expect(firstOutput.output()).toContain('Stopped.');

    // The same data directory on the next start: the article is still there, nothing is seeded twice.
    const second = run('cli/start.ts', env);
    const secondOutput = collect(second);
    await waitFor(() => secondOutput.output().includes('Press Ctrl-C to stop'), 'the restart');
    expect(secondOutput.output()).not.toContain('Seeded');
    const fetched = await conformingFetch(`http://127.0.0.1:${port}/api/articles/${id}`);
    expect(fetched.status).toBe(200);
    second.kill('SIGINT');
    expect(await exitOf(second)).toBe(0);
  }, 90_000);

  /**
   * `npm start` as a user runs it, in its own process group so the test can see every process npm
   * started, and clean up if one is left; `act` gets npm's process and the group's id.
   */
  async function withNpmStart(
    name: string,
    act: (npm: ChildProcess, port: number, output: () => string, group: number) => Promise<void>,
  ): Promise<void> {
    const port = await freePort();
    const npm = spawn('npm', ['start'], {
      env: { ...process.env, PORT: String(port), DATA_DIR: join(dataDir, name) },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    const { output } = collect(npm);
    const group = npm.pid ?? 0;
    try {
      await waitFor(() => output().includes('Press Ctrl-C to stop'), 'npm start to start');
      await act(npm, port, output, group);
    } finally {
      if (groupAlive(group)) process.kill(-group, 'SIGKILL');
    }
  }

  it('as `npm start`, stops the whole process tree and frees the port on SIGTERM to npm', async () => {
    await withNpmStart('npm', async (npm, port, output, group) => {
      const exited = exitOf(npm);
      expect((await conformingFetch(`http://127.0.0.1:${port}/api/sections`)).status).toBe(200);
      // What a process manager or container runtime does: SIGTERM to the process it started, npm.
      npm.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(output()).toContain('SIGTERM received');
      expect(output()).toContain('Stopped.');
      await waitFor(() => !groupAlive(group), 'every process of npm start to end', 10_000);
      expect(await portIsFree(port)).toBe(true);
    });
  });

  it('as `npm start`, does not outlive npm killed outright: the port is freed for the next start', async () => {
    await withNpmStart('npm-killed', async (npm, port, _output, group) => {
      const exited = exitOf(npm);
      // SIGKILL to npm alone: npm forwards nothing, so the stack must notice on its own.
      npm.kill('SIGKILL');
      await exited;
      await waitFor(() => !groupAlive(group), 'the orphaned stack to stop', 15_000);
      expect(await portIsFree(port)).toBe(true);
    });
  });

  it('fails with a clear message when the port is taken', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as { port: number };
    try {
      const child = run('cli/start.ts', { PORT: String(port), DATA_DIR: join(dataDir, 'other') });
      const output = collect(child);
      expect(await exitOf(child)).toBe(1);
      expect(output.output()).toContain(`Port ${port}`);
      expect(output.output()).toContain('already in use');
      expect(output.output()).not.toMatch(/\n\s+at /);
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });
});

describe('npm start with a bad setting', () => {
  it('says what is wrong, without a stack trace', async () => {
    const port = await freePort();
    const child = run('cli/start.ts', {
      PORT: String(port),
      DATA_DIR: join(dataDir, 'bad'),
      SITE_TIME_ZONE: 'Mars/Olympus',
    });
    const output = collect(child);
    expect(await exitOf(child)).toBe(1);
    expect(output.output()).toContain('SITE_TIME_ZONE "Mars/Olympus" is not an IANA time zone');
    expect(output.output()).not.toMatch(/\n\s+at /);
  });
});

describe('npm run token', () => {
  it('prints the token alone, and mints other users and groups on request', async () => {
    const child = run('cli/token.ts', { DATA_DIR: dataDir }, [
      '--user',
      'alice',
      '--groups',
      'editors,admins',
    ]);
    const output = collect(child);
    expect(await exitOf(child)).toBe(0);
    const [, payload] = output.output().trim().split('.');
    const claims = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString());
    expect(claims).toMatchObject({ 'cognito:username': 'alice', 'cognito:groups': ['editors', 'admins'] });
    expect(claims.exp - claims.iat).toBe(12 * 3600);
  });
});
