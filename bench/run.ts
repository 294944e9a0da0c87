import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { type BenchModule, type BenchSection, format, formatRounds, ratio } from './harness';

/**
 * `npm run bench [-- --quick] [-- --only render,api]`: every benchmark of the project side by side in one
 * run, each against its peers measured in the same run, over repeated rounds (min / median / max). Writes
 * docs/benchmarks.md and docs/benchmarks.json. Everything stays on loopback and stops by itself.
 *
 * `--only` measures some sections again and keeps the others from the last report, each section saying
 * when it was measured: a rerun of one section never throws the rest of the figures away.
 *
 * Each section runs in a process of its own (this script with `--section`): two sections that start the
 * local stack in one process would share the handler modules the first one loaded, whose clients still
 * point at the first stack's emulators; and no section pays for another's heap or JIT state.
 */

const SECTIONS: Record<string, () => Promise<BenchModule>> = {
  api: async () => (await import('./sections/api')).default,
  'cold-start': async () => (await import('./sections/cold-start')).default,
  'local-server': async () => (await import('./sections/local-server')).default,
  publishing: async () => (await import('./sections/publishing')).default,
  render: async () => (await import('./sections/render')).default,
  rerender: async () => (await import('./sections/rerender')).default,
};

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    only: { type: 'string' },
    out: { type: 'string', default: 'docs/benchmarks' },
    // Internal: run one section in this process and write its result as JSON to `section-out`.
    section: { type: 'string' },
    'section-out': { type: 'string' },
  },
});

if (values.section) {
  await runSectionHere(values.section, values['section-out']);
  process.exit(0);
}

