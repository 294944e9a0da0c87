import { vi } from 'vitest';

/**
 * Runs `action` while the system clock (`Date` only; timers keep running) reads `iso`, then gives the
 * real clock back: for code that takes its clock from `new Date()` when none is passed in.
 */
export async function atSystemTime<T>(iso: string, action: () => Promise<T>): Promise<T> {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(new Date(iso));
  try {
    return await action();
  } finally {
    vi.useRealTimers();
  }
}
