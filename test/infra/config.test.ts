import { App } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SITE } from '../../functions/config/site';
import { CONTEXT_KEYS, ConfigError, configFromContext, resolveConfig } from '../../infra/config';

const CERTIFICATE = 'arn:aws:acm:us-east-1:123456789012:certificate/abc';

describe('deployment configuration', () => {
  it('has defaults that make a bare deploy work', () => {
    const config = resolveConfig({});
    expect(config.siteName).toBe(DEFAULT_SITE.name);
    expect(config.siteTimeZone).toBe('UTC');
    expect(config.allowedOrigins).toEqual([]);
    expect(config.domainName).toBeUndefined();
    expect(config.apiRateLimit).toBeGreaterThan(0);
    expect(config.apiBurstLimit).toBeGreaterThanOrEqual(config.apiRateLimit);
  });

  it('allows the custom domain cross-origin by default', () => {
    const config = resolveConfig({ domainName: 'news.example.com', certificateArn: CERTIFICATE });
    expect(config.allowedOrigins).toEqual(['https://news.example.com']);
  });

  it('refuses a domain without a certificate, and the reverse', () => {
    expect(() => resolveConfig({ domainName: 'news.example.com' })).toThrow(ConfigError);
    expect(() => resolveConfig({ certificateArn: CERTIFICATE })).toThrow(ConfigError);
  });

  it('refuses a certificate outside us-east-1, which CloudFront cannot use', () => {
    expect(() =>
      resolveConfig({
        domainName: 'news.example.com',
        certificateArn: 'arn:aws:acm:eu-central-1:123456789012:certificate/abc',
      }),
    ).toThrow(/us-east-1/);
  });

  it('accepts only bare origins for CORS', () => {
    expect(() => resolveConfig({ allowedOrigins: ['*'] })).toThrow(ConfigError);
    expect(() => resolveConfig({ allowedOrigins: ['https://news.example.com/'] })).toThrow(ConfigError);
    expect(() => resolveConfig({ allowedOrigins: ['https://news.example.com/app'] })).toThrow(ConfigError);
    expect(resolveConfig({ allowedOrigins: ['http://localhost:3000'] }).allowedOrigins).toEqual([
      'http://localhost:3000',
    ]);
  });

  it('reads every setting from CDK context, lists comma-separated', () => {
    const app = new App({
      context: {
        [CONTEXT_KEYS.domainName]: 'news.example.com',
        [CONTEXT_KEYS.certificateArn]: CERTIFICATE,
        [CONTEXT_KEYS.allowedOrigins]: 'https://a.example.com, https://b.example.com',
        [CONTEXT_KEYS.siteName]: 'Lajme Flash',
        [CONTEXT_KEYS.siteTimeZone]: 'Europe/Tirane',
        [CONTEXT_KEYS.siteBaseUrl]: 'https://www.example.com/',
        [CONTEXT_KEYS.alarmTopicArn]: 'arn:aws:sns:us-east-1:123456789012:alarms',
        [CONTEXT_KEYS.webAclArn]: 'arn:aws:wafv2:us-east-1:123456789012:global/webacl/x/y',
        [CONTEXT_KEYS.apiRateLimit]: '20',
        [CONTEXT_KEYS.apiBurstLimit]: 40,
      },
    });
    expect(resolveConfig(configFromContext(app.node))).toEqual({
      domainName: 'news.example.com',
      certificateArn: CERTIFICATE,
      allowedOrigins: ['https://a.example.com', 'https://b.example.com'],
      siteName: 'Lajme Flash',
      siteTimeZone: 'Europe/Tirane',
      siteBaseUrl: 'https://www.example.com',
      alarmTopicArn: 'arn:aws:sns:us-east-1:123456789012:alarms',
      webAclArn: 'arn:aws:wafv2:us-east-1:123456789012:global/webacl/x/y',
      apiRateLimit: 20,
      apiBurstLimit: 40,
    });
  });
});

describe('siteTimeZone', () => {
  it('must be an IANA time zone', () => {
    expect(() => resolveConfig({ siteTimeZone: 'Mars/Olympus' })).toThrow(/siteTimeZone/);
    expect(resolveConfig({ siteTimeZone: 'Europe/Tirane' }).siteTimeZone).toBe('Europe/Tirane');
  });
});
