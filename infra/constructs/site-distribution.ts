import { readFileSync } from 'node:fs';
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import type { ICertificate } from 'aws-cdk-lib/aws-certificatemanager';
import {
  AllowedMethods,
  type BehaviorOptions,
  CacheCookieBehavior,
  CachedMethods,
  CacheHeaderBehavior,
  CachePolicy,
  CacheQueryStringBehavior,
  Distribution,
  Function as EdgeFunction,
  type ErrorResponse,
  FunctionCode,
  FunctionEventType,
  FunctionRuntime,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  HttpVersion,
  KeyValueStore,
  OriginProtocolPolicy,
  OriginRequestPolicy,
  OriginSslPolicy,
  PriceClass,
  ResponseHeadersPolicy,
  S3OriginAccessControl,
  SecurityPolicyProtocol,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { HttpOrigin, OriginGroup, S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { viewerRequestCode } from '../../functions/edge/url-rewrite-code';
import { API_REFERENCE_PATH, OPENAPI_PATH } from '../../functions/openapi/reference-endpoints';
import { renderReferencePage } from '../../functions/openapi/reference-page';
import { loadSwaggerUiAssets } from '../../functions/openapi/swagger-ui-assets';
import { SECURITY_HEADERS } from '../../functions/render/security-headers';
import { newsroomFor } from '../config';
import {
  accountWideName,
  ORIGIN_ACCESS_CONTROL_NAME_MAX_LENGTH,
  RESPONSE_HEADERS_POLICY_NAME_MAX_LENGTH,
} from './account-wide-name';
import { PROJECT_ROOT } from './news-function';
import { NotFoundResponder } from './not-found-responder';

export interface SiteDistributionProps {
  /** Host name of the HTTP API's execute-api endpoint, the origin of `/api/*`. */
  readonly apiDomainName: string;
  readonly domainName?: string;
  /** ACM certificate (us-east-1) for `domainName`. */
  readonly certificate?: ICertificate;
  readonly webAclArn?: string;
}

/** The public API reads whose answers are the same for everyone, so CloudFront may cache them. */
export const CACHED_API_PATHS = ['/api/latest', '/api/sections', OPENAPI_PATH, API_REFERENCE_PATH] as const;
/** Every query parameter the cached reads understand; anything else must not split the cache. */
export const CACHED_API_QUERY_STRINGS = ['limit', 'section', 'cursor'] as const;
/**
 * Previews (functions/http/preview-page.ts): never cached, every query string forwarded (`revision`,
 * `token`), and `Referrer-Policy: no-referrer`, which the site's headers policy would otherwise override.
 */
export const PREVIEW_API_PATHS = ['/api/preview', '/api/articles/*/preview'] as const;
export const PREVIEW_REFERRER_POLICY = 'no-referrer';
/**
 * What the pages bucket answers, through Origin Access Control without s3:ListBucket, for a key it does not
 * hold (403), or would answer with the listing permission (404): either way the fallback origin answers.
 */
export const NOT_FOUND_FAILOVER_STATUSES = [403, 404] as const;
export const URL_REWRITE_SOURCE = `${PROJECT_ROOT}functions/edge/url-rewrite.js`;

function referrerPolicy(value: string): HeadersReferrerPolicy {
  const known = Object.values(HeadersReferrerPolicy) as string[];
  if (!known.includes(value)) throw new Error(`Unsupported Referrer-Policy ${value}`);
  return value as HeadersReferrerPolicy;
}

/**
 * Where readers get the site: a private, versioned bucket of rendered pages that only this distribution
 * can read (Origin Access Control), and one CloudFront distribution that also fronts the HTTP API under
 * `/api/*`, so the site and its API share one origin (no CORS for the site's own calls).
 */
export class SiteDistribution extends Construct {
  readonly pagesBucket: Bucket;
  readonly logsBucket: Bucket;
  readonly distribution: Distribution;
  /**
   * The edge routes store (functions/publishing/edge-routes.ts): the viewer-request function answers an
   * old article URL with a 301 and a withdrawn one with a 410 from it. The render and reconcile functions
   * keep it; nothing else may write it.
   */
  readonly edgeRoutes: KeyValueStore;
  /** The fallback origin of the site's cache behaviour: the 404 page for a missing page. */
  readonly notFound: NotFoundResponder;
  /** Public origin of the site, without a trailing slash. */
  readonly siteUrl: string;

  constructor(scope: Construct, id: string, props: SiteDistributionProps) {
    super(scope, id);

    this.logsBucket = new Bucket(this, 'LogsBucket', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      encryption: BucketEncryption.S3_MANAGED,
      // CloudFront standard logging writes through the awslogsdelivery account's object ACLs.
      objectOwnership: ObjectOwnership.BUCKET_OWNER_PREFERRED,
      lifecycleRules: [
        { expiration: Duration.days(90), abortIncompleteMultipartUploadAfter: Duration.days(1) },
      ],
      // Access logs can be evidence after an incident: they are kept when the stack is deleted.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.logsBucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'This bucket is the access-log destination of the pages bucket and of the distribution; logging its ' +
        'own accesses into itself would log every log delivery, without end.',
    });

    this.pagesBucket = new Bucket(this, 'PagesBucket', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      encryption: BucketEncryption.S3_MANAGED,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      // A bad render can be rolled back object by object; old versions expire so re-renders do not pile up.
      versioned: true,
      lifecycleRules: [
        {
          noncurrentVersionExpiration: Duration.days(30),
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
      ],
      serverAccessLogsBucket: this.logsBucket,
      serverAccessLogsPrefix: 's3/pages/',
      // RETAIN, not autoDeleteObjects: the pages can be re-rendered from the table, but deleting a live
      // site's content must be a deliberate act (docs/deploy.md, "Tear down"); autoDeleteObjects would also
      // add a custom-resource Lambda function with broad S3 permissions.
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.edgeRoutes = new KeyValueStore(this, 'EdgeRoutes', {
      comment: 'Flash News: old article paths to their newest path (301), withdrawn ones to gone (410)',
    });
    const urlRewrite = new EdgeFunction(this, 'UrlRewrite', {
      comment: 'Clean article and section URLs to the S3 keys the renderer writes; 301s and 410s',
      // The newsroom's sections written into the code: the function can read no configuration.
      code: FunctionCode.fromInline(
        viewerRequestCode(
          readFileSync(URL_REWRITE_SOURCE, 'utf8'),
          newsroomFor(this.node).sections.map((section) => section.slug),
          newsroomFor(this.node).language,
        ),
      ),
      // The store is read with `import cf from 'cloudfront'`, which only the 2.0 runtime has.
      runtime: FunctionRuntime.JS_2_0,
      keyValueStore: this.edgeRoutes,
    });

    // Origin access controls and response-headers policies are named per account, not per region: their
    // names carry the stack name and region so that the stack can be deployed in two regions of one account.
    const pagesAccess = new S3OriginAccessControl(this, 'PagesOriginAccess', {
      originAccessControlName: accountWideName(this, 'pages', ORIGIN_ACCESS_CONTROL_NAME_MAX_LENGTH),
      description: 'CloudFront reads the Flash News pages bucket (signed requests)',
    });

    const securityHeaders = this.securityHeadersPolicy(
      'SecurityHeaders',
      'security-headers',
      'Flash News security headers (functions/render/security-headers.ts)',
      SECURITY_HEADERS.contentSecurityPolicy,
    );
    // The same headers, with the policy of the API reference page: the site's would block Swagger UI's
    // inline script, and the page's own would be overridden. Its hashes are computed here from the same
    // files the function serves (functions/openapi/reference-page.ts).
    const referencePageHeaders = this.securityHeadersPolicy(
      'ApiReferenceHeaders',
      'api-reference-headers',
      'Flash News security headers for the API reference page (functions/openapi/reference-page.ts)',
      renderReferencePage(loadSwaggerUiAssets()).contentSecurityPolicy,
    );

    const previewHeaders = this.securityHeadersPolicy(
      'PreviewHeaders',
      'preview-headers',
      'Flash News security headers for previews: the site policy, and no Referer (a preview URL may hold a token)',
      SECURITY_HEADERS.contentSecurityPolicy,
      PREVIEW_REFERRER_POLICY,
    );

    const apiOrigin = new HttpOrigin(props.apiDomainName, {
      protocolPolicy: OriginProtocolPolicy.HTTPS_ONLY,
      originSslProtocols: [OriginSslPolicy.TLS_V1_2],
    });

    const publicApiCache = new CachePolicy(this, 'PublicApiCache', {
      comment: 'Public API reads: keyed by the query parameters they understand',
      queryStringBehavior: CacheQueryStringBehavior.allowList(...CACHED_API_QUERY_STRINGS),
      // API Gateway answers CORS requests per Origin, and CloudFront ignores Vary: the origin is part of
      // the key. Same-origin GETs send no Origin header, so the site's own calls share one entry.
      headerBehavior: CacheHeaderBehavior.allowList('Origin'),
      cookieBehavior: CacheCookieBehavior.none(),
      // The handlers' Cache-Control decides within these bounds; the cap keeps lists fresh after a publish.
      minTtl: Duration.seconds(0),
      defaultTtl: Duration.seconds(30),
      maxTtl: Duration.minutes(5),
      enableAcceptEncodingGzip: true,
      enableAcceptEncodingBrotli: true,
    });

    const cachedApiBehavior: BehaviorOptions = {
      origin: apiOrigin,
      // Never redirect API calls: the token would already have crossed the network in clear text.
      viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
      allowedMethods: AllowedMethods.ALLOW_GET_HEAD_OPTIONS,
      cachedMethods: CachedMethods.CACHE_GET_HEAD,
      cachePolicy: publicApiCache,
      responseHeadersPolicy: securityHeaders,
      compress: true,
    };

    const uncachedApiBehavior: BehaviorOptions = {
      origin: apiOrigin,
      viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
      allowedMethods: AllowedMethods.ALLOW_ALL,
      // Authenticated and per-article answers must never be served to another caller. With caching
      // disabled, CloudFront may pass the Authorization header on through an origin request policy.
      cachePolicy: CachePolicy.CACHING_DISABLED,
      originRequestPolicy: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
      responseHeadersPolicy: securityHeaders,
      compress: true,
    };

    // Custom error responses apply to the whole distribution, the API's behaviours included, so none may
    // replace a body or a status: an API 404 (or 403, or any other status) must reach the client as the
    // API's own JSON. A missing page gets the 404 page from the site behaviour's fallback origin instead
    // (below). What remains is error caching: CloudFront caches a 404 for 10 s by default, and a TTL of 0
    // keeps one caller's API 404 from being replayed to another and a missing page's 404 from hiding that
    // page once it is published (a first publication invalidates nothing: functions/render/site-objects.ts).
    const errorResponses: ErrorResponse[] = [{ httpStatus: 404, ttl: Duration.seconds(0) }];

    const additionalBehaviors: Record<string, BehaviorOptions> = {};
    for (const path of CACHED_API_PATHS) additionalBehaviors[path] = cachedApiBehavior;
    additionalBehaviors[API_REFERENCE_PATH] = {
      ...cachedApiBehavior,
      responseHeadersPolicy: referencePageHeaders,
    };
    for (const path of PREVIEW_API_PATHS) {
      additionalBehaviors[path] = { ...uncachedApiBehavior, responseHeadersPolicy: previewHeaders };
    }
    // Declared after the exact paths: CloudFront takes the first pattern that matches.
    additionalBehaviors['/api/*'] = uncachedApiBehavior;

    // Why an origin group, not the alternatives (docs/deploy.md, "API errors through CloudFront"):
    // - a custom error response for 403/404 is distribution-wide and would replace the API's answers;
    // - a CloudFront Function cannot help: CloudFront does not run viewer-response functions when the origin
    //   answers 400 or more, and a function cannot read the 404 page from the bucket anyway;
    // - S3 serves an error document only from a public website endpoint, never through Origin Access Control;
    // - a Lambda@Edge origin-response function can, but must live in us-east-1: a second stack, a
    //   cross-region custom resource, a second bootstrap, no ARM, no environment, logs in every region.
    // Origin failover is documented to send the same GET or HEAD to the fallback origin when the primary
    // answers a configured status (or cannot be reached), and to return the fallback's answer as it is.
    this.notFound = new NotFoundResponder(this, 'NotFoundPage', { pagesBucket: this.pagesBucket });
    const pagesOrigin = new OriginGroup({
      // GetObject only: without ListBucket a missing key is a 403, which fails over like a 404, and
      // CloudFront could never list the bucket whatever a request contained.
      primaryOrigin: S3BucketOrigin.withOriginAccessControl(this.pagesBucket, {
        originAccessControl: pagesAccess,
      }),
      fallbackOrigin: this.notFound.origin,
      fallbackStatusCodes: [...NOT_FOUND_FAILOVER_STATUSES],
    });

    this.distribution = new Distribution(this, 'Distribution', {
      comment: 'Flash News: rendered pages from S3, /api/* from the HTTP API',
      defaultBehavior: {
        origin: pagesOrigin,
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
        // The renderer sets Cache-Control per object (long for articles, short for indexes and feeds).
        cachePolicy: CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: securityHeaders,
        functionAssociations: [{ function: urlRewrite, eventType: FunctionEventType.VIEWER_REQUEST }],
        compress: true,
      },
      additionalBehaviors,
      defaultRootObject: 'index.html',
      errorResponses,
      httpVersion: HttpVersion.HTTP2_AND_3,
      enableIpv6: true,
      // North America and Europe edges; readers elsewhere are served from the nearest of those.
      priceClass: PriceClass.PRICE_CLASS_100,
      enableLogging: true,
      logBucket: this.logsBucket,
      logFilePrefix: 'cloudfront/',
      domainNames: props.domainName ? [props.domainName] : undefined,
      certificate: props.certificate,
      minimumProtocolVersion: props.certificate ? SecurityPolicyProtocol.TLS_V1_2_2021 : undefined,
      webAclId: props.webAclArn,
    });

    Validations.of(this.distribution).acknowledge({
      id: 'AwsSolutions-CFR1',
      reason: 'A news site is read worldwide; there is no country it must or may not be served in.',
    });
    if (!props.webAclArn) {
      Validations.of(this.distribution).acknowledge({
        id: 'AwsSolutions-CFR2',
        reason:
          'No web ACL by default: readers get static objects from S3, the API is throttled per stage and ' +
          'its writes need a Cognito token, and a web ACL costs at least $5/month plus $0.60 per million ' +
          'requests. Pass -c webAclArn=... to attach one.',
      });
    }
    if (!props.certificate) {
      Validations.of(this.distribution).acknowledge({
        id: 'AwsSolutions-CFR4',
        reason:
          'Without a custom domain the distribution uses the default *.cloudfront.net certificate, whose ' +
          'security policy CloudFront fixes; with domainName and certificateArn, TLSv1.2_2021 is enforced.',
      });
    }

    this.siteUrl = props.domainName
      ? `https://${props.domainName}`
      : `https://${this.distribution.distributionDomainName}`;
  }

  /** The security headers of functions/render/security-headers.ts, with `contentSecurityPolicy`. */
  private securityHeadersPolicy(
    id: string,
    name: string,
    comment: string,
    contentSecurityPolicy: string,
    referrer: string = SECURITY_HEADERS.referrerPolicy,
  ): ResponseHeadersPolicy {
    return new ResponseHeadersPolicy(this, id, {
      responseHeadersPolicyName: accountWideName(this, name, RESPONSE_HEADERS_POLICY_NAME_MAX_LENGTH),
      comment,
      securityHeadersBehavior: {
        contentSecurityPolicy: { contentSecurityPolicy, override: true },
        strictTransportSecurity: {
          accessControlMaxAge: Duration.seconds(SECURITY_HEADERS.strictTransportSecurity.maxAgeSeconds),
          includeSubdomains: SECURITY_HEADERS.strictTransportSecurity.includeSubdomains,
          preload: SECURITY_HEADERS.strictTransportSecurity.preload,
          override: true,
        },
        frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: referrerPolicy(referrer), override: true },
        contentTypeOptions: { override: true },
      },
      customHeadersBehavior: {
        customHeaders: [
          { header: 'Permissions-Policy', value: SECURITY_HEADERS.permissionsPolicy, override: true },
          {
            header: 'Cross-Origin-Opener-Policy',
            value: SECURITY_HEADERS.crossOriginOpenerPolicy,
            override: true,
          },
        ],
      },
    });
  }
}
