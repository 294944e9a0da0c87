import { performance } from 'node:perf_hooks';
import { startLocalStack } from '../../local/local-stack';
import { type BenchContext, type BenchRow, type BenchSection, summarise } from '../harness';

/**
 * The local stack end to end over loopback HTTP: the API's write and read paths through the gateway and
 * handlers on dynalite, the publish → rendered page delay through the change feed and the render
 * function, and pages served from the bucket. Each request is a sample (its latency); the rounds are the
 * requests. These are figures for this code on this machine with the emulators, useful to compare
 * changes, not predictions of AWS latency (DynamoDB, S3 and CloudFront are far faster than their
 * emulators).
 */

async function measure(
  context: BenchContext,
  what: string,
  requests: number,
  concurrency: number,
  run: (index: number) => Promise<void>,
): Promise<BenchRow[]> {
  const durations: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < requests) {
        const index = next++;
        const begin = performance.now();
        await run(index);
        durations.push(performance.now() - begin);
      }
    }),
  );
  const perSecond = requests / ((performance.now() - started) / 1000);
  const latency = summarise(durations);
  context.log(`${what}: ${Math.round(perSecond)}/s, median ${latency.median.toFixed(1)} ms`);
  return [
    {
      what: `${what}: latency (${requests} requests, ${concurrency} at a time)`,
      unit: 'ms',
      higherIsBetter: false,
      ours: latency,
    },
    {
      what: `${what}: throughput`,
      unit: 'req/s',
      higherIsBetter: true,
      ours: summarise([perSecond]),
    },
  ];
}

async function expectStatus(response: Response, status: number): Promise<Response> {
  if (response.status !== status)
    throw new Error(`expected ${status}, got ${response.status}: ${await response.text()}`);
  return response;
}

export default async function api(context: BenchContext): Promise<BenchSection> {
  const scale = context.quick ? 0.2 : 1;
  const count = (n: number) => Math.max(10, Math.round(n * scale));
  const stack = await startLocalStack({ port: 0, dataDir: context.workDir, seed: false });
  const token = await stack.issuer.mintToken();
  const apiOrigin = `${stack.origin}/api`;
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const body = (index: number, section = 'bota') =>
    JSON.stringify({
      title: `Benchmark story number ${index} about the summit`,
      section,
      summary: 'A short standfirst for the benchmark.',
      body: 'A paragraph of text for the benchmark.\n\n'.repeat(20),
      source: 'REL',
      status: 'published',
    });

  const rows: BenchRow[] = [];
  const ids: string[] = [];
  const urls: string[] = [];
  try {
    const sections = ['bota', 'politics', 'business', 'sport'];
    rows.push(
      ...(await measure(context, 'POST /api/articles (create and publish)', count(300), 4, async (index) => {
        const response = await expectStatus(
          await fetch(`${apiOrigin}/articles`, {
            method: 'POST',
            headers,
            body: body(index, sections[index % 4]),
          }),
          201,
        );
        const created = (await response.json()) as { id: string; url: string };
        ids.push(created.id);
        urls.push(created.url);
      })),
    );
    await stack.drained();
    rows.push(
      ...(await measure(context, 'GET /api/latest?limit=10', count(2000), 8, async () => {
        await (await expectStatus(await fetch(`${apiOrigin}/latest?limit=10`), 200)).arrayBuffer();
      })),
    );
    rows.push(
      ...(await measure(context, 'GET /api/articles/{id}', count(2000), 8, async (index) => {
        await (
          await expectStatus(await fetch(`${apiOrigin}/articles/${ids[index % ids.length]}`), 200)
        ).arrayBuffer();
      })),
    );
    let version = 1;
    const target = ids[0];
    rows.push(
      ...(await measure(context, 'PATCH /api/articles/{id} (sequential edits)', count(200), 1, async () => {
        const response = await fetch(`${apiOrigin}/articles/${target}`, {
          method: 'PATCH',
          headers: { ...headers, 'if-match': `"${version}"` },
          body: JSON.stringify({ summary: `Edit ${version}` }),
        });
        await expectStatus(response, 200);
        version += 1;
      })),
    );
    await stack.drained();
    rows.push(
      ...(await measure(context, 'publish → article page served (delay)', count(30), 1, async (index) => {
        const response = await expectStatus(
          await fetch(`${apiOrigin}/articles`, { method: 'POST', headers, body: body(10_000 + index) }),
          201,
        );
        const { url } = (await response.json()) as { url: string };
        for (let attempt = 0; attempt < 2000; attempt += 1) {
          if ((await fetch(url)).status === 200) return;
          await new Promise((resolve) => setTimeout(resolve, 2));
        }
        throw new Error(`${url} never appeared`);
      })),
    );
  } finally {
    await stack.stop();
  }
  return {
    id: 'api',
    title: 'The API and publishing on the local stack',
    rows,
    notes: [
      '"publish → article page served" is the time from sending the create to the first 200 for the page: ' +
        'the write, the change feed, the render function (article page, home, section, feeds, sitemaps) and ' +
        'S3. In AWS the stream adds its own polling delay (typically well under a second) and the batching ' +
        'window of the event source mapping. The emulators, not the handlers, dominate these figures; in AWS ' +
        'readers never reach these code paths for pages, CloudFront serves them from the edge.',
    ],
  };
}
