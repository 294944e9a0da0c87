import { execFile, spawn } from 'node:child_process';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { toItem } from '../../functions/adapters/dynamodb-article-repository';
import { ENV } from '../../functions/config/environment';
import { DEFAULT_SITE, SECTIONS } from '../../functions/config/site';
import type { Article } from '../../functions/domain/article';
import { slugFromTitle } from '../../functions/domain/slug';
import { renderArticlePage } from '../../functions/render/article-page';
import { LATEST_NEWS_SCRIPT } from '../../functions/render/latest-news-script';
import { STYLESHEET } from '../../functions/render/stylesheet';
import { ITEM_KEY_PREFIXES } from '../../functions/store/table-design';
import { LOCAL_CREDENTIALS, startEmulators } from '../../local/emulators';
import { LOCAL_BUCKET_NAME, LOCAL_TABLE_NAME } from '../../local/local-stack';
import { ensureBucket, ensureTable } from '../../local/provision';
import {
  type BenchContext,
  type BenchRow,
  type BenchSection,
  type Rounds,
  seededRandom as random,
  summarise,
} from '../harness';

/**
 * `npm run rerender` (re-render every page of the site from the table, after a template change) against
 * Hugo building a site of the same articles with a template of the same page structure, on the same
 * file system. Both are timed from spawn to exit, as a user runs them, and both count article pages
 * only: the site's lists, feeds and sitemaps are extra work inside either figure.
 *
 * The articles are synthetic (~10 KB of Markdown each: paragraphs, links, emphasis, a subheading), the
 * same for both, written straight into a fresh data directory's table: the HTTP API would make seeding
 * the slow part of the bench.
 */

const run = promisify(execFile);

const WORDS = (
  'government minister parliament summit alliance economy market inflation election council ' +
  'agreement talks reform budget energy security border trade growth court ruling protest ' +
  'coalition president delegation report investment region capital week statement officials ' +
  'analysts negotiations sanctions support transport climate health schools workers industry ' +
  'prices record decision committee leaders citizens city project vote measures plan future'
).split(' ');

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A valid, deterministic ULID: the publication time, then the article's index. */
function articleId(time: number, index: number): string {
  let head = '';
  for (let rest = time, i = 0; i < 10; i += 1, rest = Math.floor(rest / 32))
    head = CROCKFORD[rest % 32] + head;
  let tail = '';
  for (let rest = index, i = 0; i < 16; i += 1, rest = Math.floor(rest / 32))
    tail = CROCKFORD[rest % 32] + tail;
  return head + tail;
}

function sentence(next: () => number, words: number): string {
  const picked = Array.from({ length: words }, () => WORDS[Math.floor(next() * WORDS.length)] as string);
  const text = picked.join(' ');
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
}

function paragraph(next: () => number, index: number): string {
  const parts: string[] = [];
  for (let i = 0; i < 6; i += 1) {
    let part = sentence(next, 12 + Math.floor(next() * 8));
    const roll = next();
    if (roll < 0.2) part = part.replace(/^(\w+ \w+)/, '*$1*');
    else if (roll < 0.35) part = part.replace(/(\w+ \w+)\.$/, '**$1**.');
    else if (roll < 0.5)
      part = part.replace(/(\w+ \w+)\.$/, `[$1](https://example.com/reports/${index}-${i}).`);
    parts.push(part);
  }
  return parts.join(' ');
}

/** A ~10 KB news article, published `index` × 7 minutes before `now`. */
export function syntheticArticle(index: number, now: number): Article {
  const next = random(index + 1);
  const published = new Date(now - (index + 1) * 7 * 60_000).toISOString();
  const title = `${sentence(next, 6).slice(0, -1)} ${index}`;
  const paragraphs = Array.from({ length: 14 }, (_, i) => paragraph(next, index * 100 + i));
  paragraphs.splice(7, 0, `## ${sentence(next, 4).slice(0, -1)}`);
  return {
    id: articleId(Date.parse(published), index),
    slug: slugFromTitle(title),
    previousPaths: [],
    title,
    section: (SECTIONS[index % SECTIONS.length] as (typeof SECTIONS)[number]).slug,
    body: paragraphs.join('\n\n'),
    summary: sentence(next, 18),
    author: 'Flash News staff',
    source: 'REL',
    tags: [WORDS[index % WORDS.length] as string, WORDS[(index * 7 + 3) % WORDS.length] as string],
    status: 'published',
    publishedAt: published,
    createdAt: published,
    updatedAt: published,
    version: 1,
  };
}

