import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROUTES } from '../../functions/http/routes';
import { POWERTOOLS_METRICS_NAMESPACE, POWERTOOLS_SERVICE_NAME } from '../../infra/constructs/news-function';
import { type CfnResource, type Json, resourcesOfType, synthTemplate } from './helpers';

let template: Template;
let functions: CfnResource[];

beforeAll(() => {
  ({ template } = synthTemplate());
  functions = resourcesOfType(template, 'AWS::Lambda::Function');
});

describe('Lambda function defaults', () => {
  it('there is one function per route, plus the renderer, the 404 page, the scheduled publisher, the reconciler and the re-render chunk function', () => {
    expect(functions).toHaveLength(ROUTES.length + 5);
  });

  it('run Node.js 24 on ARM64 with active X-Ray tracing', () => {
    for (const fn of functions) {
      expect(fn.properties.Runtime, fn.logicalId).toBe('nodejs24.x');
      expect(fn.properties.Architectures, fn.logicalId).toEqual(['arm64']);
      expect(fn.properties.TracingConfig, fn.logicalId).toEqual({ Mode: 'Active' });
      expect(fn.properties.Handler, fn.logicalId).toBe('index.handler');
    }
  });

  it('enable source maps and configure Powertools', () => {
    for (const fn of functions) {
      expect(fn.properties.Environment.Variables, fn.logicalId).toMatchObject({
        NODE_OPTIONS: '--enable-source-maps',
        POWERTOOLS_SERVICE_NAME,
        POWERTOOLS_METRICS_NAMESPACE,
        POWERTOOLS_LOG_LEVEL: 'INFO',
      });
    }
  });

  it('log to their own log group, with a retention', () => {
    const resources = template.toJSON().Resources;
    const groups = new Set<string>();
    for (const fn of functions) {
      const groupId = fn.properties.LoggingConfig.LogGroup.Ref as string;
      groups.add(groupId);
      const group: Json = resources[groupId];
      expect(group.Type).toBe('AWS::Logs::LogGroup');
      expect(group.Properties.RetentionInDays, groupId).toBeGreaterThan(0);
    }
    expect(groups.size).toBe(functions.length);
  });

  it('have explicit timeouts and memory sizes', () => {
    for (const fn of functions) {
      expect(fn.properties.Timeout, fn.logicalId).toBeGreaterThan(3);
      expect(fn.properties.Timeout, fn.logicalId).toBeLessThanOrEqual(900);
      expect(fn.properties.MemorySize, fn.logicalId).toBeGreaterThanOrEqual(256);
    }
  });
});
