import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROUTES, routeKey } from '../../functions/http/routes';
import { API_REFERENCE_PATH, OPENAPI_PATH } from '../../functions/openapi/reference-endpoints';
import { renderReferencePage } from '../../functions/openapi/reference-page';
import { loadSwaggerUiAssets } from '../../functions/openapi/swagger-ui-assets';
import {
  asArray,
  type Json,
  onlyLogicalId,
  referencedId,
  resourceAtPath,
  routesWithFunctions,
  synthTemplate,
} from './helpers';

/**
 * The API describes itself at GET /api/openapi.json and GET /api/docs: two rows of the route table, so two
 * HTTP API routes with their own functions, and two cached CloudFront behaviours; the page's behaviour
 * carries a response-headers policy whose CSP is the page's own (the site's would block Swagger UI).
 */

let template: Template;
let config: Json;

function behavior(pathPattern: string): Json {
  const found = asArray<Json>(config.CacheBehaviors).find((b) => b.PathPattern === pathPattern);
  if (!found) throw new Error(`No cache behaviour for ${pathPattern}`);
  return found;
}

const policyConfig = (id: string | undefined): Json =>
  template.toJSON().Resources[id as string].Properties.ResponseHeadersPolicyConfig;

beforeAll(() => {
  ({ template } = synthTemplate());
  config =
    template.toJSON().Resources[onlyLogicalId(template, 'AWS::CloudFront::Distribution')].Properties
      .DistributionConfig;
});

describe('the API description routes', () => {
  it('are public HTTP API routes without an authorizer, each with its own function', () => {
    const routes = routesWithFunctions(template);
    for (const path of [OPENAPI_PATH, API_REFERENCE_PATH]) {
      const route = ROUTES.find((candidate) => candidate.path === path);
      expect(route?.auth).toBe('public');
      expect(route?.tableAccess).toBe('none');
      const wired = routes.get(routeKey(route as (typeof ROUTES)[number]));
      expect(wired, path).toBeDefined();
      expect(wired?.route.properties.AuthorizationType ?? 'NONE', path).toBe('NONE');
    }
  });
});

describe('the API description behaviours', () => {
  it('are cached like the other public reads and come before the /api/* catch-all', () => {
    const patterns = asArray<Json>(config.CacheBehaviors).map((b) => b.PathPattern);
    const latest = behavior('/api/latest');
    for (const path of [OPENAPI_PATH, API_REFERENCE_PATH]) {
      expect(patterns.indexOf(path), path).toBeLessThan(patterns.indexOf('/api/*'));
      expect(behavior(path).CachePolicyId, path).toEqual(latest.CachePolicyId);
      expect(behavior(path).TargetOriginId, path).toBe(latest.TargetOriginId);
      expect(behavior(path).AllowedMethods, path).toEqual(['GET', 'HEAD', 'OPTIONS']);
    }
    expect(behavior(OPENAPI_PATH).ResponseHeadersPolicyId).toEqual(latest.ResponseHeadersPolicyId);
  });

  it("give the reference page the site's security headers with the page's own CSP", () => {
    const page = behavior(API_REFERENCE_PATH);
    const siteId = resourceAtPath(template, 'Site/SecurityHeaders').logicalId;
    const pageId = referencedId(page.ResponseHeadersPolicyId);
    expect(pageId).toBe(resourceAtPath(template, 'Site/ApiReferenceHeaders').logicalId);
    const site = policyConfig(siteId);
    const reference = policyConfig(pageId);
    expect(reference.SecurityHeadersConfig.ContentSecurityPolicy).toEqual({
      ContentSecurityPolicy: renderReferencePage(loadSwaggerUiAssets()).contentSecurityPolicy,
      Override: true,
    });
    const { ContentSecurityPolicy: _pageCsp, ...pageOthers } = reference.SecurityHeadersConfig;
    const { ContentSecurityPolicy: _siteCsp, ...siteOthers } = site.SecurityHeadersConfig;
    expect(pageOthers).toEqual(siteOthers);
    expect(reference.CustomHeadersConfig).toEqual(site.CustomHeadersConfig);
    // CloudFront's limit on a Content-Security-Policy value.
    expect(reference.SecurityHeadersConfig.ContentSecurityPolicy.ContentSecurityPolicy.length).toBeLessThan(
      1783,
    );
  });
});