/** Writes the articles and their slug claims straight into the data directory's table (no stream). */
export async function seed(dataDir: string, articles: readonly Article[]): Promise<void> {
  const emulators = await startEmulators(dataDir);
  const config = { region: 'us-east-1', credentials: LOCAL_CREDENTIALS };
  const dynamoDb = new DynamoDBClient({ ...config, endpoint: emulators.dynamoDbEndpoint });
  const documents = DynamoDBDocumentClient.from(dynamoDb, {
    marshallOptions: { removeUndefinedValues: true },
  });
  const s3 = new S3Client({
    ...config,
    endpoint: emulators.s3Endpoint,
    forcePathStyle: true,
    requestChecksumCalculation: 'WHEN_REQUIRED',
  });
  try {
    await ensureTable(dynamoDb, LOCAL_TABLE_NAME);
    await ensureBucket(s3, LOCAL_BUCKET_NAME);
    const items = articles.flatMap((article) => [
      toItem(article),
      {
        pk: `${ITEM_KEY_PREFIXES.slugClaim}${article.slug}`,
        slug: article.slug,
        articleId: article.id,
        claimedAt: article.createdAt,
      },
    ]);
    const batches: Record<string, unknown>[][] = [];
    for (let start = 0; start < items.length; start += 25) batches.push(items.slice(start, start + 25));
    let next = 0;
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        for (let batch = batches[next++]; batch; batch = batches[next++]) {
          let pending: Record<string, unknown>[] = batch.map((Item) => ({ PutRequest: { Item } }));
          while (pending.length > 0) {
            const result = await documents.send(
              new BatchWriteCommand({ RequestItems: { [LOCAL_TABLE_NAME]: pending } }),
            );
            pending = (result.UnprocessedItems?.[LOCAL_TABLE_NAME] ?? []) as Record<string, unknown>[];
          }
        }
      }),
    );
    // A data directory without a home page makes the local stack start a repair of its own at startup,
    // which would run alongside the measured one; the first re-render replaces this one.
    await s3.send(
      new PutObjectCommand({ Bucket: LOCAL_BUCKET_NAME, Key: 'index.html', Body: '<!doctype html>' }),
    );
  } finally {
    dynamoDb.destroy();
    s3.destroy();
    await emulators.stop();
  }
}

/** A user's environment: without what a local stack in this process set (TABLE_NAME would mean AWS). */
function userEnvironment(): NodeJS.ProcessEnv {
  const stackVariables = new Set<string>(Object.values(ENV));
  return Object.fromEntries(
    Object.entries(process.env).filter(
      ([name]) => !stackVariables.has(name) && !name.startsWith('AWS_') && !name.startsWith('POWERTOOLS_'),
    ),
  );
}

/** Runs a command to its end; its wall time in ms, or a failure with its output. */
function timed(
  command: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
): Promise<{ ms: number; output: string }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
    });
    child.stderr.on('data', (chunk) => {
      output += chunk;
    });
    child.once('error', reject);
    child.once('exit', (code) => {
      const ms = performance.now() - started;
      if (code === 0) resolve({ ms, output });
      else reject(new Error(`${command} ${args.join(' ')} exited with ${code}:\n${output.slice(-3000)}`));
    });
  });
}

