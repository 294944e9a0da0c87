import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { TokenProvider } from 'flash-news-client';
import { type CognitoSettings, refreshTokens, regionOfUserPool } from './flash-news-cognito-tokens';
import { loadSession, saveSession } from './flash-news-credentials';
import { CliError } from './flash-news-output';

/**
 * Which API a command talks to, and with which token. In order: `--local`; `--api`; `--stack` (the
 * deployment's CloudFormation outputs, read with the AWS CLI); `FLASH_NEWS_API`; else the local stack
 * at http://localhost:$PORT (3000). The token: `--token` or `FLASH_NEWS_TOKEN`; else the session saved
 * by `flash-news login` for that API (refreshed when it is about to expire); else, for the local stack,
 * a token minted the way `npm run token` mints it, from DATA_DIR.
 */

export interface GlobalOptions {
  readonly api?: string;
  readonly stack?: string;
  readonly local?: boolean;
  readonly token?: string;
  readonly region?: string;
  readonly userPoolId?: string;
  readonly clientId?: string;
  readonly json?: boolean;
}

export interface Target {
  /** The origin the API is under, e.g. `http://localhost:3000`. */
  readonly api: string;
  readonly local: boolean;
  /** How to sign in, when it is known (flags, environment or stack outputs). */
  readonly cognito?: CognitoSettings;
}

export type StackOutputReader = (
  stack: string,
  region: string | undefined,
) => Promise<Record<string, string>>;

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);
/** A token this close to expiry is refreshed before use, so it cannot expire on the way. */
const REFRESH_MARGIN_MS = 5 * 60 * 1000;

function originOf(value: string, what: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new CliError(
      `${what} must be an http(s) URL, e.g. https://news.example.com (got ${JSON.stringify(value)})`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new CliError(`${what} must be an http(s) URL (got ${JSON.stringify(value)})`);
  }
  // The API lives under /api on the site's origin; the ApiUrl output already ends with it.
  const path = url.pathname.replace(/\/+$/, '').replace(/\/api$/, '');
  return `${url.origin}${path}`;
}

export function isLocalApi(api: string): boolean {
  return LOCAL_HOSTS.has(new URL(api).hostname);
}

/** `aws cloudformation describe-stacks`: the stack's outputs by key. */
export const readStackOutputs: StackOutputReader = async (stack, region) => {
  const args = ['cloudformation', 'describe-stacks', '--stack-name', stack, '--output', 'json'];
  if (region) args.push('--region', region);
  let stdout: string;
  try {
    ({ stdout } = await promisify(execFile)('aws', args, { timeout: 60_000 }));
  } catch (error) {
    const failure = error as NodeJS.ErrnoException & { stderr?: string };
    if (failure.code === 'ENOENT') {
      throw new CliError(
        '--stack needs the AWS CLI (aws); without it, set FLASH_NEWS_API, FLASH_NEWS_USER_POOL_ID and FLASH_NEWS_USER_POOL_CLIENT_ID',
      );
    }
    throw new CliError(
      `could not read the outputs of stack ${stack}: ${(failure.stderr || failure.message).trim()}`,
    );
  }
  const parsed = JSON.parse(stdout) as {
    Stacks?: { Outputs?: { OutputKey: string; OutputValue: string }[] }[];
  };
  return Object.fromEntries(
    (parsed.Stacks?.[0]?.Outputs ?? []).map((output) => [output.OutputKey, output.OutputValue]),
  );
};

export async function resolveTarget(
  options: GlobalOptions,
  env: NodeJS.ProcessEnv = process.env,
  readOutputs: StackOutputReader = readStackOutputs,
): Promise<Target> {
  const region = options.region ?? env.FLASH_NEWS_REGION ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
  const outputs = options.stack && !options.local ? await readOutputs(options.stack, region) : {};
  let api: string;
  if (options.local) api = `http://localhost:${env.PORT || 3000}`;
  else if (options.api) api = originOf(options.api, '--api');
  else if (options.stack) {
    const url = outputs.ApiUrl ?? outputs.SiteUrl;
    if (!url) throw new CliError(`stack ${options.stack} has no ApiUrl output; is it the Flash News stack?`);
    api = originOf(url, `the ApiUrl output of ${options.stack}`);
  } else if (env.FLASH_NEWS_API) api = originOf(env.FLASH_NEWS_API, 'FLASH_NEWS_API');
  else api = `http://localhost:${env.PORT || 3000}`;

  const userPoolId = options.userPoolId ?? env.FLASH_NEWS_USER_POOL_ID ?? outputs.UserPoolId;
  const clientId = options.clientId ?? env.FLASH_NEWS_USER_POOL_CLIENT_ID ?? outputs.UserPoolClientId;
  const poolRegion = userPoolId ? (regionOfUserPool(userPoolId) ?? region) : undefined;
  const cognito =
    userPoolId && clientId && poolRegion
      ? { userPoolId, clientId, region: poolRegion, endpoint: env.FLASH_NEWS_COGNITO_ENDPOINT || undefined }
      : undefined;
  return { api, local: isLocalApi(api), cognito };
}

