import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { ENV } from '../../functions/config/environment';
import { DEFAULT_SITE } from '../../functions/config/site';
import { ROUTES, routeKey } from '../../functions/http/routes';
import {
  type Json,
  onlyLogicalId,
  type RouteWiringJson,
  referencedId,
  resourcesOfType,
  routesWithFunctions,
  synthTemplate,
  TEST_ENV,
  TEST_ORIGINS,
} from './helpers';

let template: Template;
let routes: Map<string, RouteWiringJson>;
let resources: Json;

function wiring(key: string): RouteWiringJson {
  const found = routes.get(key);
  if (!found) throw new Error(`No route ${key}`);
  return found;
}

beforeAll(() => {
  ({ template } = synthTemplate());
  routes = routesWithFunctions(template);
  resources = template.toJSON().Resources;
});

describe('HTTP API routes', () => {
  it('are exactly the rows of the route table', () => {
    expect([...routes.keys()].sort()).toEqual(ROUTES.map(routeKey).sort());
  });

  it('each invoke their own function with payload format 2.0', () => {
    const functionIds = new Set([...routes.values()].map((r) => r.functionLogicalId));
    expect(functionIds.size).toBe(ROUTES.length);
    for (const integration of resourcesOfType(template, 'AWS::ApiGatewayV2::Integration')) {
      expect(integration.properties.IntegrationType).toBe('AWS_PROXY');
      expect(integration.properties.PayloadFormatVersion).toBe('2.0');
    }
  });

  it('bundle functions/handlers/<handler>.ts for each route', () => {
    for (const route of ROUTES) {
      const path = resources[wiring(routeKey(route)).functionLogicalId].Metadata['aws:cdk:path'];
      expect(path).toBe(`FlashNews/Api/${route.id}Function/Function/Resource`);
      expect(wiring(routeKey(route)).function.properties.Description).toContain(routeKey(route));
    }
  });

  it('put the JWT authorizer on every route that needs a role and on no public or optional route', () => {
    const authorizerId = onlyLogicalId(template, 'AWS::ApiGatewayV2::Authorizer');
    for (const route of ROUTES) {
      const props = wiring(routeKey(route)).route.properties;
      if (!['public', 'optional'].includes(route.auth)) {
        expect(props.AuthorizationType, routeKey(route)).toBe('JWT');
        expect(referencedId(props.AuthorizerId), routeKey(route)).toBe(authorizerId);
      } else {
        expect(props.AuthorizationType ?? 'NONE', routeKey(route)).toBe('NONE');
        expect(props.AuthorizerId, routeKey(route)).toBeUndefined();
      }
    }
  });
});

describe('editor authorizer and user pool', () => {
  it('checks Cognito tokens of the editor app client from the Authorization header', () => {
    const authorizer = resourcesOfType(template, 'AWS::ApiGatewayV2::Authorizer')[0]?.properties;
    expect(authorizer.AuthorizerType).toBe('JWT');
    expect(authorizer.IdentitySource).toEqual(['$request.header.Authorization']);
    const clientId = onlyLogicalId(template, 'AWS::Cognito::UserPoolClient');
    expect(authorizer.JwtConfiguration.Audience.map(referencedId)).toEqual([clientId]);
    const issuer = JSON.stringify(authorizer.JwtConfiguration.Issuer);
    expect(issuer).toContain(`https://cognito-idp.${TEST_ENV.region}.amazonaws.com/`);
    expect(issuer).toContain(onlyLogicalId(template, 'AWS::Cognito::UserPool'));
  });

  it('has a group per role, admin-only sign-up, a strong password policy and optional TOTP MFA', () => {
    const groups = resourcesOfType(template, 'AWS::Cognito::UserPoolGroup').map(
      (group) => group.properties.GroupName,
    );
    expect(groups.sort()).toEqual(['admins', 'contributors', 'editors']);
    const pool = resourcesOfType(template, 'AWS::Cognito::UserPool')[0]?.properties;
    expect(pool.AdminCreateUserConfig.AllowAdminCreateUserOnly).toBe(true);
    expect(pool.Policies.PasswordPolicy).toMatchObject({
      RequireLowercase: true,
      RequireUppercase: true,
      RequireNumbers: true,
      RequireSymbols: true,
    });
    expect(pool.Policies.PasswordPolicy.MinimumLength).toBeGreaterThanOrEqual(12);
    expect(pool.MfaConfiguration).toBe('OPTIONAL');
    expect(pool.EnabledMfas).toEqual(['SOFTWARE_TOKEN_MFA']);
    expect(pool.UserPoolTier).toBe('PLUS');
    expect(pool.UserPoolAddOns).toEqual({ AdvancedSecurityMode: 'ENFORCED' });
  });

  it('has a public app client (no secret) with USER_PASSWORD_AUTH and SRP', () => {
    const client = resourcesOfType(template, 'AWS::Cognito::UserPoolClient')[0]?.properties;
    expect(client.GenerateSecret).toBe(false);
    expect(client.ExplicitAuthFlows).toEqual(
      expect.arrayContaining(['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH']),
    );
    expect(client.PreventUserExistenceErrors).toBe('ENABLED');
  });

  it('allows only SRP and username-password sign-in: no OAuth flow, scope or callback URL', () => {
    const client = resourcesOfType(template, 'AWS::Cognito::UserPoolClient')[0]?.properties;
    expect([...client.ExplicitAuthFlows].sort()).toEqual([
      'ALLOW_REFRESH_TOKEN_AUTH',
      'ALLOW_USER_PASSWORD_AUTH',
      'ALLOW_USER_SRP_AUTH',
    ]);
    expect(client.AllowedOAuthFlowsUserPoolClient ?? false).toBe(false);
    for (const unused of ['AllowedOAuthFlows', 'AllowedOAuthScopes', 'CallbackURLs', 'LogoutURLs']) {
      expect(client[unused], unused).toBeUndefined();
    }
    expect(JSON.stringify(client)).not.toContain('example.com');
  });
});

