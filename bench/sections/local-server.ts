import { execFile, spawn } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { startLocalStack } from '../../local/local-stack';
import { type BenchContext, type BenchRow, type BenchSection, type Rounds, summarise } from '../harness';

/**
 * The local origin under load, on loopback: a static article page and `/latest.json` from the site
 * server (the URL rewrite, the bucket, the security headers), and `GET /api/latest?limit=10` through the
 * local gateway, against nginx serving a copy of the same latest.json in the same run. The load comes
 * from wrk in its own process (one thread, keep-alive, a fixed duration, so every round stops by itself),
 * and the four targets take turns within each round, so the machine's noise falls on all of them alike.
 */

const run = promisify(execFile);

/** Keep-alive connections wrk holds open: a few browsers' worth, as a demo to a room would bring. */
const CONNECTIONS = 32;

interface Tool {
  readonly path: string;
  /** The first line `-v` prints, e.g. `nginx version: nginx/1.22.1`. */
  readonly version: string;
}

async function onPath(command: string): Promise<Tool | undefined> {
  for (const directory of (process.env.PATH ?? '').split(':').concat('/usr/sbin', '/sbin')) {
    const path = join(directory, command);
    let output: { stdout?: string; stderr?: string; code?: unknown };
    try {
      output = await run(path, ['-v']);
    } catch (error) {
      // `wrk -v` prints its version and exits 1; only a missing file is "not there".
      output = error as typeof output;
      if (output.code === 'ENOENT') continue;
    }
    const version = `${output.stdout ?? ''}${output.stderr ?? ''}`.trim().split('\n')[0] ?? '';
    return { path, version };
  }
  return undefined;
}

