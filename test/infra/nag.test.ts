import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Validations } from 'aws-cdk-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type Json } from './helpers';

interface Acknowledgement {
  readonly path: string;
  readonly id: string;
  readonly reason: string;
}

let outdir: string;
let synthError: unknown;
let report: Json;
let acknowledgements: Acknowledgement[];

beforeAll(() => {
  outdir = mkdtempSync(join(tmpdir(), 'flash-news-nag-'));
  // The AwsSolutions pack as infra/app.ts registers it, plus CloudFormation's own schema validation.
  const { app } = buildTestApp({ nag: true, cloudFormationValidation: true, outdir });
  acknowledgements = app.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) =>
        Object.entries(entry.data as Record<string, string>).map(([id, reason]) => ({
          path: construct.node.path,
          id: id.replace(/^annotation::/i, ''),
          reason,
        })),
      ),
  );
  try {
    app.synth();
  } catch (error) {
    synthError = error;
  }
  report = JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8'));
});

afterAll(() => {
  rmSync(outdir, { recursive: true, force: true });
});

describe('cdk-nag AwsSolutions checks', () => {
  it('synthesis succeeds with the checks enabled', () => {
    expect(synthError).toBeUndefined();
  });

  it('report no unacknowledged error or warning (nor any CloudFormation validation finding)', () => {
    const open = (report.pluginReports as Json[]).flatMap((plugin) =>
      (plugin.violations as Json[]).map((v) => `${plugin.pluginName} ${v.severity} ${v.ruleName}`),
    );
    expect(open).toEqual([]);
  });

  it('every acknowledgement names an AwsSolutions rule and gives a specific reason', () => {
    expect(acknowledgements.length).toBeGreaterThan(0);
    for (const { path, id, reason } of acknowledgements) {
      expect(id, path).toMatch(/^AwsSolutions-[A-Z]+\d+(\[.+\])?$/);
      expect(reason.length, `${path} ${id}`).toBeGreaterThanOrEqual(80);
    }
  });
});
