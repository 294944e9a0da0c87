import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import {
  AccountRecovery,
  FeaturePlan,
  Mfa,
  StandardThreatProtectionMode,
  UserPool,
  type UserPoolClient,
} from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { ROLE_GROUPS, ROLES, type Role } from '../../functions/domain/roles';
import type { TokenIssuer } from './function-access';

const GROUP_DESCRIPTIONS: Readonly<Record<Role, string>> = {
  contributor: 'May write their own drafts and submit them for review.',
  editor: 'May also create, edit, publish, schedule and unpublish any article.',
  admin: 'May also delete articles.',
};

/**
 * The newsroom's people: a Cognito user pool with one group per role (`contributors`, `editors`,
 * `admins`) and one public app client for their tools. Accounts are created by an administrator (no self
 * sign-up), and tokens carry the groups the handlers check.
 */
export class EditorUserPool extends Construct implements TokenIssuer {
  readonly userPool: UserPool;
  readonly client: UserPoolClient;
  readonly issuer: string;
  readonly audience: string;
  readonly jwksUrl: string;

  constructor(scope: Construct, id: string) {
    super(scope, id);

    this.userPool = new UserPool(this, 'UserPool', {
      selfSignUpEnabled: false,
      signInAliases: { username: true, email: true },
      signInCaseSensitive: false,
      autoVerify: { email: true },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      passwordPolicy: {
        minLength: 14,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      mfa: Mfa.OPTIONAL,
      mfaSecondFactor: { otp: true, sms: false },
      // Editor accounts publish to the front page: the Plus tier's compromised-credential and adaptive
      // authentication checks cost cents per editor per month.
      featurePlan: FeaturePlan.PLUS,
      standardThreatProtectionMode: StandardThreatProtectionMode.FULL_FUNCTION,
      // Accounts are quick to recreate; a retained pool would keep accepting logins for a deleted site.
      removalPolicy: RemovalPolicy.DESTROY,
    });
    Validations.of(this.userPool).acknowledge({
      id: 'AwsSolutions-COG2',
      reason:
        'MFA is optional rather than required because the newsroom publishing tools sign in non-interactively ' +
        'with USER_PASSWORD_AUTH; people are expected to enrol TOTP, and the Plus tier threat protection ' +
        'blocks sign-ins with compromised credentials or from risky contexts.',
    });

    for (const role of ROLES) {
      const groupName = ROLE_GROUPS[role];
      // `EditorsGroup` kept its construct id from before roles, so deploying roles keeps the editors.
      this.userPool.addGroup(`${groupName.charAt(0).toUpperCase()}${groupName.slice(1)}Group`, {
        groupName,
        description: GROUP_DESCRIPTIONS[role],
      });
    }

    this.client = this.userPool.addClient('EditorClient', {
      // A public client (CLI, browser tools): a secret could not be kept secret there.
      generateSecret: false,
      authFlows: { userPassword: true, userSrp: true },
      // Editors sign in with SRP or username and password and send the tokens to the API; there is no
      // hosted UI, so no OAuth flow, scope or callback URL (CDK's defaults would allow implicit grants to
      // https://example.com).
      disableOAuth: true,
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.days(30),
    });

    // The issuer Cognito writes into its tokens, and the one API Gateway's authorizer checks against.
    this.issuer = `https://cognito-idp.${Stack.of(this).region}.amazonaws.com/${this.userPool.userPoolId}`;
    this.audience = this.client.userPoolClientId;
    this.jwksUrl = `${this.issuer}/.well-known/jwks.json`;
  }
}
