import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { afterAll, describe, expect, it } from 'vitest';
import { buildTestApp } from './helpers';

const outdir = mkdtempSync(join(tmpdir(), 'flash-news-nag-'));

afterAll(() => {
  rmSync(outdir, { recursive: true, force: true });
});

// The control for nag.test.ts: a clean report only means something if a violation would be reported.
describe('cdk-nag enforcement', () => {
  it('fails synthesis on a non-compliant resource that nobody acknowledged', () => {
    const { app, stack } = buildTestApp({ nag: true, outdir });
    new Queue(stack, 'UnsafeQueue', { encryption: QueueEncryption.UNENCRYPTED, enforceSSL: false });
    expect(() => app.synth()).toThrow(/AwsSolutions-SQS4/);
  });
});
