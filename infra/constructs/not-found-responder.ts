import { Duration } from 'aws-cdk-lib';
import { FunctionUrlOriginAccessControl, type IOrigin } from 'aws-cdk-lib/aws-cloudfront';
import { FunctionUrlOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { type FunctionUrl, FunctionUrlAuthType } from 'aws-cdk-lib/aws-lambda';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { ENV } from '../../functions/config/environment';
import { NOT_FOUND_PATH } from '../../functions/render/site-paths';
import { accountWideName, ORIGIN_ACCESS_CONTROL_NAME_MAX_LENGTH } from './account-wide-name';
import { NewsFunction } from './news-function';

export interface NotFoundResponderProps {
  readonly pagesBucket: IBucket;
}

/** The object CloudFront answers a missing page with (written by the renderer). */
export const NOT_FOUND_OBJECT_KEY = NOT_FOUND_PATH.slice(1);

/**
 * Answers a missing page with the site's 404 page and status 404, as the fallback origin of the site's
 * cache behaviour (see SiteDistribution): a function (functions/handlers/not-found-page.ts) behind a
 * function URL that only this distribution can call (IAM auth, signed by an origin access control), and
 * that may read exactly one object, the 404 page.
 *
 * It replaces a distribution-wide custom error response, which CloudFront applies to every cache
 * behaviour, the API's included: an API 404 would have become the HTML page (docs/deploy.md).
 */
export class NotFoundResponder extends Construct {
  readonly function: NewsFunction;
  readonly url: FunctionUrl;
  /** The origin to fail over to; it may only be used by one distribution (the invoke permission names it). */
  readonly origin: IOrigin;

  constructor(scope: Construct, id: string, props: NotFoundResponderProps) {
    super(scope, id);

    this.function = new NewsFunction(this, 'Function', {
      handler: 'not-found-page',
      description:
        'Answers a missing page of the site with the 404 page and status 404 (CloudFront fallback)',
      // One S3 read a minute at most, otherwise a string from memory: half the default is plenty.
      memorySize: 256,
      // CloudFront waits for an origin 30 s by default; a reader should not.
      timeout: Duration.seconds(5),
    });
    this.function.addEnvironment(ENV.bucketName, props.pagesBucket.bucketName);
    this.function.role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['s3:GetObject'],
        resources: [props.pagesBucket.arnForObjects(NOT_FOUND_OBJECT_KEY)],
      }),
    );

    this.url = this.function.function.addFunctionUrl({ authType: FunctionUrlAuthType.AWS_IAM });
    this.origin = FunctionUrlOrigin.withOriginAccessControl(this.url, {
      originAccessControl: new FunctionUrlOriginAccessControl(this, 'OriginAccess', {
        originAccessControlName: accountWideName(this, 'not-found', ORIGIN_ACCESS_CONTROL_NAME_MAX_LENGTH),
        description: 'CloudFront calls the Flash News 404-page function (signed requests)',
      }),
      readTimeout: Duration.seconds(10),
    });
  }
}