async function rerender(dataDir: string, expected: number): Promise<number> {
  const { ms, output } = await timed('npm', ['run', 'rerender'], { ...userEnvironment(), DATA_DIR: dataDir });
  const written = Number(output.match(/pages written:\s+(\d+)/)?.[1]);
  if (written !== expected)
    throw new Error(`npm run rerender wrote ${written} pages, not ${expected}:\n${output}`);
  return ms;
}

// Hugo: the same articles as content files, and layouts with the same page structure as ours.

const HUGO_HEAD = `<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ .Title }} | {{ site.Title }}</title>
<meta name="description" content="{{ .Description }}">
<link rel="canonical" href="{{ .Permalink }}">
<meta property="og:type" content="{{ if .IsPage }}article{{ else }}website{{ end }}">
<meta property="og:site_name" content="{{ site.Title }}">
<meta property="og:title" content="{{ .Title }}">
<meta property="og:description" content="{{ .Description }}">
<meta property="og:url" content="{{ .Permalink }}">
{{- if .IsPage }}
<meta property="article:published_time" content="{{ .Date.Format "2006-01-02T15:04:05.000Z07:00" }}">
<meta property="article:modified_time" content="{{ .Lastmod.Format "2006-01-02T15:04:05.000Z07:00" }}">
<meta property="article:section" content="{{ .Section }}">
{{- range .Params.tags }}
<meta property="article:tag" content="{{ . }}">
{{- end }}
{{- end }}
<meta name="twitter:card" content="summary">
<meta name="twitter:title" content="{{ .Title }}">
<meta name="twitter:description" content="{{ .Description }}">
<link rel="alternate" type="application/rss+xml" title="{{ site.Title }}" href="{{ "index.xml" | absURL }}">
{{- if .IsPage }}
<script type="application/ld+json">{{ dict "@context" "https://schema.org" "@type" "NewsArticle" "headline" .Title "description" .Description "url" .Permalink "mainEntityOfPage" (dict "@type" "WebPage" "@id" .Permalink) "datePublished" .Date "dateModified" .Lastmod "author" (slice (dict "@type" "Person" "name" .Params.author)) "publisher" (dict "@type" "Organization" "name" site.Title "url" site.BaseURL) "articleSection" .Section "keywords" .Params.tags "inLanguage" site.LanguageCode "isAccessibleForFree" true | jsonify | safeJS }}</script>
{{- end }}
<link rel="icon" href="data:,">
<style>{{ partial "stylesheet.css" . | safeCSS }}</style>`;

const HUGO_HEADER = `<a class="skip-link" href="#main">Skip to content</a>
<header class="site-header">
<div class="bar">
<a class="site-name" href="/">{{ site.Title }}</a>
<nav class="sections" aria-label="Sections">
<ul>
{{- $current := .Section }}
{{- range site.Params.sections }}
<li><a href="/{{ .slug }}/"{{ if eq .slug $current }} aria-current="true"{{ end }}>{{ .name }}</a></li>
{{- end }}
</ul>
</nav>
</div>
</header>`;

const HUGO_FOOTER = `<footer class="site-footer">
<div class="page">
<p>{{ site.Params.description }}</p>
<p><a href="/feed.xml">RSS feed</a> · <a href="/feed.json">JSON Feed</a> · <a href="/sitemap.xml">Sitemap</a></p>
</div>
</footer>`;

const HUGO_BASEOF = `<!doctype html>
<html lang="{{ site.LanguageCode }}">
<head>
{{ partial "head.html" . }}
</head>
<body>
{{ partial "header.html" . }}
{{ block "main" . }}{{ end }}
{{ partial "footer.html" . }}
</body>
</html>
`;

