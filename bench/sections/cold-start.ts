import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { BUNDLE_METAFILE_CONTEXT, PROJECT_ROOT } from '../../infra/constructs/news-function';
import { createFlashNewsApp } from '../../infra/flash-news-app';
import { DEFAULT_TEST_PROPS, type Json, TEST_ENV } from '../../test/infra/helpers';
import {
  type BenchContext,
  type BenchRow,
  type BenchSection,
  format,
  type Rounds,
  summarise,
} from '../harness';

/**
 * Cold start of every Lambda function as it ships: the bundles `cdk synth` makes (the same synthesis as
 * test/infra/bundles.test.ts, which imports the helpers below), each imported by a fresh Node.js process
 * with the environment the template gives the function, fake credentials and the variables Lambda sets.
 * Against a one-line ESM module imported the same way in the same rounds.
 *
 * Times are taken inside the child: `performance.now()` around `await import(bundle)` (the import alone:
 * reading, compiling and evaluating the bundle, and the Node.js built-ins it loads), and at the moment
 * the import resolves, which `performance.now()` counts from the process's start (`timeOrigin`), so it
 * includes Node.js's own start-up, the same for every function. Spawning the process is not counted.
 */

/** The target of issue 8 (item 3) for every bundle; 1 KB = 1024 bytes. */
export const BUNDLE_BUDGET_KB = 500;
const IMPORT_TARGET_MS = 100;

const run = promisify(execFile);

export interface FunctionBundle {
  readonly logicalId: string;
  /** The module under functions/handlers/ the bundle was built from, e.g. `get-article`. */
  readonly handler: string;
  readonly path: string;
  readonly bundle: string;
  readonly bytes: number;
  readonly environment: Record<string, string>;
  readonly memorySize: number;
  /** esbuild's metafile: what the bundle is made of. */
  readonly metafile: Metafile;
}

export interface Metafile {
  readonly inputs: Record<string, { readonly bytes: number }>;
  readonly outputs: Record<string, { readonly bytes: number; readonly inputs: Record<string, Json> }>;
}

const FAKE_DISTRIBUTION_ID = 'E2QWRUHEXAMPLE';
const FAKE_DISTRIBUTION_DOMAIN = 'd111111abcdef8.cloudfront.net';

const PSEUDO_PARAMETERS: Record<string, string> = {
  'AWS::Region': TEST_ENV.region,
  'AWS::AccountId': TEST_ENV.account,
  'AWS::Partition': 'aws',
  'AWS::URLSuffix': 'amazonaws.com',
  'AWS::StackName': 'FlashNews',
};

function lowerDashed(logicalId: string): string {
  return logicalId.toLowerCase().slice(0, 60);
}

function serviceOf(type: string): string {
  return (type.split('::')[1] ?? 'unknown').toLowerCase();
}

/** Plausible deploy-time values for the CloudFormation expressions in a template's function environments. */
export class TemplateResolver {
  constructor(private readonly template: Json) {}

