import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type Json, TEST_ENV } from './helpers';

/**
 * The code that ships: every function bundled by esbuild exactly as `cdk synth` bundles it, then loaded the
 * way Lambda loads it (a fresh Node.js process importing `index.mjs`) with the environment the template
 * gives the function. This catches what the unit tests, which run the TypeScript sources, cannot: a
 * dependency esbuild cannot bundle, a CommonJS module that needs `require` in ESM, or a module that reads a
 * variable at cold start that the stack does not set.
 */

const run = promisify(execFile);

/** Node.js refuses network access in the child: a cold start must not depend on it (nor do tests). */
const NO_NETWORK_PRELOAD = `
import dns from 'node:dns';
import net from 'node:net';
const attempts = (globalThis.__networkAttempts = []);
const refuse = (what) => (...args) => {
  attempts.push(what + ' ' + String(args[0]?.host ?? args[0]?.hostname ?? args[0]));
  throw new Error('No network access while loading a bundle (' + what + ')');
};
net.Socket.prototype.connect = refuse('connect');
dns.lookup = refuse('dns.lookup');
dns.promises.lookup = refuse('dns.promises.lookup');
globalThis.fetch = refuse('fetch');
`;

/** Imports the bundle and reports what it exports, as JSON on stdout. */
const IMPORT_SCRIPT = `
const module = await import(process.argv[1]);
process.stdout.write(JSON.stringify({
  exports: Object.keys(module).sort(),
  handler: typeof module.handler,
  networkAttempts: globalThis.__networkAttempts,
}));
`;

interface FunctionBundle {
  readonly logicalId: string;
  readonly path: string;
  readonly bundle: string;
  readonly bytes: number;
  readonly environment: Record<string, string>;
  readonly memorySize: number;
}

interface LoadResult {
  readonly exports?: string[];
  readonly handler?: string;
  readonly networkAttempts?: string[];
  readonly error?: string;
}

let outdir: string;
let template: Json;
let bundles: FunctionBundle[];
let loaded: Map<string, LoadResult>;

const FAKE_DISTRIBUTION_ID = 'E2QWRUHEXAMPLE';
const FAKE_DISTRIBUTION_DOMAIN = 'd111111abcdef8.cloudfront.net';

function lowerDashed(logicalId: string): string {
  return logicalId.toLowerCase().slice(0, 60);
}

function serviceOf(type: string): string {
  return (type.split('::')[1] ?? 'unknown').toLowerCase();
}

/** What `Ref` returns for a resource, per CloudFormation's documentation of each type. */
function fakeRef(logicalId: string): string {
  const type: string = template.Resources[logicalId]?.Type;
  const { region, account } = TEST_ENV;
  switch (type) {
    case 'AWS::DynamoDB::Table':
    case 'AWS::S3::Bucket':
      return lowerDashed(logicalId);
    case 'AWS::CloudFront::Distribution':
      return FAKE_DISTRIBUTION_ID;
    case 'AWS::SQS::Queue':
      return `https://sqs.${region}.amazonaws.com/${account}/${logicalId}`;
    case 'AWS::SecretsManager::Secret':
      return `arn:aws:secretsmanager:${region}:${account}:secret:${logicalId}-AbCdEf`;
    case 'AWS::SNS::Topic':
      return `arn:aws:sns:${region}:${account}:${logicalId}`;
    case 'AWS::Cognito::UserPool':
      return `${region}_AbCdEfGhI`;
    case 'AWS::Cognito::UserPoolClient':
      return '1example23456789abcdefghij';
    case 'AWS::ApiGatewayV2::Api':
      return 'a1b2c3d4e5';
    case 'AWS::Lambda::Function':
      return logicalId;
    default:
      throw new Error(`No fake Ref for ${type} ${logicalId}: add one to test/infra/bundles.test.ts`);
  }
}

function fakeAttribute(logicalId: string, attribute: string): string {
  const type: string = template.Resources[logicalId]?.Type;
  const { region, account } = TEST_ENV;
  if (type === 'AWS::CloudFront::Distribution' && attribute === 'DomainName') return FAKE_DISTRIBUTION_DOMAIN;
  if (type === 'AWS::SQS::Queue' && attribute === 'QueueUrl') return fakeRef(logicalId);
  if (type === 'AWS::SQS::Queue' && attribute === 'QueueName') return logicalId;
  if (type === 'AWS::DynamoDB::Table' && attribute === 'Arn') {
    return `arn:aws:dynamodb:${region}:${account}:table/${fakeRef(logicalId)}`;
  }
  if (attribute === 'Arn') return `arn:aws:${serviceOf(type)}:${region}:${account}:${logicalId}`;
  throw new Error(`No fake ${attribute} for ${type} ${logicalId}: add one to test/infra/bundles.test.ts`);
}

const PSEUDO_PARAMETERS: Record<string, string> = {
  'AWS::Region': TEST_ENV.region,
  'AWS::AccountId': TEST_ENV.account,
  'AWS::Partition': 'aws',
  'AWS::URLSuffix': 'amazonaws.com',
  'AWS::StackName': 'FlashNews',
};

