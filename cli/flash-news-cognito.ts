import {
  AuthenticationDetails,
  CognitoUser,
  CognitoUserPool,
  type CognitoUserSession,
  type ICognitoStorage,
} from 'amazon-cognito-identity-js';
import {
  type CognitoSettings,
  type CognitoTokens,
  type SignInPrompts,
  signInError,
} from './flash-news-cognito-tokens';
import { CliError } from './flash-news-output';

/**
 * Signing in to the deployment's Cognito user pool with SRP (USER_SRP_AUTH: the password never leaves
 * this machine), answering a TOTP challenge when the editor has enrolled MFA. The SRP arithmetic is
 * amazon-cognito-identity-js's (AWS Amplify's); refreshing is in cli/flash-news-cognito-tokens.ts.
 */

/** The library caches tokens in localStorage-like storage; this CLI keeps its own file, so nothing here. */
class NoStorage implements ICognitoStorage {
  setItem(): void {}
  getItem(): null {
    return null;
  }
  removeItem(): void {}
  clear(): void {}
}

function poolOf(settings: CognitoSettings): CognitoUserPool {
  return new CognitoUserPool({
    UserPoolId: settings.userPoolId,
    ClientId: settings.clientId,
    endpoint: settings.endpoint,
    Storage: new NoStorage(),
  });
}

function tokensOf(session: CognitoUserSession): CognitoTokens {
  const idToken = session.getIdToken();
  return {
    idToken: idToken.getJwtToken(),
    refreshToken: session.getRefreshToken().getToken(),
    expiresAt: new Date(idToken.getExpiration() * 1000).toISOString(),
  };
}

export function signIn(
  settings: CognitoSettings,
  username: string,
  password: string,
  prompts: SignInPrompts,
): Promise<CognitoTokens> {
  const user = new CognitoUser({ Username: username, Pool: poolOf(settings), Storage: new NoStorage() });
  user.setAuthenticationFlowType('USER_SRP_AUTH');
  return new Promise((resolve, reject) => {
    const answerMfa = (type: 'SOFTWARE_TOKEN_MFA' | 'SMS_MFA') => {
      prompts.mfaCode().then(
        (code) => user.sendMFACode(code.trim(), callbacks, type),
        (error: unknown) => reject(error),
      );
    };
    const callbacks = {
      onSuccess: (session: CognitoUserSession) => resolve(tokensOf(session)),
      onFailure: (error: unknown) => reject(signInError(error)),
      totpRequired: () => answerMfa('SOFTWARE_TOKEN_MFA'),
      mfaRequired: () => answerMfa('SMS_MFA'),
      selectMFAType: () => user.sendMFASelectionAnswer('SOFTWARE_TOKEN_MFA', callbacks),
      newPasswordRequired: () =>
        reject(
          new CliError(
            'Cognito asks for a new password first: an administrator sets a permanent one with aws cognito-idp admin-set-user-password --permanent (docs/deploy.md)',
            'new_password_required',
          ),
        ),
      mfaSetup: () =>
        reject(
          new CliError('this account must enrol an MFA device before it can sign in', 'mfa_setup_required'),
        ),
      customChallenge: () =>
        reject(new CliError('the user pool asked for a custom challenge, which this CLI does not answer')),
    };
    user.authenticateUser(new AuthenticationDetails({ Username: username, Password: password }), callbacks);
  });
}
