import { readFileSync } from 'node:fs';
import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { NEWSROOM, SECTIONS } from '../../functions/config/site';
import { viewerRequestCode } from '../../functions/edge/url-rewrite-code';
import { API_REFERENCE_PATH } from '../../functions/openapi/reference-endpoints';
import { SECURITY_HEADERS } from '../../functions/render/security-headers';
import {
  CACHED_API_PATHS,
  CACHED_API_QUERY_STRINGS,
  NOT_FOUND_FAILOVER_STATUSES,
  PREVIEW_API_PATHS,
  URL_REWRITE_SOURCE,
} from '../../infra/constructs/site-distribution';
import {
  allPolicyStatements,
  asArray,
  type Json,
  onlyLogicalId,
  referencedId,
  resourceAtPath,
  resourcesOfType,
  statementsOfFunction,
  synthTemplate,
} from './helpers';

/** CloudFront's managed policy ids (they are the same in every account). */
const CACHING_DISABLED = '4135ea2d-6df8-44a3-9df3-4b5a84be39ad';
const CACHING_OPTIMIZED = '658327ea-f89d-4fab-a63d-7e88639e58f6';
const ALL_VIEWER_EXCEPT_HOST_HEADER = 'b689b0a8-53d0-40ab-baf2-68738e2966ac';

let template: Template;
let config: Json;
let pagesBucket: { logicalId: string; properties: Json };
let distributionId: string;

function behavior(pathPattern: string): Json {
  const found = asArray<Json>(config.CacheBehaviors).find((b) => b.PathPattern === pathPattern);
  if (!found) throw new Error(`No cache behaviour for ${pathPattern}`);
  return found;
}

function originOf(b: Json): Json {
  return asArray<Json>(config.Origins).find((origin) => origin.Id === b.TargetOriginId);
}

function originById(id: string): Json {
  const found = asArray<Json>(config.Origins).find((origin) => origin.Id === id);
  if (!found) throw new Error(`No origin ${id}`);
  return found;
}

/** The site's origin group: the bucket first, the 404-page function when the bucket has no such page. */
function siteOriginGroup(): Json {
  const groups = asArray<Json>(config.OriginGroups?.Items);
  const found = groups.find((group) => group.Id === config.DefaultCacheBehavior.TargetOriginId);
  if (!found) throw new Error('The site behaviour does not target an origin group');
  return found;
}

function groupMembers(group: Json): { primary: Json; fallback: Json } {
  const [primary, fallback, ...others] = asArray<Json>(group.Members.Items).map((member) =>
    originById(member.OriginId),
  );
  expect(others).toEqual([]);
  return { primary, fallback };
}

function originAccessControl(origin: Json): Json {
  const id = referencedId(origin.OriginAccessControlId) as string;
  return template.toJSON().Resources[id].Properties.OriginAccessControlConfig;
}

beforeAll(() => {
  ({ template } = synthTemplate());
  distributionId = onlyLogicalId(template, 'AWS::CloudFront::Distribution');
  config = template.toJSON().Resources[distributionId].Properties.DistributionConfig;
  pagesBucket = resourceAtPath(template, 'Site/PagesBucket');
});

