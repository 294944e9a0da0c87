import { Token } from 'aws-cdk-lib';
import type { Node } from 'constructs';
import type { NewsroomConfig } from '../functions/config/newsroom';
import {
  defaultNewsroomFile,
  NEWSROOM_CONFIG_ENV,
  newsroomFilePath,
  readNewsroomConfig,
} from '../functions/config/newsroom-file';
import { isTimeZone } from '../functions/config/time-zone';

/**
 * Deployment settings that differ between newsrooms. Every field is optional so that a bare
 * `cdk deploy` works; anything given as a stack prop wins over CDK context (`-c key=value` or cdk.json).
 */
export interface DeploymentConfig {
  /** Custom domain readers use, e.g. `news.example.com`. Needs `certificateArn`. */
  readonly domainName?: string;
  /** ACM certificate for `domainName`; CloudFront only accepts certificates from us-east-1. */
  readonly certificateArn?: string;
  /** Browser origins allowed to call the API cross-origin; the site itself is same-origin and needs none. */
  readonly allowedOrigins?: readonly string[];
  /** @default the newsroom config's name */
  readonly siteName?: string;
  /** IANA time zone of the times on the pages, e.g. `Europe/Tirane`. @default the newsroom config's */
  readonly siteTimeZone?: string;
  /** Public origin of the site, when it is neither the custom domain nor the CloudFront domain. */
  readonly siteBaseUrl?: string;
  /** SNS topic every alarm notifies. */
  readonly alarmTopicArn?: string;
  /** WAFv2 web ACL (scope CLOUDFRONT, in us-east-1) to attach to the distribution. */
  readonly webAclArn?: string;
  /** Steady-state requests per second the API stage accepts before answering 429. */
  readonly apiRateLimit?: number;
  readonly apiBurstLimit?: number;
}

export interface ResolvedConfig {
  readonly domainName?: string;
  readonly certificateArn?: string;
  readonly allowedOrigins: readonly string[];
  readonly siteName: string;
  readonly siteTimeZone: string;
  readonly siteBaseUrl?: string;
  readonly alarmTopicArn?: string;
  readonly webAclArn?: string;
  readonly apiRateLimit: number;
  readonly apiBurstLimit: number;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Public reads are answered by CloudFront, so the API only sees editors and cache misses. */
const DEFAULT_RATE_LIMIT = 50;
const DEFAULT_BURST_LIMIT = 100;

export const CONTEXT_KEYS = {
  domainName: 'domainName',
  certificateArn: 'certificateArn',
  allowedOrigins: 'corsOrigins',
  siteName: 'siteName',
  siteTimeZone: 'siteTimeZone',
  siteBaseUrl: 'siteBaseUrl',
  alarmTopicArn: 'alarmTopicArn',
  webAclArn: 'webAclArn',
  apiRateLimit: 'apiRateLimit',
  apiBurstLimit: 'apiBurstLimit',
} as const satisfies Record<keyof DeploymentConfig, string>;

/**
 * CDK context key naming the newsroom file (`cdk synth -c newsroomConfig=newsroom.config.sq.json`); without
 * it, the NEWSROOM_CONFIG environment variable, then newsroom.config.json. Relative to the working directory.
 */
export const NEWSROOM_CONTEXT_KEY = 'newsroomConfig';

/** Each file is read and checked once per synth, however many functions inline it. */
const newsrooms = new Map<string, NewsroomConfig>();

function newsroomAt(path: string): NewsroomConfig {
  let newsroom = newsrooms.get(path);
  if (newsroom === undefined) {
    newsroom = readNewsroomConfig(path);
    newsrooms.set(path, newsroom);
  }
  return newsroom;
}

/**
 * The newsroom a construct is deployed with: the file the context names, else NEWSROOM_CONFIG, else the
 * default. A bad file throws NewsroomConfigError, one line that infra/app.ts prints as it is.
 */
export function newsroomFor(node: Node): NewsroomConfig {
  return newsroomAt(
    newsroomFilePath(contextString(node, NEWSROOM_CONTEXT_KEY) ?? process.env[NEWSROOM_CONFIG_ENV]),
  );
}

function contextString(node: Node, key: string): string | undefined {
  const value: unknown = node.tryGetContext(key);
  if (value === undefined || value === null) return undefined;
  const text = String(value).trim();
  return text === '' ? undefined : text;
}

function contextList(node: Node, key: string): string[] | undefined {
  const value: unknown = node.tryGetContext(key);
  if (value === undefined || value === null) return undefined;
  // `-c corsOrigins=a,b` arrives as a string; cdk.json can hold a real array.
  const items = Array.isArray(value) ? value.map(String) : String(value).split(',');
  return items.map((item) => item.trim()).filter(Boolean);
}

function contextNumber(node: Node, key: string): number | undefined {
  const text = contextString(node, key);
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0)
    throw new ConfigError(`Context ${key} must be a positive number`);
  return value;
}