  /** What `Ref` returns for a resource, per CloudFormation's documentation of each type. */
  ref(logicalId: string): string {
    const type: string = this.template.Resources[logicalId]?.Type;
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
      case 'AWS::Events::EventBus':
        // Ref is the bus's name.
        return logicalId;
      default:
        throw new Error(`No fake Ref for ${type} ${logicalId}: add one to bench/sections/cold-start.ts`);
    }
  }

  attribute(logicalId: string, attribute: string): string {
    const type: string = this.template.Resources[logicalId]?.Type;
    const { region, account } = TEST_ENV;
    if (type === 'AWS::CloudFront::Distribution' && attribute === 'DomainName')
      return FAKE_DISTRIBUTION_DOMAIN;
    if (type === 'AWS::SQS::Queue' && attribute === 'QueueUrl') return this.ref(logicalId);
    if (type === 'AWS::SQS::Queue' && attribute === 'QueueName') return logicalId;
    if (type === 'AWS::DynamoDB::Table' && attribute === 'Arn') {
      return `arn:aws:dynamodb:${region}:${account}:table/${this.ref(logicalId)}`;
    }
    if (attribute === 'Arn') return `arn:aws:${serviceOf(type)}:${region}:${account}:${logicalId}`;
    throw new Error(`No fake ${attribute} for ${type} ${logicalId}: add one to bench/sections/cold-start.ts`);
  }

  /** A plausible value for an expression (Ref, Fn::GetAtt, Fn::Join, ...). */
  value(value: Json): string {
    if (typeof value === 'string') return value;
    if (typeof value === 'number' || typeof value === 'boolean') return String(value);
    const [intrinsic, ...others] = Object.keys(value ?? {});
    if (intrinsic === undefined || others.length > 0)
      throw new Error(`Not an expression: ${JSON.stringify(value)}`);
    const argument = value[intrinsic];
    switch (intrinsic) {
      case 'Ref':
        return PSEUDO_PARAMETERS[argument] ?? this.ref(argument);
      case 'Fn::GetAtt':
        return this.attribute(argument[0], argument[1]);
      case 'Fn::Join':
        return (argument[1] as Json[]).map((part) => this.value(part)).join(argument[0]);
      case 'Fn::Select':
        return this.list(argument[1])[Number(argument[0])] ?? '';
      case 'Fn::Sub':
        return (typeof argument === 'string' ? argument : argument[0]).replace(
          /\$\{([^}]+)\}/g,
          (_: string, name: string) => {
            const [id, attribute] = name.split('.');
            return attribute ? this.attribute(id as string, attribute) : this.value({ Ref: id });
          },
        );
      default:
        throw new Error(`Unsupported ${intrinsic} in a function environment: add it to the resolver`);
    }
  }

  private list(value: Json): string[] {
    if (Array.isArray(value)) return value.map((item) => this.value(item));
    if (value?.['Fn::Split']) return this.value(value['Fn::Split'][1]).split(value['Fn::Split'][0]);
    throw new Error(`Not a list: ${JSON.stringify(value)}`);
  }
}

/**
 * Synthesizes the app as `cdk synth` does, bundling every function with the local esbuild (never Docker),
 * with esbuild's metafile beside each bundle.
 */
export function synthesizeBundles(outdir: string): { template: Json; bundles: FunctionBundle[] } {
  const { app, stack } = createFlashNewsApp({
    env: TEST_ENV,
    stackProps: DEFAULT_TEST_PROPS,
    nag: false,
    outdir,
    builtinCloudFormationValidation: false,
    context: {
      'aws:cdk:enable-asset-metadata': true,
      'aws:cdk:enable-path-metadata': true,
      [BUNDLE_METAFILE_CONTEXT]: true,
    },
  });
  const template: Json = app.synth().getStackByName(stack.stackName).template;
  const resolver = new TemplateResolver(template);
  const bundles = Object.entries<Json>(template.Resources)
    .filter(([, resource]) => resource.Type === 'AWS::Lambda::Function')
    .map(([logicalId, resource]): FunctionBundle => {
      const assetPath = resource.Metadata?.['aws:asset:path'];
      if (typeof assetPath !== 'string') throw new Error(`${logicalId} has no asset path metadata`);
      const path = join(outdir, assetPath);
      const bundle = join(path, 'index.mjs');
      const metafile = JSON.parse(readFileSync(join(path, 'index.meta.json'), 'utf8')) as Metafile;
      const entry = Object.keys(metafile.inputs).find((input) => input.startsWith('functions/handlers/'));
      const variables: Record<string, Json> = resource.Properties.Environment?.Variables ?? {};
      return {
        logicalId,
        handler: entry?.replace(/^functions\/handlers\/|\.ts$/g, '') ?? logicalId,
        path,
        bundle,
        bytes: statSync(bundle).size,
        environment: Object.fromEntries(
          Object.entries(variables).map(([name, value]) => [name, resolver.value(value)]),
        ),
        memorySize: resource.Properties.MemorySize,
        metafile,
      };
    });
  return { template, bundles };
}

/** The variables Lambda itself sets, with fake credentials: enough for SDK clients to be built, never used. */
export function lambdaEnvironment(
  fn: Pick<FunctionBundle, 'logicalId' | 'path' | 'memorySize'>,
): Record<string, string> {
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
    // Lambda runs Node.js 24; on an older local Node.js the SDK would only print a deprecation warning.
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
}

