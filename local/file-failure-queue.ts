import { createHash } from 'node:crypto';
import { appendFile, readFile, rename, writeFile } from 'node:fs/promises';
import type { DynamoDBRecord } from 'aws-lambda';
import { articleChangeOf } from '../functions/adapters/stream-changes';
import type { ArticleChange, FailureQueue, FailureReport } from '../functions/publishing/failure-queue';

/**
 * The local failure queue: the file where the local change feed leaves the stream records the render
 * function gave up on (one JSON record a line), like the on-failure SQS queue in AWS. Acknowledging
 * rewrites the file without the lines that were dealt with; lines appended meanwhile stay.
 */
export class FileFailureQueue implements FailureQueue {
  constructor(private readonly file: string) {}

  async deferInvalidations(paths: readonly string[]): Promise<void> {
    await appendFile(this.file, `${JSON.stringify({ kind: 'pending-invalidation', paths })}\n`);
  }

  async receiveAll(): Promise<readonly FailureReport[]> {
    return (await this.lines()).map((line) => ({
      receipt: receiptOf(line),
      pendingInvalidations: [],
      body: line,
    }));
  }

  /** A line is a whole stream record (what the local feed gave up on), or a deferred invalidation. */
  async failedChanges(report: FailureReport): Promise<readonly ArticleChange[] | undefined> {
    let record: Partial<DynamoDBRecord> & { readonly kind?: unknown };
    try {
      record = JSON.parse(report.body ?? '') as typeof record;
    } catch {
      // A line torn by a crash mid-append holds no readable change.
      return undefined;
    }
    if (record.kind === 'pending-invalidation' || !record.dynamodb) return [];
    const change = articleChangeOf(record as DynamoDBRecord);
    return change ? [change] : [];
  }

  async acknowledge(reports: readonly FailureReport[]): Promise<void> {
    const done = new Set(reports.map((report) => report.receipt));
    const kept = (await this.lines()).filter((line) => !done.has(receiptOf(line)));
    const temporary = `${this.file}.tmp`;
    await writeFile(temporary, kept.map((line) => `${line}\n`).join(''));
    await rename(temporary, this.file);
  }

  private async lines(): Promise<string[]> {
    try {
      return (await readFile(this.file, 'utf8')).split('\n').filter((line) => line.trim() !== '');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
  }
}

function receiptOf(line: string): string {
  return createHash('sha256').update(line).digest('hex');
}
