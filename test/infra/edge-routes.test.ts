import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { ENV } from '../../functions/config/environment';
import {
  allPolicyStatements,
  asArray,
  type Json,
  onlyLogicalId,
  resourceAtPath,
  resourcesOfType,
  synthTemplate,
} from './helpers';

/**
 * The edge routes store (issue #9 items 5 and 6): a CloudFront KeyValueStore the viewer-request function
 * reads, which only the render and reconcile functions may write, and only that store.
 */

const WRITE_ACTIONS = [
  'cloudfront-keyvaluestore:DescribeKeyValueStore',
  'cloudfront-keyvaluestore:GetKey',
  'cloudfront-keyvaluestore:ListKeys',
  'cloudfront-keyvaluestore:UpdateKeys',
];

let template: Template;
let storeId: string;
const storeArn = () => ({ 'Fn::GetAtt': [storeId, 'Arn'] });

beforeAll(() => {
  ({ template } = synthTemplate());
  storeId = onlyLogicalId(template, 'AWS::CloudFront::KeyValueStore');
});

describe('edge routes store', () => {
  it('is one KeyValueStore, associated with the viewer-request function on the 2.0 runtime', () => {
    const fn = resourcesOfType(template, 'AWS::CloudFront::Function');
    expect(fn).toHaveLength(1);
    const config = fn[0]?.properties.FunctionConfig;
    expect(config.Runtime).toBe('cloudfront-js-2.0');
    expect(config.KeyValueStoreAssociations).toEqual([{ KeyValueStoreARN: storeArn() }]);
    // The function that reads it is the distribution's viewer-request function.
    const distribution = resourcesOfType(template, 'AWS::CloudFront::Distribution')[0]?.properties;
    const associations = asArray<Json>(
      distribution.DistributionConfig.DefaultCacheBehavior.FunctionAssociations,
    );
    expect(associations).toContainEqual({
      EventType: 'viewer-request',
      FunctionARN: { 'Fn::GetAtt': [fn[0]?.logicalId, 'FunctionARN'] },
    });
  });

  it('tells the render and reconcile functions which store to keep', () => {
    for (const path of ['Renderer/RenderFunction/Function', 'Reconciler/ReconcileFunction/Function']) {
      const fn = resourceAtPath(template, path);
      expect(fn.properties.Environment.Variables[ENV.edgeRoutesStoreArn], path).toEqual(storeArn());
    }
  });

  it('may be written by the render and reconcile functions only, and they may write this store only', () => {
    const granting = allPolicyStatements(template).filter(({ statement }) =>
      asArray(statement.Action).some((action) => action.startsWith('cloudfront-keyvaluestore:')),
    );
    const renderRole = resourceAtPath(template, 'Renderer/RenderFunction/Function').properties.Role;
    const reconcileRole = resourceAtPath(template, 'Reconciler/ReconcileFunction/Function').properties.Role;
    const policies = resourcesOfType(template, 'AWS::IAM::Policy');
    const rolesOf = (where: string) =>
      policies.find(({ logicalId }) => where === `AWS::IAM::Policy ${logicalId}`)?.properties.Roles;

    expect(granting).toHaveLength(2);
    expect(granting.flatMap(({ where }) => rolesOf(where))).toEqual(
      expect.arrayContaining([{ Ref: renderRole['Fn::GetAtt'][0] }, { Ref: reconcileRole['Fn::GetAtt'][0] }]),
    );
    for (const { statement } of granting) {
      expect(statement.Effect).toBe('Allow');
      expect([...asArray(statement.Action)].sort()).toEqual(WRITE_ACTIONS);
      expect(statement.Resource).toEqual(storeArn());
    }
  });
});
