import { App, type AppProps, type Environment, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { newsroomFor } from './config';
import { FlashNewsStack, type FlashNewsStackProps } from './flash-news-stack';

export const STACK_NAME = 'FlashNews';

export interface FlashNewsAppOptions extends AppProps {
  readonly env?: Environment;
  readonly stackProps?: Omit<FlashNewsStackProps, 'env'>;
  /** Run cdk-nag's AwsSolutions pack at synth. @default true */
  readonly nag?: boolean;
}

/**
 * Feature flags the app needs whatever runs it (the CLI, or a test that builds the app in memory): kept
 * here rather than in cdk.json so tests synthesize exactly what is deployed.
 */
export const FEATURE_FLAGS = {
  // S3 server access logs are delivered under a bucket policy instead of the legacy log-delivery ACL.
  '@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy': true,
} as const;

/** The app as `cdk synth` builds it; tests build it through here too, so they check what is deployed. */
export function createFlashNewsApp(options: FlashNewsAppOptions = {}): { app: App; stack: FlashNewsStack } {
  const { env, stackProps, nag = true, ...appProps } = options;
  const app = new App({ ...appProps, context: { ...FEATURE_FLAGS, ...appProps.context } });
  // A bad newsroom file fails here, before any construct, with its one-line NewsroomConfigError.
  newsroomFor(app.node);
  const stack = new FlashNewsStack(app, STACK_NAME, { ...stackProps, env });
  if (nag) Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
  return { app, stack };
}