const HUGO_SINGLE = `{{ define "main" }}<main id="main" class="page with-aside" tabindex="-1">
<article class="article">
<p class="label"><a href="/{{ .Section }}/">{{ .Section | title }}</a></p>
<h1>{{ .Title }}</h1>
<p class="standfirst">{{ .Description }}</p>
<p class="meta"><span>By {{ .Params.author }}</span><span>Published <time datetime="{{ .Date.Format "2006-01-02T15:04:05.000Z07:00" }}">{{ .Date.Format "2 January 2006, 15:04" }}</time></span></p>
<div class="prose">
{{ .Content }}</div>
<p class="source-credit"><span aria-hidden="true">/ </span><span class="visually-hidden">Source: </span>{{ .Params.source }}</p>
<ul class="tags" aria-label="Tags">{{ range .Params.tags }}<li>{{ . }}</li>{{ end }}</ul>
</article>
<aside class="latest" aria-labelledby="latest-news-heading">
<h2 id="latest-news-heading">Latest news</h2>
<ol id="latest-news" data-limit="10" data-time-zone="UTC">
{{- $shown := 0 }}
{{- range first 11 site.RegularPages.ByDate.Reverse }}
{{- if and (ne .Permalink $.Permalink) (lt $shown 10) }}{{ $shown = add $shown 1 }}
<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> <time datetime="{{ .Date.Format "2006-01-02T15:04:05.000Z07:00" }}">{{ .Date.Format "2 Jan, 15:04" }}</time></li>
{{- end }}
{{- end }}
</ol>
</aside>
</main>
<script>{{ partial "latest-news.js" . | safeJS }}</script>
{{ end }}
`;

const HUGO_LIST = `{{ define "main" }}<main id="main" class="page" tabindex="-1">
<h1>{{ .Title }}</h1>
<ul class="headlines">
{{- range first 30 .RegularPages.ByDate.Reverse }}
<li><h2 class="headline"><a href="{{ .RelPermalink }}">{{ .Title }}</a></h2>
<p>{{ .Description }}</p>
<p class="meta"><time datetime="{{ .Date.Format "2006-01-02T15:04:05.000Z07:00" }}">{{ .Date.Format "2 Jan, 15:04" }}</time></p></li>
{{- end }}
</ul>
</main>
{{ end }}
`;

const HUGO_HOME = HUGO_LIST.replace('.RegularPages', 'site.RegularPages');

function yamlString(value: string): string {
  return JSON.stringify(value);
}

export async function writeHugoSite(siteDir: string, articles: readonly Article[]): Promise<void> {
  await rm(siteDir, { recursive: true, force: true });
  const layouts = join(siteDir, 'layouts');
  const folders = [
    join(layouts, '_default'),
    join(layouts, 'partials'),
    ...SECTIONS.map((section) => join(siteDir, 'content', section.slug)),
  ];
  await Promise.all(folders.map((folder) => mkdir(folder, { recursive: true })));
  const config = [
    'baseURL = "http://localhost:3000/"',
    'languageCode = "en"',
    'title = "Flash News"',
    // No tag pages: the site has none.
    'disableKinds = ["taxonomy", "term"]',
    // Feeds of the latest items only, as ours.
    'rssLimit = 50',
    '[params]',
    'description = "Flash News: the latest news from the world, politics, business, technology, sport and culture."',
    ...SECTIONS.map((section) => `[[params.sections]]\nslug = "${section.slug}"\nname = "${section.name}"`),
  ].join('\n');
  await writeFile(join(siteDir, 'hugo.toml'), `${config}\n`);
  await writeFile(join(layouts, '_default', 'baseof.html'), HUGO_BASEOF);
  await writeFile(join(layouts, '_default', 'single.html'), HUGO_SINGLE);
  await writeFile(join(layouts, '_default', 'list.html'), HUGO_LIST);
  await writeFile(join(layouts, 'index.html'), HUGO_HOME);
  await writeFile(join(layouts, 'partials', 'head.html'), HUGO_HEAD);
  await writeFile(join(layouts, 'partials', 'header.html'), HUGO_HEADER);
  await writeFile(join(layouts, 'partials', 'footer.html'), HUGO_FOOTER);
  await writeFile(join(layouts, 'partials', 'stylesheet.css'), STYLESHEET);
  await writeFile(join(layouts, 'partials', 'latest-news.js'), LATEST_NEWS_SCRIPT);
  for (const section of SECTIONS) {
    await writeFile(
      join(siteDir, 'content', section.slug, '_index.md'),
      `---\ntitle: ${yamlString(section.name)}\n---\n`,
    );
  }
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      for (let article = articles[next++]; article; article = articles[next++]) {
        const frontMatter = [
          '---',
          `title: ${yamlString(article.title)}`,
          `description: ${yamlString(article.summary ?? '')}`,
          `date: ${article.publishedAt}`,
          `lastmod: ${article.updatedAt}`,
          `slug: ${article.slug}`,
          `author: ${yamlString(article.author ?? '')}`,
          `source: ${yamlString(article.source ?? '')}`,
          `tags: [${article.tags.map(yamlString).join(', ')}]`,
          '---',
        ].join('\n');
        await writeFile(
          join(siteDir, 'content', article.section, `${article.slug}.md`),
          `${frontMatter}\n${article.body}\n`,
        );
      }
    }),
  );
}

