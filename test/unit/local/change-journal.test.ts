import { appendFileSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DynamoDBRecord } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ChangeJournal, type ChangeJournalOptions } from '../../../local/change-journal';

/** The change feed's journal on a real file: what survives a kill, what a restart finds. */

let directory: string;
let warnings: string[];
const journalFile = () => join(directory, 'journal.jsonl');

beforeEach(() => {
  directory = mkdtempSync(join(tmpdir(), 'change-journal-test-'));
  warnings = [];
});
afterEach(() => rmSync(directory, { recursive: true, force: true }));

function open(options: Partial<ChangeJournalOptions> = {}): ChangeJournal {
  return ChangeJournal.open({ directory, warn: (message) => warnings.push(message), ...options });
}

/** A stream record of `pk` carrying the journal's next sequence number, as the feed builds them. */
function recordOf(journal: ChangeJournal, pk: string): DynamoDBRecord {
  return {
    eventName: 'INSERT',
    dynamodb: {
      Keys: { pk: { S: pk } },
      NewImage: { pk: { S: pk } },
      SequenceNumber: journal.nextSequenceNumber(),
    },
  };
}

/** One committed write of `pk`, as the feed journals it: the intent, then its record. */
function commitWrite(journal: ChangeJournal, pk: string): DynamoDBRecord {
  const intent = journal.recordIntent([{ pk: { S: pk } }], [undefined]);
  const record = recordOf(journal, pk);
  journal.commit(intent, [record]);
  return record;
}

const keysOf = (journal: ChangeJournal) => journal.pending.map((record) => record.dynamodb?.Keys?.pk?.S);
const sequences = (records: readonly DynamoDBRecord[]) =>
  records.map((record) => BigInt(record.dynamodb?.SequenceNumber ?? '0'));

