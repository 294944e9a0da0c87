import { mkdir } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import dynalite from 'dynalite';
import S3rver from 's3rver';

/**
 * The two AWS emulators, embedded in this process and bound to loopback only: dynalite (DynamoDB API on
 * LevelDB) and s3rver (S3 API on the file system), both persisting under the data directory.
 */

export const LOOPBACK = '127.0.0.1';

/** s3rver accepts only these; dynalite accepts any. */
export const LOCAL_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;

export interface Emulators {
  readonly dynamoDbEndpoint: string;
  readonly s3Endpoint: string;
  stop(): Promise<void>;
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, LOOPBACK, () => resolve((server.address() as AddressInfo).port));
  });
}

export async function startEmulators(dataDir: string): Promise<Emulators> {
  const dynamoDbPath = join(dataDir, 'dynamodb');
  const s3Path = join(dataDir, 's3');
  await Promise.all([mkdir(dynamoDbPath, { recursive: true }), mkdir(s3Path, { recursive: true })]);

  // Tables are ACTIVE at once: nothing here needs to wait for a simulated creation delay.
  const dynamoDb: Server = dynalite({
    path: dynamoDbPath,
    createTableMs: 0,
    deleteTableMs: 0,
    updateTableMs: 0,
  });
  const dynamoDbPort = await listen(dynamoDb, 0);

  const s3 = new S3rver({ address: LOOPBACK, port: 0, directory: s3Path, silent: true });
  const { port: s3Port } = (await s3.run()) as AddressInfo;

  return {
    dynamoDbEndpoint: `http://${LOOPBACK}:${dynamoDbPort}`,
    s3Endpoint: `http://${LOOPBACK}:${s3Port}`,
    async stop() {
      // dynalite closes its LevelDB store with the server, which flushes everything to disk.
      await Promise.all([
        new Promise<void>((resolve) => dynamoDb.close(() => resolve())),
        new Promise<void>((resolve) => s3.close(() => resolve())),
      ]);
    },
  };
}
