import { randomUUID } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readFileSync, renameSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { AttributeValue, DynamoDBRecord } from 'aws-lambda';

/**
 * The local change feed's durable log: what DynamoDB Streams keeps for 24 hours, kept here in one
 * append-only JSON Lines file, so a local stack killed at any moment delivers every committed change on
 * its next start.
 *
 * Four kinds of line:
 * - `intent`: a write is about to be forwarded to the emulator, with the keys it touches and their items
 *   before it. Written before the emulator can commit, so a write is never committed unseen.
 * - `commit`: the write's outcome, as stream records with their sequence numbers (none when the write
 *   changed nothing). An intent without a commit is a write whose outcome nobody saw: the feed settles it
 *   by comparing the items' current state with the before-images.
 * - `delivered`: every record up to this sequence number was handled (or handed to the on-failure
 *   callback). Delivery is in sequence order, so one watermark says it all.
 * - `checkpoint`: the last sequence number handed out, first line of a compacted file, so numbers keep
 *   increasing after the records that carried them are gone.
 *
 * Appends are synchronous writes to the file: once `write()` returns the line is in the OS, which a killed
 * process cannot take back (surviving a machine crash would need fsync, more than a local emulator needs).
 * A process killed mid-append leaves a torn last line; it is dropped on open, when the file is rewritten.
 * One process at a time: the stack opens the journal after dynalite has locked the same data directory.
 */

export type Image = Record<string, AttributeValue>;

export interface WriteIntent {
  readonly id: string;
  readonly keys: readonly Image[];
  /** Each key's item before the write, `null` when there was none. */
  readonly before: readonly (Image | null)[];
}

type JournalLine =
  | { readonly type: 'checkpoint'; readonly sequence: string }
  | { readonly type: 'intent'; readonly intent: WriteIntent }
  | { readonly type: 'commit'; readonly intentId?: string; readonly records: DynamoDBRecord[] }
  | { readonly type: 'delivered'; readonly through: string };

export interface ChangeJournalOptions {
  readonly directory: string;
  /** The file is rewritten without delivered records once it grows past this (and has doubled since). */
  readonly compactAfterBytes?: number;
  /** Where the journal reports lines it had to drop; console.warn by default. */
  readonly warn?: (message: string) => void;
}

const JOURNAL_FILE = 'journal.jsonl';
const SEQUENCE_DIGITS = 21;

export function sequenceOf(record: DynamoDBRecord): bigint {
  return BigInt(record.dynamodb?.SequenceNumber ?? '0');
}

function formatSequence(sequence: bigint): string {
  return sequence.toString().padStart(SEQUENCE_DIGITS, '0');
}

function parseLine(line: string): JournalLine | undefined {
  try {
    const parsed = JSON.parse(line) as JournalLine;
    return typeof parsed === 'object' && parsed !== null && 'type' in parsed ? parsed : undefined;
  } catch {
    return undefined;
  }
}

interface ReplayedState {
  lastSequence: bigint;
  pending: DynamoDBRecord[];
  openIntents: Map<string, WriteIntent>;
}

function replay(lines: readonly JournalLine[]): ReplayedState {
  let lastSequence = 0n;
  let deliveredThrough = 0n;
  const committed: DynamoDBRecord[] = [];
  const openIntents = new Map<string, WriteIntent>();
  for (const line of lines) {
    switch (line.type) {
      case 'checkpoint':
        if (BigInt(line.sequence) > lastSequence) lastSequence = BigInt(line.sequence);
        break;
      case 'intent':
        openIntents.set(line.intent.id, line.intent);
        break;
      case 'commit':
        if (line.intentId) openIntents.delete(line.intentId);
        for (const record of line.records) {
          committed.push(record);
          if (sequenceOf(record) > lastSequence) lastSequence = sequenceOf(record);
        }
        break;
      case 'delivered':
        if (BigInt(line.through) > deliveredThrough) deliveredThrough = BigInt(line.through);
        break;
    }
  }
  const pending = committed.filter((record) => sequenceOf(record) > deliveredThrough);
  return { lastSequence, pending, openIntents };
}

export class ChangeJournal {
  private readonly file: string;
  private readonly compactAfterBytes: number;
  private fd: number | undefined;
  private bytes = 0;
  private bytesAfterCompaction = 0;
  private lastSequence: bigint;
  private readonly pendingRecords: DynamoDBRecord[];
  private readonly openIntents: Map<string, WriteIntent>;

