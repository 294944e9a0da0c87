import type { SiteConfig } from '../config/site';
import { type Article, articlePath, isLive } from '../domain/article';
import type { ArticleRepository } from '../domain/article-repository';
import { tagSlugsOf } from '../domain/tags';
import { LATEST_NEWS_LIMIT } from '../render/article-lists';
import { renderArticlePage } from '../render/article-page';
import { newestFirst } from '../render/dates';
import {
  FEED_ITEM_LIMIT,
  type FeedArticle,
  renderJsonFeed,
  renderRssFeed,
  renderSectionRssFeed,
} from '../render/feeds';
import { renderHomePage } from '../render/home-page';
import { renderLatestJson } from '../render/latest-json';
import { renderLogoSvg } from '../render/logo-svg';
import { renderNotFoundPage } from '../render/not-found-page';
import { type RedirectTarget, redirectTarget, renderRedirectPage } from '../render/redirect-page';
import { renderRobotsTxt } from '../render/robots-txt';
import { renderSectionPage } from '../render/section-page';
import {
  allIndexObjects,
  type IndexObject,
  livePageObject,
  logoObject,
  notFoundPageObject,
  objectKeyForPath,
  planArticleChange,
  type RedirectObject,
  robotsTxtObject,
} from '../render/site-objects';
import {
  absoluteUrl,
  monthBounds,
  monthOfSitemapUrl,
  monthSitemapPath,
  PAGES_SITEMAP_PATH,
  publicationMonth,
} from '../render/site-paths';
import {
  hasUrlEntries,
  NEWS_SITEMAP_WINDOW_MS,
  newestLastmod,
  patchArticleSitemap,
  renderArticleSitemap,
  renderNewsSitemap,
  renderPagesSitemap,
  renderSitemapIndex,
  type SitemapIndexEntry,
  storedSitemapIndex,
} from '../render/sitemaps';
import { renderTagPage, TAG_PAGE_ITEMS } from '../render/tag-page';
import type { ArticleSummary } from '../render/types';
import {
  type EdgeRoutesChange,
  EdgeRoutesFullError,
  type EdgeRoutesStore,
  GONE,
  noEdgeRoutes,
  planEdgeRoutes,
} from './edge-routes';
import { type PageStore, PageVersionConflictError } from './page-store';
import type { TagMemberships } from './tag-memberships';

/** Conditional patches of a sitemap tried before rendering it in full. */
const PATCH_ATTEMPTS = 3;

/** How many headlines the home page and a section page show. */
export const HOME_PAGE_ITEMS = 30;
export const SECTION_PAGE_ITEMS = 20;

export interface ChangeOutcome {
  /** Index objects this change affects; render them once per batch with `renderIndexes`. */
  readonly indexes: readonly IndexObject[];
  /** Exact CloudFront paths whose cached copies are now wrong. */
  readonly invalidationPaths: readonly string[];
  /**
   * The edge routes store had no room for this change's entries: its paths are served by the bucket's
   * redirect pages (a 200 meta refresh, a 404 for a withdrawn one) until room is made. Worth an alarm.
   */
  readonly edgeRoutesFull?: true;
}

/**
 * Turns article changes into the rendered site: the pure planner decides what changes, the pure
 * renderer makes the strings, and this class fetches the lists they need and writes through the page
 * store. Work per publish is constant: the article's own objects plus a fixed set of index objects,
 * whatever the number of articles stored.
 */
export class SitePublisher {
  private latestCache: Promise<readonly ArticleSummary[]> | undefined;
  /** This batch's changes by article id: the live image, or null when the article left the site. */
  private readonly batchChanges = new Map<string, Article | null>();
  /** Every path the batch's articles had before or have now: their sitemap entries are replaced. */
  private readonly batchPaths = new Set<string>();
  /** Bodies read for this batch's feeds, by article id: the site's feeds and a section's share most. */
  private readonly feedBodies = new Map<string, string | undefined>();
  /** The newest `lastmod` of each sitemap this batch wrote, by key: the sitemap index's dates. */
  private readonly sitemapLastmods = new Map<string, string | undefined>();
  /** Whether each month sitemap this batch rendered has any entry, by month: what the index lists. */
  private readonly monthsWithEntries = new Map<string, boolean>();
  /** The months with published articles as the table gave them, read at most once per batch. */
  private tableMonths: Promise<readonly string[]> | undefined;