/** Reads the settings not given as props from CDK context. */
export function configFromContext(node: Node): DeploymentConfig {
  return {
    domainName: contextString(node, CONTEXT_KEYS.domainName),
    certificateArn: contextString(node, CONTEXT_KEYS.certificateArn),
    allowedOrigins: contextList(node, CONTEXT_KEYS.allowedOrigins),
    siteName: contextString(node, CONTEXT_KEYS.siteName) ?? newsroomFor(node).name,
    siteTimeZone: contextString(node, CONTEXT_KEYS.siteTimeZone) ?? newsroomFor(node).timeZone,
    siteBaseUrl: contextString(node, CONTEXT_KEYS.siteBaseUrl),
    alarmTopicArn: contextString(node, CONTEXT_KEYS.alarmTopicArn),
    webAclArn: contextString(node, CONTEXT_KEYS.webAclArn),
    apiRateLimit: contextNumber(node, CONTEXT_KEYS.apiRateLimit),
    apiBurstLimit: contextNumber(node, CONTEXT_KEYS.apiBurstLimit),
  };
}

function assertOrigin(value: string, what: string): string {
  let origin: string;
  try {
    origin = new URL(value).origin;
  } catch {
    throw new ConfigError(`${what} "${value}" is not a URL`);
  }
  // A path, a trailing slash or `*` would never match the browser's Origin header, or would match everyone.
  if (origin !== value || !/^https?:/.test(origin)) {
    throw new ConfigError(`${what} "${value}" must be a bare origin such as https://news.example.com`);
  }
  return origin;
}

/** Fails at synth on settings that would only fail later, half-way through a CloudFormation deployment. */
export function resolveConfig(config: DeploymentConfig): ResolvedConfig {
  const { domainName, certificateArn } = config;
  if (Boolean(domainName) !== Boolean(certificateArn)) {
    throw new ConfigError('domainName and certificateArn must be given together');
  }
  // An imported certificate object may carry a token; CloudFormation reports its region instead.
  if (certificateArn !== undefined && !Token.isUnresolved(certificateArn)) {
    const region = certificateArn.split(':')[3];
    if (!certificateArn.startsWith('arn:') || region !== 'us-east-1') {
      throw new ConfigError(`CloudFront needs an ACM certificate from us-east-1, got ${certificateArn}`);
    }
  }
  const defaultOrigins = domainName ? [`https://${domainName}`] : [];
  const allowedOrigins = (config.allowedOrigins ?? defaultOrigins).map((origin) =>
    assertOrigin(origin, 'CORS origin'),
  );
  const siteBaseUrl =
    config.siteBaseUrl === undefined
      ? undefined
      : assertOrigin(config.siteBaseUrl.replace(/\/+$/, ''), 'siteBaseUrl');
  const siteTimeZone = config.siteTimeZone ?? newsroomAt(defaultNewsroomFile()).timeZone;
  if (!isTimeZone(siteTimeZone))
    throw new ConfigError(`siteTimeZone ${siteTimeZone} is not an IANA time zone`);
  return {
    domainName,
    certificateArn,
    allowedOrigins: [...new Set(allowedOrigins)],
    siteName: config.siteName ?? newsroomAt(defaultNewsroomFile()).name,
    siteTimeZone,
    siteBaseUrl,
    alarmTopicArn: config.alarmTopicArn,
    webAclArn: config.webAclArn,
    apiRateLimit: config.apiRateLimit ?? DEFAULT_RATE_LIMIT,
    apiBurstLimit: config.apiBurstLimit ?? DEFAULT_BURST_LIMIT,
  };
}
