import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  CorsHttpMethod,
  HttpApi,
  HttpMethod,
  HttpRoute,
  HttpRouteKey,
  HttpStage,
  LogGroupLogDestination,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpUserPoolAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import {
  type RouteDefinition,
  readsCursorSecret,
  requiresToken,
  routeKey,
} from '../../functions/http/routes';
import { swaggerUiPackageFiles } from '../../functions/openapi/swagger-ui-assets';
import type { ArticlesTable } from './articles-table';
import type { EditorUserPool } from './editor-user-pool';
import {
  grantCursorSecretRead,
  grantTableAccess,
  type SiteEnvironment,
  setAuthEnvironment,
  setSiteEnvironment,
} from './function-access';
import { NewsFunction } from './news-function';

export interface ApiThrottle {
  /** Steady-state requests per second. */
  readonly rateLimit: number;
  readonly burstLimit: number;
}

export interface PublishingApiProps {
  readonly editors: EditorUserPool;
  /** Browser origins allowed to call the API cross-origin; empty means same-origin only. */
  readonly allowedOrigins: readonly string[];
  readonly throttle: ApiThrottle;
}

/** What the route functions are given, beyond what the route table says about them. */
export interface RouteWiring {
  readonly table: ArticlesTable;
  readonly cursorSecret: ISecret;
  readonly site: SiteEnvironment;
}

/** What a route's handler reads from its own directory at run time (see NewsFunctionProps). */
const FILES_BESIDE_HANDLER: Readonly<Record<string, readonly string[]>> = {
  'get-api-reference': Object.values(swaggerUiPackageFiles()),
};

/** One line of JSON per request; HTTP APIs lack the REST-only `$context.identity.caller` fields. */
const ACCESS_LOG_FORMAT = AccessLogFormat.custom(
  JSON.stringify({
    requestId: '$context.requestId',
    requestTime: '$context.requestTime',
    sourceIp: '$context.identity.sourceIp',
    userAgent: '$context.identity.userAgent',
    routeKey: '$context.routeKey',
    path: '$context.path',
    status: '$context.status',
    responseLength: '$context.responseLength',
    responseLatency: '$context.responseLatency',
    integrationLatency: '$context.integrationLatency',
    integrationError: '$context.integrationErrorMessage',
    authorizerError: '$context.authorizer.error',
    subject: '$context.authorizer.claims.sub',
  }),
);

/**
 * The publishing HTTP API: one Lambda function per row of the route table, Cognito's JWT authorizer on
 * the `editor` routes, throttling and access logs on the stage. Routes are added after the distribution
 * exists (`addRoutes`) because their functions need the site's URL, while the distribution only needs
 * the API's endpoint: building in that order keeps the dependency graph acyclic.
 */
export class PublishingApi extends Construct {
  readonly httpApi: HttpApi;
  readonly stage: HttpStage;
  readonly accessLogs: LogGroup;
  readonly authorizer: HttpUserPoolAuthorizer;
  private readonly editors: EditorUserPool;
  private readonly routeFunctions = new Map<string, NewsFunction>();

  constructor(scope: Construct, id: string, props: PublishingApiProps) {
    super(scope, id);
    this.editors = props.editors;

    this.httpApi = new HttpApi(this, 'HttpApi', {
      description: 'Flash News publishing API',
      // The stage is created below so that it can carry throttling and access logs.
      createDefaultStage: false,
      corsPreflight:
        props.allowedOrigins.length === 0
          ? undefined
          : {
              allowOrigins: [...props.allowedOrigins],
              allowMethods: [
                CorsHttpMethod.GET,
                CorsHttpMethod.POST,
                CorsHttpMethod.PATCH,
                CorsHttpMethod.DELETE,
                CorsHttpMethod.OPTIONS,
              ],
              allowHeaders: ['Authorization', 'Content-Type', 'If-Match', 'Idempotency-Key'],
              exposeHeaders: ['ETag', 'Location'],
              // Bearer tokens, not cookies: browsers need not send credentials.
              allowCredentials: false,
              maxAge: Duration.hours(1),
            },
    });

    this.accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: RetentionDays.THREE_MONTHS,
      removalPolicy: RemovalPolicy.DESTROY,
    });

    this.stage = new HttpStage(this, 'DefaultStage', {
      httpApi: this.httpApi,
      // `$default` serves the API at the endpoint's root, so `/api/...` paths pass through CloudFront unchanged.
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: props.throttle.rateLimit, burstLimit: props.throttle.burstLimit },
      accessLogSettings: {
        destination: new LogGroupLogDestination(this.accessLogs),
        format: ACCESS_LOG_FORMAT,
      },
    });

    this.authorizer = new HttpUserPoolAuthorizer('EditorAuthorizer', props.editors.userPool, {
      userPoolClients: [props.editors.client],
      identitySource: ['$request.header.Authorization'],
    });
  }

  /** Host name of the execute-api endpoint: all the distribution's API origin needs to know. */
  get domainName(): string {
    return `${this.httpApi.apiId}.execute-api.${Stack.of(this).region}.${Stack.of(this).urlSuffix}`;
  }

  get url(): string {
    return `https://${this.domainName}/`;
  }

  get functions(): NewsFunction[] {
    return [...this.routeFunctions.values()];
  }

  functionFor(routeId: string): NewsFunction {
    const fn = this.routeFunctions.get(routeId);
    if (!fn) throw new Error(`No function for route ${routeId}`);
    return fn;
  }

  addRoutes(routes: readonly RouteDefinition[], wiring: RouteWiring): void {
    for (const route of routes) {
      const fn = new NewsFunction(this, `${route.id}Function`, {
        handler: route.handler,
        description: `${routeKey(route)} (${route.auth})`,
        filesBesideHandler: FILES_BESIDE_HANDLER[route.handler],
      });
      grantTableAccess(fn, wiring.table, route.tableAccess);
      if (readsCursorSecret(route)) grantCursorSecretRead(fn, wiring.cursorSecret);
      setSiteEnvironment(fn, wiring.site);
      // Only `optional` routes verify tokens themselves, but every handler gets the issuer so that a route
      // can change its auth in the route table without an infrastructure change.
      setAuthEnvironment(fn, this.editors);
      this.routeFunctions.set(route.id, fn);

      const httpRoute = new HttpRoute(this, `${route.id}Route`, {
        httpApi: this.httpApi,
        routeKey: HttpRouteKey.with(route.path, HttpMethod[route.method]),
        integration: new HttpLambdaIntegration(`${route.id}Integration`, fn.function),
        authorizer: requiresToken(route) ? this.authorizer : undefined,
      });
      if (!requiresToken(route)) {
        Validations.of(httpRoute).acknowledge({
          id: 'AwsSolutions-APIG4',
          reason:
            route.auth === 'public'
              ? `${routeKey(route)} is public by design (the route table says auth: public): anonymous ` +
                'readers and apps read it, and CloudFront caches it.'
              : `${routeKey(route)} has auth: optional: anonymous readers get published articles, and the ` +
                'handler itself verifies a bearer token when one is sent (drafts need their contributor or an editor).',
        });
      }
    }
  }
}
