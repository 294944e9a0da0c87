import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startLocalStack } from '../../local/local-stack';

/**
 * One real local stack (dynalite, s3rver, gateway, handlers) for the whole integration run, on a free
 * port and a throw-away data directory. Tests talk to it over HTTP only, like any client.
 */

declare module 'vitest' {
  export interface ProvidedContext {
    origin: string;
    dataDir: string;
    /** One per role, and two contributors, so that "someone else's draft" can be tried. */
    contributorToken: string;
    otherContributorToken: string;
    editorToken: string;
    adminToken: string;
    /** A valid token whose user is in no group. */
    noGroupToken: string;
    /** A valid token whose user is only in a group that grants no role. */
    readerToken: string;
    expiredToken: string;
    seededArticles: number;
    s3Endpoint: string;
    bucketName: string;
  }
}

export default async function setup(project: TestProject) {
  const dataDir = await mkdtemp(join(tmpdir(), 'flash-news-it-'));
  // Scheduled articles are checked twice a second, so the scheduling test need not wait ten seconds.
  const stack = await startLocalStack({ port: 0, dataDir, schedulerIntervalMs: 500 });
  project.provide('origin', stack.origin);
  project.provide('dataDir', dataDir);
  const mint = (username: string, groups: string[]) => stack.issuer.mintToken({ username, groups });
  project.provide('contributorToken', await mint('contributor', ['contributors']));
  project.provide('otherContributorToken', await mint('other-contributor', ['contributors']));
  project.provide('editorToken', await mint('editor', ['editors']));
  project.provide('adminToken', await mint('admin', ['admins']));
  project.provide('noGroupToken', await mint('no-group', []));
  project.provide('readerToken', await stack.issuer.mintToken({ username: 'reader', groups: ['readers'] }));
  project.provide('expiredToken', await stack.issuer.mintToken({ expiresIn: '-1m' }));
  project.provide('seededArticles', stack.seeded);
  project.provide('s3Endpoint', stack.s3Endpoint);
  project.provide('bucketName', stack.bucketName);

  return async () => {
    await stack.stop();
    await rm(dataDir, { recursive: true, force: true });
  };
}