/** Bytes each package (or source folder of this project) contributes to a bundle, largest first. */
export function bytesByPackage(metafile: Metafile): [string, number][] {
  const output = Object.entries(metafile.outputs).find(([name]) => name.endsWith('index.mjs'))?.[1];
  const totals = new Map<string, number>();
  for (const [input, { bytesInOutput }] of Object.entries<Json>(output?.inputs ?? {})) {
    const name =
      /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input)?.[1] ?? input.split('/').slice(0, 2).join('/');
    totals.set(name, (totals.get(name) ?? 0) + bytesInOutput);
  }
  return [...totals].sort((a, b) => b[1] - a[1]);
}

/** Every source file in a bundle, as esbuild names it (`functions/render/html.ts`, `node_modules/...`). */
export function bundledInputs(metafile: Metafile): string[] {
  const output = Object.entries(metafile.outputs).find(([name]) => name.endsWith('index.mjs'))?.[1];
  return Object.keys(output?.inputs ?? {});
}

interface ImportTiming {
  /** `await import()` alone. */
  readonly importMs: number;
  /** CPU time (user and system) spent in `await import()`: what other processes' load inflates least. */
  readonly cpuMs: number;
  /** From the process's start to the import resolving. */
  readonly sinceStartMs: number;
}

const IMPORT_SCRIPT = `
const cpu = process.cpuUsage();
const started = performance.now();
await import(process.argv[1]);
const resolved = performance.now();
const used = process.cpuUsage(cpu);
process.stdout.write(JSON.stringify({
  importMs: resolved - started,
  cpuMs: (used.user + used.system) / 1000,
  sinceStartMs: resolved,
}));
`;

async function timeImport(
  file: string,
  cwd: string,
  environment: Record<string, string>,
): Promise<ImportTiming> {
  const { stdout } = await run(
    process.execPath,
    ['--input-type=module', '-e', IMPORT_SCRIPT, pathToFileURL(file).href],
    { cwd, env: environment },
  );
  return JSON.parse(stdout) as ImportTiming;
}

/** The esbuild options of infra/constructs/news-function.ts, for the tracing probes built here. */
async function bundleProbe(workDir: string, name: string, source: string): Promise<string> {
  const directory = join(workDir, 'probes', name);
  mkdirSync(directory, { recursive: true });
  const entry = join(directory, 'entry.ts');
  writeFileSync(entry, source);
  const outfile = join(directory, 'index.mjs');
  await build({
    entryPoints: [entry],
    bundle: true,
    outfile,
    format: 'esm',
    target: 'node24',
    platform: 'node',
    minify: true,
    sourcemap: true,
    sourcesContent: false,
    mainFields: ['module', 'main'],
    banner: {
      js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
    },
    nodePaths: [join(PROJECT_ROOT, 'node_modules')],
    logLevel: 'error',
  });
  return outfile;
}

const ONE_LINE_MODULE = 'export const handler = async () => ({ statusCode: 200 });\n';

const DOCUMENT_CLIENT_PROBE = `
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
const client = DynamoDBDocumentClient.from(new DynamoDBClient({}));
export const handler = async () => client;
`;

const TRACED_DOCUMENT_CLIENT_PROBE = `
import { Tracer } from '@aws-lambda-powertools/tracer';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
const tracer = new Tracer();
const client = DynamoDBDocumentClient.from(tracer.captureAWSv3Client(new DynamoDBClient({})));
export const handler = async () => client;
`;

function kilobytes(bytes: number): number {
  return bytes / 1024;
}

