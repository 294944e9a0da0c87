import { execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import markdownIt from 'markdown-it';
import { DEFAULT_SITE, type SiteConfig } from '../../functions/config/site';
import type { Article, ArticleSummary } from '../../functions/domain/article';
import { renderArticlePage } from '../../functions/render/article-page';
import { LATEST_NEWS_SCRIPT } from '../../functions/render/latest-news-script';
import { renderMarkdown } from '../../functions/render/markdown';
import { STYLESHEET } from '../../functions/render/stylesheet';
import {
  type BenchContext,
  type BenchRow,
  type BenchSection,
  type Rounds,
  seededRandom as random,
  summarise,
  throughput,
} from '../harness';

/**
 * Rendering article pages to strings in-process: this project's `renderArticlePage` with its real inputs
 * (the article and the "Latest news" list, filtered per page as the publisher does) against pages of the
 * same shape built with template literals, with and without markdown-it. Contenders take turns within
 * each round on the same corpus, so a burst of load on this shared machine hits them all alike. Run as a
 * script (`--profile-run`), this file is also the small program the CPU profile is taken of.
 */

const WORDS = (
  'the government said on minister parliament after week talks agreement officials would could ' +
  'economy market prices energy growth budget election voters party leader opposition coalition ' +
  'reform court ruling city council residents police investigation report according statement ' +
  'spokesperson international summit allies security defence border trade exports companies jobs ' +
  'workers union strike hospital health schools teachers students climate storm floods coast ' +
  'harbour season club match final league players coach fans stadium festival film music museum ' +
  'new first last years months people country region capital north south east west local national ' +
  'plan proposal decision vote members committee meeting commission agency data figures percent ' +
  'million billion since before during while however also still already more than about into over'
).split(' ');
const NAMES = ['Rutte', 'Krasniqi', 'Hoxha', 'Meyer', 'Dubois', 'Rossi', 'Novak', 'García', 'Smith'];
const SOURCES = ['REL', 'AFP', 'Reuters', undefined, undefined];
const DOMAINS = ['example.org', 'agency.example.com', 'stats.example.net', 'parliament.example.eu'];

export const BENCH_SITE: SiteConfig = {
  ...DEFAULT_SITE,
  baseUrl: 'https://news.example.com',
  timeZone: 'Europe/Tirane',
};

function pick<T>(next: () => number, items: readonly T[]): T {
  return items[Math.floor(next() * items.length)] as T;
}

function words(next: () => number, count: number): string {
  let text = pick(next, WORDS);
  for (let index = 1; index < count; index += 1) text += ` ${pick(next, WORDS)}`;
  return text;
}

function sentence(next: () => number): string {
  const text = words(next, 8 + Math.floor(next() * 14));
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
}

/** Hard-wrapped at about 100 columns, as editors' tools and the sample articles write bodies. */
function wrap(text: string): string {
  let wrapped = '';
  let lineStart = 0;
  let lastSpace = -1;
  for (let index = 0; index < text.length; index += 1) {
    if (text.charCodeAt(index) !== 32) continue;
    if (index - lineStart > 100 && lastSpace > lineStart) {
      wrapped += `${text.slice(lineStart, lastSpace)}\n`;
      lineStart = lastSpace + 1;
    }
    lastSpace = index;
  }
  return wrapped + text.slice(lineStart);
}

function paragraph(next: () => number, index: number): string {
  const sentences = Array.from({ length: 5 + Math.floor(next() * 4) }, () => sentence(next));
  const roll = next();
  if (roll < 0.25) {
    sentences[1] = `"${sentences[1]?.slice(0, -1)}," said ${pick(next, NAMES)}, the *${pick(next, WORDS)}* ${pick(next, WORDS)}.`;
  } else if (roll < 0.45) {
    sentences[2] = `The ${pick(next, WORDS)} was **${words(next, 3)}**, the ${pick(next, WORDS)} said.`;
  } else if (roll < 0.65) {
    const domain = pick(next, DOMAINS);
    sentences[1] = `The [${words(next, 3)}](https://${domain}/reports/${index}-${Math.floor(next() * 1e6)}) said ${words(next, 6)}.`;
  } else if (roll < 0.75) {
    sentences[3] = `Read [our earlier report](/politics/story-${Math.floor(next() * 1e5)}) on the ${pick(next, WORDS)}.`;
  }
  return wrap(sentences.join(' '));
}

interface Pool {
  readonly paragraphs: readonly string[];
  readonly headings: readonly string[];
  readonly lists: readonly string[];
}

let pool: Pool | undefined;

/**
 * Blocks that bodies are assembled from. Writing 100 MB of prose word by word for every cold round took
 * longer than rendering it; assembling bodies from a pool of paragraphs costs a copy, and each body still
 * differs from every other (its opening sentence names the article), so none is ever a cache hit.
 */
function blocks(): Pool {
  if (pool) return pool;
  const next = random(42);
  pool = {
    paragraphs: Array.from({ length: 1_000 }, (_, index) => paragraph(next, index)),
    headings: Array.from({ length: 50 }, () => `## ${sentence(next).slice(0, -1)}`),
    lists: Array.from({ length: 50 }, () =>
      Array.from({ length: 4 }, () => `- ${words(next, 6 + Math.floor(next() * 6))}`).join('\n'),
    ),
  };
  return pool;
}

/**
 * A news body of about 9.5 KB: paragraphs with quotes, emphasis and a few links, one subheading, one list,
 * sometimes a bare URL (which linkify turns into a link).
 */
export function syntheticBody(next: () => number, opening: string): string {
  const { paragraphs, headings, lists } = blocks();
  const parts = [wrap(`${opening} ${sentence(next)}`)];
  for (let index = 1, length = parts[0]?.length ?? 0; length < 9_000; index += 1) {
    let part = pick(next, paragraphs);
    if (index === 6) part = `${pick(next, headings)}\n\n${part}`;
    if (index === 9) part = `${pick(next, lists)}\n\n${part}`;
    if (index === 11 && next() < 0.3)
      part = `Full figures are at https://${pick(next, DOMAINS)}/data/${index}.\n\n${part}`;
    parts.push(part);
    length += part.length + 2;
  }
  return parts.join('\n\n');
}

/** `count` distinct articles; each seed gives a different corpus (so a cold render is really cold). */
export function syntheticArticles(count: number, seed: number): Article[] {
  const next = random(seed);
  const newest = Date.parse('2026-11-27T12:00:00.000Z');
  return Array.from({ length: count }, (_, index) => {
    const publishedAt = new Date(newest - index * 90_000).toISOString();
    const edited = next() < 0.4;
    const title = sentence(next).slice(0, -1).slice(0, 90);
    return {
      id: `01JYBENCH${String(seed).padStart(5, '0')}${String(index).padStart(12, '0')}`,
      slug: `story-${seed}-${index}`,
      previousPaths: [],
      title,
      section: pick(next, BENCH_SITE.sections).slug,
      body: syntheticBody(next, `${title}, article ${seed}-${index}.`),
      summary: next() < 0.9 ? sentence(next) : undefined,
      author: next() < 0.8 ? `${pick(next, ['Ana', 'Jon', 'Eva', 'Mark'])} ${pick(next, NAMES)}` : undefined,
      source: pick(next, SOURCES),
      tags: Array.from({ length: 1 + Math.floor(next() * 3) }, () => pick(next, WORDS)),
      imageUrl: next() < 0.8 ? `https://images.example.com/${seed}/${index}.jpg` : undefined,
      imageAlt: 'A photo of the scene',
      status: 'published',
      publishedAt,
      createdAt: publishedAt,
      updatedAt: edited ? new Date(Date.parse(publishedAt) + 3_600_000).toISOString() : publishedAt,
      version: edited ? 2 : 1,
    };
  });
}

/** The "Latest news" list every page of the batch is rendered with. */
export function latestOf(articles: readonly Article[]): ArticleSummary[] {
  return articles.slice(0, 11).map(({ body: _body, status: _status, ...summary }) => ({
    ...summary,
    publishedAt: summary.publishedAt ?? summary.createdAt,
  }));
}

/** What the publisher passes: the batch's latest list without the article itself. */
function renderOurs(articles: readonly Article[], latest: readonly ArticleSummary[]): number {
  let bytes = 0;
  for (const article of articles) {
    bytes += renderArticlePage(
      BENCH_SITE,
      article,
      latest.filter((item) => item.id !== article.id),
    ).length;
  }
  return bytes;
}

const PEER_ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

function escapeText(text: string): string {
  return text.replace(/[&<>"']/g, (character) => PEER_ESCAPES[character] ?? character);
}

/** The peers' per-site objects, built once as any sensible template would. */
const peerDates = {
  article: new Intl.DateTimeFormat(BENCH_SITE.language, {
    dateStyle: 'long',
    timeStyle: 'short',
    timeZone: BENCH_SITE.timeZone,
  }),
  list: new Intl.DateTimeFormat(BENCH_SITE.language, {
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZone: BENCH_SITE.timeZone,
  }),
};
const peerSections = new Map(BENCH_SITE.sections.map((section) => [section.slug, section.name]));
const peerNavigation = BENCH_SITE.sections
  .map((section) => `<li><a href="/${section.slug}/">${escapeText(section.name)}</a></li>`)
  .join('\n');

/**
 * A page of the same shape and about the same size as ours: head with description, canonical, Open Graph
 * and JSON-LD, the inline stylesheet, header navigation, the article with byline and dates, the latest
 * list, footer and the refresher script; values escaped with one replace each.
 */
function templatePage(article: Article, latest: readonly ArticleSummary[], bodyHtml: string): string {
  const url = `${BENCH_SITE.baseUrl}/${article.section}/${article.slug}`;
  const section = peerSections.get(article.section) ?? article.section;
  const description = article.summary ?? article.title;
  const published = article.publishedAt ?? article.updatedAt;
  const jsonLd = JSON.stringify({
    '@context': 'https://schema.org',
    '@type': 'NewsArticle',
    headline: article.title,
    description,
    url,
    datePublished: published,
    dateModified: article.updatedAt,
    author: article.author ? [{ '@type': 'Person', name: article.author }] : undefined,
    articleSection: section,
    keywords: article.tags,
  }).replace(/</g, '\\u003c');
  const list = latest
    .slice(0, 10)
    .map(
      (item) =>
        `<li><a href="/${item.section}/${item.slug}">${escapeText(item.title)}</a> <time datetime="${item.publishedAt}">${peerDates.list.format(new Date(item.publishedAt))}</time></li>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="${BENCH_SITE.language}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeText(article.title)} | ${escapeText(BENCH_SITE.name)}</title>
<meta name="description" content="${escapeText(description)}">
<link rel="canonical" href="${escapeText(url)}">
<meta property="og:type" content="article">
<meta property="og:title" content="${escapeText(article.title)}">
<meta property="og:description" content="${escapeText(description)}">
<meta property="og:url" content="${escapeText(url)}">
${article.imageUrl ? `<meta property="og:image" content="${escapeText(article.imageUrl)}">` : ''}
<script type="application/ld+json">${jsonLd}</script>
<style>${STYLESHEET}</style>
</head>
<body>
<header class="site-header"><a class="site-name" href="/">${escapeText(BENCH_SITE.name)}</a>
<nav aria-label="Sections"><ul>
${peerNavigation}
</ul></nav></header>
<main id="main" class="page with-aside">
<article class="article">
<p class="label"><a href="/${article.section}/">${escapeText(section)}</a></p>
<h1>${escapeText(article.title)}</h1>
${article.summary ? `<p class="standfirst">${escapeText(article.summary)}</p>` : ''}
<p class="meta">${article.author ? `<span>By ${escapeText(article.author)}</span>` : ''}<span>Published <time datetime="${published}">${peerDates.article.format(new Date(published))}</time></span></p>
<div class="prose">
${bodyHtml}</div>
${article.tags.length > 0 ? `<ul class="tags">${article.tags.map((tag) => `<li>${escapeText(tag)}</li>`).join('')}</ul>` : ''}
</article>
<aside class="latest"><h2>Latest news</h2><ol id="latest-news">
${list}
</ol></aside>
</main>
<footer class="site-footer"><p>${escapeText(BENCH_SITE.description)}</p></footer>
<script>${LATEST_NEWS_SCRIPT}</script>
</body>
</html>
`;
}

/** The body as escaped paragraphs: what a page costs when nothing parses Markdown. */
function paragraphsOf(markdown: string): string {
  return markdown
    .split('\n\n')
    .map((block) => `<p>${escapeText(block)}</p>`)
    .join('\n');
}

const peerMarkdown = markdownIt({ linkify: true });
const peerMarkdownWithoutLinkify = markdownIt();

function renderPeer(
  articles: readonly Article[],
  latest: readonly ArticleSummary[],
  body: (markdown: string) => string,
): number {
  let bytes = 0;
  for (const article of articles) {
    const others = latest.filter((item) => item.id !== article.id);
    bytes += templatePage(article, others, body(article.body)).length;
  }
  return bytes;
}

/** Renders every body and keeps only the lengths: keeping the HTML would time the garbage collector. */
function lengths(bodies: readonly string[], render: (body: string) => { toString(): string }): number {
  let total = 0;
  for (const body of bodies) total += render(body).toString().length;
  return total;
}

/** The warm set: few enough distinct bodies to stay in the body cache (16 M characters). */
const WARM_DISTINCT = 500;

/** `count` renders cycling over `distinct` articles. */
function cycle(distinct: readonly Article[], count: number): Article[] {
  return Array.from({ length: count }, (_, index) => distinct[index % distinct.length] as Article);
}

/**
 * A full garbage collection before each timed run, so no contender pays for the corpus just generated or
 * for another's garbage; what a contender keeps (our body cache) it still pays for during its own run.
 */
let gc: (() => void) | undefined;

function collectGarbage(): void {
  if (!gc) {
    setFlagsFromString('--expose-gc');
    gc = runInNewContext('gc') as () => void;
  }
  gc();
}

interface Contender {
  readonly name: string;
  readonly samples: number[];
}

function contender(name: string): Contender {
  return { name, samples: [] };
}

/** Untimed, and left out of the profile's summary: it only fills the body cache. */
function primeBodyCache(articles: readonly Article[], latest: readonly ArticleSummary[]): void {
  renderOurs(articles, latest);
}

async function profileRun(mode: 'cold' | 'warm', count: number): Promise<void> {
  if (mode === 'cold') {
    const corpus = syntheticArticles(count, 9_001);
    renderOurs(corpus, latestOf(corpus));
  } else {
    const distinct = syntheticArticles(Math.min(count, WARM_DISTINCT), 9_002);
    const latest = latestOf(distinct);
    primeBodyCache(distinct, latest);
    renderOurs(cycle(distinct, count), latest);
  }
}

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
  readonly children?: readonly number[];
}

interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

function where(url: string): string {
  const packageName = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1];
  if (packageName) return packageName;
  const file = /\/((?:functions|bench)\/.*)$/.exec(url)?.[1];
  return file ?? (url ? url.replace(/^.*\//, '') : 'V8');
}

/**
 * Self time by function over the rendering only: samples from the first to the last one taken inside
 * `renderArticlePage` (so the corpus generation and the priming of the cache before it are left out, and
 * the garbage collection during it is counted).
 */
export function summariseProfile(profile: CpuProfile, top: number): string {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const rendering = new Set<number>();
  const priming = new Set<number>();
  const mark = (id: number, inside: boolean, primingNow: boolean): void => {
    const node = nodes.get(id);
    if (!node) return;
    const isPriming = primingNow || node.callFrame.functionName === 'primeBodyCache';
    const here = !isPriming && (inside || node.callFrame.functionName === 'renderArticlePage');
    if (here) rendering.add(id);
    if (isPriming) priming.add(id);
    for (const child of node.children ?? []) mark(child, here, isPriming);
  };
  mark(profile.nodes[0]?.id ?? 1, false, false);
  const first = Math.max(
    profile.samples.findIndex((id) => rendering.has(id)),
    profile.samples.findLastIndex((id) => priming.has(id)) + 1,
  );
  const last = profile.samples.findLastIndex((id) => rendering.has(id));
  const self = new Map<string, number>();
  const places = new Map<string, number>();
  let total = 0;
  for (let index = Math.max(first, 0); index <= last; index += 1) {
    const node = nodes.get(profile.samples[index] as number);
    const delta = profile.timeDeltas[index + 1] ?? 0;
    if (!node) continue;
    const name = node.callFrame.functionName || '(anonymous)';
    if (name === '(idle)' || name === '(program)') continue;
    const place = name.startsWith('(') ? name : where(node.callFrame.url);
    const key = name.startsWith('(')
      ? name
      : `${name.length > 40 ? `${name.slice(0, 37)}...` : name} (${place})`;
    self.set(key, (self.get(key) ?? 0) + delta);
    places.set(place, (places.get(place) ?? 0) + delta);
    total += delta;
  }
  const share = (value: number) => `${Math.round((value / total) * 100)}%`;
  const functions = [...self]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([key, value]) => `${key} ${share(value)}`);
  const byPlace = [...places]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 5)
    .map(([place, value]) => `${place} ${share(value)}`);
  return `${Math.round(total / 1000)} ms sampled; by place: ${byPlace.join(', ')}; top self time: ${functions.join(', ')}.`;
}

const THIS_FILE = fileURLToPath(import.meta.url);
const REPO = resolve(dirname(THIS_FILE), '../..');

async function profile(context: BenchContext, mode: 'cold' | 'warm', count: number): Promise<string> {
  const directory = join(context.workDir, `profile-${mode}`);
  await promisify(execFile)(
    process.execPath,
    [
      '--import',
      'tsx',
      '--cpu-prof',
      '--cpu-prof-dir',
      directory,
      THIS_FILE,
      '--profile-run',
      mode,
      String(count),
    ],
    { cwd: REPO },
  );
  const [file] = (await readdir(directory)).filter((name) => name.endsWith('.cpuprofile'));
  if (!file) throw new Error(`node --cpu-prof wrote no profile in ${directory}`);
  return summariseProfile(JSON.parse(await readFile(join(directory, file), 'utf8')) as CpuProfile, 8);
}

function row(
  what: string,
  unit: string,
  ours: Contender,
  peers: readonly Contender[],
  target?: { words: string; value: number },
): BenchRow {
  const result: Rounds = summarise(ours.samples);
  return {
    what,
    unit,
    higherIsBetter: true,
    ours: result,
    peers: peers.map((peer) => ({ name: peer.name, result: summarise(peer.samples) })),
    ...(target ? { target: target.words, met: result.median >= target.value } : {}),
  };
}

export default async function render(context: BenchContext): Promise<BenchSection> {
  const pages = context.quick ? 2_000 : 10_000;
  const roundCount = 3;
  const markdownBodies = context.quick ? 300 : 500;
  const warmDistinct = Math.min(pages, WARM_DISTINCT);
  const loadBefore = loadavg()[0] ?? 0;

  const cold = contender('cold');
  const warm = contender('warm');
  const template = contender('template literals');
  const templateMarkdown = contender('template literals + markdown-it');
  const oursMarkdown = contender('renderMarkdown');
  const markdownLinkify = contender('markdown-it, linkify');
  const markdownPlain = contender('markdown-it, no linkify');

  const timed = (items: number, work: () => unknown) => {
    collectGarbage();
    return throughput(items, work);
  };

  // One round more than measured, the first on a fifth of the pages: it compiles the code paths.
  for (let round = 0; round <= roundCount; round += 1) {
    const size = round === 0 ? Math.ceil(pages / 5) : pages;
    // A corpus never rendered before: no body of it can be in the cache.
    const corpus = syntheticArticles(size, 1_000 + round);
    const latest = latestOf(corpus);
    const distinct = corpus.slice(0, Math.min(size, warmDistinct));
    const repeated = cycle(distinct, size);
    const bodies = corpus.slice(0, Math.min(size, markdownBodies)).map((article) => article.body);
    const tasks: [Contender, () => Promise<number>][] = [
      [cold, () => timed(size, () => renderOurs(corpus, latest))],
      [
        warm,
        () => {
          renderOurs(distinct, latest);
          return timed(size, () => renderOurs(repeated, latest));
        },
      ],
      [template, () => timed(size, () => renderPeer(corpus, latest, paragraphsOf))],
      [
        templateMarkdown,
        () => timed(size, () => renderPeer(corpus, latest, (body) => peerMarkdown.render(body))),
      ],
      [
        oursMarkdown,
        () =>
          timed(bodies.length, () =>
            lengths(bodies, (body) => renderMarkdown(body, BENCH_SITE.baseUrl, BENCH_SITE.language)),
          ),
      ],
      [
        markdownLinkify,
        () => timed(bodies.length, () => lengths(bodies, (body) => peerMarkdown.render(body))),
      ],
      [
        markdownPlain,
        () => timed(bodies.length, () => lengths(bodies, (body) => peerMarkdownWithoutLinkify.render(body))),
      ],
    ];
    // Each round starts with a different contender, so none is always first after the corpus is built.
    for (let turn = 0; turn < tasks.length; turn += 1) {
      const [who, measure] = tasks[(turn + round) % tasks.length] as [Contender, () => Promise<number>];
      const value = await measure();
      if (round > 0) who.samples.push(value);
    }
    if (round > 0) {
      const last = (who: Contender) => Math.round(who.samples.at(-1) ?? 0);
      context.log(
        `round ${round}: cold ${last(cold)}, warm ${last(warm)}, template ${last(template)}, ` +
          `template + markdown-it ${last(templateMarkdown)} pages/s`,
      );
    }
  }

  context.log('profiling (node --cpu-prof)');
  const profiledPages = context.quick ? 500 : 1_000;
  const coldProfile = await profile(context, 'cold', profiledPages);
  const warmProfile = await profile(context, 'warm', profiledPages * 5);

  const target = { words: '>= 10,000 pages/s', value: 10_000 };
  const rows = [
    row(
      `article pages, cold: ${pages} bodies never rendered before`,
      'pages/s',
      cold,
      [template, templateMarkdown],
      target,
    ),
    row(
      `article pages, warm: ${pages} renders of ${warmDistinct} revisions already rendered`,
      'pages/s',
      warm,
      [template, templateMarkdown],
      target,
    ),
    row(`Markdown bodies alone (${markdownBodies}, uncached)`, 'bodies/s', oursMarkdown, [
      markdownLinkify,
      markdownPlain,
    ]),
  ];
  const [coldRow, warmRow] = rows;
  const sample = syntheticArticles(100, 1);
  const sampleLatest = latestOf(sample);
  const kilobytes = (characters: number) => `${Math.round(characters / sample.length / 100) / 10} KB`;
  const sizes = {
    body: kilobytes(sample.reduce((sum, article) => sum + article.body.length, 0)),
    ours: kilobytes(renderOurs(sample, sampleLatest)),
    peer: kilobytes(renderPeer(sample, sampleLatest, (body) => peerMarkdown.render(body))),
  };
  return {
    id: 'render',
    title: 'Rendering article pages (in-process, to strings)',
    rows,
    versions: { 'markdown-it': await markdownItVersion(), node: process.version },
    notes: [
      `Corpus: synthetic news articles, deterministic (seeded), Markdown bodies of about ${sizes.body} ` +
        '(hard-wrapped paragraphs with quotes, emphasis and a few links, one subheading, one list, sometimes a bare ' +
        `URL), most with a summary, image, author and tags; pages of about ${sizes.ours} (the markdown-it peer's ` +
        `${sizes.peer}). Every page gets the latest list filtered for it, as the publisher does. Each round ` +
        `renders a corpus generated for it (untimed); ${roundCount} rounds after one on a fifth of the pages, ` +
        'contenders taking turns within each round (each round starting with the next one), each after a full ' +
        'garbage collection (so none pays for the ' +
        'corpus or for the garbage of another; what our cache keeps, we pay for).',
      "Cold: the first render of each body in this process (each round's corpus is new, so no body is cached). " +
        `Warm: the body HTML of each revision is already in the render's cache (${warmDistinct} articles rendered once, ` +
        `untimed, then ${pages} renders cycling over them), as when a revision is rendered again: an edit of ` +
        'title, summary or tags, a retried batch, a re-render in a warm process. The cache holds the last body of ' +
        'each article (found by id, used only if the Markdown is the same) within 16 million characters, some 800 ' +
        'articles of this size, so a whole-site re-render of more articles than that is cold. ' +
        `${verdict(coldRow, 'Cold')} ${verdict(warmRow, 'Warm')}`,
      'Peers, same corpus, same machine, same rounds: "template literals" builds a page of the same shape and size ' +
        '(head, Open Graph, JSON-LD, inline stylesheet, navigation, byline with dates from two Intl formatters built ' +
        'once, latest list, footer, script) with one template literal and a regex escape, the body as escaped ' +
        'paragraphs; "template literals + markdown-it" is the same with `markdownIt({ linkify: true }).render(body)` ' +
        '(defaults otherwise: html off, typographer off). This project uses markdown-it with html off, linkify on ' +
        '(fuzzy links off, e-mail on, as linkify-it defaults), its own link and image rules and a pretest that skips ' +
        "linkify's scan of text holding neither `//` nor `@`; output is byte-identical to the renderer before it.",
      `Load average (1 min) ${loadBefore.toFixed(1)} at the start and ${(loadavg()[0] ?? 0).toFixed(1)} at the end, on ` +
        `${cpus().length} cores shared with other work: absolute figures fall with it, ratios much less.`,
      `What is left, cold (node --cpu-prof, ${profiledPages} pages): ${coldProfile}`,
      'Cold is markdown-it: its parse and render are most of a cold page, and its published build sets every ' +
        "Token's and parser state's fields through a `_defineProperty` helper (with `toPropertyKey` and " +
        "`toPrimitive`), about a fifth of its time; that is the library's own code, left as it is. Of this " +
        "project's own cold work, formatting a new article's dates and keeping its body in the cache cost most.",
      `What is left, warm (${profiledPages * 5} renders of ${Math.min(profiledPages * 5, WARM_DISTINCT)} cached revisions): ${warmProfile}`,
    ],
  };
}

function verdict(row: BenchRow | undefined, label: string): string {
  if (!row) return '';
  const markdownPeer = row.peers?.find((peer) => peer.name.includes('markdown-it'));
  const ratio = markdownPeer ? (row.ours.median / markdownPeer.result.median).toFixed(1) : 'n/a';
  return `${label} ${row.met ? 'meets' : 'misses'} the 10,000 pages/s target (median ${Math.round(row.ours.median)}, ${ratio}× the markdown-it peer).`;
}

async function markdownItVersion(): Promise<string> {
  const manifest = await readFile(join(REPO, 'node_modules/markdown-it/package.json'), 'utf8');
  return (JSON.parse(manifest) as { version: string }).version;
}

if (process.argv[1] && resolve(process.argv[1]) === THIS_FILE && process.argv[2] === '--profile-run') {
  await profileRun(process.argv[3] === 'warm' ? 'warm' : 'cold', Number(process.argv[4] ?? 1_000));
}
