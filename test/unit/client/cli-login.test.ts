import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { signIn } from '../../../cli/flash-news-cognito';
import { refreshTokens, regionOfUserPool } from '../../../cli/flash-news-cognito-tokens';
import {
  type CognitoSession,
  credentialsPath,
  loadSession,
  removeSession,
  saveSession,
  tokenExpiry,
} from '../../../cli/flash-news-credentials';
import { CliError } from '../../../cli/flash-news-output';
import { resolveTarget, tokenProvider } from '../../../cli/flash-news-target';
import { type FakeCognito, fakeJwt, startFakeCognito, VALID_TOTP } from './fake-cognito';

const POOL = 'eu-central-1_AbCdEf123';
let cognito: FakeCognito;
let cognitoWithoutMfa: FakeCognito;
beforeAll(async () => {
  cognito = await startFakeCognito({ mfa: true });
  cognitoWithoutMfa = await startFakeCognito({ mfa: false });
});
afterAll(async () => {
  await cognito.close();
  await cognitoWithoutMfa.close();
});

const settings = () => ({
  userPoolId: POOL,
  clientId: 'client-1',
  region: 'eu-central-1',
  endpoint: cognito.endpoint,
});

async function caught(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a failure');
}

describe('Cognito sign-in (SRP, TOTP)', () => {
  it('signs in with SRP, asks for the MFA code only when challenged, and never sends the password', async () => {
    cognito.calls.length = 0;
    let asked = 0;
    const tokens = await signIn(settings(), 'alice', 'Correct-Horse-Battery-9', {
      mfaCode: async () => {
        asked += 1;
        return ` ${VALID_TOTP}\n`;
      },
    });
    expect(asked).toBe(1);
    expect(
      cognito.calls.map((call) => `${call.operation} ${call.body.AuthFlow ?? call.body.ChallengeName}`),
    ).toEqual([
      'InitiateAuth USER_SRP_AUTH',
      'RespondToAuthChallenge PASSWORD_VERIFIER',
      'RespondToAuthChallenge SOFTWARE_TOKEN_MFA',
    ]);
    expect(cognito.calls[0]?.body.AuthParameters.SRP_A).toMatch(/^[0-9a-f]+$/);
    expect(cognito.calls[1]?.body.ChallengeResponses.PASSWORD_CLAIM_SIGNATURE).toBeTruthy();
    expect(JSON.stringify(cognito.calls)).not.toContain('Correct-Horse-Battery-9');
    expect(tokens.refreshToken).toMatch(/^refresh-/);
    expect(tokens.expiresAt).toBe(tokenExpiry(tokens.idToken));
  });

  it('does not ask for a code when the account has no MFA', async () => {
    const tokens = await signIn({ ...settings(), endpoint: cognitoWithoutMfa.endpoint }, 'alice', 'pw', {
      mfaCode: () => Promise.reject(new Error('should not be asked')),
    });
    expect(tokens.idToken.split('.')).toHaveLength(3);
  });

  it('reports a wrong MFA code in one line', async () => {
    const error = await caught(signIn(settings(), 'alice', 'pw', { mfaCode: async () => '000000' }));
    expect(error).toBeInstanceOf(CliError);
    expect(error.message).toBe('Cognito the MFA code is wrong: Invalid code received for user');
  });

  it('reports a refused sign-in', async () => {
    const error = await caught(signIn(settings(), 'mallory', 'pw', { mfaCode: async () => VALID_TOTP }));
    expect(error.message).toMatch(/^Cognito sign-in refused: Incorrect username or password/);
  });

  it('refreshes the ID token with the refresh token', async () => {
    cognito.calls.length = 0;
    const tokens = await refreshTokens(settings(), 'refresh-1');
    expect(cognito.calls[0]?.body).toMatchObject({ AuthFlow: 'REFRESH_TOKEN_AUTH', ClientId: 'client-1' });
    expect(tokens.refreshToken).toBe('refresh-1');
  });

  it('reads the region from the user pool id', () => {
    expect(regionOfUserPool('eu-central-1_AbCdEf123')).toBe('eu-central-1');
    expect(regionOfUserPool('us-gov-west-1_X1')).toBe('us-gov-west-1');
    expect(regionOfUserPool('nonsense')).toBeUndefined();
  });
});

