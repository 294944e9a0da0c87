import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { NOT_FOUND_FAILOVER_STATUSES } from '../../infra/constructs/site-distribution';
import { asArray, type Json, onlyLogicalId, referencedId, resourceAtPath, synthTemplate } from './helpers';

/**
 * Through CloudFront an API error is the API's own JSON with its own status, whatever the status, and a
 * missing page is the HTML 404 page with status 404. CloudFront can change an origin's answer in three
 * ways: a custom error response (which applies to every cache behaviour of the distribution), an origin
 * group that fails over, and an edge function on the behaviour. This holds the template to using only the
 * second, and only on the site's behaviour. (What the fallback answers is in
 * test/unit/handlers/not-found-page.test.ts; locally, test/integration/api-errors.test.ts and
 * site-server.test.ts make the same requests over HTTP.)
 */

/** Every status the API answers with (README, "The contract"), plus what API Gateway itself may send. */
const API_STATUSES = [
  200, 201, 204, 304, 400, 401, 403, 404, 405, 409, 412, 413, 415, 428, 429, 500, 502, 503, 504,
] as const;

let template: Template;
let config: Json;
let apiOriginId: string;

function apiBehaviors(): Json[] {
  return asArray<Json>(config.CacheBehaviors).filter((b) => String(b.PathPattern).startsWith('/api'));
}

beforeAll(() => {
  ({ template } = synthTemplate());
  const distributionId = onlyLogicalId(template, 'AWS::CloudFront::Distribution');
  config = template.toJSON().Resources[distributionId].Properties.DistributionConfig;
  const apiId = onlyLogicalId(template, 'AWS::ApiGatewayV2::Api');
  apiOriginId = asArray<Json>(config.Origins).find(
    (origin) => referencedId(origin.DomainName?.['Fn::Join']?.[1]?.[0]) === apiId,
  )?.Id;
});

describe('distribution-wide error responses', () => {
  it('replace no answer: none has a page or a status of its own', () => {
    for (const response of asArray<Json>(config.CustomErrorResponses)) {
      expect(response.ResponsePagePath, JSON.stringify(response)).toBeUndefined();
      expect(response.ResponseCode, JSON.stringify(response)).toBeUndefined();
    }
  });

  it('only keep CloudFront from caching a 404 (it would replay one caller API 404 to the next)', () => {
    expect(asArray<Json>(config.CustomErrorResponses)).toEqual([{ ErrorCode: 404, ErrorCachingMinTTL: 0 }]);
  });
});

describe('the API behaviours', () => {
  it('are the cached public reads, the uncached previews and /api/*, each sent straight to the HTTP API', () => {
    expect(apiOriginId).toBeDefined();
    expect(apiBehaviors().map((b) => b.PathPattern)).toEqual([
      '/api/latest',
      '/api/sections',
      '/api/openapi.json',
      '/api/docs',
      '/api/preview',
      '/api/articles/*/preview',
      '/api/*',
    ]);
    for (const b of apiBehaviors()) expect(b.TargetOriginId, b.PathPattern).toBe(apiOriginId);
  });

  it('never fail over: the API origin belongs to no origin group', () => {
    const members = asArray<Json>(config.OriginGroups?.Items).flatMap((group) =>
      asArray<Json>(group.Members.Items).map((member) => member.OriginId),
    );
    expect(members).not.toContain(apiOriginId);
    const groupIds = asArray<Json>(config.OriginGroups?.Items).map((group) => group.Id);
    for (const b of apiBehaviors()) expect(groupIds, b.PathPattern).not.toContain(b.TargetOriginId);
  });

  it('run no edge function that could rewrite an answer', () => {
    for (const b of apiBehaviors()) {
      expect(b.FunctionAssociations, b.PathPattern).toBeUndefined();
      expect(b.LambdaFunctionAssociations, b.PathPattern).toBeUndefined();
    }
  });

  it.each(API_STATUSES)('let a %i from the API reach the client as the API sent it', (status) => {
    const replaced = asArray<Json>(config.CustomErrorResponses).filter(
      (response) =>
        response.ErrorCode === status &&
        (response.ResponsePagePath !== undefined || response.ResponseCode !== undefined),
    );
    expect(replaced).toEqual([]);
    for (const b of apiBehaviors()) {
      expect(b.TargetOriginId).toBe(apiOriginId);
      expect(b.FunctionAssociations).toBeUndefined();
      expect(b.LambdaFunctionAssociations).toBeUndefined();
    }
  });
});

describe('the site behaviour', () => {
  it('is the only one to fail over, to the 404-page function, on the statuses the bucket gives a missing key', () => {
    const groups = asArray<Json>(config.OriginGroups?.Items);
    expect(groups).toHaveLength(1);
    const [group] = groups;
    expect(config.DefaultCacheBehavior.TargetOriginId).toBe(group.Id);
    const others = asArray<Json>(config.CacheBehaviors).filter((b) => b.TargetOriginId === group.Id);
    expect(others).toEqual([]);
    expect(group.FailoverCriteria.StatusCodes.Items).toEqual([...NOT_FOUND_FAILOVER_STATUSES]);

    const url = resourceAtPath(template, 'Site/NotFoundPage/Function/Function/FunctionUrl');
    const fallbackId = asArray<Json>(group.Members.Items)[1]?.OriginId;
    const fallback = asArray<Json>(config.Origins).find((origin) => origin.Id === fallbackId);
    expect(JSON.stringify(fallback.DomainName)).toContain(url.logicalId);
    // Reached only by failing over: no behaviour sends requests to it directly.
    for (const b of [config.DefaultCacheBehavior, ...asArray<Json>(config.CacheBehaviors)]) {
      expect(b.TargetOriginId).not.toBe(fallbackId);
    }
  });

  it('allows GET and HEAD only, the methods CloudFront fails over for', () => {
    expect(config.DefaultCacheBehavior.AllowedMethods).toEqual(['GET', 'HEAD']);
  });
});
