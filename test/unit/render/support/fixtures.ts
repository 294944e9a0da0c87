import type { SiteConfig } from '../../../../functions/config/site';
import type { Article } from '../../../../functions/domain/article';
import type { ArticleSummary } from '../../../../functions/render/types';

export const SITE: SiteConfig = {
  name: 'Flash News',
  baseUrl: 'https://news.example.com',
  language: 'en',
  timeZone: 'UTC',
  description: 'The latest news from the world, politics and business.',
  sections: [
    { slug: 'bota', name: 'Bota', description: 'World news.' },
    { slug: 'politics', name: 'Politics', description: 'Government and elections.' },
    { slug: 'business', name: 'Business', description: 'Economy and markets.' },
  ],
};

export const SEED_BODY = [
  "European allies should not worry about the United States' commitment to NATO, Mark Rutte said.",
  '',
  'The two-day meeting in The Hague is intended to send a message to Russian President Vladimir Putin.',
  '',
  '"The American president and the American senior leadership are fully committed to NATO," Rutte said.',
].join('\n');

export function article(overrides: Partial<Article> = {}): Article {
  return {
    id: '01JYAB6Q0000000000000000AA',
    slug: 'rutte-us-is-fully-committed-to-nato',
    previousPaths: [],
    title: 'Rutte: US is fully committed to NATO',
    section: 'bota',
    body: SEED_BODY,
    summary: "European allies should not worry about the United States' commitment to NATO.",
    author: 'Jane Doe',
    source: 'REL',
    tags: ['NATO', 'USA'],
    imageUrl: 'https://images.example.com/rutte.jpg',
    imageAlt: 'Mark Rutte at the summit',
    status: 'published',
    publishedAt: '2025-06-24T10:30:00.000Z',
    createdAt: '2025-06-24T10:00:00.000Z',
    updatedAt: '2025-06-24T12:00:00.000Z',
    version: 3,
    ...overrides,
  };
}

export function summary(overrides: Partial<ArticleSummary> = {}): ArticleSummary {
  return {
    id: '01JYAB6Q0000000000000000BB',
    slug: 'summit-opens-in-the-hague',
    title: 'Summit opens in The Hague',
    summary: 'Leaders gather for a two-day meeting.',
    section: 'bota',
    author: 'John Roe',
    source: 'REL',
    tags: ['NATO'],
    publishedAt: '2025-06-24T09:00:00.000Z',
    updatedAt: '2025-06-24T09:05:00.000Z',
    previousPaths: [],
    version: 1,
    ...overrides,
  };
}

/** `count` summaries, one minute apart, newest first, spread over the site's sections. */
export function summaries(count: number, newest = Date.parse('2025-06-24T12:00:00.000Z')): ArticleSummary[] {
  return Array.from({ length: count }, (_, index) => {
    const section = SITE.sections[index % SITE.sections.length]?.slug ?? 'bota';
    const publishedAt = new Date(newest - index * 60_000).toISOString();
    return summary({
      id: `01JYAB6Q00000000000000${String(index).padStart(4, '0')}`,
      slug: `story-${index}`,
      title: `Story number ${index}`,
      summary: `Summary of story ${index}.`,
      section,
      publishedAt,
      updatedAt: publishedAt,
    });
  });
}

/** Breaks out of every context a renderer might forget to escape: elements, attributes, scripts, CDATA. */
export const HOSTILE =
  '</script><script>alert(1)</script>"\'><img src=x onerror=alert(2)><svg onload=alert(3)>]]>]]><!--\u2028\u2029&amp;';

export function hostileArticle(): Article {
  return article({
    slug: 'hostile',
    title: HOSTILE,
    summary: HOSTILE,
    author: HOSTILE,
    source: HOSTILE,
    tags: [HOSTILE, 'javascript:alert(4)'],
    imageUrl: `https://images.example.com/a.jpg?q="><script>alert(5)</script>`,
    imageAlt: HOSTILE,
    imageCaption: HOSTILE,
    imageCredit: HOSTILE,
    body: [
      HOSTILE,
      '',
      '[click](javascript:alert(6)) [data](data:text/html,<script>alert(7)</script>) <javascript:alert(8)>',
      '',
      `![img](javascript:alert(9)) [vb](vbscript:msgbox(1)) [tab](java\tscript:alert(10))`,
      '',
      '<a href="javascript:alert(11)" onclick="alert(12)">raw</a> <script>alert(13)</script>',
    ].join('\n'),
  });
}

export function hostileSummary(overrides: Partial<ArticleSummary> = {}): ArticleSummary {
  return summary({
    title: HOSTILE,
    summary: HOSTILE,
    author: HOSTILE,
    source: HOSTILE,
    tags: [HOSTILE],
    imageUrl: 'javascript:alert(14)',
    imageAlt: HOSTILE,
    ...overrides,
  });
}
