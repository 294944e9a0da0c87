import type { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { createFlashNewsApp, type FlashNewsAppOptions } from '../../infra/flash-news-app';
import type { FlashNewsStackProps } from '../../infra/flash-news-stack';

/** A fixed environment: synthesis must never look up credentials or the network. */
export const TEST_ENV = { account: '123456789012', region: 'eu-central-1' } as const;

export const TEST_ALARM_TOPIC_ARN = `arn:aws:sns:${TEST_ENV.region}:${TEST_ENV.account}:newsroom-alarms`;
export const TEST_ORIGINS = ['https://news.example.com', 'https://desk.example.com'];

/** What most tests deploy: CloudFront's own domain, two CORS origins and an alarm topic. */
export const DEFAULT_TEST_PROPS: Omit<FlashNewsStackProps, 'env'> = {
  allowedOrigins: TEST_ORIGINS,
  alarmTopicArn: TEST_ALARM_TOPIC_ARN,
};

export interface TestSynthOptions extends Omit<FlashNewsAppOptions, 'env' | 'context'> {
  /** Also run the ~5 s CloudFormation schema validation; off when only the template matters. */
  readonly cloudFormationValidation?: boolean;
  /** @default TEST_ENV */
  readonly env?: { readonly account: string; readonly region: string };
  /**
   * Bundle every function with esbuild, as `cdk synth` does, and record each function's asset directory
   * in its `aws:asset:path` metadata. Only test/infra/bundles.test.ts needs this; the others skip it.
   */
  readonly bundle?: boolean;
}

/**
 * Builds the app exactly as `infra/app.ts` does, minus esbuild unless `bundle` is set: bundling is skipped
 * (the functions' code is not what these tests are about), which keeps a synthesis around a second.
 */
export function buildTestApp(options: TestSynthOptions = {}) {
  const {
    cloudFormationValidation = false,
    stackProps = DEFAULT_TEST_PROPS,
    nag = false,
    env = TEST_ENV,
    bundle = false,
    ...rest
  } = options;
  process.env.CDK_VALIDATION = cloudFormationValidation ? 'true' : 'false';
  return createFlashNewsApp({
    ...rest,
    env,
    stackProps,
    nag,
    // Path metadata lets tests find resources. Without `bundle`, the functions' code is not under test.
    context: bundle
      ? { 'aws:cdk:enable-asset-metadata': true, 'aws:cdk:enable-path-metadata': true }
      : { 'aws:cdk:bundling-stacks': [], 'aws:cdk:enable-path-metadata': true },
  });
}

export function synthTemplate(options: TestSynthOptions = {}): { template: Template; stack: Stack } {
  const { stack } = buildTestApp(options);
  return { template: Template.fromStack(stack), stack };
}

// biome-ignore lint/suspicious/noExplicitAny: CloudFormation JSON is untyped.
export type Json = any;

export interface CfnResource {
  readonly logicalId: string;
  readonly type: string;
  readonly properties: Json;
}

export function resourcesOfType(template: Template, type: string): CfnResource[] {
  return Object.entries(template.findResources(type)).map(([logicalId, resource]) => ({
    logicalId,
    type,
    properties: (resource as Json).Properties ?? {},
  }));
}

export function asArray<T>(value: T | T[] | undefined): T[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

export interface PolicyStatementJson {
  readonly Effect: 'Allow' | 'Deny';
  readonly Action?: string | string[];
  readonly NotAction?: string | string[];
  readonly Resource?: Json;
  readonly Principal?: Json;
  readonly Condition?: Json;
}

export interface LocatedStatement {
  /** Where the statement lives, e.g. `AWS::IAM::Policy ApiCreateArticle...`. */
  readonly where: string;
  /** Identity policies grant a principal; resource policies (bucket, queue) grant to their Principal. */
  readonly kind: 'identity' | 'resource';
  readonly statement: PolicyStatementJson;
}

/** Every policy statement in the template: identity policies (inline, managed, role) and resource policies. */
export function allPolicyStatements(template: Template): LocatedStatement[] {
  const found: LocatedStatement[] = [];
  const add = (where: string, kind: LocatedStatement['kind'], document: Json) => {
    for (const statement of asArray<PolicyStatementJson>(document?.Statement))
      found.push({ where, kind, statement });
  };
  for (const { logicalId, properties } of resourcesOfType(template, 'AWS::IAM::Policy')) {
    add(`AWS::IAM::Policy ${logicalId}`, 'identity', properties.PolicyDocument);
  }
  for (const { logicalId, properties } of resourcesOfType(template, 'AWS::IAM::ManagedPolicy')) {
    add(`AWS::IAM::ManagedPolicy ${logicalId}`, 'identity', properties.PolicyDocument);
  }
  for (const type of ['AWS::IAM::Role', 'AWS::IAM::User', 'AWS::IAM::Group']) {
    for (const { logicalId, properties } of resourcesOfType(template, type)) {
      for (const policy of asArray<Json>(properties.Policies))
        add(`${type} ${logicalId}`, 'identity', policy.PolicyDocument);
    }
  }
  for (const { logicalId, properties } of resourcesOfType(template, 'AWS::S3::BucketPolicy')) {
    add(`AWS::S3::BucketPolicy ${logicalId}`, 'resource', properties.PolicyDocument);
  }
  for (const { logicalId, properties } of resourcesOfType(template, 'AWS::SQS::QueuePolicy')) {
    add(`AWS::SQS::QueuePolicy ${logicalId}`, 'resource', properties.PolicyDocument);
  }
  return found;
}

/** The logical id behind `{ Ref }` or `{ Fn::GetAtt: [id, attr] }`. */
export function referencedId(value: Json): string | undefined {
  if (value && typeof value === 'object') {
    if (typeof value.Ref === 'string') return value.Ref;
    if (Array.isArray(value['Fn::GetAtt'])) return value['Fn::GetAtt'][0];
  }
  return undefined;
}

/** Identity-policy statements attached to the role of a function. */
export function statementsOfFunction(template: Template, functionLogicalId: string): PolicyStatementJson[] {
  const fn = template.toJSON().Resources[functionLogicalId];
  const roleId = referencedId(fn.Properties.Role);
  return resourcesOfType(template, 'AWS::IAM::Policy')
    .filter(({ properties }) => asArray<Json>(properties.Roles).some((role) => referencedId(role) === roleId))
    .flatMap(({ properties }) => asArray<PolicyStatementJson>(properties.PolicyDocument.Statement));
}

export interface RouteWiringJson {
  readonly routeKey: string;
  readonly route: CfnResource;
  readonly functionLogicalId: string;
  readonly function: CfnResource;
}

/** Each API route with the Lambda function its integration invokes. */
export function routesWithFunctions(template: Template): Map<string, RouteWiringJson> {
  const resources = template.toJSON().Resources;
  const wiring = new Map<string, RouteWiringJson>();
  for (const route of resourcesOfType(template, 'AWS::ApiGatewayV2::Route')) {
    // Target is `integrations/<IntegrationId>`, written as a Join with a Ref.
    const joined: Json[] = route.properties.Target['Fn::Join'][1];
    const integrationId = referencedId(joined.find((part) => referencedId(part)));
    const integration = resources[integrationId as string];
    const functionLogicalId = referencedId(integration.Properties.IntegrationUri) as string;
    wiring.set(route.properties.RouteKey, {
      routeKey: route.properties.RouteKey,
      route,
      functionLogicalId,
      function: {
        logicalId: functionLogicalId,
        type: 'AWS::Lambda::Function',
        properties: resources[functionLogicalId].Properties,
      },
    });
  }
  return wiring;
}

/** The logical id of the only resource of a type (fails when there is not exactly one). */
export function onlyLogicalId(template: Template, type: string): string {
  const ids = Object.keys(template.findResources(type));
  if (ids.length !== 1) throw new Error(`Expected one ${type}, found ${ids.length}`);
  return ids[0] as string;
}

/** The resource created at a construct path, e.g. `Renderer/RenderFunction/Function` (stack-relative). */
export function resourceAtPath(template: Template, path: string): CfnResource {
  const wanted = `FlashNews/${path}/Resource`;
  for (const [logicalId, resource] of Object.entries<Json>(template.toJSON().Resources)) {
    if (resource.Metadata?.['aws:cdk:path'] === wanted) {
      return { logicalId, type: resource.Type, properties: resource.Properties ?? {} };
    }
  }
  throw new Error(`No resource at ${wanted}`);
}
