import { randomUUID } from 'node:crypto';
import { createServer, request as httpRequest, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isDeepStrictEqual } from 'node:util';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { ChangeJournal, type Image, type WriteIntent } from './change-journal';
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
 *
 * Like the real stream, the records outlive the process: they are kept in a journal (change-journal.ts)
 * before the write is acknowledged, and whatever a killed process had not delivered is delivered when the
 * feed next starts, at least once and in order. Each write is journalled as an intent before it reaches
 * the emulator; an intent whose outcome was never recorded (the process died in between) is settled from
 * the item's current state, which only that write can have changed since writes pass one at a time.
 */

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
/** Receives records the handler kept failing on; they count as delivered once it has returned. */
export type FailureHandler = (records: DynamoDBRecord[], error: unknown) => void | Promise<void>;

export interface ChangeFeedOptions {
  readonly target: string;
  readonly tableName: string;
  /** Where the journal of undelivered changes lives (kept across restarts). */
  readonly journalDirectory: string;
  /** Passed to the journal; tests make it small. */
  readonly compactJournalAfterBytes?: number;
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
  attach(handler: StreamHandler, onFailure: FailureHandler): void;
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

/**
 * Headers for the feed's own item reads. Settling a previous run's write has no caller's request to borrow
 * a signature from, and dynalite only checks that one is present, not that it is right.
 */
function ownReadHeaders(body: Buffer): IncomingHttpHeaders {
  const amzDate = `${new Date().toISOString().replace(/[-:]/g, '').slice(0, 15)}Z`;
  return {
    'content-type': 'application/x-amz-json-1.0',
    'x-amz-target': 'DynamoDB_20120810.GetItem',
    'x-amz-date': amzDate,
    authorization: `AWS4-HMAC-SHA256 Credential=local/${amzDate.slice(0, 8)}/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0`,
    'content-length': String(body.length),
  };
}

const lastSequenceNumber = (records: readonly DynamoDBRecord[]): string =>
  records[records.length - 1]?.dynamodb?.SequenceNumber ?? '0';

export async function startChangeFeed(options: ChangeFeedOptions): Promise<ChangeFeed> {
  const target = new URL(options.target);
  const region = options.region ?? 'us-east-1';
  const batchSize = options.batchSize ?? 100;
  const batchingWindowMs = options.batchingWindowMs ?? 20;
  const maxRetries = options.maxRetries ?? 3;
  const retryDelayMs = options.retryDelayMs ?? 200;
  const streamArn = `arn:aws:dynamodb:${region}:000000000000:table/${options.tableName}/stream/local`;

  const journal = ChangeJournal.open({
    directory: options.journalDirectory,
    compactAfterBytes: options.compactJournalAfterBytes,
  });
  let writes: Promise<unknown> = Promise.resolve();
  let handler: StreamHandler | undefined;
  let onFailure: FailureHandler | undefined;
  let pumping: Promise<void> | undefined;
  let stopped = false;

  async function getItem(key: Image): Promise<Image | undefined> {
    const body = Buffer.from(
      JSON.stringify({ TableName: options.tableName, Key: key, ConsistentRead: true }),
    );
    const response = await forward(target, { method: 'POST', url: '/', headers: ownReadHeaders(body), body });
    const text = response.body.toString();
    // Only a table deleted from under the journal answers this; none of its items exist any more.
    if (response.status === 400 && text.includes('ResourceNotFoundException')) return undefined;
    if (response.status !== 200) throw new Error(`reading an item image failed: ${response.status} ${text}`);
    return (JSON.parse(text) as { Item?: Image }).Item;
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
        SequenceNumber: journal.nextSequenceNumber(),
        SizeBytes: Buffer.byteLength(JSON.stringify({ keys, newImage, oldImage })),
        StreamViewType: 'NEW_AND_OLD_IMAGES',
      },
    };
  }

  /**
   * Records what a journalled write did, from the items as they are now. Sound because writes pass one at
   * a time and an intent is settled before the next write starts: nothing else can have changed them.
   */
  async function settle(intent: WriteIntent): Promise<void> {
    const after = await Promise.all(intent.keys.map((key) => getItem(key)));
    const records = intent.keys.flatMap((key, index) => {
      const oldImage = intent.before[index] ?? undefined;
      const newImage = after[index];
      // DynamoDB Streams records nothing for a write that leaves the item as it was.
      return isDeepStrictEqual(oldImage, newImage) ? [] : [record(key, oldImage, newImage)];
    });
    journal.commit(intent, records);
    pump();
  }

  async function write(operation: string, raw: RawRequest): Promise<RawResponse> {
    const payload = JSON.parse(raw.body.toString() || '{}') as Record<string, unknown>;
    const keys = touchedKeys(operation, payload);
    if (keys.length === 0) return forward(target, raw);
    // A write whose outcome is still unknown is settled first; if the emulator cannot say, nothing goes on.
    for (const unsettled of journal.unsettledIntents) await settle(unsettled);
    const before = await Promise.all(keys.map((key) => getItem(key)));
    // Journalled before the emulator can commit, so no committed write is ever missing from the journal.
    const intent = journal.recordIntent(keys, before);
    let response: RawResponse;
    try {
      response = await forward(target, raw);
    } catch (error) {
      // The write may or may not have been committed: find out now if the emulator answers, else later.
      await settle(intent).catch(() => undefined);
      throw error;
    }
    // A refused request (a failed condition, a validation error) changed nothing.
    if (response.status >= 400 && response.status < 500) journal.commit(intent, []);
    else await settle(intent);
    return response;
  }

  /** Invokes the handler once; the index of the first record to retry, or -1 when all were handled. */
  async function invoke(records: DynamoDBRecord[]): Promise<{ failedFrom: number; failure?: unknown }> {
    try {
      const result = await handler?.({ Records: records });
      const failed = new Set(result?.batchItemFailures?.map((item) => item.itemIdentifier) ?? []);
      if (failed.size === 0) return { failedFrom: -1 };
      const failedFrom = records.findIndex((item) => failed.has(item.dynamodb?.SequenceNumber ?? ''));
      const failure = new Error(`batch item failures reported: ${[...failed].join(', ')}`);
      // Lambda retries the whole batch when a reported identifier is not one of its records.
      return { failedFrom: Math.max(failedFrom, 0), failure };
    } catch (error) {
      return { failedFrom: 0, failure: error };
    }
  }

  async function deliver(batch: DynamoDBRecord[]): Promise<void> {
    let pending = batch;
    for (let attempt = 0; ; attempt += 1) {
      const { failedFrom, failure } = await invoke(pending);
      // As with ReportBatchItemFailures: the records before the first failure are done; the rest retry.
      const handled = failedFrom < 0 ? pending : pending.slice(0, failedFrom);
      if (handled.length > 0) journal.markDelivered(lastSequenceNumber(handled));
      if (failedFrom < 0) return;
      pending = pending.slice(failedFrom);
      if (attempt >= maxRetries) {
        // Marked only once the on-failure callback has them, so a kill in between delivers them again.
        await onFailure?.(pending, failure);
        journal.markDelivered(lastSequenceNumber(pending));
        return;
      }
      await sleep(retryDelayMs * 2 ** attempt);
    }
  }

  function pump(): void {
    if (pumping || !handler || stopped) return;
    pumping = (async () => {
      while (journal.pending.length > 0 && !stopped) {
        await sleep(batchingWindowMs);
        await deliver(journal.pending.slice(0, batchSize));
      }
    })()
      .catch(async (error: unknown) => {
        // Only the journal or the on-failure callback throw here; the batch is still pending, so it is
        // delivered again after a pause rather than dropped.
        console.error('[change-feed] delivering changes failed; retrying:', error);
        await sleep(retryDelayMs * 2 ** maxRetries);
      })
      .finally(() => {
        pumping = undefined;
        if (journal.pending.length > 0) pump();
      });
  }

  // What the previous run left unsettled is settled before any new write can touch the same items.
  for (const unsettled of journal.unsettledIntents) await settle(unsettled);

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
    while (pumping || (handler && journal.pending.length > 0)) await (pumping ?? sleep(batchingWindowMs));
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
      // The renderer reads the table through this proxy, so it stays open until everything is delivered.
      await drained();
      stopped = true;
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      journal.close();
    },
  };
}