/** The child's side: one section, its result written to `out` for the parent to read. */
async function runSectionHere(id: string, out: string | undefined): Promise<void> {
  // A section's stack may still be winding down when it returns: a late failure is reported, not fatal.
  process.on('unhandledRejection', (reason) => console.error('  (late failure, ignored)', String(reason)));
  const module = await (SECTIONS[id] as () => Promise<BenchModule>)();
  const workDir = await mkdtemp(join(tmpdir(), `flash-news-bench-${id}-`));
  try {
    const section = await module({
      quick: values.quick,
      workDir,
      log: (message) => console.log(`  ${message}`),
    });
    if (out) await writeFile(out, JSON.stringify(section));
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

/** The parent's side: the section in a fresh Node.js process (same loader flags), its result read back. */
async function runSectionInChild(id: string): Promise<BenchSection> {
  const scratch = await mkdtemp(join(tmpdir(), `flash-news-bench-result-${id}-`));
  const out = join(scratch, 'section.json');
  try {
    const args = [...process.execArgv, process.argv[1] as string, '--section', id, '--section-out', out];
    if (values.quick) args.push('--quick');
    const exit = await new Promise<string>((resolve, reject) => {
      const child = spawn(process.execPath, args, { stdio: 'inherit' });
      child.once('error', reject);
      child.once('exit', (code, signal) => resolve(signal ?? String(code)));
    });
    if (exit !== '0') throw new Error(`its process ended with ${exit}`);
    return JSON.parse(await readFile(out, 'utf8')) as BenchSection;
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
const chosen = values.only ? values.only.split(',').map((id) => id.trim()) : Object.keys(SECTIONS);
const unknown = chosen.filter((id) => !(id in SECTIONS));
if (unknown.length > 0) {
  console.error(`Unknown section(s) ${unknown.join(', ')}; known: ${Object.keys(SECTIONS).join(', ')}`);
  process.exit(2);
}

interface MeasuredSection extends BenchSection {
  readonly measured: { readonly date: string; readonly quick: boolean; readonly seconds: number };
}

const started = Date.now();
const sections: MeasuredSection[] = [];
const failed: string[] = [];
for (const id of chosen) {
  console.log(`\n== ${id} ==`);
  const sectionStarted = Date.now();
  try {
    const section = await runSectionInChild(id);
    const measured = {
      date: new Date().toISOString(),
      quick: values.quick,
      seconds: Math.round((Date.now() - sectionStarted) / 1000),
    };
    sections.push({ ...section, measured });
  } catch (error) {
    failed.push(id);
    console.error(`  section ${id} failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}

const machine = {
  date: new Date().toISOString(),
  node: process.version,
  cpu: cpus()[0]?.model ?? 'unknown',
  cores: cpus().length,
  memoryGiB: Math.round(totalmem() / 2 ** 30),
  quick: values.quick,
  seconds: Math.round((Date.now() - started) / 1000),
};

/** With `--only`, the sections not measured now are kept from the last report, in the usual order. */
async function withEarlierSections(fresh: readonly MeasuredSection[]): Promise<MeasuredSection[]> {
  if (!values.only) return [...fresh];
  interface EarlierReport {
    readonly machine?: { readonly date: string; readonly quick: boolean };
    readonly sections?: readonly (BenchSection & Partial<Pick<MeasuredSection, 'measured'>>)[];
  }
  const previous: EarlierReport = await readFile(`${values.out}.json`, 'utf8')
    .then((text) => JSON.parse(text) as EarlierReport)
    .catch(() => ({}));
  // Reports written before sections carried their own date were measured in one run: the run's date.
  const runDate = previous.machine ?? { date: 'an unknown date', quick: false };
  const earlier = (previous.sections ?? []).map(
    (section): MeasuredSection => ({ ...section, measured: section.measured ?? { ...runDate, seconds: 0 } }),
  );
  const byId = new Map(earlier.map((section) => [section.id, section]));
  for (const section of fresh) byId.set(section.id, section);
  const order = Object.keys(SECTIONS);
  return [...byId.values()].sort((a, b) => order.indexOf(a.id) - order.indexOf(b.id));
}

const report = await withEarlierSections(sections);

function measuredLine(section: MeasuredSection): string {
  const { date, quick, seconds } = section.measured;
  const took = seconds > 0 ? `, in ${seconds} s` : '';
  return `Measured on ${date.slice(0, 16).replace('T', ' ')} UTC${quick ? ' (--quick)' : ''}${took}.`;
}

function markdown(): string {
  const lines = [
    '# Benchmarks',
    '',
    `Measured by \`npm run bench${values.quick ? ' -- --quick' : ''}${values.only ? ` -- --only ${values.only}` : ''}\` on ${machine.date.slice(0, 10)}${values.only ? ' (the other sections are kept from an earlier run; each section says when it was measured)' : ''}: Node.js ${machine.node},`,
    `${machine.cores} cores (${machine.cpu}), ${machine.memoryGiB} GiB, in ${machine.seconds} s. Each figure is`,
    'min / median / max over repeated rounds; peers are measured in the same run, on the same machine, and a',
    'ratio is how many times better this project is than the peer (medians; above 1 is better). This machine',
    'is shared and noisy: compare ratios, not absolute figures, across runs.',
    '',
  ];
  for (const section of report) {
    lines.push(`## ${section.title}`, '', measuredLine(section), '');
    lines.push('| what | this project (min / median / max) | peers, same run | ratio | target |');
    lines.push('| --- | --- | --- | --- | --- |');
    for (const row of section.rows) {
      const peers = (row.peers ?? [])
        .map((peer) => `${peer.name}: ${formatRounds(peer.result)}`)
        .join('<br>');
      const ratios = (row.peers ?? []).map((peer) => `${format(ratio(row, peer.result))}×`).join('<br>');
      const target = row.target
        ? `${row.target} ${row.met === undefined ? '' : row.met ? '(met)' : '(missed)'}`
        : '';
      lines.push(
        `| ${row.what} | ${formatRounds(row.ours)} ${row.unit} | ${peers || '-'} | ${ratios || '-'} | ${target.trim() || '-'} |`,
      );
    }
    lines.push('');
    if (section.versions) {
      lines.push(
        `Versions: ${Object.entries(section.versions)
          .map(([tool, version]) => `${tool} ${version}`)
          .join(', ')}.`,
        '',
      );
    }
    for (const note of section.notes ?? []) lines.push(note, '');
  }
  return lines.join('\n');
}

await writeFile(`${values.out}.md`, markdown());
await writeFile(`${values.out}.json`, `${JSON.stringify({ machine, sections: report }, null, 2)}\n`);
console.log(`\nWritten to ${values.out}.md and ${values.out}.json in ${machine.seconds} s`);
if (failed.length > 0) {
  console.error(`Sections that failed (not in the report): ${failed.join(', ')}`);
  process.exit(1);
}