describe('pages bucket', () => {
  it('blocks every kind of public access', () => {
    expect(pagesBucket.properties.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
  });

  it('is encrypted with S3-managed keys, versioned, owner-enforced and retained', () => {
    const props = pagesBucket.properties;
    expect(props.BucketEncryption.ServerSideEncryptionConfiguration).toEqual([
      { ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } },
    ]);
    expect(props.VersioningConfiguration).toEqual({ Status: 'Enabled' });
    expect(props.OwnershipControls.Rules).toEqual([{ ObjectOwnership: 'BucketOwnerEnforced' }]);
    expect(template.toJSON().Resources[pagesBucket.logicalId].DeletionPolicy).toBe('Retain');
  });

  it('writes server access logs to the logging bucket', () => {
    const logs = resourceAtPath(template, 'Site/LogsBucket');
    expect(referencedId(pagesBucket.properties.LoggingConfiguration.DestinationBucketName)).toBe(
      logs.logicalId,
    );
    expect(logs.properties.PublicAccessBlockConfiguration).toEqual(
      pagesBucket.properties.PublicAccessBlockConfiguration,
    );
  });

  it('every bucket refuses requests without TLS', () => {
    for (const bucket of resourcesOfType(template, 'AWS::S3::Bucket')) {
      const policy = resourcesOfType(template, 'AWS::S3::BucketPolicy').find(
        (p) => referencedId(p.properties.Bucket) === bucket.logicalId,
      );
      expect(policy, bucket.logicalId).toBeDefined();
      expect(policy?.properties.PolicyDocument.Statement).toContainEqual(
        expect.objectContaining({
          Effect: 'Deny',
          Action: 's3:*',
          Principal: { AWS: '*' },
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        }),
      );
    }
  });

  it('is read only by this distribution, through Origin Access Control (no OAI, no other reader)', () => {
    const originAccess = resourcesOfType(template, 'AWS::CloudFront::OriginAccessControl');
    expect(
      originAccess.filter(
        (oac) => oac.properties.OriginAccessControlConfig.OriginAccessControlOriginType === 's3',
      ),
    ).toHaveLength(1);
    expect(resourcesOfType(template, 'AWS::CloudFront::CloudFrontOriginAccessIdentity')).toHaveLength(0);

    const allows = allPolicyStatements(template).filter(
      ({ kind, where, statement }) =>
        kind === 'resource' && where.includes('PagesBucketPolicy') && statement.Effect === 'Allow',
    );
    expect(allows).toHaveLength(1);
    const statement = allows[0]?.statement as Json;
    expect(statement.Principal).toEqual({ Service: 'cloudfront.amazonaws.com' });
    // GetObject alone: CloudFront can never list the bucket, and a missing key is a 403 (see the fallback).
    expect(statement.Action).toBe('s3:GetObject');
    const sourceArn = JSON.stringify(statement.Condition.StringEquals['AWS:SourceArn']);
    expect(sourceArn).toContain(':cloudfront::');
    expect(sourceArn).toContain(distributionId);

    const { primary } = groupMembers(siteOriginGroup());
    expect(referencedId(primary.DomainName)).toBe(pagesBucket.logicalId);
    expect(originAccessControl(primary)).toMatchObject({
      OriginAccessControlOriginType: 's3',
      SigningBehavior: 'always',
      SigningProtocol: 'sigv4',
    });
    expect(primary.S3OriginConfig.OriginAccessIdentity).toBe('');
  });
});

describe('missing pages', () => {
  let notFound: { logicalId: string; properties: Json };

  beforeAll(() => {
    notFound = resourceAtPath(template, 'Site/NotFoundPage/Function/Function');
  });

  it('fail over from the bucket to the 404-page function on exactly 403 and 404', () => {
    const group = siteOriginGroup();
    expect(group.FailoverCriteria.StatusCodes).toEqual({ Quantity: 2, Items: [403, 404] });
    expect([...NOT_FOUND_FAILOVER_STATUSES]).toEqual([403, 404]);
    const { fallback } = groupMembers(group);
    const url = resourceAtPath(template, 'Site/NotFoundPage/Function/Function/FunctionUrl');
    expect(fallback.DomainName).toEqual({
      'Fn::Select': [2, { 'Fn::Split': ['/', { 'Fn::GetAtt': [url.logicalId, 'FunctionUrl'] }] }],
    });
    expect(fallback.CustomOriginConfig).toMatchObject({
      OriginProtocolPolicy: 'https-only',
      OriginSSLProtocols: ['TLSv1.2'],
    });
  });

  it('reach the function through a URL that only this distribution may call, signed', () => {
    const url = resourceAtPath(template, 'Site/NotFoundPage/Function/Function/FunctionUrl');
    expect(url.properties).toEqual({
      AuthType: 'AWS_IAM',
      TargetFunctionArn: { 'Fn::GetAtt': [notFound.logicalId, 'Arn'] },
    });
    const { fallback } = groupMembers(siteOriginGroup());
    expect(originAccessControl(fallback)).toMatchObject({
      OriginAccessControlOriginType: 'lambda',
      SigningBehavior: 'always',
      SigningProtocol: 'sigv4',
    });

    const permissions = resourcesOfType(template, 'AWS::Lambda::Permission').filter(
      (p) =>
        referencedId(p.properties.FunctionName) === url.logicalId ||
        referencedId(p.properties.FunctionName) === notFound.logicalId,
    );
    const byAction = Object.fromEntries(permissions.map((p) => [p.properties.Action, p.properties]));
    expect(Object.keys(byAction).sort()).toEqual(['lambda:InvokeFunction', 'lambda:InvokeFunctionUrl']);
    expect(permissions).toHaveLength(2);
    for (const permission of permissions) {
      expect(permission.properties.Principal).toBe('cloudfront.amazonaws.com');
      const sourceArn = JSON.stringify(permission.properties.SourceArn);
      expect(sourceArn).toContain(':cloudfront::');
      expect(sourceArn).toContain(`{"Ref":"${distributionId}"}`);
    }
    // The plain invoke permission only holds for calls that come through the function URL.
    expect(byAction['lambda:InvokeFunction']?.InvokedViaFunctionUrl).toBe(true);
  });

  it('get a function that may read the 404 page and nothing else', () => {
    const logGroupId = notFound.properties.LoggingConfig.LogGroup.Ref;
    const granted = statementsOfFunction(template, notFound.logicalId);
    const byJson = (a: Json, b: Json) => JSON.stringify(a).localeCompare(JSON.stringify(b));
    expect([...granted].sort(byJson)).toEqual(
      [
        {
          Effect: 'Allow',
          Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          Resource: { 'Fn::GetAtt': [logGroupId, 'Arn'] },
        },
        // Active tracing; these two actions have no resource-level permissions.
        { Effect: 'Allow', Action: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'], Resource: '*' },
        {
          Effect: 'Allow',
          Action: 's3:GetObject',
          Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [pagesBucket.logicalId, 'Arn'] }, '/404.html']] },
        },
      ].sort(byJson),
    );
    expect(notFound.properties.Environment.Variables.BUCKET_NAME).toEqual({ Ref: pagesBucket.logicalId });

    const roleId = referencedId(notFound.properties.Role) as string;
    const role = template.toJSON().Resources[roleId].Properties;
    expect(role.ManagedPolicyArns).toBeUndefined();
    expect(role.Policies).toBeUndefined();
    // No bucket policy grants it anything either: CloudFront is the bucket's only reader by policy.
    const mentions = allPolicyStatements(template).filter(
      ({ kind, statement }) => kind === 'resource' && JSON.stringify(statement).includes(roleId),
    );
    expect(mentions).toEqual([]);
  });

  it('run functions/handlers/not-found-page.ts with a timeout shorter than CloudFront waits for it', () => {
    expect(notFound.properties.Runtime).toMatch(/^nodejs\d+\.x$/);
    expect(notFound.properties.Handler).toBe('index.handler');
    const { fallback } = groupMembers(siteOriginGroup());
    expect(notFound.properties.Timeout).toBeLessThan(fallback.CustomOriginConfig.OriginReadTimeout);
  });
});

