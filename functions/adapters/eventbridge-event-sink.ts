import {
  type EventBridgeClient,
  PutEventsCommand,
  type PutEventsRequestEntry,
} from '@aws-sdk/client-eventbridge';
import { ARTICLE_EVENT_SOURCE, type ArticleEvent, type ArticleEventSink } from '../publishing/article-events';

/** PutEvents takes at most ten entries a request. */
const PUT_EVENTS_BATCH = 10;
/**
 * Entries EventBridge refuses one by one (throttling, an internal failure) are sent again, these many
 * times in all, before the render batch fails and Lambda retries it.
 */
const PUT_EVENTS_ATTEMPTS = 3;

export class EventBridgeEventSink implements ArticleEventSink {
  constructor(
    private readonly client: EventBridgeClient,
    private readonly eventBusName: string,
  ) {}

  async publish(events: readonly ArticleEvent[]): Promise<void> {
    for (let start = 0; start < events.length; start += PUT_EVENTS_BATCH) {
      await this.putAll(events.slice(start, start + PUT_EVENTS_BATCH).map((event) => this.entry(event)));
    }
  }

  private entry(event: ArticleEvent): PutEventsRequestEntry {
    return {
      EventBusName: this.eventBusName,
      Source: ARTICLE_EVENT_SOURCE,
      DetailType: event.detailType,
      Detail: JSON.stringify(event.detail),
      // Rules and archives can find every event of one article by its page.
      Resources: [event.detail.article.url],
      Time: new Date(event.detail.occurredAt),
    };
  }

  private async putAll(entries: PutEventsRequestEntry[]): Promise<void> {
    let pending = entries;
    for (let attempt = 1; pending.length > 0; attempt += 1) {
      const { Entries = [], FailedEntryCount = 0 } = await this.client.send(
        new PutEventsCommand({ Entries: pending }),
      );
      if (FailedEntryCount === 0) return;
      // The answer lists the entries in the request's order; a failed one carries an ErrorCode.
      const failed = pending.filter((_, index) => Entries[index]?.ErrorCode !== undefined);
      if (attempt >= PUT_EVENTS_ATTEMPTS) {
        const codes = [...new Set(Entries.flatMap((entry) => (entry.ErrorCode ? [entry.ErrorCode] : [])))];
        throw new Error(`EventBridge refused ${failed.length} article event(s): ${codes.join(', ')}`);
      }
      pending = failed;
    }
  }
}
