import { origin } from './api';

/** Fetches a site path as a reader would (through the URL rewrite, from the bucket). */
export async function page(path: string, headers: Record<string, string> = {}) {
  const response = await fetch(new URL(path, origin()), { headers, redirect: 'manual' });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

/**
 * Rendering is asynchronous (the change feed delivers committed writes to the render function), so
 * tests wait for the expected state, up to a generous bound, instead of sleeping a fixed time.
 */
export async function eventually<T>(
  check: () => Promise<T | undefined | false>,
  what: string,
  timeoutMs = 10_000,
) {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const result = await check();
      if (result) return result;
    } catch (error) {
      last = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`Timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}

export const pathOf = (url: string) => new URL(url).pathname;
