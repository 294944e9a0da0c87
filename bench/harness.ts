import { performance } from 'node:perf_hooks';

/**
 * What every benchmark section shares: repeated rounds summarised as min/median/max (this machine is
 * shared and noisy, so one number means little), peers measured in the same run, and ratios against
 * them. Sections return data; bench/run.ts writes docs/benchmarks.md and docs/benchmarks.json.
 */

export interface Rounds {
  readonly min: number;
  readonly median: number;
  readonly max: number;
  readonly samples: readonly number[];
}

export interface Measured {
  readonly name: string;
  readonly result: Rounds;
}

export interface BenchRow {
  readonly what: string;
  /** e.g. `pages/s`, `ms`, `req/s`, `KB`. */
  readonly unit: string;
  /** Throughputs are better high, times and sizes low; ratios read accordingly. */
  readonly higherIsBetter: boolean;
  readonly ours: Rounds;
  readonly peers?: readonly Measured[];
  /** The target the issue sets, in words, e.g. `>= 10,000 pages/s`. */
  readonly target?: string;
  /** Whether `ours` (its median) meets the target. */
  readonly met?: boolean;
  readonly note?: string;
}

export interface BenchSection {
  readonly id: string;
  readonly title: string;
  readonly rows: readonly BenchRow[];
  /** Paragraphs printed under the table: what was measured, where the time goes, what misses and why. */
  readonly notes?: readonly string[];
  /** Versions of peer tools used (`hugo v0.x`, `nginx/1.x`). */
  readonly versions?: Readonly<Record<string, string>>;
}

export interface BenchContext {
  /** `--quick`: fewer rounds and smaller inputs, the whole bench under two minutes. */
  readonly quick: boolean;
  /** A scratch directory of this run, removed afterwards. */
  readonly workDir: string;
  log(message: string): void;
}

export type BenchModule = (context: BenchContext) => Promise<BenchSection>;

export function summarise(samples: readonly number[]): Rounds {
  const sorted = [...samples].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const median =
    sorted.length === 0
      ? Number.NaN
      : sorted.length % 2
        ? (sorted[middle] as number)
        : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
  return { min: sorted[0] ?? Number.NaN, median, max: sorted.at(-1) ?? Number.NaN, samples };
}

/** Runs `measure` `count` times (after one unmeasured warm-up unless `warmUp` is false). */
export async function rounds(
  count: number,
  measure: () => Promise<number> | number,
  options: { warmUp?: boolean } = {},
): Promise<Rounds> {
  if (options.warmUp !== false) await measure();
  const samples: number[] = [];
  for (let round = 0; round < count; round += 1) samples.push(await measure());
  return summarise(samples);
}

/** Items per second of one call that handles `items` items. */
export async function throughput(items: number, work: () => Promise<unknown> | unknown): Promise<number> {
  const started = performance.now();
  await work();
  return items / ((performance.now() - started) / 1000);
}

/** How many times better `ours` is than `peer` (medians); above 1 is better, whatever the unit. */
export function ratio(row: Pick<BenchRow, 'higherIsBetter' | 'ours'>, peer: Rounds): number {
  return row.higherIsBetter ? row.ours.median / peer.median : peer.median / row.ours.median;
}

export function format(value: number): string {
  if (!Number.isFinite(value)) return 'n/a';
  if (Math.abs(value) >= 100) return Math.round(value).toLocaleString('en-US');
  if (Math.abs(value) >= 10) return value.toFixed(1);
  return value.toFixed(2);
}

export function formatRounds(result: Rounds): string {
  return `${format(result.min)} / ${format(result.median)} / ${format(result.max)}`;
}

/** Deterministic pseudo-random numbers (mulberry32), so every run works on the same synthetic corpus. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}
