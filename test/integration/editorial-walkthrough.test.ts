import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { describe, expect, inject, it } from 'vitest';

/**
 * docs/editorial.md is a script as well as a guide: its `sh` blocks, run in order against the local stack,
 * must succeed, and every command marked `# → text` must print exactly that text. A doc that drifts from
 * the API fails here instead of misleading an editor.
 */

const DOC = new URL('../../docs/editorial.md', import.meta.url);
const run = promisify(execFile);

/** The `sh` blocks, backslash-continued lines joined, so each marked command is one line. */
function shellBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/```sh\n([\s\S]*?)```/g)].map((match) =>
    (match[1] ?? '').replace(/\\\n\s*/g, ''),
  );
}

const EXPECTATION = /^(.*?)\s+# → (.+)$/;

/**
 * The script the test runs: a command marked `# → text` is run inside `check`, which prints its output
 * and fails unless it is exactly the text (in which variables such as $URL are expanded).
 */
function walkthroughScript(markdown: string): { script: string; checks: number } {
  let checks = 0;
  const lines = shellBlocks(markdown)
    .join('\n')
    .split('\n')
    .map((line) => {
      const marked = EXPECTATION.exec(line);
      if (!marked) return line;
      checks += 1;
      return `check "${marked[2]}" "$(${marked[1]})"`;
    });
  const prelude = [
    'set -euo pipefail',
    'check() { if [ "$2" != "$1" ]; then echo "expected: $1" >&2; echo "got:      $2" >&2; exit 1; fi; echo "$2"; }',
  ];
  return { script: [...prelude, ...lines].join('\n'), checks };
}

describe('docs/editorial.md', () => {
  it('turns every marked command into a check', () => {
    const { script, checks } = walkthroughScript(readFileSync(DOC, 'utf8'));
    expect(checks).toBeGreaterThanOrEqual(20);
    expect(script).toContain('check "404" "$(status "$API/articles/$ID")"');
    expect(script).not.toMatch(/# →/);
  });

  it('fails a step whose output differs from the doc', async () => {
    const { script } = walkthroughScript('```sh\necho draft   # → review\n```\n');
    await expect(run('bash', ['-c', script])).rejects.toMatchObject({
      stderr: expect.stringContaining('expected: review'),
    });
  });

  it('runs, as written, against the local stack: draft, review, preview, schedule, publish, correct, redirect, restore, take down, delete', async () => {
    const { script } = walkthroughScript(readFileSync(DOC, 'utf8'));
    const { stdout } = await run('bash', ['-c', script], {
      cwd: new URL('../..', import.meta.url).pathname,
      env: { ...process.env, API: `${inject('origin')}/api`, DATA_DIR: inject('dataDir') },
      maxBuffer: 16 * 1024 * 1024,
    }).catch((error: { stdout?: string; stderr?: string }) => {
      throw new Error(
        `The walkthrough failed:\n${error.stderr ?? ''}\n--- its output ---\n${error.stdout ?? ''}`,
      );
    });
    // The events the day produced, in order: one per public change.
    expect(stdout.trim().split('\n').slice(-8)).toEqual([
      'Article Published v1',
      'Article Updated v1',
      'Article Corrected v1',
      'Article Updated v1',
      'Article Updated v1',
      'Article Unpublished v1',
      'Article Published v1',
      'Article Deleted v1',
    ]);
  }, 180_000);
});
