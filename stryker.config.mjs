// @ts-check
// `npm run mutate` (docs/testing.md): mutation testing of the rules that matter, against the unit tests.

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  // The rules a silent change would hurt readers or break the site in. The other publishing modules
  // (fan-out, worker threads, retries) are orchestration: mutate them on demand with --mutate.
  mutate: [
    'functions/domain/**/*.ts',
    'functions/http/**/*.ts',
    'functions/render/html.ts',
    'functions/render/safe-url.ts',
    'functions/render/markdown.ts',
    'functions/publishing/site-publisher.ts',
    'functions/edge/url-rewrite.js',
  ],
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.stryker.config.ts' },
  // Each mutant runs only the tests that reach it.
  coverageAnalysis: 'perTest',
  // A 2-core machine shared with others: two vitest workers at most.
  concurrency: 2,
  // A mutant is a timeout (counted as caught) only past 3x its tests' time plus 20 s: generous, because on
  // a loaded machine a slower run is not an infinite loop, and a false timeout would hide a survivor.
  timeoutMS: 20_000,
  timeoutFactor: 3,
  // What the sandbox copy of the repo does not need (local data, reports, CDK output).
  ignorePatterns: ['.data', 'cdk.out', 'test-results', 'coverage', 'reports'],
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
  reporters: ['clear-text', 'progress', 'html', 'json'],
  // The survivors and the per-file score table; the full list of tests is in the HTML report.
  clearTextReporter: { allowColor: false, logTests: false, reportTests: false, reportMutants: true },
  htmlReporter: { fileName: 'reports/mutation/index.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  // `npm run mutate -- --incremental` re-tests only mutants whose code or tests changed since this file.
  incrementalFile: 'reports/mutation/stryker-incremental.json',
  thresholds: { high: 90, low: 85, break: null },
};
