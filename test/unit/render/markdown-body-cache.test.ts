import { describe, expect, it, vi } from 'vitest';

// The body cache's budget is 16 million characters: too much to fill in a unit test, so the measure the
// renderer gives the cache is checked directly.
const budget = vi.hoisted(() => ({
  maxSize: 0,
  sizeOf: undefined as ((id: string, entry: unknown) => number) | undefined,
}));

vi.mock('../../../functions/render/bounded-cache', async (importOriginal) => {
  const { BoundedCache } = await importOriginal<typeof import('../../../functions/render/bounded-cache')>();
  return {
    BoundedCache: class<K, V> extends BoundedCache<K, V> {
      constructor(maxSize: number, sizeOf: (key: K, value: V) => number) {
        super(maxSize, sizeOf);
        budget.maxSize = maxSize;
        budget.sizeOf = sizeOf as unknown as typeof budget.sizeOf;
      }
    },
  };
});

const { renderArticleBody } = await import('../../../functions/render/markdown');

describe('the rendered-body cache', () => {
  it("counts each body's Markdown, HTML and excerpt against its 16-million-character budget", () => {
    const markdown = 'A *short* body.';
    const body = renderArticleBody('01JYCACHE', markdown, 'https://news.example.com', 160, 'en');
    expect(budget.maxSize).toBe(16_000_000);
    expect(
      budget.sizeOf?.('01JYCACHE', {
        markdown,
        baseUrl: 'https://news.example.com',
        excerptLength: 160,
        body,
      }),
    ).toBe(markdown.length + body.html.toString().length + body.excerpt.length);
  });
});
