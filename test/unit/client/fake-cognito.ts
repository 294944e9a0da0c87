import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A stand-in for Cognito's user pool endpoint, speaking its JSON protocol (X-Amz-Target) for the flows
 * the CLI uses: USER_SRP_AUTH → PASSWORD_VERIFIER → SOFTWARE_TOKEN_MFA → tokens, and REFRESH_TOKEN_AUTH.
 * It does not check the SRP proof (amazon-cognito-identity-js computes it); it records every call.
 */

export interface CognitoCall {
  readonly operation: string;
  // biome-ignore lint/suspicious/noExplicitAny: the recorded request bodies are read field by field.
  readonly body: any;
}

export function fakeJwt(claims: Record<string, unknown>): string {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${encode({ alg: 'RS256', kid: 'fake' })}.${encode(claims)}.${randomBytes(16).toString('base64url')}`;
}

export interface FakeCognito {
  readonly endpoint: string;
  readonly calls: CognitoCall[];
  /** Seconds the next ID token is valid for. */
  idTokenLifetime: number;
  close(): Promise<void>;
}

const TOTP = '123456';

export async function startFakeCognito(options: { mfa: boolean }): Promise<FakeCognito> {
  const calls: CognitoCall[] = [];
  let issued = 0;
  const state = { idTokenLifetime: 3600 };
  const tokens = (withRefresh: boolean) => {
    issued += 1;
    const now = Math.floor(Date.now() / 1000);
    return {
      AuthenticationResult: {
        IdToken: fakeJwt({
          sub: 'alice-sub',
          'cognito:groups': ['editors'],
          exp: now + state.idTokenLifetime,
          iat: now,
          n: issued,
        }),
        AccessToken: fakeJwt({ sub: 'alice-sub', exp: now + 3600, iat: now }),
        ...(withRefresh ? { RefreshToken: `refresh-${issued}` } : {}),
        ExpiresIn: 3600,
        TokenType: 'Bearer',
      },
    };
  };
  const failure = (type: string, message: string) => ({ status: 400, body: { __type: type, message } });

  // biome-ignore lint/suspicious/noExplicitAny: as above.
  const answer = (operation: string, body: any): { status: number; body: unknown } => {
    if (operation === 'InitiateAuth' && body.AuthFlow === 'USER_SRP_AUTH') {
      return {
        status: 200,
        body: {
          ChallengeName: 'PASSWORD_VERIFIER',
          ChallengeParameters: {
            SALT: randomBytes(16).toString('hex'),
            SECRET_BLOCK: randomBytes(64).toString('base64'),
            SRP_B: `1${randomBytes(383).toString('hex')}`,
            USERNAME: body.AuthParameters.USERNAME,
            USER_ID_FOR_SRP: body.AuthParameters.USERNAME,
          },
        },
      };
    }
    if (operation === 'RespondToAuthChallenge' && body.ChallengeName === 'PASSWORD_VERIFIER') {
      if (body.ChallengeResponses.USERNAME !== 'alice') {
        return failure('NotAuthorizedException', 'Incorrect username or password.');
      }
      if (!options.mfa) return { status: 200, body: tokens(true) };
      return {
        status: 200,
        body: { ChallengeName: 'SOFTWARE_TOKEN_MFA', Session: 'session-1', ChallengeParameters: {} },
      };
    }
    if (operation === 'RespondToAuthChallenge' && body.ChallengeName === 'SOFTWARE_TOKEN_MFA') {
      if (body.Session !== 'session-1' || body.ChallengeResponses.SOFTWARE_TOKEN_MFA_CODE !== TOTP) {
        return failure('CodeMismatchException', 'Invalid code received for user');
      }
      return { status: 200, body: tokens(true) };
    }
    if (operation === 'InitiateAuth' && body.AuthFlow === 'REFRESH_TOKEN_AUTH') {
      if (!String(body.AuthParameters.REFRESH_TOKEN).startsWith('refresh-')) {
        return failure('NotAuthorizedException', 'Invalid Refresh Token');
      }
      return { status: 200, body: tokens(false) };
    }
    return failure('InvalidParameterException', `unexpected ${operation}`);
  };

  const server: Server = createServer((request, response) => {
    let text = '';
    request.on('data', (chunk) => {
      text += chunk;
    });
    request.on('end', () => {
      const operation =
        String(request.headers['x-amz-target'] ?? '')
          .split('.')
          .pop() ?? '';
      const body = JSON.parse(text || '{}');
      calls.push({ operation, body });
      const result = answer(operation, body);
      response.writeHead(result.status, { 'content-type': 'application/x-amz-json-1.1' });
      response.end(JSON.stringify(result.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}/`,
    calls,
    get idTokenLifetime() {
      return state.idTokenLifetime;
    },
    set idTokenLifetime(seconds: number) {
      state.idTokenLifetime = seconds;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export const VALID_TOTP = TOTP;
