import { createFlashNewsApp } from './flash-news-app';

// Without credentials (offline synth) the account stays unresolved, which synth allows.
createFlashNewsApp({
  env: {
    account: process.env.CDK_DEFAULT_ACCOUNT,
    region: process.env.CDK_DEFAULT_REGION ?? 'us-east-1',
  },
});
