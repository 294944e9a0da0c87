import { chmod, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * The signed-in sessions, one per API origin, in `~/.config/flash-news/credentials.json` (or
 * `$XDG_CONFIG_HOME/flash-news/`, or `$FLASH_NEWS_CONFIG_DIR`). The file holds refresh tokens, so it is
 * readable by its owner only (0600, in a 0700 directory) and replaced atomically.
 */

export interface CognitoSession {
  readonly username: string;
  readonly userPoolId: string;
  readonly clientId: string;
  readonly region: string;
  /** Only when signing in to something other than Cognito's regional endpoint (tests). */
  readonly endpoint?: string;
  /** What the API's JWT authorizer checks (it carries `cognito:groups`). */
  readonly idToken: string;
  readonly refreshToken: string;
  /** When the ID token expires (ISO 8601). */
  readonly expiresAt: string;
}

interface CredentialsFile {
  readonly version: 1;
  readonly sessions: Record<string, CognitoSession>;
}

export function configDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.FLASH_NEWS_CONFIG_DIR) return env.FLASH_NEWS_CONFIG_DIR;
  return join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'flash-news');
}

export function credentialsPath(env: NodeJS.ProcessEnv = process.env): string {
  return join(configDir(env), 'credentials.json');
}

async function readCredentials(env: NodeJS.ProcessEnv): Promise<CredentialsFile> {
  try {
    const parsed = JSON.parse(await readFile(credentialsPath(env), 'utf8')) as Partial<CredentialsFile>;
    return { version: 1, sessions: parsed.sessions ?? {} };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { version: 1, sessions: {} };
    throw error;
  }
}

async function writeCredentials(file: CredentialsFile, env: NodeJS.ProcessEnv): Promise<void> {
  const directory = configDir(env);
  await mkdir(directory, { recursive: true, mode: 0o700 });
  const path = credentialsPath(env);
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600 });
  // The mode given to writeFile only applies to a file it creates; make sure of it either way.
  await chmod(temporary, 0o600);
  await rename(temporary, path);
}

export async function loadSession(api: string, env: NodeJS.ProcessEnv = process.env) {
  return (await readCredentials(env)).sessions[api];
}

export async function saveSession(
  api: string,
  session: CognitoSession,
  env: NodeJS.ProcessEnv = process.env,
) {
  const file = await readCredentials(env);
  await writeCredentials({ version: 1, sessions: { ...file.sessions, [api]: session } }, env);
}

/** Forgets the session for `api`; true if there was one. The file goes when no session is left. */
export async function removeSession(api: string, env: NodeJS.ProcessEnv = process.env): Promise<boolean> {
  const file = await readCredentials(env);
  if (!(api in file.sessions)) return false;
  const { [api]: _removed, ...sessions } = file.sessions;
  if (Object.keys(sessions).length === 0) await rm(credentialsPath(env), { force: true });
  else await writeCredentials({ version: 1, sessions }, env);
  return true;
}

/** The `exp` of a JWT as an ISO date, read without verifying it (the API verifies; this only plans refreshes). */
export function tokenExpiry(token: string): string | undefined {
  const payload = token.split('.')[1];
  if (!payload) return undefined;
  try {
    const { exp } = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { exp?: unknown };
    return typeof exp === 'number' ? new Date(exp * 1000).toISOString() : undefined;
  } catch {
    return undefined;
  }
}