async function hugoBuild(siteDir: string, outDir: string): Promise<number> {
  const { ms } = await timed(
    'hugo',
    ['--quiet', '-s', siteDir, '-d', outDir, '--cacheDir', join(siteDir, '.cache')],
    process.env,
  );
  return ms;
}

/** Debian's hugo, installed when missing (`apt-get update` once first). */
async function ensureHugo(context: BenchContext): Promise<string> {
  const version = async () => (await run('hugo', ['version'])).stdout.trim();
  try {
    return await version();
  } catch {
    context.log('hugo is missing: apt-get install -y hugo');
    const sudo = process.getuid?.() === 0 ? [] : ['sudo'];
    const apt = async (...args: string[]) =>
      sudo.length ? run('sudo', ['apt-get', ...args]) : run('apt-get', args);
    await apt('update');
    await apt('install', '-y', 'hugo');
    return version();
  }
}

const perSecond = (pages: number, ms: number) => pages / (ms / 1000);

/**
 * The floor under any re-render on the local stack: the same pages, rendered beforehand, written to a
 * fresh s3rver through the SDK's S3 client (8 at a time, as the command writes them), with nothing read
 * and nothing rendered. Every page `npm run rerender` writes costs at least this.
 */
async function s3WritesAlone(dir: string, articles: readonly Article[]): Promise<number> {
  const bodies = articles.map((article) => ({
    key: `${article.section}/${article.slug}/index.html`,
    body: renderArticlePage(DEFAULT_SITE, article, []),
    version: String(article.version),
    id: article.id,
  }));
  const emulators = await startEmulators(dir);
  const s3 = new S3Client({
    region: 'us-east-1',
    endpoint: emulators.s3Endpoint,
    forcePathStyle: true,
    credentials: LOCAL_CREDENTIALS,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  try {
    await ensureBucket(s3, LOCAL_BUCKET_NAME);
    const started = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        for (let page = bodies[next++]; page; page = bodies[next++]) {
          await s3.send(
            new PutObjectCommand({
              Bucket: LOCAL_BUCKET_NAME,
              Key: page.key,
              Body: page.body,
              ContentType: 'text/html; charset=utf-8',
              CacheControl: 'public, max-age=60',
              Metadata: { 'article-id': page.id, 'article-version': page.version },
            }),
          );
        }
      }),
    );
    return performance.now() - started;
  } finally {
    s3.destroy();
    await emulators.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

export default async function rerenderSection(context: BenchContext): Promise<BenchSection> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const hugoVersion = await ensureHugo(context);
  // Rounds alternate the two, so a burst of load on this shared machine hits both alike. The first
  // re-render of a data directory writes pages that are missing, the later ones overwrite them: the
  // same work for S3 (and Hugo's first build of a site is not slower than the next), so every round
  // counts.
  const plan = context.quick
    ? [{ size: 500, rounds: 3 }]
    : [
        { size: 1_000, rounds: 3 },
        { size: 10_000, rounds: 2 },
      ];
  const now = Date.now();
  const rows: BenchRow[] = [];
  const ratios: string[] = [];

  for (const { size, rounds: roundCount } of plan) {
    const articles = Array.from({ length: size }, (_, index) => syntheticArticle(index, now));
    const dataDir = join(context.workDir, `data-${size}`);
    const siteDir = join(context.workDir, `hugo-${size}`);
    const outDir = join(siteDir, 'public');
    const seedStarted = performance.now();
    await seed(dataDir, articles);
    await writeHugoSite(siteDir, articles);
    context.log(
      `${size} articles stored and written as Hugo content in ${Math.round((performance.now() - seedStarted) / 1000)} s`,
    );

    const ours: number[] = [];
    const hugo: number[] = [];
    for (let round = 0; round < roundCount; round += 1) {
      ours.push(perSecond(size, await rerender(dataDir, size)));
      hugo.push(perSecond(size, await hugoBuild(siteDir, outDir)));
      context.log(
        `${size} articles, round ${round + 1}: rerender ${Math.round(ours.at(-1) as number)} pages/s, Hugo ${Math.round(hugo.at(-1) as number)} pages/s`,
      );
    }
    const oursRounds: Rounds = summarise(ours);
    const hugoRounds: Rounds = summarise(hugo);
    rows.push({
      what: `npm run rerender, ${size.toLocaleString('en-US')} articles (spawn to exit)`,
      unit: 'pages/s',
      higherIsBetter: true,
      ours: oursRounds,
      peers: [{ name: 'Hugo', result: hugoRounds }],
      target: '>= 2× Hugo',
      met: oursRounds.median >= 2 * hugoRounds.median,
    });
    ratios.push(`${size.toLocaleString('en-US')}: ${(oursRounds.median / hugoRounds.median).toFixed(2)}×`);

    if (size === plan[0]?.size) {
      // Once, at the smallest size: what the local S3 alone allows.
      const floor = perSecond(size, await s3WritesAlone(join(context.workDir, 's3-floor'), articles));
      context.log(`${size} pre-rendered pages written to s3rver: ${Math.round(floor)} pages/s`);
      rows.push({
        what: `the local S3 alone: ${size.toLocaleString('en-US')} pre-rendered pages written (SDK → s3rver, 8 at a time)`,
        unit: 'pages/s',
        higherIsBetter: true,
        ours: summarise([floor]),
        peers: [{ name: 'Hugo (the rounds above)', result: hugoRounds }],
        note: 'no table reads, no rendering: the ceiling of any re-render on the local stack',
      });
    }
    await rm(siteDir, { recursive: true, force: true });
    await rm(dataDir, { recursive: true, force: true });
  }

  return {
    id: 'rerender',
    title: 'Re-rendering the whole site: npm run rerender against Hugo',
    rows,
    versions: { hugo: hugoVersion.split(' ')[1] ?? hugoVersion },
    notes: [
      'Both are timed from spawn to exit on the same file system (the bench work directory), as a user runs ' +
        'them: `npm run rerender` with DATA_DIR (starting the local emulators inside the command, listing the ' +
        'table and the bucket, reading the articles a batch of 100 at a time, rendering and writing every page ' +
        'with its provenance on a worker thread per extra core, checking the versions after writing, then ' +
        'every list, feed and sitemap) and `hugo --quiet` on content files of the same articles with layouts of ' +
        'the same page structure (head metadata and JSON-LD, header with the sections, the article, the ' +
        '"Latest news" list, footer; home and section lists, its RSS and sitemap). Pages/s counts article ' +
        'pages only, for both. The articles are synthetic, ~10 KB of Markdown each, published 7 minutes apart.',
      `Median ratio to Hugo by article count: ${ratios.join(', ')}.`,
      'Every page written locally is an S3 PutObject through the SDK to s3rver, which stores it as three ' +
        'files (body, MD5, metadata) behind a Koa server with signature checks; Hugo writes one file. The ' +
        '"local S3 alone" row measures that write path with nothing else: it bounds any re-render on the ' +
        'local stack, whatever the renderer and the reads cost.',
    ],
  };
}
