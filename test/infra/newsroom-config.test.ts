import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Template } from 'aws-cdk-lib/assertions';
import { afterAll, describe, expect, it } from 'vitest';
import { ENV } from '../../functions/config/environment';
import { NewsroomConfigError } from '../../functions/config/newsroom-file';
import { NEWSROOM_CONTEXT_KEY, newsroomFor } from '../../infra/config';
import { NewsFunction, PROJECT_ROOT } from '../../infra/constructs/news-function';
import { createFlashNewsApp } from '../../infra/flash-news-app';
import { DEFAULT_TEST_PROPS, TEST_ENV } from './helpers';

/** The newsroom file reaching the template: `cdk synth -c newsroomConfig=…`, and a bad file failing synth. */

const ALBANIAN_FILE = fileURLToPath(new URL('../../newsroom.config.sq.json', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'newsroom-synth-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function writeNewsroom(name: string, change: Record<string, unknown>): string {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify({ ...JSON.parse(readFileSync(ALBANIAN_FILE, 'utf8')), ...change }));
  return path;
}

/** The app as `cdk synth -c newsroomConfig=<file>` builds it, without esbuild (the code is not under test). */
function synthWith(newsroomFile: string, stackProps = DEFAULT_TEST_PROPS) {
  process.env.CDK_VALIDATION = 'false';
  return createFlashNewsApp({
    env: TEST_ENV,
    nag: false,
    stackProps,
    context: { [NEWSROOM_CONTEXT_KEY]: newsroomFile, 'aws:cdk:bundling-stacks': [] },
  });
}

type Variables = Record<string, unknown>;

function functionEnvironments(template: Template): Variables[] {
  return Object.values(template.findResources('AWS::Lambda::Function'))
    .map((resource) => (resource.Properties?.Environment?.Variables ?? {}) as Variables)
    .filter((variables) => ENV.siteName in variables);
}

describe('the newsroom config in the CDK app', () => {
  const lajme = writeNewsroom('lajme.json', { name: 'Lajme Flash' });

  it("gives every site function the newsroom's name and time zone", () => {
    const { stack } = synthWith(lajme);
    const environments = functionEnvironments(Template.fromStack(stack));
    expect(environments.length).toBeGreaterThan(10);
    for (const variables of environments) {
      expect(variables[ENV.siteName]).toBe('Lajme Flash');
      expect(variables[ENV.siteTimeZone]).toBe('Europe/Tirane');
    }
  });

  it('resolves, for every function, the newsroom its bundle inlines (esbuild define)', () => {
    const { stack } = synthWith(lajme);
    const functions = stack.node.findAll().filter((construct) => construct instanceof NewsFunction);
    expect(functions.length).toBeGreaterThan(10);
    for (const fn of functions) expect(newsroomFor(fn.node).name).toBe('Lajme Flash');
    expect(newsroomFor(stack.node).sections.map((section) => section.name)).toContain('Politikë');
  });

  it('lets a stack prop or CDK context still override the name and time zone', () => {
    const { stack } = synthWith(lajme, { ...DEFAULT_TEST_PROPS, siteName: 'Other', siteTimeZone: 'UTC' });
    for (const variables of functionEnvironments(Template.fromStack(stack))) {
      expect(variables[ENV.siteName]).toBe('Other');
      expect(variables[ENV.siteTimeZone]).toBe('UTC');
    }
  });

  it('refuses a bad file before building anything', () => {
    const bad = writeNewsroom('bad-language.json', { language: 'not a language' });
    expect(() => synthWith(bad)).toThrow(NewsroomConfigError);
    expect(() => synthWith(bad)).toThrow(/bad-language\.json: language must be a BCP 47 language tag/);
  });
});

describe('cdk synth with a bad newsroom file', () => {
  it('exits 1 with one line naming the file, the field and the problem, and no stack trace', () => {
    const bad = writeNewsroom('bad-section.json', {
      sections: [{ slug: 'bota', name: 'Bota', description: 'Lajme nga bota.', order: 'first' }],
    });
    // What `cdk synth` runs (cdk.json's "app"), with the context the CLI passes to it.
    const synth = spawnSync(process.execPath, ['--import', 'tsx', 'infra/app.ts'], {
      cwd: PROJECT_ROOT,
      encoding: 'utf8',
      env: {
        ...process.env,
        CDK_CONTEXT_JSON: JSON.stringify({ [NEWSROOM_CONTEXT_KEY]: bad }),
        CDK_OUTDIR: join(dir, 'cdk.out'),
      },
    });
    expect(synth.status).toBe(1);
    expect(synth.stdout).toBe('');
    expect(synth.stderr).toBe(`Newsroom config ${bad}: sections[0].order must be a number (got "first")\n`);
  });
});
