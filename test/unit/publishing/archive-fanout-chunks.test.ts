import { describe, expect, it } from 'vitest';
import { DEFAULT_SITE } from '../../../functions/config/site';
import type { Article } from '../../../functions/domain/article';
import { ArticleService } from '../../../functions/domain/article-service';
import {
  ChunkRenderer,
  type ChunkReport,
  decodeChunk,
  encodeChunk,
  InvalidChunkError,
  MAX_CHUNK_SIZE,
  renderChunkMessages,
} from '../../../functions/publishing/rerender-chunks';
import { SitePublisher } from '../../../functions/publishing/site-publisher';
import { InMemoryArticleRepository } from '../../support/in-memory-article-repository';
import { MemoryPageStore } from '../../support/memory-page-store';

const NOW = new Date('2026-11-20T10:00:00.000Z');
const clock = () => NOW;

const keyOf = (article: Pick<Article, 'section' | 'slug'>) => `${article.section}/${article.slug}/index.html`;

function setUp() {
  const repository = new InMemoryArticleRepository();
  const service = new ArticleService(repository, clock);
  const pages = new MemoryPageStore();
  const publisher = new SitePublisher(DEFAULT_SITE, repository, pages, clock);
  const renderer = new ChunkRenderer(repository, publisher, 3);
  const publish = (title: string, section = 'bota') =>
    service.create({ title, section, body: `${title}.`, status: 'published' });
  return { repository, service, pages, renderer, publish };
}

describe('ChunkRenderer', () => {
  it("writes each live article's page and its redirect pages, reading the latest list once per chunk", async () => {
    const { repository, service, pages, renderer, publish } = setUp();
    const first = await publish('First story');
    const moved = await publish('Moved story');
    const renamed = await service.update(moved.id, 1, { slug: 'moved-story-renamed', section: 'sport' });
    repository.calls.length = 0;

    const outcome = await renderer.render([first.id, moved.id]);

    expect(outcome).toEqual({ rendered: 2, redirects: 1, skipped: 0, failures: [] });
    expect(pages.body(keyOf(first))).toContain('First story');
    expect(pages.objects.get(keyOf(renamed))?.page.provenance).toMatchObject({
      'article-id': moved.id,
      'article-version': '2',
    });
    expect(pages.body('bota/moved-story/index.html')).toContain('/sport/moved-story-renamed');
    expect(pages.objects.get('bota/moved-story/index.html')?.page.provenance).toEqual({
      'redirect-to': '/sport/moved-story-renamed',
    });
    // Pages only: the lists, feeds and sitemaps are the final repair's, rendered once for the archive.
    expect([...pages.objects.keys()].sort()).toEqual(
      [keyOf(first), keyOf(renamed), 'bota/moved-story/index.html'].sort(),
    );
    expect(repository.calls.filter((call) => call === 'listLatest')).toHaveLength(1);
    expect(repository.calls.filter((call) => call === 'get')).toHaveLength(2);
  });

  it('renders the version the table holds now, not the one the listing saw', async () => {
    const { service, pages, renderer, publish } = setUp();
    const story = await publish('Listed story');
    // Edited between the listing (which named the id) and the chunk's read.
    await service.update(story.id, 1, { title: 'Listed story, corrected' });

    await renderer.render([story.id]);

    expect(pages.body(keyOf(story))).toContain('Listed story, corrected');
    expect(pages.objects.get(keyOf(story))?.page.provenance?.['article-version']).toBe('2');
  });

  it('skips what is no longer live (unpublished, deleted, unknown) and deletes nothing', async () => {
    const { service, pages, renderer, publish } = setUp();
    const live = await publish('Still live');
    const withdrawn = await publish('Withdrawn meanwhile');
    const deleted = await publish('Deleted meanwhile');
    await service.update(withdrawn.id, 1, { status: 'unpublished' });
    await service.delete(deleted.id, 1);
    const draft = await service.create({ title: 'Never published', section: 'bota', body: 'Draft.' });

    const outcome = await renderer.render([live.id, withdrawn.id, deleted.id, draft.id, '01UNKNOWN']);

    expect(outcome).toEqual({ rendered: 1, redirects: 0, skipped: 4, failures: [] });
    expect(pages.writes).toEqual([`put ${keyOf(live)}`]);
  });

  it('attempts every article when one fails, and names the one that failed', async () => {
    const { pages, renderer, publish } = setUp();
    const stories = [];
    for (const title of ['Alpha story', 'Beta story', 'Gamma story', 'Delta story']) {
      stories.push(await publish(title));
    }
    const broken = stories[1] as Article;
    pages.failKeys.add(keyOf(broken));

    const outcome = await renderer.render(stories.map((story) => story.id));

    expect(outcome.rendered).toBe(3);
    expect(outcome.failures).toEqual([{ id: broken.id, error: `S3 refused ${keyOf(broken)}` }]);
    for (const story of stories.filter((s) => s !== broken))
      expect(pages.objects.has(keyOf(story))).toBe(true);
  });

  it('renders an id named twice once', async () => {
    const { pages, renderer, publish } = setUp();
    const story = await publish('Named twice');
    const outcome = await renderer.render([story.id, story.id]);
    expect(outcome.rendered).toBe(1);
    expect(pages.writes).toEqual([`put ${keyOf(story)}`]);
  });
});

