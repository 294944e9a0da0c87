/**
 * Runs `task` over `items` with at most `concurrency` in flight, pulling items lazily so a million of
 * them never become a million pending promises. Once `signal` aborts no new item starts; those in
 * flight finish, so whatever they write is whole.
 */
export async function runConcurrently<T>(
  items: Iterable<T>,
  concurrency: number,
  task: (item: T) => Promise<void>,
  signal?: AbortSignal,
): Promise<void> {
  const iterator = items[Symbol.iterator]();
  const worker = async (): Promise<void> => {
    for (let next = iterator.next(); !next.done && !signal?.aborted; next = iterator.next()) {
      await task(next.value);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker));
}
