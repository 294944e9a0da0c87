import { appendFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EventBridgeClient, PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EventBridgeEventSink } from '../../../functions/adapters/eventbridge-event-sink';
import { JsonLinesEventSink } from '../../../functions/adapters/jsonl-event-sink';
import { type ArticleEvent, articleEventFor } from '../../../functions/publishing/article-events';
import { article } from '../render/support/fixtures';

/** Distinct events: one publication per article id. */
function events(count: number): ArticleEvent[] {
  return Array.from({ length: count }, (_, index) => {
    const id = `01JYAB6Q00000000000000${String(index).padStart(4, '0')}`;
    const event = articleEventFor(
      undefined,
      article({ id, slug: `story-${index}` }),
      'https://n.example',
      new Date(),
    );
    if (!event) throw new Error('a publication makes an event');
    return event;
  });
}

/** An EventBridge client that refuses the entries `refuse` picks, recording every request. */
function fakeEventBridge(refuse: (entry: PutEventsRequestEntry, call: number) => boolean = () => false) {
  const requests: PutEventsRequestEntry[][] = [];
  const client = {
    send: async (command: { input: { Entries: PutEventsRequestEntry[] } }) => {
      const entries = command.input.Entries;
      requests.push(entries);
      const answers = entries.map((entry) =>
        refuse(entry, requests.length)
          ? { ErrorCode: 'ThrottlingException', ErrorMessage: 'Rate exceeded' }
          : { EventId: `e-${requests.length}` },
      );
      return { Entries: answers, FailedEntryCount: answers.filter((answer) => 'ErrorCode' in answer).length };
    },
  } as unknown as EventBridgeClient;
  return { client, requests };
}

describe('EventBridgeEventSink', () => {
  it('puts each event on the bus with the source, detail type, detail and page URL, ten to a request', async () => {
    const { client, requests } = fakeEventBridge();
    const sent = events(23);
    await new EventBridgeEventSink(client, 'flash-news-events').publish(sent);

    expect(requests.map((entries) => entries.length)).toEqual([10, 10, 3]);
    const first = requests[0]?.[0];
    expect(first).toMatchObject({
      EventBusName: 'flash-news-events',
      Source: 'flash-news.articles',
      DetailType: 'Article Published v1',
      Resources: [sent[0]?.detail.article.url],
    });
    expect(JSON.parse(first?.Detail ?? '')).toEqual(sent[0]?.detail);
    expect(requests.flat().map((entry) => JSON.parse(entry.Detail ?? '').eventId)).toEqual(
      sent.map((event) => event.detail.eventId),
    );
  });

  it('sends again only the entries EventBridge refused', async () => {
    const sent = events(4);
    const refusedOnce = sent[2]?.detail.eventId;
    const { client, requests } = fakeEventBridge(
      (entry, call) => call === 1 && JSON.parse(entry.Detail ?? '').eventId === refusedOnce,
    );
    await new EventBridgeEventSink(client, 'bus').publish(sent);
    expect(requests.map((entries) => entries.length)).toEqual([4, 1]);
    expect(JSON.parse(requests[1]?.[0]?.Detail ?? '').eventId).toBe(refusedOnce);
  });

  it('fails, so that the render batch is retried, when EventBridge keeps refusing', async () => {
    const { client, requests } = fakeEventBridge(() => true);
    await expect(new EventBridgeEventSink(client, 'bus').publish(events(2))).rejects.toThrow(
      /refused 2 article event\(s\): ThrottlingException/,
    );
    expect(requests).toHaveLength(3);
  });

  it('sends nothing when there is nothing to announce', async () => {
    const { client, requests } = fakeEventBridge();
    await new EventBridgeEventSink(client, 'bus').publish([]);
    expect(requests).toEqual([]);
  });
});

describe('JsonLinesEventSink', () => {
  let dir: string;
  let file: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'flash-news-events-'));
    file = join(dir, 'events.jsonl');
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const lines = async () =>
    (await readFile(file, 'utf8'))
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line));

  it('appends each event as EventBridge would deliver it', async () => {
    const [event] = events(1);
    await new JsonLinesEventSink(file).publish(events(1));
    expect(await lines()).toEqual([
      {
        source: 'flash-news.articles',
        'detail-type': 'Article Published v1',
        time: event?.detail.occurredAt,
        detail: event?.detail,
      },
    ]);
  });

  it('keeps one line per change when a change is delivered again, even by a restarted stack', async () => {
    const sent = events(3);
    await new JsonLinesEventSink(file).publish(sent.slice(0, 2));
    await new JsonLinesEventSink(file).publish(sent);
    const sink = new JsonLinesEventSink(file);
    await sink.publish(sent.slice(1));
    await sink.publish(sent.slice(1));
    expect((await lines()).map((line) => line.detail.eventId)).toEqual(sent.map((e) => e.detail.eventId));
  });

  it('after a line torn by a crash, appends whole lines and writes the torn event again', async () => {
    const sent = events(2);
    await new JsonLinesEventSink(file).publish(sent.slice(0, 1));
    const torn = JSON.stringify({ detail: sent[1]?.detail }).slice(0, 40);
    await appendFile(file, torn);

    await new JsonLinesEventSink(file).publish(sent);
    const text = await readFile(file, 'utf8');
    expect(text.split('\n')).toEqual([expect.any(String), torn, expect.any(String), '']);
    expect(JSON.parse(text.split('\n')[2] ?? '').detail.eventId).toBe(sent[1]?.detail.eventId);
  });
});
