import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type CfnResource,
  type Json,
  onlyLogicalId,
  resourceAtPath,
  resourcesOfType,
  synthTemplate,
  TEST_ALARM_TOPIC_ARN,
} from './helpers';

let template: Template;
let alarms: CfnResource[];

function functionDimension(alarm: CfnResource): string | undefined {
  const dimension = (alarm.properties.Dimensions ?? []).find((d: Json) => d.Name === 'FunctionName');
  return dimension?.Value?.Ref;
}

function alarmsFor(metricName: string, namespace: string): CfnResource[] {
  return alarms.filter((a) => a.properties.MetricName === metricName && a.properties.Namespace === namespace);
}

beforeAll(() => {
  ({ template } = synthTemplate());
  alarms = resourcesOfType(template, 'AWS::CloudWatch::Alarm');
});

describe('alarms', () => {
  it('watch every function for errors and for throttles', () => {
    const functionIds = resourcesOfType(template, 'AWS::Lambda::Function')
      .map((f) => f.logicalId)
      .sort();
    for (const metric of ['Errors', 'Throttles']) {
      const watched = alarmsFor(metric, 'AWS/Lambda');
      expect(watched.map(functionDimension).sort(), metric).toEqual(functionIds);
      for (const alarm of watched) {
        expect(alarm.properties).toMatchObject({
          Statistic: 'Sum',
          ComparisonOperator: 'GreaterThanThreshold',
          Threshold: 0,
          TreatMissingData: 'notBreaching',
        });
      }
    }
  });

  it('fire on the first message in the render failure queue', () => {
    const [alarm, ...others] = alarmsFor('ApproximateNumberOfMessagesVisible', 'AWS/SQS');
    expect(others).toHaveLength(0);
    const queueId = resourceAtPath(template, 'Renderer/FailureQueue').logicalId;
    expect(alarm?.properties.Dimensions).toEqual([
      { Name: 'QueueName', Value: { 'Fn::GetAtt': [queueId, 'QueueName'] } },
    ]);
    expect(alarm?.properties).toMatchObject({ ComparisonOperator: 'GreaterThanThreshold', Threshold: 0 });
  });

  it('fire when the renderer falls behind the stream (IteratorAge)', () => {
    const [alarm, ...others] = alarmsFor('IteratorAge', 'AWS/Lambda');
    expect(others).toHaveLength(0);
    expect(functionDimension(alarm as CfnResource)).toBe(
      resourceAtPath(template, 'Renderer/RenderFunction/Function').logicalId,
    );
    expect(alarm?.properties.Statistic).toBe('Maximum');
    expect(alarm?.properties.Threshold).toBeGreaterThan(0);
  });

  it('fire when the edge routes store is full (the render function counts each change it could not store)', () => {
    const [alarm, ...others] = alarmsFor('EdgeRoutesStoreFull', 'FlashNews');
    expect(others).toHaveLength(0);
    expect(alarm?.properties).toMatchObject({
      Dimensions: [{ Name: 'service', Value: 'flash-news' }],
      Statistic: 'Sum',
      ComparisonOperator: 'GreaterThanThreshold',
      Threshold: 0,
      TreatMissingData: 'notBreaching',
    });
  });

  it('notify the configured SNS topic, on alarm and on recovery', () => {
    expect(alarms.length).toBeGreaterThan(0);
    for (const alarm of alarms) {
      expect(alarm.properties.AlarmActions, alarm.logicalId).toEqual([TEST_ALARM_TOPIC_ARN]);
      expect(alarm.properties.OKActions, alarm.logicalId).toEqual([TEST_ALARM_TOPIC_ARN]);
    }
  });
});

describe('stack outputs', () => {
  it('give the site and API URLs, the user pool and client ids, the bucket and the distribution id', () => {
    const outputs = template.toJSON().Outputs;
    const refOf = (type: string) => ({ Ref: onlyLogicalId(template, type) });
    expect(outputs.SiteUrl.Value).toEqual({
      'Fn::Join': [
        '',
        [
          'https://',
          { 'Fn::GetAtt': [onlyLogicalId(template, 'AWS::CloudFront::Distribution'), 'DomainName'] },
        ],
      ],
    });
    expect(JSON.stringify(outputs.ApiUrl.Value)).toContain('/api');
    expect(JSON.stringify(outputs.ApiGatewayUrl.Value)).toContain(
      onlyLogicalId(template, 'AWS::ApiGatewayV2::Api'),
    );
    expect(outputs.UserPoolId.Value).toEqual(refOf('AWS::Cognito::UserPool'));
    expect(outputs.UserPoolClientId.Value).toEqual(refOf('AWS::Cognito::UserPoolClient'));
    expect(outputs.PagesBucketName.Value).toEqual({
      Ref: resourceAtPath(template, 'Site/PagesBucket').logicalId,
    });
    expect(outputs.DistributionId.Value).toEqual(refOf('AWS::CloudFront::Distribution'));
  });
});