  private constructor(options: ChangeJournalOptions, state: ReplayedState) {
    this.file = join(options.directory, JOURNAL_FILE);
    this.compactAfterBytes = options.compactAfterBytes ?? 8 * 1024 * 1024;
    this.lastSequence = state.lastSequence;
    this.pendingRecords = state.pending;
    this.openIntents = state.openIntents;
  }

  /** Reads what a previous run left, repairs a torn tail, and opens the file for appending. */
  static open(options: ChangeJournalOptions): ChangeJournal {
    const warn = options.warn ?? ((message: string) => console.warn(`[change-journal] ${message}`));
    mkdirSync(options.directory, { recursive: true });
    const file = join(options.directory, JOURNAL_FILE);
    let text = '';
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    const segments = text.split('\n');
    // Everything after the last newline is a line whose append was cut short. Nothing was acknowledged on
    // the strength of it: a torn intent's write was never forwarded, a torn commit leaves its intent
    // unsettled (settled again from the table), a torn delivery mark means a delivery again.
    const torn = segments.pop() ?? '';
    if (torn !== '') warn(`dropped a torn last line (${torn.length} bytes) left by an interrupted append`);
    const lines: JournalLine[] = [];
    for (const segment of segments) {
      if (segment === '') continue;
      const line = parseLine(segment);
      if (line) lines.push(line);
      else warn(`skipped an unreadable line (${segment.length} bytes)`);
    }
    const journal = new ChangeJournal(options, replay(lines));
    journal.compact();
    return journal;
  }

  /** Records committed but not yet delivered, in sequence order. */
  get pending(): readonly DynamoDBRecord[] {
    return this.pendingRecords;
  }

  /** Writes whose outcome was never recorded, oldest first (the feed keeps this to at most one). */
  get unsettledIntents(): readonly WriteIntent[] {
    return [...this.openIntents.values()];
  }

  /** The next sequence number; it only becomes durable with the commit that carries it. */
  nextSequenceNumber(): string {
    this.lastSequence += 1n;
    return formatSequence(this.lastSequence);
  }

  recordIntent(keys: readonly Image[], before: readonly (Image | undefined)[]): WriteIntent {
    const intent: WriteIntent = {
      id: randomUUID(),
      keys,
      before: before.map((image) => image ?? null),
    };
    this.append({ type: 'intent', intent });
    this.openIntents.set(intent.id, intent);
    return intent;
  }

  commit(intent: WriteIntent, records: readonly DynamoDBRecord[]): void {
    this.append({ type: 'commit', intentId: intent.id, records: [...records] });
    this.openIntents.delete(intent.id);
    this.pendingRecords.push(...records);
  }

  /** Every pending record up to and including `sequenceNumber` has been handled. */
  markDelivered(sequenceNumber: string): void {
    const through = BigInt(sequenceNumber);
    const handled = this.pendingRecords.findIndex((record) => sequenceOf(record) > through);
    this.append({ type: 'delivered', through: sequenceNumber });
    this.pendingRecords.splice(0, handled < 0 ? this.pendingRecords.length : handled);
    // Doubling since the last rewrite keeps the cost linear even while records pile up undelivered.
    if (this.bytes > this.compactAfterBytes && this.bytes > 2 * this.bytesAfterCompaction) this.compact();
  }

  /**
   * Rewrites the file with only what is still needed: the sequence checkpoint, the undelivered records and
   * any unsettled intent. The new file replaces the old by rename, so a kill leaves one or the other whole.
   */
  compact(): void {
    const lines: JournalLine[] = [{ type: 'checkpoint', sequence: formatSequence(this.lastSequence) }];
    if (this.pendingRecords.length > 0) lines.push({ type: 'commit', records: this.pendingRecords });
    for (const intent of this.openIntents.values()) lines.push({ type: 'intent', intent });
    const text = lines.map((line) => `${JSON.stringify(line)}\n`).join('');
    const temporary = `${this.file}.tmp`;
    writeFileSync(temporary, text);
    this.closeFile();
    renameSync(temporary, this.file);
    this.fd = openSync(this.file, 'a');
    this.bytes = Buffer.byteLength(text);
    this.bytesAfterCompaction = this.bytes;
  }

  /** Compacts and closes; the journal is not used afterwards. */
  close(): void {
    this.compact();
    this.closeFile();
  }

  private closeFile(): void {
    if (this.fd === undefined) return;
    closeSync(this.fd);
    this.fd = undefined;
  }

  private append(line: JournalLine): void {
    if (this.fd === undefined) throw new Error('the change journal is closed');
    const data = Buffer.from(`${JSON.stringify(line)}\n`);
    let written = 0;
    while (written < data.length) written += writeSync(this.fd, data, written);
    this.bytes += data.length;
  }
}
