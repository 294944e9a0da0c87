/**
 * Everything at once, for the tools that run the whole system in one process (the local stack, the
 * repair CLI). Handlers never import this module: each imports the one composition module it needs
 * (`./article-service`, `./site-publishing`, ...), so that its bundle carries only its own code.
 */
export { articleRepositoryFromEnv, articleServiceFromEnv } from './article-service';
export { cursorSecretFromEnv } from './cursor-secret';
export { failureQueueFromEnv } from './failure-queue';
export { invalidatorFromEnv } from './invalidator';
export { siteFromEnv } from './site';
export { sitePublisherFromEnv, siteReconcilerFromEnv } from './site-publishing';
export { tokenVerifierFromEnv } from './token-verifier';