describe('saved sessions and tokens', () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'flash-news-config-'));
    env = { FLASH_NEWS_CONFIG_DIR: join(dir, 'flash-news') };
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const session = (overrides: Partial<CognitoSession> = {}): CognitoSession => ({
    ...settings(),
    username: 'alice',
    idToken: 'id-token',
    refreshToken: 'refresh-7',
    expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
    ...overrides,
  });

  it('keeps sessions per API in a file only its owner can read', async () => {
    await saveSession('https://news.example.com', session(), env);
    await saveSession('https://other.example.com', session({ username: 'bob' }), env);
    const file = await stat(credentialsPath(env));
    expect(file.mode & 0o777).toBe(0o600);
    expect((await stat(join(dir, 'flash-news'))).mode & 0o777).toBe(0o700);
    expect((await loadSession('https://news.example.com', env))?.username).toBe('alice');
    expect(await removeSession('https://news.example.com', env)).toBe(true);
    expect(await loadSession('https://news.example.com', env)).toBeUndefined();
    expect((await loadSession('https://other.example.com', env))?.username).toBe('bob');
  });

  it('defaults to ~/.config/flash-news, or XDG_CONFIG_HOME', () => {
    expect(credentialsPath({ XDG_CONFIG_HOME: '/home/x/.cfg' })).toBe(
      '/home/x/.cfg/flash-news/credentials.json',
    );
    expect(credentialsPath({})).toMatch(/\.config\/flash-news\/credentials\.json$/);
  });

  it('uses a saved token that is still valid as it is', async () => {
    await saveSession('https://news.example.com', session(), env);
    const target = await resolveTarget({ api: 'https://news.example.com' }, env);
    cognito.calls.length = 0;
    expect(await tokenProvider(target, {}, true, env)()).toBe('id-token');
    expect(cognito.calls).toHaveLength(0);
  });

  it('refreshes a token about to expire and saves the new one', async () => {
    await saveSession(
      'https://news.example.com',
      session({ expiresAt: new Date(Date.now() + 60_000).toISOString(), refreshToken: 'refresh-3' }),
      env,
    );
    const target = await resolveTarget({ api: 'https://news.example.com' }, env);
    const token = await tokenProvider(target, {}, true, env)();
    expect(token).not.toBe('id-token');
    const saved = await loadSession('https://news.example.com', env);
    expect(saved?.idToken).toBe(token);
    expect(saved?.refreshToken).toBe('refresh-3');
    expect(Date.parse(saved?.expiresAt ?? '')).toBeGreaterThan(Date.now() + 600_000);
  });

  it('says to sign in again when the refresh token is refused', async () => {
    await saveSession(
      'https://news.example.com',
      session({ expiresAt: new Date(0).toISOString(), refreshToken: 'revoked' }),
      env,
    );
    const target = await resolveTarget({ api: 'https://news.example.com' }, env);
    const error = await caught(Promise.resolve(tokenProvider(target, {}, true, env)()));
    expect(error.message).toMatch(/could not be refreshed .*sign in again with: flash-news login/);
  });

  it('prefers --token, then FLASH_NEWS_TOKEN, to any saved session', async () => {
    await saveSession('https://news.example.com', session(), env);
    const target = await resolveTarget({ api: 'https://news.example.com' }, env);
    expect(await tokenProvider(target, { token: 'flag' }, true, { ...env, FLASH_NEWS_TOKEN: 'env' })()).toBe(
      'flag',
    );
    expect(await tokenProvider(target, {}, true, { ...env, FLASH_NEWS_TOKEN: 'env' })()).toBe('env');
  });

  it('asks to sign in for a write when there is no token, and reads without one', async () => {
    const target = await resolveTarget({ api: 'https://news.example.com' }, env);
    const error = await caught(Promise.resolve(tokenProvider(target, {}, true, env)()));
    expect(error.message).toBe(
      'not signed in to https://news.example.com: run flash-news login (or pass --token, or set FLASH_NEWS_TOKEN)',
    );
    expect(await tokenProvider(target, {}, false, env)()).toBeUndefined();
  });

  it('explains a missing local stack instead of minting a key nobody verifies with', async () => {
    const target = await resolveTarget({ local: true }, env);
    const error = await caught(
      Promise.resolve(tokenProvider(target, {}, true, { ...env, DATA_DIR: join(dir, 'no-stack') })()),
    );
    expect(error.message).toMatch(/^no local stack data in .*no-stack: start the stack with npm start/);
  });

  it('decodes a JWT’s expiry', () => {
    expect(tokenExpiry(fakeJwt({ exp: 1_800_000_000 }))).toBe('2027-01-15T08:00:00.000Z');
    expect(tokenExpiry('not-a-jwt')).toBeUndefined();
  });
});

