import { NewsroomConfigError } from '../functions/config/newsroom-file';
import { ConfigError } from './config';
import { createFlashNewsApp } from './flash-news-app';

try {
  // Without credentials (offline synth) the account stays unresolved, which synth allows.
  createFlashNewsApp({
    env: {
      account: process.env.CDK_DEFAULT_ACCOUNT,
      region: process.env.CDK_DEFAULT_REGION ?? 'us-east-1',
    },
  });
} catch (error) {
  // A setting the user got wrong: the message names the file or key and the problem; a stack trace would
  // only bury it.
  if (error instanceof NewsroomConfigError || error instanceof ConfigError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}