/** The peer tools come from Debian's packages, installed the first time the bench needs them. */
async function ensureTool(context: BenchContext, command: string, debianPackage: string): Promise<Tool> {
  const found = await onPath(command);
  if (found) return found;
  context.log(`installing ${debianPackage} (apt-get)`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  try {
    await run('apt-get', ['install', '-y', '--no-install-recommends', debianPackage], { env });
  } catch {
    await run('apt-get', ['update'], { env });
    await run('apt-get', ['install', '-y', '--no-install-recommends', debianPackage], { env });
  }
  const installed = await onPath(command);
  if (!installed) throw new Error(`${debianPackage} is installed but ${command} cannot be found`);
  return installed;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

interface Peer {
  readonly url: string;
  readonly version: string;
  stop(): Promise<void>;
}

/** nginx in the foreground, one process (like the Node server), serving one directory on loopback. */
async function startNginx(nginx: Tool, directory: string, body: Buffer): Promise<Peer> {
  const root = join(directory, 'root');
  await mkdir(root, { recursive: true });
  await writeFile(join(root, 'latest.json'), body);
  const port = await freePort();
  const config = join(directory, 'nginx.conf');
  await writeFile(
    config,
    [
      'daemon off;',
      'master_process off;',
      `pid ${join(directory, 'nginx.pid')};`,
      `error_log ${join(directory, 'error.log')} warn;`,
      'events { worker_connections 1024; }',
      'http {',
      '  access_log off;',
      '  keepalive_requests 1000000;',
      `  client_body_temp_path ${join(directory, 'body')};`,
      '  default_type application/json;',
      `  server { listen 127.0.0.1:${port}; root ${root}; }`,
      '}',
      '',
    ].join('\n'),
  );
  const child = spawn(nginx.path, ['-e', join(directory, 'error.log'), '-c', config], { stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}/latest.json`;
  for (let attempt = 0; ; attempt += 1) {
    if ((await fetch(url).catch(() => undefined))?.ok) break;
    if (attempt > 100 || child.exitCode !== null) throw new Error('nginx did not start');
    await sleep(50);
  }
  return {
    url,
    version: nginx.version.replace(/^nginx version: /, ''),
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/**
 * Requests per second wrk got in `seconds`, refusing a round in which anything but a 2xx came back or a
 * connection failed. A generous timeout: on a busy machine a slow answer is a slow answer, not an error.
 */
async function wrk(tool: Tool, url: string, seconds: number): Promise<number> {
  const { stdout } = await run(
    tool.path,
    ['-t1', `-c${CONNECTIONS}`, `-d${seconds}s`, '--timeout', '10s', url],
    { timeout: (seconds + 30) * 1000 },
  );
  const perSecond = /Requests\/sec:\s+([\d.]+)/.exec(stdout)?.[1];
  if (perSecond === undefined) throw new Error(`wrk printed no rate for ${url}:\n${stdout}`);
  const socketErrors = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(stdout);
  const failed = socketErrors?.slice(1).some((count) => count !== '0');
  if (failed || /Non-2xx or 3xx responses/.test(stdout)) {
    throw new Error(`wrk saw failures for ${url}:\n${stdout}`);
  }
  return Number(perSecond);
}

export default async function localServer(context: BenchContext): Promise<BenchSection> {
  const roundCount = context.quick ? 3 : 5;
  const seconds = context.quick ? 1 : 5;
  const wrkTool = await ensureTool(context, 'wrk', 'wrk');
  const nginxTool = await ensureTool(context, 'nginx', 'nginx');

  const stack = await startLocalStack({ port: 0, dataDir: join(context.workDir, 'stack'), seed: true });
  let nginx: Peer | undefined;
  try {
    await stack.drained();
    const origin = `http://127.0.0.1:${stack.port}`;
    const latest = (await (await fetch(`${origin}/api/latest?limit=10`)).json()) as {
      items: { url: string }[];
    };
    const articleUrl = latest.items[0]?.url;
    if (!articleUrl) throw new Error('the seeded stack lists no article');
    const latestJson = Buffer.from(await (await fetch(`${origin}/latest.json`)).arrayBuffer());
    nginx = await startNginx(nginxTool, join(context.workDir, 'nginx'), latestJson);

    const targets = {
      article: `${origin}${new URL(articleUrl).pathname}`,
      latestJson: `${origin}/latest.json`,
      api: `${origin}/api/latest?limit=10`,
      nginx: nginx.url,
    };
    const samples: Record<keyof typeof targets, number[]> = {
      article: [],
      latestJson: [],
      api: [],
      nginx: [],
    };
    for (let round = 0; round <= roundCount; round += 1) {
      for (const [name, url] of Object.entries(targets) as [keyof typeof targets, string][]) {
        // Round 0 warms every path up (JIT, caches, connections) and is not counted.
        const rate = await wrk(wrkTool, url, round === 0 ? 1 : seconds);
        if (round > 0) samples[name].push(rate);
      }
      if (round > 0) context.log(`round ${round}: ${JSON.stringify(samples, null, 0)}`);
    }

    const result = (name: keyof typeof targets): Rounds => summarise(samples[name]);
    const nginxPeer = { name: `nginx ${nginx.version}, the same latest.json`, result: result('nginx') };
    const staticTarget = (what: string, rounds: Rounds): BenchRow => ({
      what,
      unit: 'req/s',
      higherIsBetter: true,
      ours: rounds,
      peers: [nginxPeer],
      target: '>= 5,000 req/s',
      met: rounds.median >= 5000,
    });
    const api = result('api');
    const latestJsonRounds = result('latestJson');
    return {
      id: 'local-server',
      title: 'The local origin under load (npm start)',
      rows: [
        staticTarget('GET an article page (site server, static object)', result('article')),
        staticTarget('GET /latest.json (site server, static object)', latestJsonRounds),
        {
          what: 'GET /api/latest?limit=10 (local gateway, edge-cached as in CloudFront)',
          unit: 'req/s',
          higherIsBetter: true,
          ours: api,
          peers: [{ name: '/latest.json from the same server', result: latestJsonRounds }],
          target: '>= 0.5 × latest.json',
          met: api.median >= 0.5 * latestJsonRounds.median,
        },
      ],
      notes: [
        `wrk ${CONNECTIONS} keep-alive connections, one thread, ${seconds} s per round, ${roundCount} rounds ` +
          'after a warm-up round; the four targets take turns within each round. No Accept-Encoding, so ' +
          'every answer is the identity body. nginx runs as one process (like the Node server, which also ' +
          'embeds the S3 and DynamoDB emulators) with access logging off.',
        "Static objects: the site server builds an object version's headers and compressed bodies once, " +
          "and the local stack hands it s3rver's object events, so a whole version is served from memory " +
          'until the bucket reports its key written or deleted: a request costs the function, a map lookup ' +
          'and the write of a body already built.',
        '`/api/latest` is cached as the CloudFront cache behaviour does (its s-maxage within the policy ' +
          'TTLs, served stale while revalidating, keyed by path, query and Origin), and emptied by any write ' +
          'through the local API.',
      ],
      versions: { nginx: nginx.version, wrk: wrkTool.version.replace(/^wrk (\S+).*/, '$1') },
    };
  } finally {
    await nginx?.stop();
    await stack.stop();
  }
}