describe('which API', () => {
  const noOutputs = async () => ({});

  it('is the local stack by default, on PORT', async () => {
    expect(await resolveTarget({}, {}, noOutputs)).toMatchObject({
      api: 'http://localhost:3000',
      local: true,
    });
    expect((await resolveTarget({}, { PORT: '4100' }, noOutputs)).api).toBe('http://localhost:4100');
  });

  it('takes --api over FLASH_NEWS_API, and --local over both; …/api and trailing slashes are dropped', async () => {
    const env = { FLASH_NEWS_API: 'https://env.example.com/api/' };
    expect((await resolveTarget({}, env, noOutputs)).api).toBe('https://env.example.com');
    expect(await resolveTarget({ api: 'https://d123.cloudfront.net/api' }, env, noOutputs)).toMatchObject({
      api: 'https://d123.cloudfront.net',
      local: false,
    });
    expect((await resolveTarget({ local: true, api: 'https://x.example.com' }, env, noOutputs)).local).toBe(
      true,
    );
  });

  it('reads the API and the user pool from the stack outputs', async () => {
    const asked: unknown[] = [];
    const target = await resolveTarget(
      { stack: 'FlashNews' },
      { AWS_REGION: 'eu-central-1' },
      async (stack, region) => {
        asked.push([stack, region]);
        return {
          ApiUrl: 'https://d123.cloudfront.net/api',
          UserPoolId: 'eu-central-1_AbCdEf123',
          UserPoolClientId: 'client-9',
        };
      },
    );
    expect(asked).toEqual([['FlashNews', 'eu-central-1']]);
    expect(target).toEqual({
      api: 'https://d123.cloudfront.net',
      local: false,
      cognito: {
        userPoolId: 'eu-central-1_AbCdEf123',
        clientId: 'client-9',
        region: 'eu-central-1',
        endpoint: undefined,
      },
    });
  });

  it('takes the user pool from the environment', async () => {
    const target = await resolveTarget(
      {},
      {
        FLASH_NEWS_API: 'https://news.example.com',
        FLASH_NEWS_USER_POOL_ID: 'us-east-1_Zz9',
        FLASH_NEWS_USER_POOL_CLIENT_ID: 'abc',
      },
      noOutputs,
    );
    expect(target.cognito).toMatchObject({
      userPoolId: 'us-east-1_Zz9',
      clientId: 'abc',
      region: 'us-east-1',
    });
  });

  it('refuses an API that is not an http(s) URL', async () => {
    await expect(resolveTarget({ api: 'ftp://x' }, {}, noOutputs)).rejects.toThrow(
      /--api must be an http\(s\) URL/,
    );
    await expect(resolveTarget({ api: 'news' }, {}, noOutputs)).rejects.toThrow(
      /--api must be an http\(s\) URL/,
    );
  });
});
