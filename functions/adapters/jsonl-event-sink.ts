import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { ArticleEvent, ArticleEventSink } from '../publishing/article-events';
import { ARTICLE_EVENT_SOURCE } from '../publishing/article-events';

/**
 * The local stack's event bus: each event a line of JSON (`source`, `detail-type`, `time`, `detail`, as
 * EventBridge would deliver it to a rule's target) appended to a file in DATA_DIR. The local change feed
 * delivers a change again after a crash, so an event already in the file is not appended twice: the file
 * holds exactly one line per change.
 */
export class JsonLinesEventSink implements ArticleEventSink {
  private state: Promise<FileState> | undefined;

  constructor(private readonly file: string) {}

  async publish(events: readonly ArticleEvent[]): Promise<void> {
    const state = await this.fileState();
    const fresh = events.filter((event) => !state.eventIds.has(event.detail.eventId));
    if (fresh.length === 0) return;
    const lines = fresh.map((event) =>
      JSON.stringify({
        source: ARTICLE_EVENT_SOURCE,
        'detail-type': event.detailType,
        time: event.detail.occurredAt,
        detail: event.detail,
      }),
    );
    await mkdir(dirname(this.file), { recursive: true });
    // After a torn last line, the first line appended starts on a line of its own.
    const separator = state.endsMidLine ? '\n' : '';
    await appendFile(this.file, `${separator}${lines.join('\n')}\n`);
    state.endsMidLine = false;
    for (const event of fresh) state.eventIds.add(event.detail.eventId);
  }

  private fileState(): Promise<FileState> {
    this.state ??= readFileState(this.file);
    return this.state;
  }
}

interface FileState {
  readonly eventIds: Set<string>;
  endsMidLine: boolean;
}

async function readFileState(file: string): Promise<FileState> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT')
      return { eventIds: new Set(), endsMidLine: false };
    throw error;
  }
  const ids = new Set<string>();
  for (const line of text.split('\n')) {
    // A line torn by a crash mid-append is skipped: its event is appended again when redelivered.
    try {
      const id = (JSON.parse(line) as { detail?: { eventId?: unknown } }).detail?.eventId;
      if (typeof id === 'string') ids.add(id);
    } catch {}
  }
  return { eventIds: ids, endsMidLine: text.length > 0 && !text.endsWith('\n') };
}
