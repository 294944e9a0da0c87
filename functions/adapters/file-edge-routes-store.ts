import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import {
  type EdgeRoute,
  type EdgeRoutesChange,
  EdgeRoutesFullError,
  type EdgeRoutesStore,
  isEmptyChange,
} from '../publishing/edge-routes';

/** The CloudFront KeyValueStore's limits, kept locally too so that the local stack fails as AWS would. */
export const KVS_MAX_KEY_BYTES = 512;
export const KVS_MAX_VALUE_BYTES = 1024;
export const KVS_MAX_TOTAL_BYTES = 5 * 1024 * 1024;

/**
 * The file's routes: an object of non-empty strings; anything else counts as no route. Checked by hand:
 * this module is in the render function's bundle, and zod alone would add 445 KB to it.
 */
function storedRoutes(value: unknown): Map<string, string> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return new Map();
  return new Map(
    Object.entries(value).filter(
      (entry): entry is [string, string] =>
        entry[0] !== '' && typeof entry[1] === 'string' && entry[1] !== '',
    ),
  );
}

function sizeOf(routes: ReadonlyMap<string, string>): number {
  let bytes = 0;
  for (const [key, value] of routes) bytes += Buffer.byteLength(key) + Buffer.byteLength(value);
  return bytes;
}

/**
 * The local stack's edge routes store: one JSON object (path → route) in DATA_DIR, read by the local site
 * server through the same url-rewrite.js as CloudFront (see `cloudFrontModule`).
 *
 * Every write replaces the file whole: a temporary file beside it, flushed, then renamed over it, so a
 * process killed mid-write (SIGKILL) leaves the old file or the new one, never half of one. A leftover
 * temporary file is harmless. Writes in this process are queued one after the other; each reads the file
 * again first, so nothing written by an earlier run is lost. A file that cannot be parsed is treated as
 * empty (reads) and replaced by the next write; repair (npm run reconcile) rebuilds it from the table.
 */
export class FileEdgeRoutesStore implements EdgeRoutesStore {
  private writing: Promise<void> = Promise.resolve();
  private cached: { readonly stamp: string; readonly routes: ReadonlyMap<string, string> } | undefined;

  constructor(private readonly file: string) {}

  apply(change: EdgeRoutesChange): Promise<void> {
    if (isEmptyChange(change)) return Promise.resolve();
    const next = this.writing.then(() => this.write(change));
    this.writing = next.catch(() => undefined);
    return next;
  }

  async entries(): Promise<ReadonlyMap<string, EdgeRoute>> {
    await this.writing;
    return this.read();
  }

  /** One key, as the function reads it; undefined when absent. Synchronous: the site server asks per request. */
  lookup(key: string): string | undefined {
    return this.read().get(key);
  }

  /** The routes as they are in the file now (re-read only when the file was replaced). */
  read(): ReadonlyMap<string, string> {
    let stamp: string;
    try {
      const stat = statSync(this.file);
      stamp = `${stat.ino}:${stat.size}:${stat.mtimeMs}`;
    } catch {
      return new Map();
    }
    if (this.cached?.stamp === stamp) return this.cached.routes;
    let routes: Map<string, string>;
    try {
      routes = storedRoutes(JSON.parse(readFileSync(this.file, 'utf8')));
    } catch {
      routes = new Map();
    }
    this.cached = { stamp, routes };
    return routes;
  }

  private async write(change: EdgeRoutesChange): Promise<void> {
    const routes = new Map(this.read());
    for (const key of change.deletes) routes.delete(key);
    for (const [key, value] of change.puts) {
      if (Buffer.byteLength(key) > KVS_MAX_KEY_BYTES || Buffer.byteLength(value) > KVS_MAX_VALUE_BYTES) {
        throw new Error(`Edge route ${key} is over the store's key or value size`);
      }
      routes.set(key, value);
    }
    if (sizeOf(routes) > KVS_MAX_TOTAL_BYTES) throw new EdgeRoutesFullError('The edge routes store is full');
    mkdirSync(dirname(this.file), { recursive: true });
    const temporary = `${this.file}.${randomUUID()}.tmp`;
    try {
      // Sorted keys: a file a person can read and diff.
      const body = JSON.stringify(
        Object.fromEntries([...routes].sort(([a], [b]) => (a < b ? -1 : 1))),
        null,
        1,
      );
      writeFileSync(temporary, body, { flush: true });
      renameSync(temporary, this.file);
    } catch (error) {
      rmSync(temporary, { force: true });
      throw error;
    }
  }
}

/** What `import cf from 'cloudfront'` gives url-rewrite.js on the local server: `kvs().get` over the file. */
export function cloudFrontModule(store: Pick<FileEdgeRoutesStore, 'lookup'>) {
  return {
    kvs: () => ({
      // As in CloudFront: a key the store does not hold is a rejection, not undefined.
      async get(key: string): Promise<string> {
        const value = store.lookup(key);
        if (value === undefined) throw new Error(`Key ${key} not found`);
        return value;
      },
    }),
  };
}