export default async function coldStart(context: BenchContext): Promise<BenchSection> {
  const roundCount = context.quick ? 3 : 11;
  context.log('bundling every function as cdk synth does...');
  const { bundles } = synthesizeBundles(join(context.workDir, 'cdk.out'));
  bundles.sort((a, b) => a.handler.localeCompare(b.handler));

  const peerFile = join(context.workDir, 'one-line.mjs');
  writeFileSync(peerFile, ONE_LINE_MODULE);
  const plainProbe = await bundleProbe(context.workDir, 'document-client', DOCUMENT_CLIENT_PROBE);
  const tracedProbe = await bundleProbe(
    context.workDir,
    'traced-document-client',
    TRACED_DOCUMENT_CLIENT_PROBE,
  );

  // Everything imported in one round runs with a function's full environment (NODE_OPTIONS included, so
  // source maps are on as in Lambda); the peer and the probes borrow the first function's.
  const reference = bundles[0];
  if (!reference) throw new Error('The stack has no functions');
  const referenceEnvironment = { ...reference.environment, ...lambdaEnvironment(reference) };
  const subjects = [
    { id: 'peer', file: peerFile, cwd: context.workDir, environment: referenceEnvironment },
    { id: 'probe:plain', file: plainProbe, cwd: context.workDir, environment: referenceEnvironment },
    { id: 'probe:traced', file: tracedProbe, cwd: context.workDir, environment: referenceEnvironment },
    ...bundles.map((fn) => ({
      id: fn.handler,
      file: fn.bundle,
      cwd: fn.path,
      environment: { ...fn.environment, ...lambdaEnvironment(fn) },
    })),
  ];
  const samples = new Map(subjects.map((subject) => [subject.id, [] as ImportTiming[]]));
  // One unmeasured warm-up round (the file system cache), then the rounds; every subject takes its turn
  // in each round, so a burst of load on this shared machine hits them all alike.
  for (let round = 0; round <= roundCount; round += 1) {
    for (const subject of subjects) {
      const timing = await timeImport(subject.file, subject.cwd, subject.environment);
      if (round > 0) samples.get(subject.id)?.push(timing);
    }
    if (round > 0) context.log(`round ${round}/${roundCount}`);
  }
  const summary = (id: string, what: keyof ImportTiming): Rounds =>
    summarise((samples.get(id) ?? []).map((timing) => timing[what]));

  const peerImport = { name: 'one-line ESM module', result: summary('peer', 'importMs') };
  const peerCpu = { name: 'one-line ESM module', result: summary('peer', 'cpuMs') };
  const peerStart = { name: 'one-line ESM module', result: summary('peer', 'sinceStartMs') };
  const rows: BenchRow[] = [];
  for (const fn of bundles) {
    const importMs = summary(fn.handler, 'importMs');
    const kb = kilobytes(fn.bytes);
    context.log(`${fn.handler}: ${kb.toFixed(1)} KB, import median ${importMs.median.toFixed(1)} ms`);
    rows.push(
      {
        what: `${fn.handler}: import in a fresh process`,
        unit: 'ms',
        higherIsBetter: false,
        ours: importMs,
        peers: [peerImport],
        target: `< ${IMPORT_TARGET_MS} ms`,
        met: importMs.median < IMPORT_TARGET_MS,
      },
      {
        what: `${fn.handler}: CPU time of that import`,
        unit: 'ms',
        higherIsBetter: false,
        ours: summary(fn.handler, 'cpuMs'),
        peers: [peerCpu],
      },
      {
        what: `${fn.handler}: process start → handler loaded`,
        unit: 'ms',
        higherIsBetter: false,
        ours: summary(fn.handler, 'sinceStartMs'),
        peers: [peerStart],
      },
      {
        what: `${fn.handler}: index.mjs`,
        unit: 'KB',
        higherIsBetter: false,
        ours: summarise([kb]),
        target: `< ${BUNDLE_BUDGET_KB} KB`,
        met: kb < BUNDLE_BUDGET_KB,
      },
    );
  }

  const plainBytes = statSync(plainProbe).size;
  const tracedBytes = statSync(tracedProbe).size;
  rows.push(
    {
      what: 'DynamoDB document client alone (probe, no tracing): import in a fresh process',
      unit: 'ms',
      higherIsBetter: false,
      ours: summary('probe:plain', 'importMs'),
      peers: [
        {
          name: 'the same with Powertools Tracer.captureAWSv3Client',
          result: summary('probe:traced', 'importMs'),
        },
      ],
    },
    {
      what: 'DynamoDB document client alone (probe, no tracing): CPU time of that import',
      unit: 'ms',
      higherIsBetter: false,
      ours: summary('probe:plain', 'cpuMs'),
      peers: [
        {
          name: 'the same with Powertools Tracer.captureAWSv3Client',
          result: summary('probe:traced', 'cpuMs'),
        },
      ],
    },
    {
      what: 'DynamoDB document client alone (probe, no tracing): index.mjs',
      unit: 'KB',
      higherIsBetter: false,
      ours: summarise([kilobytes(plainBytes)]),
      peers: [
        {
          name: 'the same with Powertools Tracer.captureAWSv3Client',
          result: summarise([kilobytes(tracedBytes)]),
        },
      ],
    },
  );

  const composition = bundles.map((fn) => {
    const top = bytesByPackage(fn.metafile)
      .slice(0, 5)
      .map(([name, bytes]) => `${name} ${kilobytes(bytes).toFixed(0)}`)
      .join(', ');
    return `\`${fn.handler}\` (${kilobytes(fn.bytes).toFixed(0)} KB): ${top}.`;
  });

  const probeMedian = summary('probe:plain', 'importMs').median;
  const missedImports = bundles
    .map((fn) => ({ handler: fn.handler, median: summary(fn.handler, 'importMs').median }))
    .filter((fn) => fn.median >= IMPORT_TARGET_MS)
    .map(
      (fn) =>
        `\`${fn.handler}\` ${format(fn.median)} ms (${format(fn.median / IMPORT_TARGET_MS)}× the target)`,
    );
  const missedSizes = bundles
    .filter((fn) => kilobytes(fn.bytes) >= BUNDLE_BUDGET_KB)
    .map(
      (fn) =>
        `\`${fn.handler}\` ${format(kilobytes(fn.bytes))} KB (+${format(kilobytes(fn.bytes) - BUNDLE_BUDGET_KB)} KB)`,
    );
  const misses = [
    missedImports.length === 0
      ? `Every bundle imports in under ${IMPORT_TARGET_MS} ms (median).`
      : `Import target (< ${IMPORT_TARGET_MS} ms, median) missed by: ${missedImports.join(', ')}. Why: the ` +
        `DynamoDB document client alone, with nothing of this project, imports in ${format(probeMedian)} ms ` +
        '(median, same rounds, the probe below): every function that talks to an AWS service starts from that ' +
        "floor on this machine, and the SDK's @smithy/core and clients are the largest part of each bundle " +
        '(contributors below). The functions that need no SDK client meet the target.',
    missedSizes.length === 0
      ? `Every bundle is under ${BUNDLE_BUDGET_KB} KB.`
      : `Size target (< ${BUNDLE_BUDGET_KB} KB) missed by: ${missedSizes.join(', ')}. Why: these functions ` +
        'render and publish (markdown-it and the renderer) and talk to several services (S3, CloudFront and ' +
        'its KeyValueStore, SQS, DynamoDB and, for redrive, its stream, EventBridge), one SDK client each, ' +
        "each used on the function's own path; each has its own budget in test/infra/bundles.test.ts.",
  ];

  return {
    id: 'cold-start',
    title: 'Cold start: each function bundle imported by a fresh Node.js process',
    rows,
    notes: [
      'Each bundle is built by a `cdk synth` of the stack (esbuild, minified ESM, external source map without ' +
        'sources) and imported by a new `node` process with the environment the template gives the function ' +
        '(NODE_OPTIONS=--enable-source-maps included, as in Lambda), fake credentials and the variables Lambda ' +
        'sets. "import in a fresh process" is `performance.now()` around `await import(bundle)` inside the ' +
        'child; "process start → handler loaded" is `performance.now()` when the import resolves, counted ' +
        "from the child's start, so it includes Node.js's own start-up. Spawning is not counted. " +
        '"CPU time" is `process.cpuUsage()` over the same import: on this shared machine the wall-clock ' +
        'figures include waiting for a core while other work runs, the CPU time much less so. The peer, ' +
        'a one-line ESM module, is imported the same way in every round. 1 KB = 1024 bytes.',
      'The probes are two minimal functions bundled with the same esbuild options: a DynamoDB document ' +
        'client, and the same client wrapped by the Powertools Tracer (aws-xray-sdk-core). They show what ' +
        'per-client tracing would add to every function that talks to DynamoDB; the functions do without it ' +
        '(active X-Ray tracing still records each invocation), see functions/adapters/dynamodb-client.ts.',
      ...misses,
      `Largest contributors per bundle (KB in index.mjs): ${composition.join(' ')}`,
    ],
  };
}
