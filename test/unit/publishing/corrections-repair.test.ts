import { describe, expect, it } from 'vitest';
import { DEFAULT_SITE } from '../../../functions/config/site';
import { ArticleService } from '../../../functions/domain/article-service';
import { SitePublisher } from '../../../functions/publishing/site-publisher';
import { SiteReconciler } from '../../../functions/publishing/site-reconciler';
import { InMemoryArticleRepository } from '../../support/in-memory-article-repository';
import { MemoryPageStore } from '../../support/memory-page-store';

const PUBLISHED = new Date('2026-11-30T10:00:00.000Z');
const CORRECTED = new Date('2026-12-01T09:00:00.000Z');
const NOTE = 'An earlier version said the summit was in Brussels.';

/**
 * A correction is derived state on the page, the feeds and the sitemaps: if the render function dies
 * after the table took the correction and before the site shows it, repair must bring the site to what
 * the table says, from the article as stored (not from what the stream would have delivered).
 */
describe('repair after a correction the site never showed', () => {
  it('renders the correction on the page and into the feeds and the sitemap', async () => {
    let now = PUBLISHED;
    const clock = () => now;
    const repository = new InMemoryArticleRepository();
    const service = new ArticleService(repository, clock);
    const pages = new MemoryPageStore();
    const publisher = new SitePublisher(DEFAULT_SITE, repository, pages, clock);
    const reconciler = new SiteReconciler(repository, pages, publisher, {
      invalidate: async () => undefined,
    });

    const article = await service.create({
      title: 'Summit opens',
      section: 'bota',
      body: 'Text.',
      status: 'published',
    });
    await reconciler.reconcile({ concurrency: 1 });
    const key = `bota/${article.slug}/index.html`;
    expect(pages.body(key)).not.toContain('class="corrections"');

    now = CORRECTED;
    await service.update(article.id, 1, { correction: NOTE });
    // The render function died: the stored page is still version 1's.
    expect(pages.body(key)).not.toContain(NOTE);

    const summary = await reconciler.reconcile({ concurrency: 1 });
    expect(summary.actions).toContainEqual(expect.objectContaining({ action: 'write', key }));
    const page = pages.body(key) ?? '';
    expect(page).toContain('class="corrections"');
    expect(page).toContain(NOTE);
    expect(page).toContain(`"dateModified":"${CORRECTED.toISOString()}"`);
    const feed = JSON.parse(pages.body('feed.json') ?? '{}') as {
      items: { id: string; date_modified: string; content_html: string }[];
    };
    const item = feed.items.find((entry) => entry.id === article.id);
    expect(item?.date_modified).toBe(CORRECTED.toISOString());
    expect(item?.content_html).toContain(NOTE);
    expect(pages.body('feed.xml')).toContain(NOTE);
    expect(pages.body('sitemaps/2026-11.xml')).toContain(`<lastmod>${CORRECTED.toISOString()}</lastmod>`);
  });
});