  constructor(
    private readonly site: SiteConfig,
    private readonly articles: ArticleRepository,
    private readonly pages: PageStore,
    private readonly clock: () => Date = () => new Date(),
    /** The 301s and 410s answered at the edge (functions/publishing/edge-routes.ts). */
    private readonly edgeRoutes: EdgeRoutesStore = noEdgeRoutes,
    /** Tag pages' lists; without it (tools that only write article pages) tag pages are left alone. */
    private readonly tagMemberships?: TagMemberships,
  ) {}

  /** Lists are read once per batch, after its article writes; call before each batch. */
  startBatch(): void {
    this.latestCache = undefined;
    this.batchChanges.clear();
    this.batchPaths.clear();
    this.feedBodies.clear();
    this.sitemapLastmods.clear();
    this.monthsWithEntries.clear();
    this.tableMonths = undefined;
  }

  async applyChange(oldImage: Article | undefined, newImage: Article | undefined): Promise<ChangeOutcome> {
    const plan = planArticleChange(this.site, oldImage, newImage);
    const id = (newImage ?? oldImage)?.id;
    if (id) this.batchChanges.set(id, newImage && isLive(newImage) ? newImage : null);
    for (const image of [oldImage, newImage]) if (image) this.batchPaths.add(articlePath(image));
    if (plan.putArticle) await this.putArticlePage(plan.putArticle.article);
    for (const redirect of plan.putRedirects) await this.putRedirectPage(redirect, redirectTarget(newImage));
    for (const page of plan.deletes) await this.pages.delete(page.key);
    // After the pages: a path leaves the store ("gone") only once its page is there, and a redirect page
    // stands at each old path before the store answers it, the fallback should the store lose it.
    const full = await this.updateEdgeRoutes(oldImage, newImage);
    await this.updateTagMemberships(oldImage, newImage);
    return {
      indexes: plan.indexes,
      invalidationPaths: plan.invalidationPaths,
      ...(full ? { edgeRoutesFull: true as const } : {}),
    };
  }

  /**
   * A live article is a member of each of its tags' lists, and of no other: the new image's tags are put,
   * the old image's others removed (all of them when the article left the site). Each write is conditional
   * on the article's version, so a retried or replayed record never undoes a newer one.
   */
  private async updateTagMemberships(
    oldImage: Article | undefined,
    newImage: Article | undefined,
  ): Promise<void> {
    if (!this.tagMemberships) return;
    const live = newImage && isLive(newImage) ? newImage : undefined;
    const kept = tagSlugsOf(live);
    if (live) await this.tagMemberships.put(live, kept, { ifNotNewer: true });
    const image = newImage ?? oldImage;
    const left = [...tagSlugsOf(oldImage), ...tagSlugsOf(newImage)].filter((slug) => !kept.has(slug));
    if (image && left.length > 0) await this.tagMemberships.remove(image.id, left, image.version);
  }

  /** True when the store is full; any other failure throws, so the change is retried. */
  private async updateEdgeRoutes(
    oldImage: Article | undefined,
    newImage: Article | undefined,
  ): Promise<boolean> {
    try {
      const plan = planEdgeRoutes(oldImage, newImage);
      const id = (newImage ?? oldImage)?.id;
      await this.edgeRoutes.apply(id === undefined ? plan : await this.withoutTakenPaths(plan, id));
      return false;
    } catch (error) {
      if (error instanceof EdgeRoutesFullError) return true;
      throw error;
    }
  }