describe('the change journal', () => {
  it('keeps committed records for the next run, in order, without closing (as after a kill)', () => {
    const killed = open();
    for (const pk of ['a', 'b', 'c']) commitWrite(killed, pk);
    // No close: the process died here, with the lines already written to the OS.
    const next = open();
    expect(keysOf(next)).toEqual(['a', 'b', 'c']);
    expect(next.unsettledIntents).toEqual([]);
    next.close();
  });

  it('drops records once they are marked delivered, and only those', () => {
    const killed = open();
    const [a, b] = ['a', 'b', 'c'].map((pk) => commitWrite(killed, pk));
    killed.markDelivered(a?.dynamodb?.SequenceNumber ?? '');
    killed.markDelivered(b?.dynamodb?.SequenceNumber ?? '');
    expect(keysOf(killed)).toEqual(['c']);
    const next = open();
    expect(keysOf(next)).toEqual(['c']);
    next.close();
  });

  it('keeps sequence numbers increasing across restarts, even after everything was delivered', () => {
    const first = open();
    const records = ['a', 'b'].map((pk) => commitWrite(first, pk));
    first.markDelivered(records[1]?.dynamodb?.SequenceNumber ?? '');
    first.close();
    const second = open();
    expect(second.pending).toEqual([]);
    const later = commitWrite(second, 'c');
    const [, lastBefore] = sequences(records);
    expect(sequences([later])[0]).toBeGreaterThan(lastBefore ?? 0n);
    expect(later.dynamodb?.SequenceNumber).toMatch(/^\d{21}$/);
    second.close();
  });

  it('reports an intent without a commit as unsettled, with its keys and before-images', () => {
    const killed = open();
    commitWrite(killed, 'a');
    const intent = killed.recordIntent(
      [{ pk: { S: 'b' } }, { pk: { S: 'c' } }],
      [{ pk: { S: 'b' }, n: { N: '1' } }, undefined],
    );
    const next = open();
    expect(next.unsettledIntents).toEqual([
      {
        id: intent.id,
        keys: [{ pk: { S: 'b' } }, { pk: { S: 'c' } }],
        before: [{ pk: { S: 'b' }, n: { N: '1' } }, null],
      },
    ]);
    // Settling it in the new run is final: the run after that has nothing left to settle.
    const [unsettled] = next.unsettledIntents;
    if (!unsettled) throw new Error('expected an unsettled intent');
    next.commit(unsettled, [recordOf(next, 'b')]);
    const after = open();
    expect(after.unsettledIntents).toEqual([]);
    expect(keysOf(after)).toEqual(['a', 'b']);
    after.close();
  });

  it('tolerates a torn last line, and appends cleanly after it', () => {
    const killed = open();
    commitWrite(killed, 'a');
    // The kill came in the middle of appending the next commit.
    appendFileSync(journalFile(), '{"type":"commit","intentId":"x","records":[{"eventName":"INS');
    const next = open();
    expect(keysOf(next)).toEqual(['a']);
    expect(warnings).toEqual([expect.stringContaining('torn last line')]);
    commitWrite(next, 'b');
    const after = open();
    expect(keysOf(after)).toEqual(['a', 'b']);
    after.close();
  });

  it('leaves an intent unsettled when its commit line was torn', () => {
    const killed = open();
    const intent = killed.recordIntent([{ pk: { S: 'a' } }], [undefined]);
    const commitLine = JSON.stringify({ type: 'commit', intentId: intent.id, records: [] });
    appendFileSync(journalFile(), commitLine.slice(0, commitLine.length - 3));
    const next = open();
    expect(next.unsettledIntents.map((unsettled) => unsettled.id)).toEqual([intent.id]);
    next.close();
  });

  it('skips an unreadable line in the middle and keeps the rest', () => {
    const killed = open();
    commitWrite(killed, 'a');
    appendFileSync(journalFile(), 'not json\n');
    commitWrite(killed, 'b');
    const next = open();
    expect(keysOf(next)).toEqual(['a', 'b']);
    expect(warnings).toEqual([expect.stringContaining('unreadable line')]);
    next.close();
  });

  it('compacts to what is still needed once the file has grown', () => {
    const journal = open({ compactAfterBytes: 4096 });
    let largest = 0;
    for (let index = 0; index < 200; index += 1) {
      const record = commitWrite(journal, `item-${index}`);
      journal.markDelivered(record.dynamodb?.SequenceNumber ?? '');
      largest = Math.max(largest, statSync(journalFile()).size);
    }
    expect(largest).toBeLessThan(3 * 4096);
    // An undelivered record and a write in flight survive the rewrite.
    commitWrite(journal, 'undelivered');
    const inFlight = journal.recordIntent([{ pk: { S: 'in-flight' } }], [undefined]);
    journal.compact();
    const lines = readFileSync(journalFile(), 'utf8').trim().split('\n');
    expect(lines.map((line) => JSON.parse(line).type)).toEqual(['checkpoint', 'commit', 'intent']);
    const next = open();
    expect(keysOf(next)).toEqual(['undelivered']);
    expect(next.unsettledIntents.map((intent) => intent.id)).toEqual([inFlight.id]);
    expect(sequences([commitWrite(next, 'later')])[0]).toBe(202n);
    next.close();
  });

  it('truncates to a checkpoint when closed with everything delivered', () => {
    const journal = open();
    const record = commitWrite(journal, 'a');
    journal.markDelivered(record.dynamodb?.SequenceNumber ?? '');
    journal.close();
    expect(readFileSync(journalFile(), 'utf8')).toBe(
      `${JSON.stringify({ type: 'checkpoint', sequence: record.dynamodb?.SequenceNumber })}\n`,
    );
  });

  it('ignores a half-written compaction left by a kill, keeping the journal it was to replace', () => {
    const killed = open();
    commitWrite(killed, 'a');
    writeFileSync(`${journalFile()}.tmp`, '{"type":"checkpoint","seq');
    const next = open();
    expect(keysOf(next)).toEqual(['a']);
    next.close();
  });
});
