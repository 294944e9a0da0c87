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
  /** Outages on demand, for fault tests: each emulator stops and starts again on the same port and data. */
  readonly faults: EmulatorFaults;
  /** Calls `listener` with each object key written or deleted, once the write is done (s3rver's events). */
  onObjectChange(listener: (key: string) => void): void;
  stop(): Promise<void>;
}

export interface EmulatorFaults {
  stopS3(): Promise<void>;
  startS3(): Promise<void>;
  stopDynamoDb(): Promise<void>;
  startDynamoDb(): Promise<void>;
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, LOOPBACK, () => resolve((server.address() as AddressInfo).port));
  });
}

function close(server: { close(callback: () => void): unknown } | undefined): Promise<void> {
  return new Promise((resolve) => (server ? server.close(() => resolve()) : resolve()));
}

export async function startEmulators(dataDir: string): Promise<Emulators> {
  const dynamoDbPath = join(dataDir, 'dynamodb');
  const s3Path = join(dataDir, 's3');
  await Promise.all([mkdir(dynamoDbPath, { recursive: true }), mkdir(s3Path, { recursive: true })]);

  // Tables are ACTIVE at once: nothing here needs to wait for a simulated creation delay.
  const startDynamoDb = async (port: number) => {
    const server: Server = dynalite({
      path: dynamoDbPath,
      createTableMs: 0,
      deleteTableMs: 0,
      updateTableMs: 0,
    });
    return { server, port: await listen(server, port) };
  };
  const objectListeners = new Set<(key: string) => void>();
  const startS3 = async (port: number) => {
    const server = new S3rver({ address: LOOPBACK, port, directory: s3Path, silent: true });
    server.on('event', (notification) => {
      for (const record of notification.Records ?? []) {
        const key = record.s3?.object?.key;
        if (key !== undefined) for (const listener of objectListeners) listener(key);
      }
    });
    return { server, port: ((await server.run()) as AddressInfo).port };
  };

  let dynamoDb: Awaited<ReturnType<typeof startDynamoDb>> | undefined = await startDynamoDb(0);
  let s3: Awaited<ReturnType<typeof startS3>> | undefined = await startS3(0);
  const dynamoDbPort = dynamoDb.port;
  const s3Port = s3.port;

  const faults: EmulatorFaults = {
    async stopS3() {
      await close(s3?.server);
      s3 = undefined;
    },
    async startS3() {
      s3 ??= await startS3(s3Port);
    },
    async stopDynamoDb() {
      await close(dynamoDb?.server);
      dynamoDb = undefined;
    },
    async startDynamoDb() {
      dynamoDb ??= await startDynamoDb(dynamoDbPort);
    },
  };

  return {
    dynamoDbEndpoint: `http://${LOOPBACK}:${dynamoDbPort}`,
    s3Endpoint: `http://${LOOPBACK}:${s3Port}`,
    faults,
    onObjectChange: (listener) => {
      objectListeners.add(listener);
    },
    async stop() {
      // dynalite closes its LevelDB store with the server, which flushes everything to disk.
      await Promise.all([faults.stopDynamoDb(), faults.stopS3()]);
    },
  };
}
