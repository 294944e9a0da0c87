import { CfnOutput, RemovalPolicy, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import { Certificate, type ICertificate } from 'aws-cdk-lib/aws-certificatemanager';
import { EventBus } from 'aws-cdk-lib/aws-events';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { type ITopic, Topic } from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import { ROUTES } from '../functions/http/routes';
import { configFromContext, type DeploymentConfig, resolveConfig } from './config';
import { ArchiveRerender } from './constructs/archive-rerender';
import { ArticlesTable } from './constructs/articles-table';
import { EditorUserPool } from './constructs/editor-user-pool';
import type { NewsFunction } from './constructs/news-function';
import { OperationalAlarms } from './constructs/operational-alarms';
import { PageRenderer } from './constructs/page-renderer';
import { PublishingApi } from './constructs/publishing-api';
import { ScheduledPublisher } from './constructs/scheduled-publisher';
import { SiteDistribution } from './constructs/site-distribution';
import { SiteReconciler } from './constructs/site-reconciler';

export interface FlashNewsStackProps extends StackProps, DeploymentConfig {
  /** Notified by every alarm; wins over the `alarmTopicArn` setting. */
  readonly alarmTopic?: ITopic;
  /** Certificate for `domainName`; wins over the `certificateArn` setting. */
  readonly certificate?: ICertificate;
}

function pick<T>(prop: T | undefined, context: T | undefined): T | undefined {
  return prop ?? context;
}

/** Wires the constructs together; each construct holds its own defaults and reasons. */
export class FlashNewsStack extends Stack {
  constructor(scope: Construct, id: string, props: FlashNewsStackProps = {}) {
    super(scope, id, {
      description: 'Flash News publishing: articles in DynamoDB, pages rendered to S3, served by CloudFront',
      ...props,
    });

    const context = configFromContext(this.node);
    const config = resolveConfig({
      domainName: pick(props.domainName, context.domainName),
      certificateArn: props.certificate?.certificateArn ?? pick(props.certificateArn, context.certificateArn),
      allowedOrigins: pick(props.allowedOrigins, context.allowedOrigins),
      siteName: pick(props.siteName, context.siteName),
      siteTimeZone: pick(props.siteTimeZone, context.siteTimeZone),
      siteBaseUrl: pick(props.siteBaseUrl, context.siteBaseUrl),
      alarmTopicArn: pick(props.alarmTopicArn, context.alarmTopicArn),
      webAclArn: pick(props.webAclArn, context.webAclArn),
      apiRateLimit: pick(props.apiRateLimit, context.apiRateLimit),
      apiBurstLimit: pick(props.apiBurstLimit, context.apiBurstLimit),
    });

    const articles = new ArticlesTable(this, 'Articles');
    const editors = new EditorUserPool(this, 'Editors');
    const api = new PublishingApi(this, 'Api', {
      editors,
      allowedOrigins: config.allowedOrigins,
      throttle: { rateLimit: config.apiRateLimit, burstLimit: config.apiBurstLimit },
    });

    const certificate =
      props.certificate ??
      (config.certificateArn
        ? Certificate.fromCertificateArn(this, 'Certificate', config.certificateArn)
        : undefined);
    const site = new SiteDistribution(this, 'Site', {
      apiDomainName: api.domainName,
      domainName: config.domainName,
      certificate,
      webAclArn: config.webAclArn,
    });
    const siteEnvironment = {
      siteBaseUrl: config.siteBaseUrl ?? site.siteUrl,
      siteName: config.siteName,
      siteTimeZone: config.siteTimeZone,
    };

    const cursorSecret = new Secret(this, 'CursorSecret', {
      description: 'HMAC key that signs the opaque pagination cursors of GET /api/latest',
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
      removalPolicy: RemovalPolicy.DESTROY,
    });
    Validations.of(cursorSecret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'The cursor key only protects pagination cursors from tampering, and rotating it invalidates every ' +
        'cursor a reader holds; rotate by hand with put-secret-value when needed (docs/deploy.md): the ' +
        'functions cache it for five minutes, so a rotation needs no redeploy.',
    });

    api.addRoutes(ROUTES, { table: articles, cursorSecret, site: siteEnvironment });

    // A bus of the newsroom's own: its rules see article events and nothing else of the account's.
    const articleEvents = new EventBus(this, 'ArticleEvents', {
      description: 'Flash News article events: published, updated, unpublished, deleted (docs/events.md)',
    });
    const renderer = new PageRenderer(this, 'Renderer', {
      table: articles,
      pagesBucket: site.pagesBucket,
      distribution: site.distribution,
      edgeRoutes: site.edgeRoutes,
      site: siteEnvironment,
      articleEvents,
    });
    const publisher = new ScheduledPublisher(this, 'Publisher', { table: articles });
    const reconciler = new SiteReconciler(this, 'Reconciler', {
      table: articles,
      pagesBucket: site.pagesBucket,
      distribution: site.distribution,
      edgeRoutes: site.edgeRoutes,
      site: siteEnvironment,
      failureQueue: renderer.failureQueue,
      articleEvents,
    });
    const rerender = new ArchiveRerender(this, 'Rerender', {
      table: articles,
      pagesBucket: site.pagesBucket,
      site: siteEnvironment,
    });

    const functions = new Map<string, NewsFunction>(
      ROUTES.map((route) => [route.id, api.functionFor(route.id)]),
    );
    functions.set('RenderPages', renderer.renderFunction);
    functions.set('NotFoundPage', site.notFound.function);
    functions.set('PublishDueArticles', publisher.publishFunction);
    functions.set('ReconcileSite', reconciler.reconcileFunction);
    functions.set('RerenderChunk', rerender.chunkFunction);
    new OperationalAlarms(this, 'Alarms', {
      functions,
      renderFunction: renderer.renderFunction,
      renderFailureQueue: renderer.failureQueue,
      alarmTopic:
        props.alarmTopic ??
        (config.alarmTopicArn ? Topic.fromTopicArn(this, 'AlarmTopic', config.alarmTopicArn) : undefined),
    });

    new CfnOutput(this, 'SiteUrl', {
      value: siteEnvironment.siteBaseUrl,
      description: 'Public URL of the site',
    });
    new CfnOutput(this, 'ApiUrl', {
      value: `${siteEnvironment.siteBaseUrl}/api`,
      description: 'Base URL of the API through CloudFront (use this one)',
    });
    new CfnOutput(this, 'ApiGatewayUrl', {
      value: api.url,
      description: 'The HTTP API endpoint itself, bypassing CloudFront (diagnostics)',
    });
    new CfnOutput(this, 'UserPoolId', { value: editors.userPool.userPoolId });
    new CfnOutput(this, 'UserPoolClientId', { value: editors.client.userPoolClientId });
    new CfnOutput(this, 'ArticleEventBusName', { value: articleEvents.eventBusName });
    new CfnOutput(this, 'PagesBucketName', { value: site.pagesBucket.bucketName });
    new CfnOutput(this, 'LogsBucketName', { value: site.logsBucket.bucketName });
    new CfnOutput(this, 'DistributionId', { value: site.distribution.distributionId });
    new CfnOutput(this, 'ArticlesTableName', { value: articles.tableName });
    new CfnOutput(this, 'RenderFailureQueueUrl', { value: renderer.failureQueue.queueUrl });
    new CfnOutput(this, 'ReconcileFunctionName', {
      value: reconciler.reconcileFunction.function.functionName,
      description: 'Repairs the site from the table: invoke with {"dryRun":true} or {"redrive":true}',
    });
    new CfnOutput(this, 'RerenderQueueUrl', {
      value: rerender.queue.queueUrl,
      description:
        'RERENDER_QUEUE_URL for npm run rerender against this deployment (re-renders the archive in AWS)',
    });
    new CfnOutput(this, 'CursorSecretArn', { value: cursorSecret.secretArn });
  }
}