describe('API stage and CORS', () => {
  it('serves the $default stage with throttling and JSON access logs', () => {
    const stage = resourcesOfType(template, 'AWS::ApiGatewayV2::Stage')[0]?.properties;
    expect(stage.StageName).toBe('$default');
    expect(stage.AutoDeploy).toBe(true);
    expect(stage.DefaultRouteSettings.ThrottlingRateLimit).toBeGreaterThan(0);
    expect(stage.DefaultRouteSettings.ThrottlingBurstLimit).toBeGreaterThanOrEqual(
      stage.DefaultRouteSettings.ThrottlingRateLimit,
    );
    const logGroupId = referencedId(stage.AccessLogSettings.DestinationArn) as string;
    expect(resources[logGroupId].Type).toBe('AWS::Logs::LogGroup');
    expect(resources[logGroupId].Properties.RetentionInDays).toBeGreaterThan(0);
    const format = JSON.parse(stage.AccessLogSettings.Format);
    expect(format).toMatchObject({ requestId: '$context.requestId', status: '$context.status' });
  });

  it('allows only the configured origins, with the headers the API reads and exposes', () => {
    const cors = resourcesOfType(template, 'AWS::ApiGatewayV2::Api')[0]?.properties.CorsConfiguration;
    expect(cors.AllowOrigins).toEqual(TEST_ORIGINS);
    expect(cors.AllowHeaders).toEqual(['Authorization', 'Content-Type', 'If-Match', 'Idempotency-Key']);
    expect(cors.ExposeHeaders).toEqual(['ETag', 'Location']);
    expect(cors.AllowCredentials).toBe(false);
    expect(cors.AllowMethods).toEqual(expect.arrayContaining(['GET', 'POST', 'PATCH', 'DELETE', 'OPTIONS']));
  });
});

describe('route function environment', () => {
  it('gives every route function the site URL (the distribution) and name', () => {
    const distributionId = onlyLogicalId(template, 'AWS::CloudFront::Distribution');
    for (const route of ROUTES) {
      const env = wiring(routeKey(route)).function.properties.Environment.Variables;
      expect(env[ENV.siteBaseUrl]).toEqual({
        'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [distributionId, 'DomainName'] }]],
      });
      expect(env[ENV.siteName]).toBe(DEFAULT_SITE.name);
      expect(env[ENV.siteTimeZone]).toBe(DEFAULT_SITE.timeZone);
    }
  });

  it('gives the token issuer, audience and key set to the route functions (optional routes verify tokens)', () => {
    const poolId = onlyLogicalId(template, 'AWS::Cognito::UserPool');
    const clientId = onlyLogicalId(template, 'AWS::Cognito::UserPoolClient');
    for (const route of ROUTES) {
      const env = wiring(routeKey(route)).function.properties.Environment.Variables;
      expect(env[ENV.authIssuer]).toEqual({
        'Fn::Join': ['', [`https://cognito-idp.${TEST_ENV.region}.amazonaws.com/`, { Ref: poolId }]],
      });
      expect(env[ENV.authJwksUrl]).toEqual({
        'Fn::Join': [
          '',
          [
            `https://cognito-idp.${TEST_ENV.region}.amazonaws.com/`,
            { Ref: poolId },
            '/.well-known/jwks.json',
          ],
        ],
      });
      expect(env[ENV.authAudience]).toEqual({ Ref: clientId });
    }
  });

  it('gives TABLE_NAME exactly to the routes with table access', () => {
    const tableId = onlyLogicalId(template, 'AWS::DynamoDB::Table');
    for (const route of ROUTES) {
      const env = wiring(routeKey(route)).function.properties.Environment.Variables;
      if (route.tableAccess === 'none') expect(env[ENV.tableName], route.id).toBeUndefined();
      else expect(env[ENV.tableName], route.id).toEqual({ Ref: tableId });
    }
  });

  it('gives the generated cursor secret exactly to the routes that use cursors or preview links', () => {
    const secretId = onlyLogicalId(template, 'AWS::SecretsManager::Secret');
    expect(resources[secretId].Properties.GenerateSecretString).toBeDefined();
    for (const route of ROUTES) {
      const env = wiring(routeKey(route)).function.properties.Environment.Variables;
      // The preview links' key is derived from it (functions/auth/preview-token.ts).
      if (route.usesCursor || route.usesPreviewKey)
        expect(env[ENV.cursorSecretArn], route.id).toEqual({ Ref: secretId });
      else expect(env[ENV.cursorSecretArn], route.id).toBeUndefined();
    }
  });
});
