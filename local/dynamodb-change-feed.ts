import { randomUUID } from 'node:crypto';
import { createServer, request as httpRequest, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AttributeValue, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { LOOPBACK } from './emulators';

/**
 * DynamoDB Streams for the local emulator, which has none. A small proxy sits between the functions and
 * dynalite; every write to the table passes through it one at a time: it reads the item before, forwards
 * the write, reads the item after, and, when the write changed the item, appends a stream record of the
 * real shape (INSERT/MODIFY/REMOVE, keys, old and new images, increasing sequence numbers). Serialising
 * writes is what makes the old/new images and the order exact; reads are not held up.
 *
 * Records are delivered asynchronously to a stream handler the way Lambda's event source mapping does:
 * in order, in batches, retrying from the first failed record reported in `batchItemFailures`, and
 * after the last retry handing the records to an on-failure callback (the local dead-letter queue).
 */

type Image = Record<string, AttributeValue>;

interface RawRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

interface RawResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

export type StreamHandler = (event: DynamoDBStreamEvent) => Promise<DynamoDBBatchResponse | undefined>;

export interface ChangeFeedOptions {
  readonly target: string;
  readonly tableName: string;
  /** Names of the table's key attributes. */
  readonly keyAttributes: readonly string[];
  readonly region?: string;
  readonly batchSize?: number;
  /** How long to gather records before invoking, like `maxBatchingWindow`. */
  readonly batchingWindowMs?: number;
  /** Retries of a failing batch before its records go to `onFailure`. */
  readonly maxRetries?: number;
  readonly retryDelayMs?: number;
}

export interface ChangeFeed {
  readonly endpoint: string;
  /** Where records go; until one is attached they queue up. */
  attach(handler: StreamHandler, onFailure: (records: DynamoDBRecord[], error: unknown) => void): void;
  /** Resolves once every record so far has been delivered (or given up on). */
  drained(): Promise<void>;
  stop(): Promise<void>;
}

const WRITE_OPERATIONS = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem']);

function forward(target: URL, raw: RawRequest): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(
      {
        hostname: target.hostname,
        port: target.port,
        method: raw.method,
        path: raw.url,
        headers: raw.headers,
      },
      (incoming) => {
        const chunks: Buffer[] = [];
        incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
        incoming.on('end', () =>
          resolve({
            status: incoming.statusCode ?? 500,
            headers: incoming.headers,
            body: Buffer.concat(chunks),
          }),
        );
        incoming.on('error', reject);
      },
    );
    outgoing.on('error', reject);
    outgoing.end(raw.body);
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export async function startChangeFeed(options: ChangeFeedOptions): Promise<ChangeFeed> {
  const target = new URL(options.target);
  const region = options.region ?? 'us-east-1';
  const batchSize = options.batchSize ?? 100;
  const batchingWindowMs = options.batchingWindowMs ?? 20;
  const maxRetries = options.maxRetries ?? 3;
  const retryDelayMs = options.retryDelayMs ?? 200;
  const streamArn = `arn:aws:dynamodb:${region}:000000000000:table/${options.tableName}/stream/local`;

  let sequence = 0n;
  let writes: Promise<unknown> = Promise.resolve();
  const queue: DynamoDBRecord[] = [];
  let handler: StreamHandler | undefined;
  let onFailure: ((records: DynamoDBRecord[], error: unknown) => void) | undefined;
  let pumping: Promise<void> | undefined;

  async function getItem(headers: IncomingHttpHeaders, key: Image): Promise<Image | undefined> {
    const body = Buffer.from(
      JSON.stringify({ TableName: options.tableName, Key: key, ConsistentRead: true }),
    );
    const response = await forward(target, {
      method: 'POST',
      url: '/',
      headers: {
        'content-type': 'application/x-amz-json-1.0',
        'x-amz-target': 'DynamoDB_20120810.GetItem',
        // dynalite checks that a signature is present, not that it is right: reuse the caller's.
        authorization: headers.authorization,
        'x-amz-date': headers['x-amz-date'],
        'content-length': String(body.length),
      },
      body,
    });
    if (response.status !== 200) {
      throw new Error(`reading an item image failed: ${response.status} ${response.body.toString()}`);
    }
    return (JSON.parse(response.body.toString()) as { Item?: Image }).Item;
  }

  const keyOf = (item: Image): Image =>
    Object.fromEntries(options.keyAttributes.flatMap((name) => (item[name] ? [[name, item[name]]] : [])));

  /** The keys a write touches, if it targets this feed's table. */
  function touchedKeys(operation: string, payload: Record<string, unknown>): Image[] {
    if (operation === 'BatchWriteItem') {
      const requests =
        (payload.RequestItems as Record<string, unknown[]> | undefined)?.[options.tableName] ?? [];
      return requests.flatMap((entry) => {
        const { PutRequest, DeleteRequest } = entry as {
          PutRequest?: { Item: Image };
          DeleteRequest?: { Key: Image };
        };
        if (PutRequest) return [keyOf(PutRequest.Item)];
        return DeleteRequest ? [DeleteRequest.Key] : [];
      });
    }
    if (payload.TableName !== options.tableName) return [];
    return [operation === 'PutItem' ? keyOf(payload.Item as Image) : (payload.Key as Image)];
  }

  function record(keys: Image, oldImage: Image | undefined, newImage: Image | undefined): DynamoDBRecord {
    sequence += 1n;
    const eventName = oldImage && newImage ? 'MODIFY' : newImage ? 'INSERT' : 'REMOVE';
    return {
      eventID: randomUUID().replaceAll('-', ''),
      eventName,
      eventVersion: '1.1',
      eventSource: 'aws:dynamodb',
      awsRegion: region,
      eventSourceARN: streamArn,
      dynamodb: {
        ApproximateCreationDateTime: Math.floor(Date.now() / 1000),
        Keys: keys,
        ...(newImage ? { NewImage: newImage } : {}),
        ...(oldImage ? { OldImage: oldImage } : {}),
        SequenceNumber: sequence.toString().padStart(21, '0'),
        SizeBytes: Buffer.byteLength(JSON.stringify({ keys, newImage, oldImage })),
        StreamViewType: 'NEW_AND_OLD_IMAGES',
      },
    };
  }

  async function write(operation: string, raw: RawRequest): Promise<RawResponse> {
    const payload = JSON.parse(raw.body.toString() || '{}') as Record<string, unknown>;
    const keys = touchedKeys(operation, payload);
    if (keys.length === 0) return forward(target, raw);
    const before = await Promise.all(keys.map((key) => getItem(raw.headers, key)));
    const response = await forward(target, raw);
    if (response.status !== 200) return response;
    const after = await Promise.all(keys.map((key) => getItem(raw.headers, key)));
    keys.forEach((key, index) => {
      const oldImage = before[index];
      const newImage = after[index];
      // DynamoDB Streams records nothing for a write that leaves the item as it was.
      if (JSON.stringify(oldImage) === JSON.stringify(newImage)) return;
      queue.push(record(key, oldImage, newImage));
    });
    pump();
    return response;
  }

  async function deliver(batch: DynamoDBRecord[]): Promise<void> {
    let pending = batch;
    for (let attempt = 0; pending.length > 0; attempt += 1) {
      let failedFrom: number;
      let failure: unknown;
      try {
        const result = await handler?.({ Records: pending });
        const failed = new Set(result?.batchItemFailures?.map((item) => item.itemIdentifier) ?? []);
        failedFrom = pending.findIndex((item) => failed.has(item.dynamodb?.SequenceNumber ?? ''));
        failure = new Error(`batch item failures reported: ${[...failed].join(', ')}`);
      } catch (error) {
        failedFrom = 0;
        failure = error;
      }
      if (failedFrom < 0) return;
      // As with ReportBatchItemFailures: the records before the first failure are done; the rest retry.
      pending = pending.slice(failedFrom);
      if (attempt >= maxRetries) {
        onFailure?.(pending, failure);
        return;
      }
      await sleep(retryDelayMs * 2 ** attempt);
    }
  }

  function pump(): void {
    if (pumping || !handler) return;
    pumping = (async () => {
      while (queue.length > 0) {
        await sleep(batchingWindowMs);
        await deliver(queue.splice(0, batchSize));
      }
    })().finally(() => {
      pumping = undefined;
      if (queue.length > 0) pump();
    });
  }

  const server: Server = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', async () => {
      const raw: RawRequest = {
        method: incoming.method ?? 'POST',
        url: incoming.url ?? '/',
        headers: incoming.headers,
        body: Buffer.concat(chunks),
      };
      const operation = String(incoming.headers['x-amz-target'] ?? '').split('.')[1] ?? '';
      try {
        let response: RawResponse;
        if (WRITE_OPERATIONS.has(operation)) {
          const done = writes.then(() => write(operation, raw));
          writes = done.catch(() => undefined);
          response = await done;
        } else {
          response = await forward(target, raw);
        }
        outgoing.writeHead(response.status, response.headers);
        outgoing.end(response.body);
      } catch (error) {
        console.error('[change-feed] proxying to the DynamoDB emulator failed:', error);
        outgoing.writeHead(502, { 'content-type': 'application/x-amz-json-1.0' });
        outgoing.end(
          JSON.stringify({
            __type: 'com.amazonaws.dynamodb.v20120810#InternalServerError',
            message: 'proxy failure',
          }),
        );
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, LOOPBACK, resolve));
  const { port } = server.address() as AddressInfo;

  async function drained(): Promise<void> {
    await writes;
    while (pumping || (handler && queue.length > 0)) await (pumping ?? sleep(batchingWindowMs));
  }

  return {
    endpoint: `http://${LOOPBACK}:${port}`,
    drained,
    attach(streamHandler, failureHandler) {
      handler = streamHandler;
      onFailure = failureHandler;
      pump();
    },
    async stop() {
      await drained();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
