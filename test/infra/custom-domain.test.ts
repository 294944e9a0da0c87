import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { ENV } from '../../functions/config/environment';
import { DEFAULT_TEST_PROPS, type Json, onlyLogicalId, resourcesOfType, synthTemplate } from './helpers';

const CUSTOM_DOMAIN = 'news.example.com';
const CERTIFICATE_ARN = 'arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555';

let template: Template;
let config: Json;

beforeAll(() => {
  ({ template } = synthTemplate({
    stackProps: { ...DEFAULT_TEST_PROPS, domainName: CUSTOM_DOMAIN, certificateArn: CERTIFICATE_ARN },
  }));
  config =
    template.toJSON().Resources[onlyLogicalId(template, 'AWS::CloudFront::Distribution')].Properties
      .DistributionConfig;
});

describe('distribution with a custom domain', () => {
  it('serves the domain with the certificate over SNI and TLS 1.2 (2021) at least', () => {
    expect(config.Aliases).toEqual([CUSTOM_DOMAIN]);
    expect(config.ViewerCertificate).toEqual({
      AcmCertificateArn: CERTIFICATE_ARN,
      MinimumProtocolVersion: 'TLSv1.2_2021',
      SslSupportMethod: 'sni-only',
    });
  });

  it('gives the functions the custom domain as the site URL', () => {
    const urls = resourcesOfType(template, 'AWS::Lambda::Function')
      .map((fn) => fn.properties.Environment.Variables[ENV.siteBaseUrl])
      .filter((url) => url !== undefined);
    expect(urls.length).toBeGreaterThan(0);
    for (const url of urls) expect(url).toBe(`https://${CUSTOM_DOMAIN}`);
  });

  it('publishes the custom domain as the site URL', () => {
    expect(template.toJSON().Outputs.SiteUrl.Value).toBe(`https://${CUSTOM_DOMAIN}`);
  });
});
