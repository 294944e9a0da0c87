import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { SLUG_PATTERN } from '../../../functions/domain/slug';
import { ARTICLE_PATH, LATEST_NEWS_SCRIPT } from '../../../functions/render/latest-news-script';

/** Just enough DOM to run the refresher; any use of innerHTML/outerHTML/insertAdjacentHTML fails the test. */
class FakeNode {
  readonly children: (FakeNode | string)[] = [];
  textContent = '';
  href = '';
  dateTime = '';

  constructor(
    readonly tagName: string,
    private readonly attributes: Record<string, string> = {},
  ) {
    for (const sink of ['innerHTML', 'outerHTML', 'insertAdjacentHTML']) {
      Object.defineProperty(this, sink, {
        get: () => {
          throw new Error(`${sink} used`);
        },
        set: () => {
          throw new Error(`${sink} used`);
        },
      });
    }
  }

  getAttribute(name: string): string | null {
    return this.attributes[name] ?? null;
  }

  append(...nodes: (FakeNode | string)[]): void {
    this.children.push(...nodes);
  }

  replaceChildren(...nodes: (FakeNode | string)[]): void {
    this.children.splice(0, this.children.length, ...nodes);
  }

  /** The first descendant with this tag name: the only selector the refresher uses. */
  querySelector(tag: string): FakeNode | null {
    for (const child of this.children) {
      if (typeof child === 'string') continue;
      if (child.tagName === tag) return child;
      const found = child.querySelector(tag);
      if (found) return found;
    }
    return null;
  }
}

interface Run {
  list: FakeNode;
  requests: string[];
}

async function run(
  respond: (url: string) => Promise<unknown>,
  listAttributes: Record<string, string> = {},
  lang = 'en',
  rendered?: { entries: FakeNode[]; intl: typeof Intl },
): Promise<Run> {
  const original = new FakeNode('a');
  original.textContent = 'Rendered at publish time';
  const list = new FakeNode('ol', { id: 'latest-news', 'data-limit': '7', ...listAttributes });
  if (rendered) list.append(...rendered.entries);
  else list.append(original);
  const requests: string[] = [];
  const errors: unknown[] = [];
  const context = {
    window: {} as Record<string, unknown>,
    document: {
      documentElement: { lang },
      getElementById: (id: string) => (id === 'latest-news' ? list : null),
      createElement: (tag: string) => new FakeNode(tag),
    },
    location: {
      href: 'https://news.example.com/bota/story',
      origin: 'https://news.example.com',
      pathname: '/bota/story',
    },
    fetch: (url: string) => {
      requests.push(url);
      return respond(url);
    },
    URL,
    Intl: rendered?.intl ?? Intl,
    Number,
    Array,
    Date,
    console: { error: (e: unknown) => errors.push(e) },
  };
  context.window.fetch = context.fetch;
  runInNewContext(LATEST_NEWS_SCRIPT, context);
  await new Promise((resolve) => setTimeout(resolve, 10));
  expect(errors).toEqual([]);
  return { list, requests };
}

const ok = (body: unknown) => async () => ({ ok: true, json: async () => body });

function links(list: FakeNode): { href: string; text: string }[] {
  return list.children
    .filter((child): child is FakeNode => typeof child !== 'string')
    .map((entry) => entry.children.find((c): c is FakeNode => typeof c !== 'string' && c.tagName === 'a'))
    .map((link) => ({ href: link?.href ?? '', text: link?.textContent ?? '' }));
}