  /**
   * A path marked gone whose slug another article has claimed since (a deleted article's slug, taken
   * again) is left to that article: the stream may deliver its publish before this delete (they are
   * different items, perhaps on different shards), and a 410 must never stand at a live page.
   */
  private async withoutTakenPaths(plan: EdgeRoutesChange, articleId: string): Promise<EdgeRoutesChange> {
    const puts = new Map(plan.puts);
    for (const [path, route] of plan.puts) {
      if (route !== GONE) continue;
      const claim = await this.articles.getSlugClaim(path.slice(path.lastIndexOf('/') + 1));
      if (claim !== undefined && claim.articleId !== articleId) puts.delete(path);
    }
    return { puts, deletes: plan.deletes };
  }

  /** Renders and writes a live article's page, with the latest list as it stands now. */
  async putArticlePage(article: Article): Promise<void> {
    const page = livePageObject(article);
    const latest = (await this.latest()).filter((item) => item.id !== article.id);
    await this.pages.put(page, renderArticlePage(this.site, article, latest));
  }

  async putRedirectPage(redirect: RedirectObject, target: RedirectTarget | undefined): Promise<void> {
    await this.pages.put(redirect, renderRedirectPage(this.site, redirect.targetPath, target));
  }

  /**
   * Renders the index objects a batch touched. A month's sitemap is updated from the stored file with
   * just the batch's changes (`incremental`, the stream's way); `full` re-reads the month from the table
   * (repair's way, which also heals a file an incremental update could not).
   */
  async renderIndexes(
    indexes: readonly IndexObject[],
    mode: 'incremental' | 'full' = 'incremental',
  ): Promise<void> {
    if (indexes.length === 0) return;
    // The latest list is re-read here: the batch's own writes must be in it.
    this.latestCache = undefined;
    // The sitemap index last: it is dated by the sitemaps written before it.
    const ordered = [
      ...indexes.filter((index) => index.kind !== 'sitemap'),
      ...indexes.filter((index) => index.kind === 'sitemap'),
    ];
    for (const index of ordered) {
      if (index.kind === 'month-sitemap' && mode === 'incremental') await this.updateMonthSitemap(index);
      else if (index.kind === 'sitemap' && mode === 'incremental') await this.updateSitemapIndex(index);
      else if (index.kind === 'tag-page') await this.putTagPage(index);
      else await this.putIndex(index, await this.renderIndex(index));
    }
    // The 404 page lists the latest articles; robots.txt and the logo change only with the newsroom's
    // config: rendering them with the home page keeps them current without a separate trigger.
    await this.pages.put(notFoundPageObject(), renderNotFoundPage(this.site, await this.latest()));
    await this.pages.put(robotsTxtObject(), renderRobotsTxt(this.site));
    await this.pages.put(logoObject(), renderLogoSvg(this.site));
  }

  /** Every index object of the site, for a full re-render; `tags`: the slugs live articles carry. */
  async renderAllIndexes(tags: Iterable<string> = []): Promise<void> {
    await this.renderIndexes(allIndexObjects(this.site, await this.monthsWithArticles(), tags), 'full');
  }

  /**
   * A tag's page, from the tag's list with the batch's changes laid over it; a tag no live article
   * carries any more has no page (a 404), never an empty one.
   */
  private async putTagPage(index: IndexObject & { readonly kind: 'tag-page' }): Promise<void> {
    if (!this.tagMemberships) return;
    const items = this.withBatchChanges(
      await this.tagMemberships.listTagged(index.tag, TAG_PAGE_ITEMS),
      (article) => tagSlugsOf(article).has(index.tag),
      TAG_PAGE_ITEMS,
    );
    if (items.length === 0) await this.pages.delete(index.key);
    else await this.pages.put(index, renderTagPage(this.site, index.tag, items));
  }

