import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  ORIGIN_ACCESS_CONTROL_NAME_MAX_LENGTH,
  RESPONSE_HEADERS_POLICY_NAME_MAX_LENGTH,
} from '../../infra/constructs/account-wide-name';
import { DEFAULT_TEST_PROPS, resourcesOfType, synthTemplate, TEST_ENV } from './helpers';

/** CloudFront resources whose names are unique per account, whatever the region, and where each name is. */
const ACCOUNT_WIDE = {
  'AWS::CloudFront::OriginAccessControl': {
    name: (properties: { OriginAccessControlConfig: { Name: string } }) =>
      properties.OriginAccessControlConfig.Name,
    maxLength: ORIGIN_ACCESS_CONTROL_NAME_MAX_LENGTH,
    allowed: /^[A-Za-z0-9-]+$/,
  },
  'AWS::CloudFront::ResponseHeadersPolicy': {
    name: (properties: { ResponseHeadersPolicyConfig: { Name: string } }) =>
      properties.ResponseHeadersPolicyConfig.Name,
    maxLength: RESPONSE_HEADERS_POLICY_NAME_MAX_LENGTH,
    allowed: /^[\w-]+$/,
  },
  'AWS::CloudFront::CachePolicy': {
    name: (properties: { CachePolicyConfig: { Name: string } }) => properties.CachePolicyConfig.Name,
    maxLength: 128,
    allowed: /^[\w-]+$/,
  },
  'AWS::CloudFront::Function': {
    name: (properties: { Name: string }) => properties.Name,
    maxLength: 64,
    allowed: /^[\w-]+$/,
  },
} as const;

type AccountWideType = keyof typeof ACCOUNT_WIDE;
const TYPES = Object.keys(ACCOUNT_WIDE) as AccountWideType[];

/** The names of one type's resources (a plain string each: region and stack name are known at synth). */
function namesOf(template: Template, type: AccountWideType): string[] {
  return resourcesOfType(template, type).map(({ properties }) => {
    const name = ACCOUNT_WIDE[type].name(properties);
    expect(typeof name, type).toBe('string');
    return name;
  });
}

function synthIn(region: string, stackName?: string): Template {
  return synthTemplate({
    env: { account: TEST_ENV.account, region },
    stackProps: { ...DEFAULT_TEST_PROPS, stackName },
  }).template;
}

/** CloudFormation's longest stack name. */
const LONG_STACK_NAME = `FlashNews-${'x'.repeat(118)}`;

let inFrankfurt: Template;
let inOregon: Template;

beforeAll(() => {
  inFrankfurt = synthIn('eu-central-1');
  inOregon = synthIn('us-west-2');
});

describe('account-wide CloudFront names', () => {
  it('the stack has two origin access controls (bucket, not-found function) and three response-headers policies (site, API reference page, previews) to name', () => {
    expect(namesOf(inFrankfurt, 'AWS::CloudFront::OriginAccessControl')).toHaveLength(2);
    const policies = namesOf(inFrankfurt, 'AWS::CloudFront::ResponseHeadersPolicy');
    expect(policies).toHaveLength(3);
    expect(new Set(policies).size).toBe(3);
  });

  it('name the stack and the region', () => {
    for (const type of TYPES) {
      for (const name of namesOf(inFrankfurt, type)) {
        expect(name, type).toContain('FlashNews');
        expect(name, type).toContain('eu-central-1');
      }
    }
  });

  it('differ between the same stack in two regions of one account', () => {
    for (const type of TYPES) {
      const frankfurt = namesOf(inFrankfurt, type);
      const oregon = namesOf(inOregon, type);
      expect(frankfurt.length, type).toBeGreaterThan(0);
      expect(oregon, type).toHaveLength(frankfurt.length);
      for (const name of oregon) expect(frankfurt, type).not.toContain(name);
    }
  });

  it('keep within CloudFront length limits and allowed characters for the longest stack name', () => {
    const template = synthIn('ap-southeast-5', LONG_STACK_NAME);
    for (const type of TYPES) {
      for (const name of namesOf(template, type)) {
        expect(name.length, `${type} ${name}`).toBeLessThanOrEqual(ACCOUNT_WIDE[type].maxLength);
        expect(name, type).toMatch(ACCOUNT_WIDE[type].allowed);
      }
    }
  });

  it('stay apart for two long stack names that only differ after the cut', () => {
    const one = synthIn('eu-central-1', `${LONG_STACK_NAME.slice(0, -1)}a`);
    const two = synthIn('eu-central-1', `${LONG_STACK_NAME.slice(0, -1)}b`);
    for (const type of [
      'AWS::CloudFront::OriginAccessControl',
      'AWS::CloudFront::ResponseHeadersPolicy',
    ] as const) {
      expect(namesOf(one, type), type).not.toEqual(namesOf(two, type));
    }
  });
});