describe('chunk messages', () => {
  it('round-trip, and at most 100 ids fit in about 3 KB', () => {
    const ids = Array.from({ length: MAX_CHUNK_SIZE }, (_, i) => `01JD${String(i).padStart(22, '0')}`);
    const body = encodeChunk({ run: '2026-11-20T10:00:00.000Z', chunk: 7, ids });
    expect(decodeChunk(body)).toEqual({ run: '2026-11-20T10:00:00.000Z', chunk: 7, ids });
    expect(body.length).toBeLessThan(3200);
  });

  it('refuses anything that is not a chunk', () => {
    const valid = { kind: 'rerender-chunk', run: 'r', chunk: 0, ids: ['a'] };
    for (const body of [
      'not json',
      JSON.stringify({ ...valid, kind: 'something-else' }),
      JSON.stringify({ ...valid, ids: [] }),
      JSON.stringify({ ...valid, ids: Array.from({ length: MAX_CHUNK_SIZE + 1 }, (_, i) => `id${i}`) }),
      JSON.stringify({ ...valid, ids: [''] }),
      JSON.stringify({ ...valid, chunk: -1 }),
      JSON.stringify({ ...valid, extra: true }),
    ]) {
      expect(() => decodeChunk(body), body.slice(0, 60)).toThrow(InvalidChunkError);
    }
  });
});

describe('renderChunkMessages (the partial batch response)', () => {
  it('fails exactly the messages whose chunk had a failed article or was not a chunk', async () => {
    const { service, pages, renderer, publish } = setUp();
    const good = await publish('Good story');
    const gone = await publish('Gone story');
    await service.delete(gone.id, 1);
    const broken = await publish('Broken story');
    pages.failKeys.add(keyOf(broken));
    const reports: ChunkReport[] = [];

    const failed = await renderChunkMessages(
      [
        { messageId: 'm-good', body: encodeChunk({ run: 'r', chunk: 0, ids: [good.id, gone.id] }) },
        { messageId: 'm-broken', body: encodeChunk({ run: 'r', chunk: 1, ids: [broken.id, good.id] }) },
        { messageId: 'm-garbage', body: '{"ids": 42}' },
      ],
      renderer,
      (report) => reports.push(report),
    );

    // A skipped (deleted) article never fails its chunk; a failed write does; garbage does.
    expect(failed).toEqual(['m-broken', 'm-garbage']);
    expect(reports.map(({ messageId, outcome, error }) => ({ messageId, outcome, failed: !!error }))).toEqual(
      [
        {
          messageId: 'm-good',
          outcome: { rendered: 1, redirects: 0, skipped: 1, failures: [] },
          failed: false,
        },
        {
          messageId: 'm-broken',
          outcome: {
            rendered: 1,
            redirects: 0,
            skipped: 0,
            failures: [expect.objectContaining({ id: broken.id })],
          },
          failed: true,
        },
        { messageId: 'm-garbage', outcome: undefined, failed: true },
      ],
    );
    expect(reports[1]?.chunk).toMatchObject({ run: 'r', chunk: 1 });
  });

  it('fails a message whose render throws outright, and goes on with the next', async () => {
    const calls: string[][] = [];
    const renderer = {
      async render(ids: readonly string[]) {
        calls.push([...ids]);
        if (ids.includes('boom')) throw new Error('DynamoDB is unavailable');
        return { rendered: ids.length, redirects: 0, skipped: 0, failures: [] };
      },
    };
    const failed = await renderChunkMessages(
      [
        { messageId: 'a', body: encodeChunk({ run: 'r', chunk: 0, ids: ['boom'] }) },
        { messageId: 'b', body: encodeChunk({ run: 'r', chunk: 1, ids: ['fine'] }) },
      ],
      renderer,
    );
    expect(failed).toEqual(['a']);
    expect(calls).toEqual([['boom'], ['fine']]);
  });
});