  /** A month's sitemap with the batch's entries replaced, not the whole month read again. */
  private async updateMonthSitemap(index: IndexObject & { readonly kind: 'month-sitemap' }): Promise<void> {
    const { from, to } = monthBounds(index.month);
    const [start, end] = [Date.parse(from), Date.parse(to)];
    const change = {
      removeUrls: new Set([...this.batchPaths].map((path) => absoluteUrl(this.site, path))),
      add: [...this.batchChanges.values()].flatMap((article) => {
        const summary = article && summaryOf(article);
        const time = summary ? Date.parse(summary.publishedAt) : Number.NaN;
        return summary && time >= start && time < end ? [summary] : [];
      }),
    };
    await this.patchOrRender(index, async (stored) => {
      const patched = patchArticleSitemap(this.site, stored, change);
      // A month left without entries is deleted, not patched: read the table to be sure it is empty.
      return patched !== undefined && hasUrlEntries(patched) ? patched : undefined;
    });
  }

  /**
   * Read, patch, write back only over the version read (S3 conditional writes), so two batches updating
   * one object at once (two stream shards) cannot lose each other's changes. With no stored object, one
   * `patch` cannot use (undefined), or after a few conflicts, the object is rendered in full instead.
   */
  private async patchOrRender(
    index: IndexObject,
    patch: (stored: string) => Promise<string | undefined>,
  ): Promise<void> {
    for (let attempt = 1; attempt <= PATCH_ATTEMPTS; attempt += 1) {
      const stored = await this.pages.read(index.key);
      const patched = stored && (await patch(stored.body));
      if (!stored || patched === undefined) break;
      try {
        await this.putIndex(index, patched, { expectedVersion: stored.version });
        return;
      } catch (error) {
        if (!(error instanceof PageVersionConflictError)) throw error;
      }
    }
    await this.putIndex(index, await this.renderIndex(index));
  }

  private async putIndex(
    index: IndexObject,
    body: string,
    options?: Parameters<PageStore['put']>[2],
  ): Promise<void> {
    if (index.kind === 'month-sitemap') {
      // The sitemap protocol requires at least one <url>: a month without articles has no sitemap, and
      // the index does not list it.
      this.monthsWithEntries.set(index.month, hasUrlEntries(body));
      if (!hasUrlEntries(body)) {
        await this.pages.delete(index.key);
        this.sitemapLastmods.set(index.key, undefined);
        return;
      }
    }
    await this.pages.put(index, body, options);
    if (index.kind === 'month-sitemap' || index.kind === 'pages-sitemap') {
      this.sitemapLastmods.set(index.key, newestLastmod(body));
    }
  }

  /**
   * The sitemap index after a batch: the months the stored index lists, with the months this batch
   * rendered added or (left without entries) removed, written back only over the version read, so two
   * batches at once cannot drop each other's month. No stored index, or conflicts: rendered in full.
   */
  private async updateSitemapIndex(index: IndexObject): Promise<void> {
    await this.patchOrRender(index, async (stored) => {
      const listed = storedSitemapIndex(stored);
      const months = new Set(
        [...listed.keys()].flatMap((url) => {
          const month = monthOfSitemapUrl(url);
          return month ? [month] : [];
        }),
      );
      for (const [month, hasEntries] of this.monthsWithEntries) {
        if (hasEntries) months.add(month);
        else months.delete(month);
      }
      return renderSitemapIndex(this.site, await this.sitemapIndexEntries([...months].sort(), listed));
    });
  }

  /**
   * Each sitemap's newest `lastmod`: of what this batch wrote, else as the stored index gave it, else
   * read from the sitemap itself (an index written before indexes had dates, or a lost one). A full
   * render writes every sitemap first, so repair dates the index from scratch.
   */
  private async sitemapIndexEntries(
    months: readonly string[],
    stored: ReadonlyMap<string, string | undefined>,
  ): Promise<SitemapIndexEntry[]> {
    const sitemaps = [PAGES_SITEMAP_PATH, ...months.map(monthSitemapPath)];
    return Promise.all(
      sitemaps.map(async (path) => {
        const key = objectKeyForPath(path);
        const lastmod = this.sitemapLastmods.has(key)
          ? this.sitemapLastmods.get(key)
          : (stored.get(absoluteUrl(this.site, path)) ??
            newestLastmod((await this.pages.read(key))?.body ?? ''));
        return lastmod ? { path, lastmod } : { path };
      }),
    );
  }

