import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { EventBridgeEventSink } from '../adapters/eventbridge-event-sink';
import { JsonLinesEventSink } from '../adapters/jsonl-event-sink';
import { ENV, getOptionalStringFromEnv } from '../config/environment';
import { type ArticleEventSink, noArticleEvents } from '../publishing/article-events';

/**
 * Where the render function sends article events: the stack's event bus in AWS (EVENT_BUS_NAME), a file
 * in DATA_DIR on the local stack (EVENTS_FILE), nowhere when neither is set (unit tests, tools).
 */
export function articleEventSinkFromEnv(): ArticleEventSink {
  const eventBusName = getOptionalStringFromEnv(ENV.eventBusName);
  if (eventBusName) return new EventBridgeEventSink(new EventBridgeClient({}), eventBusName);
  const eventsFile = getOptionalStringFromEnv(ENV.eventsFile);
  if (eventsFile) return new JsonLinesEventSink(eventsFile);
  return noArticleEvents;
}
