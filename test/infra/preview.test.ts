import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { routeById, routeKey } from '../../functions/http/routes';
import { SECURITY_HEADERS } from '../../functions/render/security-headers';
import { TABLE_READ_ACTIONS } from '../../infra/constructs/function-access';
import { PREVIEW_API_PATHS, PREVIEW_REFERRER_POLICY } from '../../infra/constructs/site-distribution';
import {
  asArray,
  type Json,
  onlyLogicalId,
  referencedId,
  resourceAtPath,
  routesWithFunctions,
  statementsOfFunction,
  synthTemplate,
} from './helpers';

/** Previews and preview links (issue #9, item 4) in the CDK app: the edge, the routes, their grants. */

const CACHING_DISABLED = '4135ea2d-6df8-44a3-9df3-4b5a84be39ad';
const ALL_VIEWER_EXCEPT_HOST_HEADER = 'b689b0a8-53d0-40ab-baf2-68738e2966ac';
const PREVIEW_ROUTES = ['PreviewArticle', 'CreatePreviewLink', 'OpenPreviewLink'] as const;

let template: Template;
let resources: Json;
let behaviors: Json[];

beforeAll(() => {
  ({ template } = synthTemplate());
  resources = template.toJSON().Resources;
  const distribution = resources[onlyLogicalId(template, 'AWS::CloudFront::Distribution')];
  behaviors = asArray<Json>(distribution.Properties.DistributionConfig.CacheBehaviors);
});

const behavior = (path: string): Json => {
  const found = behaviors.find((b) => b.PathPattern === path);
  if (!found) throw new Error(`No cache behaviour for ${path}`);
  return found;
};

describe('previews at the edge', () => {
  it.each(PREVIEW_API_PATHS)('%s is never cached and reaches the API with every query string', (path) => {
    const b = behavior(path);
    expect(b.CachePolicyId).toBe(CACHING_DISABLED);
    // All viewer query strings (`token`, `revision`) and headers (Authorization) go to the origin.
    expect(b.OriginRequestPolicyId).toBe(ALL_VIEWER_EXCEPT_HOST_HEADER);
    expect(b.TargetOriginId).toBe(behavior('/api/*').TargetOriginId);
    expect(b.ViewerProtocolPolicy).toBe('https-only');
    expect(b.AllowedMethods).toEqual(expect.arrayContaining(['GET', 'HEAD', 'POST']));
  });

  it('matches the preview paths before the /api/* catch-all, which would set another Referrer-Policy', () => {
    const patterns = behaviors.map((b) => b.PathPattern);
    for (const path of PREVIEW_API_PATHS) {
      expect(patterns.indexOf(path)).toBeGreaterThanOrEqual(0);
      expect(patterns.indexOf(path)).toBeLessThan(patterns.indexOf('/api/*'));
    }
  });

  it("answers previews with the site's security headers and no Referer", () => {
    const policyId = resourceAtPath(template, 'Site/PreviewHeaders').logicalId;
    const site =
      resources[resourceAtPath(template, 'Site/SecurityHeaders').logicalId].Properties
        .ResponseHeadersPolicyConfig;
    for (const path of PREVIEW_API_PATHS) {
      expect(referencedId(behavior(path).ResponseHeadersPolicyId)).toBe(policyId);
    }
    const preview = resources[policyId].Properties.ResponseHeadersPolicyConfig;
    expect(preview.SecurityHeadersConfig.ReferrerPolicy).toEqual({
      ReferrerPolicy: PREVIEW_REFERRER_POLICY,
      Override: true,
    });
    expect(preview.SecurityHeadersConfig.ContentSecurityPolicy).toEqual({
      ContentSecurityPolicy: SECURITY_HEADERS.contentSecurityPolicy,
      Override: true,
    });
    // Everything but the Referrer-Policy is the site's.
    const { ReferrerPolicy: _previews, ...previewRest } = preview.SecurityHeadersConfig;
    const { ReferrerPolicy: _site, ...siteRest } = site.SecurityHeadersConfig;
    expect(previewRest).toEqual(siteRest);
    expect(preview.CustomHeadersConfig).toEqual(site.CustomHeadersConfig);
  });
});

describe('preview routes', () => {
  const wiring = () => routesWithFunctions(template);

  it.each(PREVIEW_ROUTES)('%s reads the table and never writes it, nor touches S3', (id) => {
    const fn = wiring().get(routeKey(routeById(id)))?.functionLogicalId as string;
    const statements = statementsOfFunction(template, fn);
    const actions = statements.flatMap((s) => asArray<string>(s.Action));
    expect(actions).toEqual(expect.arrayContaining([...TABLE_READ_ACTIONS]));
    expect(actions.filter((action) => /^dynamodb:(Put|Update|Delete|BatchWrite)/.test(action))).toEqual([]);
    expect(actions.filter((action) => action.startsWith('s3:'))).toEqual([]);
  });

  it('only the link routes may read the secret the link key is derived from; the editor preview may not', () => {
    const secretId = onlyLogicalId(template, 'AWS::SecretsManager::Secret');
    for (const id of PREVIEW_ROUTES) {
      const fn = wiring().get(routeKey(routeById(id)))?.functionLogicalId as string;
      const secretReads = statementsOfFunction(template, fn).filter((s) =>
        asArray<string>(s.Action).some((action) => action.startsWith('secretsmanager:')),
      );
      const expected =
        id === 'PreviewArticle'
          ? []
          : [{ Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: { Ref: secretId } }];
      expect(secretReads, id).toEqual(expected);
    }
  });

  it('guards the editor routes with the JWT authorizer and leaves the link itself public', () => {
    const routes = wiring();
    for (const id of ['PreviewArticle', 'CreatePreviewLink']) {
      const route = routes.get(routeKey(routeById(id)));
      expect(route?.route.properties.AuthorizationType, id).toBe('JWT');
    }
    const open = routes.get(routeKey(routeById('OpenPreviewLink')));
    expect(open?.route.properties.AuthorizationType ?? 'NONE').toBe('NONE');
  });
});