  /** The keys `renderAllIndexes` writes: everything repair keeps besides article and redirect pages. */
  async siteObjectKeys(tags: Iterable<string> = []): Promise<ReadonlySet<string>> {
    const objects = [
      ...allIndexObjects(this.site, await this.monthsWithArticles(), tags),
      notFoundPageObject(),
      robotsTxtObject(),
      logoObject(),
    ];
    return new Set(objects.map((object) => object.key));
  }

  /**
   * Every month up to now with at least one published article: the monthly sitemaps. Read from the table
   * one month at a time, each query jumping to the first publication after the month before, so the
   * reads grow with the months that have articles, never with the gaps between them (a story backdated
   * to 1998 costs one) nor with the archive's size. The months this batch rendered are taken as found,
   * in case the index has not caught up with the batch's writes.
   */
  private async monthsWithArticles(): Promise<string[]> {
    this.tableMonths ??= this.readMonthsWithArticles();
    const months = new Set(await this.tableMonths);
    for (const [month, hasEntries] of this.monthsWithEntries) {
      if (hasEntries) months.add(month);
      else months.delete(month);
    }
    return [...months].sort();
  }

  private async readMonthsWithArticles(): Promise<readonly string[]> {
    const now = publicationMonth(this.clock().toISOString());
    const months: string[] = [];
    for (let from: string | undefined; ; ) {
      const time = Date.parse((await this.articles.oldestPublishedAt(from)) ?? '');
      // An unreadable time cannot be placed in a month; better a sitemap short of it than no render.
      if (!Number.isFinite(time)) break;
      const month = publicationMonth(new Date(time).toISOString());
      // Each step must move forward: a store that ignored `from` would otherwise loop for ever.
      if (month > now || (from !== undefined && time < Date.parse(from))) break;
      months.push(month);
      from = monthBounds(month).to;
    }
    return months;
  }

  private latest(): Promise<readonly ArticleSummary[]> {
    const limit = Math.max(HOME_PAGE_ITEMS, FEED_ITEM_LIMIT, LATEST_NEWS_LIMIT);
    this.latestCache ??= this.articles
      .listLatest({ limit })
      .then((page) => this.withBatchChanges(page.items, () => true, limit));
    return this.latestCache;
  }

  /**
   * Feeds carry each story in full, and the lists' index holds no bodies: the newest items' bodies are
   * read in one batch of reads (the batch's own changes are used as they are). An article gone since the
   * list was read keeps its summary as content; the next render of the feed drops it.
   */
  private async withBodies(items: readonly ArticleSummary[]): Promise<FeedArticle[]> {
    const newest = newestFirst(items).slice(0, FEED_ITEM_LIMIT);
    for (const item of newest) {
      const changed = this.batchChanges.get(item.id);
      if (changed) this.feedBodies.set(item.id, changed.body);
    }
    const unread = newest.map((item) => item.id).filter((id) => !this.feedBodies.has(id));
    if (unread.length > 0) {
      const read = await this.articles.getMany(unread);
      for (const id of unread) {
        // Withdrawn since the list was read: its body is not public any more.
        const article = read.get(id);
        this.feedBodies.set(id, article && isLive(article) ? article.body : undefined);
      }
    }
    return newest.map((item) => {
      const body = this.feedBodies.get(item.id);
      return body === undefined ? item : { ...item, body };
    });
  }

  private async inSection(section: string, limit: number): Promise<readonly ArticleSummary[]> {
    const { items } = await this.articles.listLatest({ section, limit });
    return this.withBatchChanges(items, (article) => article.section === section, limit);
  }