/** DATA_DIR as `npm start` and `npm run token` see it: relative to where npm runs them, the repository. */
export function localDataDir(env: NodeJS.ProcessEnv = process.env): string {
  const repository = fileURLToPath(new URL('..', import.meta.url));
  const dataDir = env.DATA_DIR || '.data';
  return isAbsolute(dataDir) ? dataDir : resolve(env.DATA_DIR ? process.cwd() : repository, dataDir);
}

/**
 * The same code as `npm run token`: a token signed with the key in DATA_DIR, valid 12 hours, of an admin,
 * so every command (`delete` too) works against the local stack.
 */
export async function mintLocalToken(env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const dataDir = localDataDir(env);
  // openLocalIssuer would create a new key where none is, which no running stack would accept.
  if (!existsSync(join(dataDir, 'local-secrets.json'))) {
    throw new CliError(
      `no local stack data in ${dataDir}: start the stack with npm start, or set DATA_DIR to the one it uses`,
      'no_local_stack',
    );
  }
  const { openLocalIssuer } = await import('../local/local-issuer');
  const issuer = await openLocalIssuer(dataDir);
  return issuer.mintToken({ username: 'local-editor', groups: ['admins'], expiresIn: '12h' });
}

/**
 * The token provider for a command. For writes (`required`) a missing token is an error with a hint;
 * reads go without one when none can be had (a token only lets them see drafts).
 */
export function tokenProvider(
  target: Target,
  options: GlobalOptions,
  required: boolean,
  env: NodeJS.ProcessEnv = process.env,
): TokenProvider {
  const explicit = options.token ?? env.FLASH_NEWS_TOKEN;
  if (explicit) return () => explicit;
  let cached: Promise<string | undefined> | undefined;
  let expiresAt = 0;
  const fetchToken = async () => {
    const token = await sessionToken(target, env);
    expiresAt = token.expiresAt;
    if (token.value === undefined && required) {
      throw new CliError(
        `not signed in to ${target.api}: run flash-news login (or pass --token, or set FLASH_NEWS_TOKEN)`,
        'not_signed_in',
      );
    }
    return token.value;
  };
  return () => {
    if (!cached || expiresAt - Date.now() < REFRESH_MARGIN_MS) {
      cached = required ? fetchToken() : fetchToken().catch(() => undefined);
      // A failure is not remembered: the next call tries again.
      cached.catch(() => {
        cached = undefined;
      });
    }
    return cached;
  };
}

async function sessionToken(
  target: Target,
  env: NodeJS.ProcessEnv,
): Promise<{ value: string | undefined; expiresAt: number }> {
  const session = await loadSession(target.api, env);
  if (session) {
    if (Date.parse(session.expiresAt) - Date.now() > REFRESH_MARGIN_MS) {
      return { value: session.idToken, expiresAt: Date.parse(session.expiresAt) };
    }
    const tokens = await refreshTokens(session, session.refreshToken).catch((error: unknown) => {
      throw new CliError(
        `the saved session for ${target.api} could not be refreshed (${error instanceof Error ? error.message : String(error)}); sign in again with: flash-news login`,
        'session_expired',
      );
    });
    await saveSession(target.api, { ...session, ...tokens }, env);
    return { value: tokens.idToken, expiresAt: Date.parse(tokens.expiresAt) };
  }
  if (target.local) {
    return { value: await mintLocalToken(env), expiresAt: Date.now() + 12 * 60 * 60 * 1000 };
  }
  return { value: undefined, expiresAt: Number.POSITIVE_INFINITY };
}