describe('the Latest news refresher', () => {
  it('asks the same-origin API for one entry more than the list shows (the page leaves itself out)', async () => {
    const { requests } = await run(ok({ items: [] }));
    expect(requests).toEqual(['/api/latest?limit=8']);
  });

  it("shows times in the newsroom's zone from data-time-zone, and in UTC when that zone is unknown", async () => {
    const items = [{ title: 'Evening story', url: '/bota/evening', publishedAt: '2026-11-27T23:30:00Z' }];
    const timeText = (list: FakeNode) => {
      const entry = list.children.find((child): child is FakeNode => typeof child !== 'string');
      return entry?.children.find((c): c is FakeNode => typeof c !== 'string' && c.tagName === 'time')
        ?.textContent;
    };
    const tirane = await run(ok({ items }), { 'data-time-zone': 'Europe/Tirane' });
    expect(timeText(tirane.list)).toMatch(/Nov 28.*12:30.*GMT\+1/);
    const unknown = await run(ok({ items }), { 'data-time-zone': 'Mars/Olympus' });
    expect(timeText(unknown.list)).toMatch(/Nov 27.*11:30.*UTC/);
  });

  it('keeps the entries the page already shows, building no date formatter unless an entry is new', async () => {
    let formatters = 0;
    const countingIntl = {
      ...Intl,
      DateTimeFormat: function DateTimeFormat(...args: ConstructorParameters<typeof Intl.DateTimeFormat>) {
        formatters += 1;
        return new Intl.DateTimeFormat(...args);
      },
    } as unknown as typeof Intl;
    const renderedEntry = (path: string, title: string) => {
      const link = new FakeNode('a', { href: path });
      link.href = path;
      link.textContent = title;
      const time = new FakeNode('time');
      time.textContent = 'Nov 27, 8:00 AM UTC';
      const entry = new FakeNode('li');
      entry.append(link, ' ', time);
      return entry;
    };
    const first = renderedEntry('/bota/first', 'First');
    const second = renderedEntry('/bota/second', 'Second');
    const item = (path: string, title: string) => ({ title, url: path, publishedAt: '2026-11-27T08:00:00Z' });

    const unchanged = await run(
      ok({ items: [item('/bota/first', 'First'), item('/bota/second', 'Second')] }),
      {},
      'en',
      {
        entries: [first, second],
        intl: countingIntl,
      },
    );
    expect(unchanged.list.children).toEqual([first, second]);
    expect(formatters).toBe(0);

    // A headline edited since: the entry is kept, its text is the new one; a new story gets a formatter.
    const edited = await run(
      ok({
        items: [
          item('/bota/third', 'Third'),
          item('/bota/first', 'First, edited'),
          item('/bota/second', 'Second'),
        ],
      }),
      {},
      'en',
      { entries: [first, second], intl: countingIntl },
    );
    expect(links(edited.list).map((link) => link.text)).toEqual(['Third', 'First, edited', 'Second']);
    expect(edited.list.children[1]).toBe(first);
    expect(formatters).toBe(1);
  });

  it('never lists the page it is on, and shows at most data-limit entries', async () => {
    const items = [
      { title: 'This very story', url: '/bota/story' },
      ...Array.from({ length: 8 }, (_, index) => ({ title: `Other ${index}`, url: `/bota/other-${index}` })),
    ];
    const { list } = await run(ok({ items }));
    const shown = links(list);
    expect(shown).toHaveLength(7);
    expect(shown.map((link) => link.text)).not.toContain('This very story');
  });

  it('links every article path root-relative, whichever origin the API names, and nothing else', async () => {
    const { list } = await run(
      ok({
        items: [
          { title: 'CloudFront name', url: 'https://d111111abcdef8.cloudfront.net/bota/first' },
          { title: 'Apex', url: 'https://example.com/politics/second' },
          { title: 'Loopback', url: 'http://127.0.0.1:3000/sport/third-story' },
          { title: 'Protocol-relative', url: '//evil.example/culture/fourth' },
          { title: 'Not an article', url: 'https://evil.example/phish' },
          { title: 'Too deep', url: '/bota/story/extra' },
          { title: 'Trailing slash', url: '/bota/first/' },
          { title: 'Query', url: '/bota/first?x=1' },
          { title: 'Fragment', url: '/bota/first#top' },
          { title: 'Upper case', url: '/Bota/First' },
          { title: 'Encoded', url: '/bota/%2e%2e' },
          { title: 'Backslash', url: '/\\evil.example/x' },
          { title: 'Script', url: 'javascript:alert(1)//a/b' },
        ],
      }),
    );
    expect(links(list)).toEqual([
      { href: '/bota/first', text: 'CloudFront name' },
      { href: '/politics/second', text: 'Apex' },
      { href: '/sport/third-story', text: 'Loopback' },
      { href: '/culture/fourth', text: 'Protocol-relative' },
    ]);
  });

  it('matches article paths with the slug rule of the domain', () => {
    const slug = SLUG_PATTERN.source.replace(/^\^|\$$/g, '');
    expect(ARTICLE_PATH.source).toBe(new RegExp(`^/${slug}/${slug}$`).source);
  });

  it('prints times on the clock of the page language (24-hour for Albanian)', async () => {
    const items = [{ title: 'Evening story', url: '/bota/evening', publishedAt: '2026-11-27T19:30:00Z' }];
    const albanian = await run(ok({ items }), { 'data-time-zone': 'Europe/Tirane' }, 'sq');
    const entry = albanian.list.children.find((child): child is FakeNode => typeof child !== 'string');
    const time = entry?.children.find((c): c is FakeNode => typeof c !== 'string' && c.tagName === 'time');
    expect(time?.textContent).toMatch(/20:30/);
    expect(time?.textContent).not.toMatch(/p\.?m|m\.?d/i);
  });

  it('replaces the list with links to article paths built from text, never markup', async () => {
    const { list } = await run(
      ok({
        items: [
          {
            title: 'First <img src=x onerror=alert(1)>',
            url: '/bota/first',
            publishedAt: '2025-06-24T10:30:00Z',
          },
          { title: 'Absolute same origin', url: 'https://news.example.com/politics/second' },
          { title: 'Elsewhere', url: 'https://evil.example/phish' },
          { title: 'Protocol-relative', url: '//evil.example/phish' },
          { title: 'Script', url: 'javascript:alert(1)' },
          { title: 'Data', url: 'data:text/html,<script>alert(1)</script>' },
          { title: 42, url: '/bota/not-a-title' },
          null,
        ],
      }),
    );
    expect(links(list)).toEqual([
      { href: '/bota/first', text: 'First <img src=x onerror=alert(1)>' },
      { href: '/politics/second', text: 'Absolute same origin' },
    ]);
    const first = list.children[0] as FakeNode;
    const time = first.children.find((c): c is FakeNode => typeof c !== 'string' && c.tagName === 'time');
    expect(time?.dateTime).toBe('2025-06-24T10:30:00.000Z');
    expect(time?.textContent).toMatch(/Jun 24.*UTC/);
  });

  it.each([
    ['a network failure', () => Promise.reject(new TypeError('offline'))],
    ['an error status', async () => ({ ok: false, json: async () => ({}) })],
    ['invalid JSON', async () => ({ ok: true, json: async () => Promise.reject(new SyntaxError('bad')) })],
    ['an unexpected shape', ok({ items: 'nope' })],
    ['an empty list', ok({ items: [] })],
  ])('keeps the rendered list on %s, silently', async (_name, respond) => {
    const { list } = await run(respond as (url: string) => Promise<unknown>);
    expect(list.children).toHaveLength(1);
    expect((list.children[0] as FakeNode).textContent).toBe('Rendered at publish time');
  });

  it('contains no HTML sink and no eval in its source', () => {
    expect(LATEST_NEWS_SCRIPT).not.toMatch(
      /innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(|new Function/,
    );
    expect(LATEST_NEWS_SCRIPT).not.toMatch(/<\/script/i);
    // Inlined into every article page: a few kilobytes at most.
    expect(LATEST_NEWS_SCRIPT.length).toBeLessThan(3_000);
  });
});