  private async publishedBetween(from: string, to: string): Promise<readonly ArticleSummary[]> {
    const items = await this.articles.listPublishedBetween(from, to);
    const [start, end] = [Date.parse(from), Date.parse(to)];
    return this.withBatchChanges(items, ({ publishedAt }) => {
      const time = Date.parse(publishedAt);
      return time >= start && time < end;
    });
  }

  /**
   * Lists come from global secondary indexes, which DynamoDB updates asynchronously: read right after
   * the batch's writes, an index may not show them yet. The batch's own changes are laid over what the
   * index returned, so a publish is always on the pages of its own batch, and a removal never lingers.
   */
  private withBatchChanges(
    items: readonly ArticleSummary[],
    belongs: (article: ArticleSummary) => boolean,
    limit = Number.POSITIVE_INFINITY,
  ): ArticleSummary[] {
    const byId = new Map(items.map((item) => [item.id, item]));
    for (const [id, article] of this.batchChanges) {
      const summary = article && summaryOf(article);
      if (summary && belongs(summary)) byId.set(id, summary);
      else byId.delete(id);
    }
    return newestFirst([...byId.values()]).slice(0, limit);
  }

  private async renderIndex(index: IndexObject): Promise<string> {
    const now = this.clock();
    switch (index.kind) {
      case 'home':
        return renderHomePage(this.site, (await this.latest()).slice(0, HOME_PAGE_ITEMS));
      case 'rss-feed':
        return renderRssFeed(this.site, await this.withBodies(await this.latest()), now);
      case 'json-feed':
        return renderJsonFeed(this.site, await this.withBodies(await this.latest()), now);
      case 'latest-json':
        return renderLatestJson(this.site, await this.latest());
      case 'news-sitemap': {
        const from = new Date(now.getTime() - NEWS_SITEMAP_WINDOW_MS).toISOString();
        return renderNewsSitemap(this.site, await this.publishedBetween(from, now.toISOString()), now);
      }
      case 'sitemap':
        return renderSitemapIndex(
          this.site,
          await this.sitemapIndexEntries(
            await this.monthsWithArticles(),
            storedSitemapIndex((await this.pages.read(index.key))?.body ?? ''),
          ),
        );
      case 'pages-sitemap':
        return renderPagesSitemap(this.site, await this.latest());
      case 'month-sitemap': {
        // One month's articles: bounded by how much a newsroom publishes in a month, not by the archive.
        const { from, to } = monthBounds(index.month);
        return renderArticleSitemap(this.site, await this.publishedBetween(from, to));
      }
      case 'tag-page':
        // Rendered by putTagPage alone, which deletes a page left without articles.
        throw new Error(`Tag page ${index.key} is rendered by putTagPage`);
      case 'section-page':
      case 'section-rss-feed': {
        const section = this.site.sections.find((candidate) => candidate.slug === index.section);
        if (!section) throw new Error(`Unknown section ${index.section}`);
        return index.kind === 'section-page'
          ? renderSectionPage(
              this.site,
              section,
              await this.inSection(section.slug, SECTION_PAGE_ITEMS),
              await this.latest(),
            )
          : renderSectionRssFeed(
              this.site,
              section,
              await this.withBodies(await this.inSection(section.slug, FEED_ITEM_LIMIT)),
              now,
            );
      }
    }
  }
}

function summaryOf(article: Article): ArticleSummary | undefined {
  if (!article.publishedAt) return undefined;
  const { id, slug, title, summary, section, author, source, tags, imageUrl, imageAlt, updatedAt } = article;
  const { previousPaths, version, corrections, imageWidth, imageHeight, featured, language } = article;
  return {
    ...(corrections ? { corrections } : {}),
    ...(language ? { language } : {}),
    id,
    slug,
    title,
    summary,
    section,
    author,
    source,
    tags,
    imageUrl,
    imageAlt,
    imageWidth,
    imageHeight,
    featured,
    updatedAt,
    previousPaths,
    version,
    publishedAt: article.publishedAt,
  };
}