describe('distribution', () => {
  it('serves the site from the bucket with the URL-rewrite function, redirecting to HTTPS', () => {
    const site = config.DefaultCacheBehavior;
    expect(site.ViewerProtocolPolicy).toBe('redirect-to-https');
    expect(site.CachePolicyId).toBe(CACHING_OPTIMIZED);
    expect(site.AllowedMethods).toEqual(['GET', 'HEAD']);
    expect(site.FunctionAssociations).toHaveLength(1);
    expect(site.FunctionAssociations[0].EventType).toBe('viewer-request');
    expect(referencedId(site.FunctionAssociations[0].FunctionARN)).toBe(
      onlyLogicalId(template, 'AWS::CloudFront::Function'),
    );
  });

  it('runs functions/edge/url-rewrite.js on the cloudfront-js-2.0 runtime', () => {
    const fn = resourcesOfType(template, 'AWS::CloudFront::Function')[0]?.properties;
    expect(fn.FunctionConfig.Runtime).toBe('cloudfront-js-2.0');
    expect(fn.AutoPublish).toBe(true);
    // With the newsroom's sections written in (functions/edge/url-rewrite-code.ts).
    expect(fn.FunctionCode).toBe(
      viewerRequestCode(
        readFileSync(URL_REWRITE_SOURCE, 'utf8'),
        SECTIONS.map((section) => section.slug),
        NEWSROOM.language,
      ),
    );
    expect(fn.FunctionCode).toContain(`'/${SECTIONS.map((section) => section.slug).join('/')}/'`);
  });

  it('caches the public API reads with exactly the query strings that matter in the key', () => {
    for (const path of CACHED_API_PATHS) {
      const b = behavior(path);
      expect(b.CachePolicyId).not.toBe(CACHING_DISABLED);
      expect(b.OriginRequestPolicyId).toBeUndefined();
      expect(b.AllowedMethods).toEqual(['GET', 'HEAD', 'OPTIONS']);
      expect(b.ViewerProtocolPolicy).toBe('https-only');
      const policy =
        template.toJSON().Resources[referencedId(b.CachePolicyId) as string].Properties.CachePolicyConfig;
      const key = policy.ParametersInCacheKeyAndForwardedToOrigin;
      expect(key.QueryStringsConfig).toEqual({
        QueryStringBehavior: 'whitelist',
        QueryStrings: [...CACHED_API_QUERY_STRINGS],
      });
      expect(key.CookiesConfig.CookieBehavior).toBe('none');
      // Never Authorization: a cached answer must be the anonymous one.
      expect(JSON.stringify(key.HeadersConfig)).not.toMatch(/authorization/i);
      expect(policy.MaxTTL).toBeGreaterThan(0);
    }
  });

  it('never caches the rest of /api/*, passes Authorization on and allows every method', () => {
    const api = behavior('/api/*');
    expect(api.CachePolicyId).toBe(CACHING_DISABLED);
    expect(api.OriginRequestPolicyId).toBe(ALL_VIEWER_EXCEPT_HOST_HEADER);
    expect(api.AllowedMethods).toEqual(
      expect.arrayContaining(['GET', 'HEAD', 'OPTIONS', 'PUT', 'PATCH', 'POST', 'DELETE']),
    );
    expect(api.ViewerProtocolPolicy).toBe('https-only');
  });

  it('matches the cached API paths before the /api/* catch-all', () => {
    const patterns = asArray<Json>(config.CacheBehaviors).map((b) => b.PathPattern);
    const catchAll = patterns.indexOf('/api/*');
    for (const path of CACHED_API_PATHS) expect(patterns.indexOf(path)).toBeLessThan(catchAll);
  });

  it('sends /api/* to the HTTP API endpoint over TLS 1.2, referencing only the API itself', () => {
    const origin = originOf(behavior('/api/*'));
    expect(origin.CustomOriginConfig).toEqual({
      OriginProtocolPolicy: 'https-only',
      OriginSSLProtocols: ['TLSv1.2'],
    });
    const parts: Json[] = origin.DomainName['Fn::Join'][1];
    expect(referencedId(parts[0])).toBe(onlyLogicalId(template, 'AWS::ApiGatewayV2::Api'));
    expect(parts[1]).toBe('.execute-api.eu-central-1.');
    for (const path of CACHED_API_PATHS) expect(behavior(path).TargetOriginId).toBe(origin.Id);
  });

  it('serves index.html at the root, and keeps no 404 at the edge (without replacing any answer)', () => {
    expect(config.DefaultRootObject).toBe('index.html');
    // Only an error caching time: no page and no status of its own (test/infra/api-errors-at-the-edge.test.ts).
    expect(asArray<Json>(config.CustomErrorResponses)).toEqual([{ ErrorCode: 404, ErrorCachingMinTTL: 0 }]);
  });

  it('speaks HTTP/2 and HTTP/3 and logs access to the logging bucket', () => {
    expect(config.HttpVersion).toBe('http2and3');
    expect(referencedId(config.Logging.Bucket)).toBe(resourceAtPath(template, 'Site/LogsBucket').logicalId);
  });

  it('adds the security headers of functions/render/security-headers.ts to every behaviour', () => {
    // The API reference page has a policy of its own, with the same headers but its own CSP
    // (test/infra/api-reference.test.ts).
    const policyId = resourceAtPath(template, 'Site/SecurityHeaders').logicalId;
    for (const b of [config.DefaultCacheBehavior, ...asArray<Json>(config.CacheBehaviors)]) {
      if (b.PathPattern === API_REFERENCE_PATH) continue;
      // Previews differ in their Referrer-Policy alone (test/infra/preview.test.ts).
      if ((PREVIEW_API_PATHS as readonly string[]).includes(b.PathPattern)) continue;
      expect(referencedId(b.ResponseHeadersPolicyId)).toBe(policyId);
    }
    const policy = template.toJSON().Resources[policyId].Properties.ResponseHeadersPolicyConfig;
    const security = policy.SecurityHeadersConfig;
    expect(security.ContentSecurityPolicy).toEqual({
      ContentSecurityPolicy: SECURITY_HEADERS.contentSecurityPolicy,
      Override: true,
    });
    expect(security.StrictTransportSecurity).toEqual({
      AccessControlMaxAgeSec: SECURITY_HEADERS.strictTransportSecurity.maxAgeSeconds,
      IncludeSubdomains: SECURITY_HEADERS.strictTransportSecurity.includeSubdomains,
      Preload: SECURITY_HEADERS.strictTransportSecurity.preload,
      Override: true,
    });
    expect(security.FrameOptions).toEqual({ FrameOption: 'DENY', Override: true });
    expect(security.ReferrerPolicy).toEqual({
      ReferrerPolicy: SECURITY_HEADERS.referrerPolicy,
      Override: true,
    });
    expect(security.ContentTypeOptions).toEqual({ Override: true });
    expect(policy.CustomHeadersConfig.Items).toEqual(
      expect.arrayContaining([
        { Header: 'Permissions-Policy', Value: SECURITY_HEADERS.permissionsPolicy, Override: true },
        {
          Header: 'Cross-Origin-Opener-Policy',
          Value: SECURITY_HEADERS.crossOriginOpenerPolicy,
          Override: true,
        },
      ]),
    );
  });

  it('uses the CloudFront certificate and domain when no custom domain is configured', () => {
    expect(config.Aliases).toBeUndefined();
    expect(config.ViewerCertificate).toBeUndefined();
  });
});
