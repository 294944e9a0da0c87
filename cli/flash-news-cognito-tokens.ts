import { CliError } from './flash-news-output';

/**
 * What the CLI knows of Cognito without the sign-in library: the settings, the tokens, refreshing them
 * (one plain InitiateAuth call) and the messages for Cognito's errors. Every command may need a refresh;
 * only `login` needs SRP (cli/flash-news-cognito.ts), so only it loads amazon-cognito-identity-js.
 */

export interface CognitoSettings {
  readonly userPoolId: string;
  readonly clientId: string;
  readonly region: string;
  /** Cognito's endpoint; default `https://cognito-idp.<region>.amazonaws.com/` (tests point it elsewhere). */
  readonly endpoint?: string;
}

export interface CognitoTokens {
  readonly idToken: string;
  readonly refreshToken: string;
  /** ISO 8601. */
  readonly expiresAt: string;
}

export interface SignInPrompts {
  /** Asked only when Cognito sends the SOFTWARE_TOKEN_MFA (or SMS_MFA) challenge. */
  mfaCode(): Promise<string>;
}

/** Region of a user pool id such as `eu-central-1_AbCdEf123`. */
export function regionOfUserPool(userPoolId: string): string | undefined {
  return /^([a-z]{2}(?:-[a-z]+)+-\d+)_[0-9A-Za-z]+$/.exec(userPoolId)?.[1];
}

const MESSAGES: Record<string, string> = {
  NotAuthorizedException: 'sign-in refused',
  UserNotFoundException: 'sign-in refused',
  CodeMismatchException: 'the MFA code is wrong',
  ExpiredCodeException: 'the MFA code has expired or was already used; wait for the next one',
  PasswordResetRequiredException: 'the password must be reset first',
  UserNotConfirmedException: 'the account is not confirmed yet',
  TooManyRequestsException: 'too many attempts; wait a minute and try again',
  ResourceNotFoundException: 'no such user pool or app client (check the user pool id and client id)',
};

export function signInError(error: unknown): CliError {
  const { code, message } = error as { code?: string; message?: string };
  const known = code ? MESSAGES[code] : undefined;
  const detail = message && message !== known ? `: ${message}` : '';
  return new CliError(`Cognito ${known ?? 'sign-in failed'}${detail}`, 'sign_in_failed');
}

/**
 * A new ID token from the refresh token (valid 30 days by default). One InitiateAuth call, made here
 * rather than with the library's refreshSession, which retries every failure for several seconds, a
 * revoked refresh token included.
 */
export async function refreshTokens(
  settings: CognitoSettings,
  refreshToken: string,
  fetchImpl: typeof globalThis.fetch = globalThis.fetch,
): Promise<CognitoTokens> {
  const endpoint = settings.endpoint ?? `https://cognito-idp.${settings.region}.amazonaws.com/`;
  let response: Response;
  try {
    response = await fetchImpl(endpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'AWSCognitoIdentityProviderService.InitiateAuth',
      },
      body: JSON.stringify({
        AuthFlow: 'REFRESH_TOKEN_AUTH',
        ClientId: settings.clientId,
        AuthParameters: { REFRESH_TOKEN: refreshToken },
      }),
      signal: AbortSignal.timeout(15_000),
    });
  } catch (error) {
    throw new CliError(
      `cannot reach Cognito at ${endpoint}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  const body = (await response.json().catch(() => ({}))) as {
    AuthenticationResult?: { IdToken?: string; RefreshToken?: string };
    __type?: string;
    message?: string;
  };
  const idToken = body.AuthenticationResult?.IdToken;
  if (!response.ok || !idToken) {
    throw signInError({
      code: body.__type?.split('#').pop(),
      message: body.message ?? `HTTP ${response.status}`,
    });
  }
  const payload = JSON.parse(Buffer.from(idToken.split('.')[1] ?? '', 'base64url').toString('utf8')) as {
    exp: number;
  };
  return {
    idToken,
    // Cognito sends a new refresh token only when rotation is on; otherwise the old one stays valid.
    refreshToken: body.AuthenticationResult?.RefreshToken ?? refreshToken,
    expiresAt: new Date(payload.exp * 1000).toISOString(),
  };
}