/** A plausible deploy-time value for a CloudFormation expression (Ref, Fn::GetAtt, Fn::Join, ...). */
function resolveValue(value: Json): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  const [intrinsic, ...others] = Object.keys(value ?? {});
  if (intrinsic === undefined || others.length > 0)
    throw new Error(`Not an expression: ${JSON.stringify(value)}`);
  const argument = value[intrinsic];
  switch (intrinsic) {
    case 'Ref':
      return PSEUDO_PARAMETERS[argument] ?? fakeRef(argument);
    case 'Fn::GetAtt':
      return fakeAttribute(argument[0], argument[1]);
    case 'Fn::Join':
      return (argument[1] as Json[]).map(resolveValue).join(argument[0]);
    case 'Fn::Select':
      return resolveList(argument[1])[Number(argument[0])] ?? '';
    case 'Fn::Sub':
      return (typeof argument === 'string' ? argument : argument[0]).replace(
        /\$\{([^}]+)\}/g,
        (_: string, name: string) => {
          const [id, attribute] = name.split('.');
          return attribute ? fakeAttribute(id as string, attribute) : resolveValue({ Ref: id });
        },
      );
    default:
      throw new Error(`Unsupported ${intrinsic} in a function environment: add it to the resolver`);
  }
}

function resolveList(value: Json): string[] {
  if (Array.isArray(value)) return value.map(resolveValue);
  if (value?.['Fn::Split']) return resolveValue(value['Fn::Split'][1]).split(value['Fn::Split'][0]);
  throw new Error(`Not a list: ${JSON.stringify(value)}`);
}

/** The variables Lambda itself sets, with fake credentials: enough for SDK clients to be built, never used. */
function lambdaEnvironment(fn: FunctionBundle): Record<string, string> {
  return {
    AWS_REGION: TEST_ENV.region,
    AWS_DEFAULT_REGION: TEST_ENV.region,
    AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    AWS_SESSION_TOKEN: 'fake-session-token',
    AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x',
    AWS_LAMBDA_FUNCTION_NAME: fn.logicalId,
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memorySize),
    LAMBDA_TASK_ROOT: fn.path,
    _HANDLER: 'index.handler',
    TZ: ':UTC',
  };
}

async function load(fn: FunctionBundle, preload: string): Promise<LoadResult> {
  try {
    const { stdout } = await run(
      process.execPath,
      [
        '--import',
        pathToFileURL(preload).href,
        '--input-type=module',
        '-e',
        IMPORT_SCRIPT,
        pathToFileURL(fn.bundle).href,
      ],
      // Only the function's own environment: nothing leaks in from the test process (no PATH, no profile).
      { cwd: fn.path, env: { ...fn.environment, ...lambdaEnvironment(fn) } },
    );
    return JSON.parse(stdout) as LoadResult;
  } catch (error) {
    const { stderr, message } = error as { stderr?: string; message: string };
    return { error: (stderr || message).trim().split('\n').slice(0, 15).join('\n') };
  }
}

async function mapWithConcurrency<T, R>(
  items: T[],
  limit: number,
  task: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

function kibibytes(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KiB`;
}

beforeAll(async () => {
  outdir = mkdtempSync(join(tmpdir(), 'flash-news-bundles-'));
  // One synthesis bundles every function (the local esbuild; never Docker).
  const { app, stack } = buildTestApp({ bundle: true, outdir });
  const assembly = app.synth();
  template = assembly.getStackByName(stack.stackName).template;

  bundles = Object.entries<Json>(template.Resources)
    .filter(([, resource]) => resource.Type === 'AWS::Lambda::Function')
    .map(([logicalId, resource]) => {
      const assetPath = resource.Metadata?.['aws:asset:path'];
      if (typeof assetPath !== 'string') throw new Error(`${logicalId} has no asset path metadata`);
      const path = join(outdir, assetPath);
      const bundle = join(path, 'index.mjs');
      const variables: Record<string, Json> = resource.Properties.Environment?.Variables ?? {};
      return {
        logicalId,
        path,
        bundle,
        bytes: statSync(bundle).size,
        environment: Object.fromEntries(
          Object.entries(variables).map(([name, value]) => [name, resolveValue(value)]),
        ),
        memorySize: resource.Properties.MemorySize,
      };
    });

  const preload = join(outdir, 'no-network.mjs');
  writeFileSync(preload, NO_NETWORK_PRELOAD);
  const results = await mapWithConcurrency(bundles, availableParallelism(), (fn) => load(fn, preload));
  loaded = new Map(bundles.map((fn, index) => [fn.logicalId, results[index] as LoadResult]));

  const width = Math.max(...bundles.map((fn) => fn.logicalId.length));
  console.log(
    [
      'Function bundles (index.mjs, minified):',
      ...[...bundles]
        .sort((a, b) => b.bytes - a.bytes)
        .map((fn) => `  ${fn.logicalId.padEnd(width)}  ${kibibytes(fn.bytes).padStart(10)}`),
    ].join('\n'),
  );
});

afterAll(() => {
  if (outdir) rmSync(outdir, { recursive: true, force: true });
});

describe('function bundles', () => {
  it('exist for every function of the stack', () => {
    expect(bundles.length).toBeGreaterThan(0);
    for (const fn of bundles) expect(fn.bytes, fn.logicalId).toBeGreaterThan(0);
  });

  it('load with the environment the template gives each function, and export a handler function', () => {
    const failures = bundles.flatMap((fn) => {
      const result = loaded.get(fn.logicalId);
      if (result?.error) return [`${fn.logicalId} failed to load:\n${result.error}`];
      if (result?.handler !== 'function') {
        return [`${fn.logicalId} exports ${JSON.stringify(result?.exports)}, handler is ${result?.handler}`];
      }
      return [];
    });
    expect(failures).toEqual([]);
  });

  it('need no network to load', () => {
    for (const fn of bundles) {
      const result = loaded.get(fn.logicalId);
      // A bundle that failed to load shows its error here too: a refused connection is one.
      expect(result?.networkAttempts ?? result?.error, fn.logicalId).toEqual([]);
    }
  });
});
