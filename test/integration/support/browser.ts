import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';

/**
 * Debian's Chromium, driven by playwright-core (which never downloads a browser of its own). Missing
 * on a developer's machine, the browser tests are skipped with a notice; under CI=true a missing
 * browser fails the run, since CI installs it (.ci/run).
 */

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export function browserAvailable(): boolean {
  if (existsSync(CHROMIUM_PATH)) return true;
  if (process.env.CI === 'true') {
    throw new Error(`CI=true but no Chromium at ${CHROMIUM_PATH}: .ci/run should have installed it`);
  }
  console.warn(
    `[browser tests skipped] no Chromium at ${CHROMIUM_PATH}. Enable them with: sudo apt-get install chromium (or set CHROMIUM_PATH)`,
  );
  return false;
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      // This machine has no network beyond loopback: keep Chromium from trying.
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
