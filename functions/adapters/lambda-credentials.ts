import { fromEnv } from '@aws-sdk/credential-provider-env';

/**
 * Stands in for `@aws-sdk/credential-provider-node` in the Lambda bundles (the esbuild alias in
 * infra/constructs/news-function.ts). Every SDK client's runtime config imports that package for its
 * default credential chain: profiles, SSO, web identity, process and container credentials, instance
 * metadata. Lambda always hands a function its role's credentials in AWS_ACCESS_KEY_ID,
 * AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN, so the environment is the only link of that chain a
 * function ever uses; the rest is about 95 KB of every bundle (the STS and SSO clients among it),
 * parsed and evaluated on every cold start for nothing.
 *
 * The local stack and the command-line tools run the sources unbundled and keep the whole chain.
 */
export const defaultProvider: typeof fromEnv = (init) => fromEnv(init);
