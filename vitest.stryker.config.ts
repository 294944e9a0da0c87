import { defineConfig } from 'vitest/config';

// What `npm run mutate` runs against each mutant: the unit tests only (no emulators, no synth), so a
// mutant is judged in seconds. Stryker's vitest runner reads this file instead of vitest.config.ts,
// whose integration and infra projects must never run under it.
export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/.stryker-tmp/**'],
  },
});
