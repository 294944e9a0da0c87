/**
 * A map that keeps its most recently used entries within a total size (in whatever unit `sizeOf`
 * counts), forgetting the least recently used first. A Map iterates in insertion order, so moving an
 * entry to the end on every use keeps the oldest first in line for eviction.
 */
export class BoundedCache<K, V> {
  readonly #entries = new Map<K, { readonly value: V; readonly size: number }>();
  #size = 0;

  constructor(
    readonly maxSize: number,
    private readonly sizeOf: (key: K, value: V) => number,
  ) {}

  /** Total size of what is cached, never above `maxSize`. */
  get size(): number {
    return this.#size;
  }

  get count(): number {
    return this.#entries.size;
  }

  get(key: K): V | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    return entry.value;
  }

  set(key: K, value: V): void {
    this.delete(key);
    const size = this.sizeOf(key, value);
    // One entry larger than the whole budget would only evict everything else and then itself.
    if (size > this.maxSize) return;
    this.#entries.set(key, { value, size });
    this.#size += size;
    for (const [oldest, entry] of this.#entries) {
      if (this.#size <= this.maxSize) break;
      this.#entries.delete(oldest);
      this.#size -= entry.size;
    }
  }

  delete(key: K): void {
    const entry = this.#entries.get(key);
    if (entry === undefined) return;
    this.#entries.delete(key);
    this.#size -= entry.size;
  }
}
