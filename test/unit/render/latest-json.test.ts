import { describe, expect, it } from 'vitest';
import { renderLatestJson } from '../../../functions/render/latest-json';
import { SITE, summaries, summary } from './support/fixtures';

describe('renderLatestJson', () => {
  it('has the shape of GET /api/latest, newest first, with absolute clean URLs', () => {
    const body = JSON.parse(renderLatestJson(SITE, [summary(), ...summaries(3)])) as {
      items: Record<string, unknown>[];
      nextCursor: unknown;
    };
    expect(body.nextCursor).toBeNull();
    expect(body.items).toHaveLength(4);
    expect(body.items[0]).toEqual({
      id: '01JYAB6Q000000000000000000',
      slug: 'story-0',
      title: 'Story number 0',
      summary: 'Summary of story 0.',
      section: 'bota',
      // The newsroom's, since the article has none of its own.
      language: 'en',
      publishedAt: '2025-06-24T12:00:00.000Z',
      url: 'https://news.example.com/bota/story-0',
    });
    expect(body.items.at(-1)?.url).toBe('https://news.example.com/bota/summit-opens-in-the-hague');
  });

  it('holds at most the limit', () => {
    expect((JSON.parse(renderLatestJson(SITE, summaries(30), 5)) as { items: unknown[] }).items).toHaveLength(
      5,
    );
  });
});
