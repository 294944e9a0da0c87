import { fileURLToPath } from 'node:url';
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { Effect, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { newsroomDefines } from '../../functions/config/newsroom';
import { newsroomFor } from '../config';

/** Repository root: entries, the lock file and esbuild are resolved from here, whatever the cwd. */
export const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The SDK's default credential chain, replaced in the bundles by the environment link alone. */
const CREDENTIAL_CHAIN_PACKAGE = '@aws-sdk/credential-provider-node';
const LAMBDA_CREDENTIALS_MODULE = fileURLToPath(
  new URL('../../functions/adapters/lambda-credentials.ts', import.meta.url),
);

export const POWERTOOLS_SERVICE_NAME = 'flash-news';
export const POWERTOOLS_METRICS_NAMESPACE = 'FlashNews';

/**
 * CDK context key (`cdk synth -c bundleMetafile=true`): esbuild also writes `index.meta.json`, what each
 * bundle is made of, next to `index.mjs`. Tests and the cold-start bench read it; deployed assets never
 * carry it.
 */
export const BUNDLE_METAFILE_CONTEXT = 'bundleMetafile';

export interface NewsFunctionProps {
  /** Module under `functions/handlers/` exporting `handler`. */
  readonly handler: string;
  readonly description: string;
  readonly environment?: Readonly<Record<string, string>>;
  /** @default 10 seconds: API Gateway gives up after 30, and a handler that slow is a bug. */
  readonly timeout?: Duration;
  /** @default 512 MB: on ARM this is the price/cold-start sweet spot for SDK-bound handlers. */
  readonly memorySize?: number;
  /** @default one month */
  readonly logRetention?: RetentionDays;
  /**
   * Files the handler reads at run time, copied next to `index.mjs` rather than bundled into it, so they
   * cost nothing at cold start (e.g. the 1.9 MB of Swagger UI behind GET /api/docs).
   */
  readonly filesBesideHandler?: readonly string[];
}

/** Shell commands that copy `files` into the bundle's output directory (run by local bundling). */
function copyCommands(files: readonly string[], outputDir: string): string[] {
  const quoted = (path: string) => `'${path.replaceAll("'", "'\\''")}'`;
  return files.map((file) => `cp ${quoted(file)} ${quoted(`${outputDir}/`)}`);
}

/**
 * Every Lambda function of the stack, with the defaults held in one place: Node.js 24 on ARM64, one
 * minified ESM bundle with source maps, Powertools configuration, X-Ray, and a log group with retention.
 *
 * The role is built here rather than left to Lambda's default so that it carries no AWS managed policy:
 * AWSLambdaBasicExecutionRole would let the function create and write any log group in the account.
 */
export class NewsFunction extends Construct {
  readonly function: NodejsFunction;
  readonly role: Role;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: NewsFunctionProps) {
    super(scope, id);

    this.logGroup = new LogGroup(this, 'LogGroup', {
      retention: props.logRetention ?? RetentionDays.ONE_MONTH,
      // Logs of a removed function are of no use and would otherwise linger and cost storage.
      removalPolicy: RemovalPolicy.DESTROY,
    });

    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `${props.handler} function`,
    });
    this.role.addToPrincipalPolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [this.logGroup.logGroupArn],
      }),
    );
    Validations.of(this.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Resource "*" is used only for actions that support no resource-level permissions: ' +
        'xray:PutTraceSegments and xray:PutTelemetryRecords (active tracing) and, for the stream renderer, ' +
        'dynamodb:ListStreams; test/infra/permissions.test.ts fails on any other action with "*".',
    });

    this.function = new NodejsFunction(this, 'Function', {
      entry: `${PROJECT_ROOT}functions/handlers/${props.handler}.ts`,
      handler: 'handler',
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: `${PROJECT_ROOT}package-lock.json`,
      description: props.description,
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.seconds(10),
      role: this.role,
      logGroup: this.logGroup,
      tracing: Tracing.ACTIVE,
      environment: {
        NODE_OPTIONS: '--enable-source-maps',
        POWERTOOLS_SERVICE_NAME,
        POWERTOOLS_METRICS_NAMESPACE,
        POWERTOOLS_LOG_LEVEL: 'INFO',
        ...props.environment,
      },
      bundling: {
        format: OutputFormat.ESM,
        target: 'node24',
        platform: 'node',
        minify: true,
        // An external index.mjs.map, linked by a comment and never inlined: index.mjs stays code only.
        sourceMap: true,
        // Stack traces need file and line numbers, not a second copy of the sources in every bundle.
        sourcesContent: false,
        metafile: [true, 'true'].includes(this.node.tryGetContext(BUNDLE_METAFILE_CONTEXT)),
        mainFields: ['module', 'main'],
        // The newsroom (name, language, sections...), checked at synth and inlined as an object literal: no
        // file to read and no validator to run at cold start, and no 4 KB environment limit to outgrow.
        define: newsroomDefines(newsroomFor(this.node)),
        // Bundling the SDK pins the versions the tests ran against instead of whatever the runtime ships.
        externalModules: [],
        // A function's credentials are always in its environment: the rest of the SDK's default chain is
        // dead weight in the bundle (functions/adapters/lambda-credentials.ts says how much).
        esbuildArgs: { [`--alias:${CREDENTIAL_CHAIN_PACKAGE}`]: LAMBDA_CREDENTIALS_MODULE },
        // Some CommonJS dependencies call require() on Node built-ins, which ESM bundles lack.
        banner:
          "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
        // Never fall back to Docker: bundling must work offline with the locally installed esbuild.
        forceDockerBundling: false,
        ...(props.filesBesideHandler?.length
          ? {
              commandHooks: {
                beforeBundling: () => [],
                beforeInstall: () => [],
                afterBundling: (_inputDir: string, outputDir: string) =>
                  copyCommands(props.filesBesideHandler ?? [], outputDir),
              },
            }
          : {}),
      },
    });
  }

  /** Sets one environment variable; grant helpers use this so a permission never comes without its config. */
  addEnvironment(name: string, value: string): this {
    this.function.addEnvironment(name, value);
    return this;
  }
}
