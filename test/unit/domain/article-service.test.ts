import { beforeEach, describe, expect, it } from 'vitest';
import type { Article } from '../../../functions/domain/article';
import type { CreateArticleInput } from '../../../functions/domain/article-input';
import type { SlugClaim } from '../../../functions/domain/article-repository';
import { ABANDONED_CLAIM_AFTER_MS, ArticleService } from '../../../functions/domain/article-service';
import { storageUnavailable } from '../../../functions/domain/errors';
import { isArticleId, newArticleId } from '../../../functions/domain/ids';
import { InjectedFailure, InMemoryArticleRepository } from '../../support/in-memory-article-repository';
import { asyncRefusal } from '../../support/refusal';
import { atSystemTime } from '../../support/system-clock';

const START = new Date('2026-03-01T12:00:00.000Z');
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

let now: Date;
let repository: InMemoryArticleRepository;
let service: ArticleService;

beforeEach(() => {
  now = START;
  repository = new InMemoryArticleRepository();
  service = new ArticleService(repository, () => now);
});

const advance = (ms: number) => {
  now = new Date(now.getTime() + ms);
};
const at = (offsetMs: number) => new Date(START.getTime() + offsetMs).toISOString();

const TITLE = 'Rutte: US is fully committed to NATO';
const NATURAL_SLUG = 'rutte-us-is-fully-committed-to-nato';

function input(overrides: Partial<CreateArticleInput> = {}): CreateArticleInput {
  return { title: TITLE, section: 'bota', body: 'NATO chief **Mark Rutte** said…', ...overrides };
}

/** A claim left by a create that crashed between claiming the slug and writing its article. */
function orphanClaim(slug: string, ageMs: number) {
  const ghostId = newArticleId(new Date(now.getTime() - ageMs));
  repository.seedClaim({
    slug,
    articleId: ghostId,
    claimedAt: new Date(now.getTime() - ageMs).toISOString(),
  });
  return ghostId;
}

describe('ArticleService.create', () => {
  it('creates a draft at version 1 with a slug from the title, and claims the slug', async () => {
    const article = await service.create(input());

    expect(isArticleId(article.id)).toBe(true);
    expect(article).toMatchObject({
      slug: NATURAL_SLUG,
      previousPaths: [],
      title: TITLE,
      section: 'bota',
      tags: [],
      status: 'draft',
      createdAt: START.toISOString(),
      updatedAt: START.toISOString(),
      version: 1,
    });
    expect(article.publishedAt).toBeUndefined();
    expect(repository.storedArticle(article.id)).toEqual(JSON.parse(JSON.stringify(article)));
    expect(repository.allClaims()).toEqual([
      { slug: NATURAL_SLUG, articleId: article.id, claimedAt: START.toISOString() },
    ]);
  });

  it('keeps every optional field', async () => {
    const article = await service.create(
      input({
        summary: 'Summary',
        author: 'Jane Doe',
        source: 'REL',
        tags: ['nato'],
        imageUrl: 'https://images.example.com/a.jpg',
        imageAlt: 'Mark Rutte',
      }),
    );
    expect(repository.storedArticle(article.id)).toMatchObject({
      summary: 'Summary',
      author: 'Jane Doe',
      source: 'REL',
      tags: ['nato'],
      imageUrl: 'https://images.example.com/a.jpg',
      imageAlt: 'Mark Rutte',
    });
  });

  it('uses an explicit slug instead of the title', async () => {
    const article = await service.create(input({ slug: 'rutte-nato' }));
    expect(article.slug).toBe('rutte-nato');
    expect(repository.storedClaim('rutte-nato')?.articleId).toBe(article.id);
    expect(repository.storedClaim(NATURAL_SLUG)).toBeUndefined();
  });

  it('refuses an explicit slug that another article holds with 409 slug_conflict, storing nothing', async () => {
    const first = await service.create(input({ slug: 'rutte-nato' }));
    const error = await asyncRefusal(service.create(input({ title: 'Another story', slug: 'rutte-nato' })));

    expect(error.status).toBe(409);
    expect(error.code).toBe('slug_conflict');
    expect(error.details).toEqual([{ field: 'slug', message: 'is already used by another article' }]);
    expect(repository.articleCount()).toBe(1);
    expect(repository.allClaims()).toEqual([
      { slug: 'rutte-nato', articleId: first.id, claimedAt: START.toISOString() },
    ]);
  });

  it('disambiguates a natural slug that is taken with the tail of the new id', async () => {
    const first = await service.create(input());
    const second = await service.create(input());

    expect(first.slug).toBe(NATURAL_SLUG);
    expect(second.slug).toBe(`${NATURAL_SLUG}-${second.id.slice(-6).toLowerCase()}`);
    expect(repository.storedClaim(second.slug)?.articleId).toBe(second.id);
    expect(repository.storedClaim(NATURAL_SLUG)?.articleId).toBe(first.id);
  });

  it('never gives an article a slug another article holds, even when the disambiguated slug is taken too', async () => {
    class DisambiguationsTaken extends InMemoryArticleRepository {
      override async claimSlug(claim: SlugClaim): Promise<SlugClaim | undefined> {
        // Another live article got the disambiguated slug a moment ago.
        if (claim.slug.startsWith(`${NATURAL_SLUG}-`)) return { ...claim, articleId: newArticleId(now) };
        return super.claimSlug(claim);
      }
    }
    const taken = new DisambiguationsTaken();
    const withTakenSlugs = new ArticleService(taken, () => now);
    const first = await withTakenSlugs.create(input());

    const error = await asyncRefusal(withTakenSlugs.create(input()));

    expect(error.code).toBe('slug_conflict');
    expect(taken.articleCount()).toBe(1);
    expect(taken.allClaims()).toEqual([
      { slug: NATURAL_SLUG, articleId: first.id, claimedAt: START.toISOString() },
    ]);
  });

  it('gives many articles with the same headline distinct slugs', async () => {
    const articles = [];
    for (let index = 0; index < 5; index += 1) articles.push(await service.create(input()));
    expect(new Set(articles.map((article) => article.slug)).size).toBe(5);
  });

  it('falls back to an id-based slug for a headline with no Latin transliteration', async () => {
    const article = await service.create(input({ title: '北约秘书长吕特' }));
    expect(article.slug).toBe(`article-${article.id.toLowerCase()}`);
    expect(repository.storedClaim(article.slug)?.articleId).toBe(article.id);
  });

  it('releases its slug claim when writing the article fails, and passes the failure on', async () => {
    repository.failNext('insert');
    await expect(service.create(input({ slug: 'rutte-nato' }))).rejects.toBeInstanceOf(InjectedFailure);

    expect(repository.articleCount()).toBe(0);
    expect(repository.allClaims()).toEqual([]);
    // Nothing is left in the way of a retry.
    expect((await service.create(input({ slug: 'rutte-nato' }))).slug).toBe('rutte-nato');
  });

  it('releases a disambiguated claim when writing the article fails', async () => {
    const first = await service.create(input());
    repository.failNext('insert');
    await expect(service.create(input())).rejects.toBeInstanceOf(InjectedFailure);
    expect(repository.allClaims()).toEqual([
      { slug: NATURAL_SLUG, articleId: first.id, claimedAt: START.toISOString() },
    ]);
  });

  it('publishes now when asked to publish', async () => {
    const article = await service.create(input({ status: 'published' }));
    expect(article).toMatchObject({ status: 'published', publishedAt: START.toISOString() });
  });

  it('schedules an article with a future publishAt', async () => {
    const article = await service.create(input({ status: 'scheduled', publishAt: at(HOUR) }));
    expect(article).toMatchObject({ status: 'scheduled', publishAt: at(HOUR) });
    expect(article.publishedAt).toBeUndefined();
  });

  it('holds back a publish with a future publishAt as scheduled', async () => {
    const article = await service.create(
      input({ status: 'published', publishAt: '2026-03-01T14:00:00+01:00' }),
    );
    expect(article).toMatchObject({ status: 'scheduled', publishAt: at(HOUR) });
  });

  it('backdates a publish with a past publishAt', async () => {
    const article = await service.create(input({ status: 'published', publishAt: at(-24 * HOUR) }));
    expect(article).toMatchObject({ status: 'published', publishedAt: at(-24 * HOUR) });
  });

  it('refuses to schedule without a future publishAt, storing no article', async () => {
    const error = await asyncRefusal(service.create(input({ status: 'scheduled', publishAt: at(-HOUR) })));
    expect(error.status).toBe(400);
    expect(error.details).toEqual([
      { field: 'publishAt', message: 'publishAt must be in the future to schedule an article' },
    ]);
    expect(repository.articleCount()).toBe(0);
  });

  // A refused create must not hold its slug: a corrected retry with the same slug would get 409.
  it('a create refused by the publication rules leaves no slug claim behind', async () => {
    await asyncRefusal(service.create(input({ slug: 'rutte-nato', status: 'scheduled' })));
    expect(repository.allClaims()).toEqual([]);
    const retried = await service.create(
      input({ slug: 'rutte-nato', status: 'scheduled', publishAt: at(HOUR) }),
    );
    expect(retried.slug).toBe('rutte-nato');
  });
});

describe('ArticleService.get', () => {
  it('finds an article by id', async () => {
    const article = await service.create(input());
    expect(await service.get(article.id)).toEqual(JSON.parse(JSON.stringify(article)));
  });

  it('finds an article by its current slug', async () => {
    const article = await service.create(input());
    expect((await service.get(NATURAL_SLUG)).id).toBe(article.id);
  });

  it('finds an article by a slug it had before', async () => {
    const article = await service.create(input());
    await service.update(article.id, 1, { slug: 'rutte-nato' });
    const found = await service.get(NATURAL_SLUG);
    expect(found.id).toBe(article.id);
    expect(found.slug).toBe('rutte-nato');
  });

  it.each([
    ['an unknown id', '01JQ7Z9K3M4N5P6Q7R8S9TVWXY'],
    ['an unknown slug', 'no-such-story'],
    ['an empty string', ''],
  ])('answers 404 for %s', async (_, idOrSlug) => {
    const error = await asyncRefusal(service.get(idOrSlug));
    expect(error.status).toBe(404);
    expect(error.code).toBe('not_found');
  });

  it.each([
    ['a path that is not slug-shaped', 'Not a slug!'],
    ['a slug too long to be one', 'x'.repeat(2000)],
  ])('answers 404 for %s without reading storage', async (_, idOrSlug) => {
    expect((await asyncRefusal(service.get(idOrSlug))).status).toBe(404);
    expect(repository.calls).toEqual([]);
  });

  it('answers 404 for a slug whose claim has no article (a create in flight or abandoned)', async () => {
    orphanClaim('half-made', MINUTE);
    expect((await asyncRefusal(service.get('half-made'))).status).toBe(404);
  });

  it('answers 404 for a deleted article, by id and by slug', async () => {
    const article = await service.create(input());
    await service.delete(article.id, 1);
    expect((await asyncRefusal(service.get(article.id))).status).toBe(404);
    expect((await asyncRefusal(service.get(NATURAL_SLUG))).status).toBe(404);
  });
});

describe('ArticleService.update', () => {
  let article: Article;

  beforeEach(async () => {
    article = await service.create(input({ summary: 'Summary', author: 'Jane Doe', tags: ['nato'] }));
    advance(MINUTE);
  });

  it('patches the given fields, keeps the others, bumps the version and the update time', async () => {
    const updated = await service.update(article.id, 1, { title: 'New headline', tags: ['nato', 'usa'] });

    expect(updated).toMatchObject({
      id: article.id,
      title: 'New headline',
      tags: ['nato', 'usa'],
      summary: 'Summary',
      author: 'Jane Doe',
      body: article.body,
      slug: NATURAL_SLUG,
      createdAt: START.toISOString(),
      updatedAt: at(MINUTE),
      version: 2,
    });
    expect(repository.storedArticle(article.id)).toMatchObject({ title: 'New headline', version: 2 });
  });

  it('does not change the slug when only the title changes', async () => {
    const updated = await service.update(article.id, 1, { title: 'Completely different' });
    expect(updated.slug).toBe(NATURAL_SLUG);
    expect(updated.previousPaths).toEqual([]);
  });

  it('clears an optional field given as null and keeps one that is absent', async () => {
    const updated = await service.update(article.id, 1, { summary: null });
    expect(updated.summary).toBeUndefined();
    expect(updated.author).toBe('Jane Doe');
    expect(Object.hasOwn(repository.storedArticle(article.id) ?? {}, 'summary')).toBe(false);
  });

  it('increments the version on every change', async () => {
    await service.update(article.id, 1, { title: 'Two' });
    await service.update(article.id, 2, { title: 'Three' });
    expect((await service.update(article.id, 3, { title: 'Four' })).version).toBe(4);
  });

  it('refuses a stale version with 412, naming the current one, and changes nothing', async () => {
    await service.update(article.id, 1, { title: 'Two' });
    const error = await asyncRefusal(service.update(article.id, 1, { title: 'Lost update' }));

    expect(error.status).toBe(412);
    expect(error.code).toBe('precondition_failed');
    expect(error.message).toContain('"2"');
    expect(repository.storedArticle(article.id)).toMatchObject({ title: 'Two', version: 2 });
  });

  it('treats a version that names nothing (-1) as stale', async () => {
    expect((await asyncRefusal(service.update(article.id, -1, { title: 'x' }))).status).toBe(412);
  });

  it('answers 404 for an unknown article', async () => {
    const error = await asyncRefusal(service.update('01JQ7Z9K3M4N5P6Q7R8S9TVWXY', 1, { title: 'x' }));
    expect(error.status).toBe(404);
  });

  it('answers 412 when another write lands between the read and the write', async () => {
    repository.interleave('replace', () => {
      repository.seedArticle({ ...article, title: 'Theirs', version: 2 });
    });
    const error = await asyncRefusal(service.update(article.id, 1, { title: 'Mine' }));
    expect(error.status).toBe(412);
    expect(repository.storedArticle(article.id)?.title).toBe('Theirs');
  });

  describe('slugs and sections', () => {
    it('keeps the old path as a previous path, and the old slug claimed, on a slug change', async () => {
      const updated = await service.update(article.id, 1, { slug: 'rutte-nato' });

      expect(updated.slug).toBe('rutte-nato');
      expect(updated.previousPaths).toEqual([`/bota/${NATURAL_SLUG}`]);
      expect(repository.storedClaim(NATURAL_SLUG)?.articleId).toBe(article.id);
      expect(repository.storedClaim('rutte-nato')).toEqual({
        slug: 'rutte-nato',
        articleId: article.id,
        claimedAt: at(MINUTE),
      });
    });

    it('refuses a slug another article holds with 409 and changes nothing', async () => {
      const other = await service.create(input({ title: 'Other story' }));
      const error = await asyncRefusal(
        service.update(article.id, 1, { slug: 'other-story', title: 'Changed' }),
      );

      expect(error.status).toBe(409);
      expect(error.code).toBe('slug_conflict');
      expect(repository.storedArticle(article.id)).toMatchObject({
        title: TITLE,
        slug: NATURAL_SLUG,
        version: 1,
      });
      expect(repository.storedClaim('other-story')?.articleId).toBe(other.id);
    });

    it('refuses the slug an older article had before it changed it', async () => {
      const other = await service.create(input({ title: 'Other story' }));
      await service.update(other.id, 1, { slug: 'renamed-story' });
      const error = await asyncRefusal(service.update(article.id, 1, { slug: 'other-story' }));
      expect(error.status).toBe(409);
    });

    it('records the old path on a section change', async () => {
      const updated = await service.update(article.id, 1, { section: 'politics' });
      expect(updated.section).toBe('politics');
      expect(updated.slug).toBe(NATURAL_SLUG);
      expect(updated.previousPaths).toEqual([`/bota/${NATURAL_SLUG}`]);
    });

    it('records one previous path for a simultaneous slug and section change', async () => {
      const updated = await service.update(article.id, 1, { section: 'politics', slug: 'rutte-nato' });
      expect(updated.previousPaths).toEqual([`/bota/${NATURAL_SLUG}`]);
    });

    it('lets an article go back to a slug it had, dropping that path from the previous ones', async () => {
      await service.update(article.id, 1, { slug: 'second-slug' });
      await service.update(article.id, 2, { slug: 'third-slug' });
      const reverted = await service.update(article.id, 3, { slug: NATURAL_SLUG });

      expect(reverted.slug).toBe(NATURAL_SLUG);
      expect(reverted.previousPaths).toEqual(['/bota/second-slug', '/bota/third-slug']);
      for (const slug of [NATURAL_SLUG, 'second-slug', 'third-slug']) {
        expect(repository.storedClaim(slug)?.articleId).toBe(article.id);
      }
    });

    it('does not repeat a previous path when moving back and forth', async () => {
      await service.update(article.id, 1, { section: 'politics' });
      await service.update(article.id, 2, { section: 'bota' });
      const updated = await service.update(article.id, 3, { section: 'politics' });
      expect(updated.previousPaths).toEqual([`/bota/${NATURAL_SLUG}`]);
    });

    it('an edit that keeps its slug claims nothing', async () => {
      const callsBefore = repository.calls.length;
      await service.update(article.id, 1, { title: 'Same slug, new headline', section: 'politics' });
      expect(repository.calls.slice(callsBefore)).not.toContain('claimSlug');
    });

    it('a failed edit never gives up the slug the article already holds', async () => {
      repository.failNext('replace');
      await expect(service.update(article.id, 1, { title: 'Lost edit' })).rejects.toBeInstanceOf(
        InjectedFailure,
      );
      expect(repository.storedClaim(NATURAL_SLUG)?.articleId).toBe(article.id);
      const other = await asyncRefusal(service.create(input({ title: 'Other', slug: NATURAL_SLUG })));
      expect(other.code).toBe('slug_conflict');
    });

    it('releases a newly claimed slug when the write loses a race', async () => {
      repository.interleave('replace', () => {
        repository.seedArticle({ ...article, title: 'Theirs', version: 2 });
      });
      expect((await asyncRefusal(service.update(article.id, 1, { slug: 'rutte-nato' }))).status).toBe(412);
      expect(repository.storedClaim('rutte-nato')).toBeUndefined();
      expect(repository.storedClaim(NATURAL_SLUG)?.articleId).toBe(article.id);
    });

    it('keeps a slug it already held when the write loses a race', async () => {
      await service.update(article.id, 1, { slug: 'rutte-nato' });
      repository.interleave('replace', () => {
        repository.seedArticle({ ...article, slug: 'rutte-nato', version: 3 });
      });
      expect((await asyncRefusal(service.update(article.id, 2, { slug: NATURAL_SLUG }))).status).toBe(412);
      expect(repository.storedClaim(NATURAL_SLUG)?.articleId).toBe(article.id);
    });

    // A refused slug change must not keep the claim: its holder exists, so nothing would ever free it.
    it('a slug change refused for a missing imageAlt leaves no claim behind', async () => {
      await asyncRefusal(
        service.update(article.id, 1, { slug: 'with-image', imageUrl: 'https://images.example.com/a.jpg' }),
      );
      expect(repository.storedClaim('with-image')).toBeUndefined();
    });
    it('a slug change refused by the publication rules leaves no claim behind', async () => {
      await asyncRefusal(service.update(article.id, 1, { slug: 'rutte-nato', status: 'scheduled' }));
      expect(repository.storedClaim('rutte-nato')).toBeUndefined();
    });
  });

  describe('images', () => {
    it('refuses an imageUrl without an alt text with a 400 naming imageAlt', async () => {
      const error = await asyncRefusal(
        service.update(article.id, 1, { imageUrl: 'https://images.example.com/a.jpg' }),
      );
      expect(error.status).toBe(400);
      expect(error.details).toEqual([
        { field: 'imageAlt', message: 'imageAlt is required when imageUrl is given' },
      ]);
      expect(repository.storedArticle(article.id)?.version).toBe(1);
    });

    it('refuses clearing the alt text of an article that keeps its image', async () => {
      await service.update(article.id, 1, { imageUrl: 'https://images.example.com/a.jpg', imageAlt: 'Alt' });
      expect((await asyncRefusal(service.update(article.id, 2, { imageAlt: null }))).status).toBe(400);
    });

    it('accepts a new imageUrl when the stored alt text still applies', async () => {
      await service.update(article.id, 1, { imageUrl: 'https://images.example.com/a.jpg', imageAlt: 'Alt' });
      const updated = await service.update(article.id, 2, { imageUrl: 'https://images.example.com/b.jpg' });
      expect(updated).toMatchObject({ imageUrl: 'https://images.example.com/b.jpg', imageAlt: 'Alt' });
    });

    it('stores caption, credit and size with the image, and a patch of null clears each', async () => {
      const image = { imageUrl: 'https://images.example.com/a.jpg', imageAlt: 'Alt' };
      const withSize = await service.update(article.id, 1, {
        ...image,
        imageCaption: 'Leaders at the summit',
        imageCredit: 'Reuters',
        imageWidth: 1600,
        imageHeight: 900,
      });
      expect(withSize).toMatchObject({ imageCaption: 'Leaders at the summit', imageCredit: 'Reuters' });
      expect([withSize.imageWidth, withSize.imageHeight]).toEqual([1600, 900]);
      const cleared = await service.update(article.id, 2, {
        imageCaption: null,
        imageCredit: null,
        imageWidth: null,
        imageHeight: null,
      });
      expect(cleared).toMatchObject(image);
      for (const field of ['imageCaption', 'imageCredit', 'imageWidth', 'imageHeight'] as const) {
        expect(cleared[field]).toBeUndefined();
      }
    });

    it('refuses a width without a height, counting the stored one', async () => {
      const image = { imageUrl: 'https://images.example.com/a.jpg', imageAlt: 'Alt' };
      const error = await asyncRefusal(service.update(article.id, 1, { ...image, imageWidth: 1600 }));
      expect(error.status).toBe(400);
      expect(error.details).toEqual([
        { field: 'imageHeight', message: 'imageHeight is required with imageWidth' },
      ]);
      await service.update(article.id, 1, { ...image, imageWidth: 1600, imageHeight: 900 });
      const cleared = await asyncRefusal(service.update(article.id, 2, { imageHeight: null }));
      expect(cleared.details).toEqual([
        { field: 'imageHeight', message: 'imageHeight is required with imageWidth' },
      ]);
    });

    it('refuses removing the image while its size stays, and accepts removing all of it', async () => {
      const image = { imageUrl: 'https://images.example.com/a.jpg', imageAlt: 'Alt' };
      await service.update(article.id, 1, { ...image, imageWidth: 1600, imageHeight: 900 });
      const error = await asyncRefusal(service.update(article.id, 2, { imageUrl: null }));
      expect(error.details).toEqual([
        { field: 'imageWidth', message: 'imageWidth and imageHeight need an imageUrl' },
      ]);
      const updated = await service.update(article.id, 2, {
        imageUrl: null,
        imageWidth: null,
        imageHeight: null,
      });
      expect(updated.imageUrl).toBeUndefined();
    });

    it('clears the image and its alt text together', async () => {
      await service.update(article.id, 1, { imageUrl: 'https://images.example.com/a.jpg', imageAlt: 'Alt' });
      const updated = await service.update(article.id, 2, { imageUrl: null, imageAlt: null });
      expect(updated.imageUrl).toBeUndefined();
      expect(updated.imageAlt).toBeUndefined();
    });
  });

  describe('featured', () => {
    it('keeps the flag only while it is true: false and null both clear it', async () => {
      const created = await service.create(input({ title: 'Featured story', featured: true }));
      expect(created.featured).toBe(true);
      const kept = await service.update(created.id, 1, { title: 'Featured story, updated' });
      expect(kept.featured).toBe(true);
      const unset = await service.update(created.id, 2, { featured: false });
      expect(unset.featured).toBeUndefined();
      await service.update(created.id, 3, { featured: true });
      expect((await service.update(created.id, 4, { featured: null })).featured).toBeUndefined();
    });

    it('stores no flag for an article created with featured: false', async () => {
      const created = await service.create(input({ title: 'Ordinary story', featured: false }));
      expect('featured' in created && created.featured !== undefined).toBe(false);
    });
  });

  describe('status transitions', () => {
    it('publishes a draft now', async () => {
      const updated = await service.update(article.id, 1, { status: 'published' });
      expect(updated).toMatchObject({ status: 'published', publishedAt: at(MINUTE) });
    });

    it('keeps a published article published, with its date, through other edits', async () => {
      await service.update(article.id, 1, { status: 'published' });
      advance(HOUR);
      const updated = await service.update(article.id, 2, { title: 'Corrected headline' });
      expect(updated).toMatchObject({ status: 'published', publishedAt: at(MINUTE) });
    });

    it('unpublishes and republishes, keeping the first publication time', async () => {
      await service.update(article.id, 1, { status: 'published' });
      advance(HOUR);
      const unpublished = await service.update(article.id, 2, { status: 'unpublished' });
      expect(unpublished).toMatchObject({ status: 'unpublished', publishedAt: at(MINUTE) });
      advance(HOUR);
      const republished = await service.update(article.id, 3, { status: 'published' });
      expect(republished).toMatchObject({ status: 'published', publishedAt: at(MINUTE), version: 4 });
    });

    it('schedules a draft with a future publishAt', async () => {
      const updated = await service.update(article.id, 1, { status: 'scheduled', publishAt: at(2 * HOUR) });
      expect(updated).toMatchObject({ status: 'scheduled', publishAt: at(2 * HOUR) });
    });

    it('refuses to schedule without a future publishAt', async () => {
      const error = await asyncRefusal(service.update(article.id, 1, { status: 'scheduled' }));
      expect(error.status).toBe(400);
      expect(error.details?.[0]?.field).toBe('publishAt');
      expect(repository.storedArticle(article.id)?.status).toBe('draft');
    });

    it('keeps a scheduled article scheduled through edits before its time', async () => {
      await service.update(article.id, 1, { status: 'scheduled', publishAt: at(2 * HOUR) });
      const updated = await service.update(article.id, 2, { title: 'Embargoed headline' });
      expect(updated).toMatchObject({ status: 'scheduled', publishAt: at(2 * HOUR) });
    });

    it('publishes a scheduled article edited after its time, at its planned time', async () => {
      await service.update(article.id, 1, { status: 'scheduled', publishAt: at(2 * HOUR) });
      advance(3 * HOUR);
      const updated = await service.update(article.id, 2, { title: 'Late edit' });
      expect(updated).toMatchObject({ status: 'published', publishedAt: at(2 * HOUR) });
    });

    it('moves a scheduled article back to draft', async () => {
      await service.update(article.id, 1, { status: 'scheduled', publishAt: at(2 * HOUR) });
      const updated = await service.update(article.id, 2, { status: 'draft' });
      expect(updated.status).toBe('draft');
    });

    it('reschedules by moving publishAt', async () => {
      await service.update(article.id, 1, { status: 'scheduled', publishAt: at(2 * HOUR) });
      const updated = await service.update(article.id, 2, { publishAt: at(5 * HOUR) });
      expect(updated).toMatchObject({ status: 'scheduled', publishAt: at(5 * HOUR) });
    });

    it("an edit without a status never changes a draft's status", async () => {
      const edited = await service.update(article.id, 1, { title: 'Draft headline', publishAt: at(-HOUR) });
      expect(edited.status).toBe('draft');
      expect(edited.publishedAt).toBeUndefined();
      await service.update(article.id, 2, { publishAt: at(HOUR) });
      expect(repository.storedArticle(article.id)).toMatchObject({ status: 'draft', publishAt: at(HOUR) });
      expect(repository.storedArticle(article.id)?.publishedAt).toBeUndefined();
    });

    it('an edit without a status never brings an unpublished article back', async () => {
      await service.update(article.id, 1, { status: 'published' });
      await service.update(article.id, 2, { status: 'unpublished' });
      const edited = await service.update(article.id, 3, { title: 'Corrected while offline' });
      expect(edited).toMatchObject({ status: 'unpublished', publishedAt: at(MINUTE) });
    });

    // The rule (ArticleService.publicationAfterUpdate): without a status a live article stays live.
    it('an edit without a status keeps a live article live: a future publishAt is kept as data, never taking it offline', async () => {
      await service.update(article.id, 1, { status: 'published' });
      advance(HOUR);
      const edited = await service.update(article.id, 2, { publishAt: '2026-03-02T09:00:00+01:00' });
      expect(edited).toMatchObject({
        status: 'published',
        publishedAt: at(MINUTE),
        publishAt: '2026-03-02T08:00:00.000Z',
      });
      expect(repository.storedArticle(article.id)?.status).toBe('published');
      const cleared = await service.update(article.id, 3, { publishAt: null });
      expect(cleared).toMatchObject({ status: 'published', publishedAt: at(MINUTE) });
      expect(cleared.publishAt).toBeUndefined();
    });

    it('holds back a publish with a future publishAt as scheduled', async () => {
      const updated = await service.update(article.id, 1, { status: 'published', publishAt: at(2 * HOUR) });
      expect(updated.status).toBe('scheduled');
    });
  });
});

describe('ArticleService.delete', () => {
  it('answers 404 for an unknown article', async () => {
    expect((await asyncRefusal(service.delete('01JQ7Z9K3M4N5P6Q7R8S9TVWXY', 1))).status).toBe(404);
  });

  it('refuses a stale If-Match with 412 and keeps the article', async () => {
    const article = await service.create(input());
    await service.update(article.id, 1, { title: 'Two' });
    const error = await asyncRefusal(service.delete(article.id, 1));
    expect(error.status).toBe(412);
    expect(repository.storedArticle(article.id)).toBeDefined();
    expect(repository.storedClaim(NATURAL_SLUG)?.articleId).toBe(article.id);
  });

  it('deletes at the current version when no version is given, returning what was deleted', async () => {
    const article = await service.create(input());
    const deleted = await service.delete(article.id, undefined);
    expect(deleted.id).toBe(article.id);
    expect(repository.articleCount()).toBe(0);
  });

  it('answers 412 when another write lands between the read and the delete', async () => {
    const article = await service.create(input());
    repository.interleave('remove', () => {
      repository.seedArticle({ ...article, title: 'Theirs', version: 2 });
    });
    expect((await asyncRefusal(service.delete(article.id, 1))).status).toBe(412);
    expect(repository.storedArticle(article.id)?.title).toBe('Theirs');
  });

  it('releases every slug the article had, so new articles can take them', async () => {
    const article = await service.create(input());
    await service.update(article.id, 1, { slug: 'rutte-nato' });
    await service.update(article.id, 2, { section: 'politics' });
    await service.delete(article.id, 3);

    expect(repository.allClaims()).toEqual([]);
    expect((await service.create(input())).slug).toBe(NATURAL_SLUG);
    expect((await service.create(input({ title: 'Other', slug: 'rutte-nato' }))).slug).toBe('rutte-nato');
  });

  it('leaves other articles’ claims alone', async () => {
    const article = await service.create(input());
    const other = await service.create(input({ title: 'Other story' }));
    await service.delete(article.id, 1);
    expect(repository.allClaims()).toEqual([
      { slug: 'other-story', articleId: other.id, claimedAt: START.toISOString() },
    ]);
  });

  it('still succeeds when releasing a slug fails (the orphan claim is taken over later)', async () => {
    const article = await service.create(input());
    await service.update(article.id, 1, { slug: 'rutte-nato' });
    repository.failNext('releaseSlug');
    await service.delete(article.id, 2);
    expect(repository.articleCount()).toBe(0);
    expect(repository.allClaims()).toHaveLength(1);
  });
});

describe('ArticleService.delete without If-Match', () => {
  it('deletes even when an edit lands between the read and the delete, and releases the edited slugs', async () => {
    const article = await service.create(input());
    // An edit that lands just before the delete: a new version with a new slug (and the old one kept).
    repository.interleave('removeIfExists', async () => {
      await service.update(article.id, 1, { slug: 'rutte-nato' });
    });
    const deleted = await service.delete(article.id, undefined);
    expect(deleted).toMatchObject({ slug: 'rutte-nato', version: 2 });
    expect(repository.articleCount()).toBe(0);
    expect(repository.allClaims()).toEqual([]);
  });

  it('lets exactly one of two concurrent deletes succeed; the other is a 404, never a 412', async () => {
    const article = await service.create(input());
    const outcomes = await Promise.allSettled([
      service.delete(article.id, undefined),
      service.delete(article.id, undefined),
    ]);
    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
    const [failure] = outcomes.filter((outcome) => outcome.status === 'rejected');
    expect((failure as PromiseRejectedResult).reason).toMatchObject({ status: 404, code: 'not_found' });
    expect(repository.articleCount()).toBe(0);
  });

  it('answers 404 for an unknown or malformed id without touching storage', async () => {
    expect((await asyncRefusal(service.delete('01JQ7Z9K3M4N5P6Q7R8S9TVWXY', undefined))).status).toBe(404);
    const calls = repository.calls.length;
    expect((await asyncRefusal(service.delete('not-an-id', undefined))).status).toBe(404);
    expect(repository.calls.length).toBe(calls);
  });
});

describe('ArticleService.delete with If-Match', () => {
  it('answers 404, not 412, when a concurrent delete got there first', async () => {
    const article = await service.create(input());
    repository.interleave('remove', async () => {
      await repository.removeIfExists(article.id);
    });
    const error = await asyncRefusal(service.delete(article.id, 1));
    expect(error.status).toBe(404);
  });
});

describe('storage unavailable', () => {
  it('keeps the slug claim when an insert may or may not have happened (503), so no other article takes it', async () => {
    repository.failNext('insert', storageUnavailable());
    const error = await asyncRefusal(service.create(input()));
    expect(error).toMatchObject({ status: 503, code: 'service_unavailable' });
    expect(repository.calls).not.toContain('releaseSlug');
    expect(repository.allClaims()).toHaveLength(1);
  });

  it('lets a later create take over that claim once it is known to be abandoned', async () => {
    repository.failNext('insert', storageUnavailable());
    await asyncRefusal(service.create(input()));
    advance(ABANDONED_CLAIM_AFTER_MS + MINUTE);
    expect((await service.create(input())).slug).toBe(NATURAL_SLUG);
  });

  it('keeps a newly claimed slug when a replace may or may not have happened (503)', async () => {
    const article = await service.create(input());
    repository.failNext('replace', storageUnavailable());
    expect((await asyncRefusal(service.update(article.id, 1, { slug: 'rutte-nato' }))).status).toBe(503);
    expect(repository.storedClaim('rutte-nato')?.articleId).toBe(article.id);
  });

  it('still releases a new claim when the replace failed for another reason', async () => {
    const article = await service.create(input());
    repository.failNext('replace');
    await expect(service.update(article.id, 1, { slug: 'rutte-nato' })).rejects.toBeInstanceOf(
      InjectedFailure,
    );
    expect(repository.storedClaim('rutte-nato')).toBeUndefined();
  });

  it('passes a 503 from a read through unchanged', async () => {
    const article = await service.create(input());
    repository.failNext('get', storageUnavailable());
    expect((await asyncRefusal(service.get(article.id))).status).toBe(503);
    repository.failNext('removeIfExists', storageUnavailable());
    expect((await asyncRefusal(service.delete(article.id, undefined))).status).toBe(503);
    expect(repository.storedArticle(article.id)).toBeDefined();
  });
});

describe('the clock', () => {
  it.each(['2100-01-01T00:00:00.000Z', '1989-12-31T00:00:00.000Z'])(
    'refuses to store an instant of a clock reading %s, writing nothing',
    async (reading) => {
      now = new Date(reading);
      await expect(service.create(input({ status: 'published' }))).rejects.toThrow(RangeError);
      expect(repository.articleCount()).toBe(0);
      expect(repository.allClaims()).toEqual([]);
    },
  );
});

describe('stored publishAt from before the range rule', () => {
  it('is re-checked on an edit that keeps it, with a 400 naming publishAt, and changes nothing', async () => {
    const article = await service.create(input());
    repository.seedArticle({ ...article, publishAt: '+010000-01-01T04:59:59.000Z' });
    const error = await asyncRefusal(service.update(article.id, 1, { status: 'draft' }));
    expect(error.status).toBe(400);
    expect(error.details?.[0]?.field).toBe('publishAt');
    expect(repository.storedArticle(article.id)?.version).toBe(1);
    // Clearing it is the way out.
    expect((await service.update(article.id, 1, { publishAt: null })).publishAt).toBeUndefined();
  });
});

describe('stored publishAt from before the range rule, on a live article', () => {
  it('is re-checked on an edit without a status, with a 400 naming publishAt, and changes nothing', async () => {
    const article = await service.create(input({ status: 'published' }));
    repository.seedArticle({ ...article, publishAt: '+010000-01-01T04:59:59.000Z' });
    const error = await asyncRefusal(service.update(article.id, 1, { title: 'Corrected' }));
    expect(error.status).toBe(400);
    expect(error.details?.map((problem) => problem.field)).toEqual(['publishAt']);
    expect(repository.storedArticle(article.id)).toMatchObject({ title: TITLE, version: 1 });
  });
});

describe('ArticleService without a clock of its own', () => {
  it('stamps articles with the current time', async () => {
    const article = await atSystemTime('2027-01-15T08:00:00.000Z', () =>
      new ArticleService(repository).create(input({ status: 'published' })),
    );
    expect(article).toMatchObject({
      createdAt: '2027-01-15T08:00:00.000Z',
      publishedAt: '2027-01-15T08:00:00.000Z',
    });
  });
});

describe('abandoned slug claims', () => {
  it('takes over a claim older than the grace period whose article does not exist', async () => {
    orphanClaim('rutte-nato', ABANDONED_CLAIM_AFTER_MS + 1);
    const article = await service.create(input({ slug: 'rutte-nato' }));
    expect(article.slug).toBe('rutte-nato');
    expect(repository.storedClaim('rutte-nato')).toEqual({
      slug: 'rutte-nato',
      articleId: article.id,
      claimedAt: START.toISOString(),
    });
  });

  it('takes over an abandoned natural slug instead of disambiguating', async () => {
    orphanClaim(NATURAL_SLUG, HOUR);
    expect((await service.create(input())).slug).toBe(NATURAL_SLUG);
  });

  it('respects a claim within the grace period: a create may still be in flight', async () => {
    orphanClaim('rutte-nato', ABANDONED_CLAIM_AFTER_MS);
    expect((await asyncRefusal(service.create(input({ slug: 'rutte-nato' })))).status).toBe(409);
  });

  it('never takes over a claim whose article exists, however old', async () => {
    const holder = await service.create(input({ slug: 'rutte-nato' }));
    advance(30 * 24 * HOUR);
    expect((await asyncRefusal(service.create(input({ slug: 'rutte-nato' })))).status).toBe(409);
    expect(repository.storedClaim('rutte-nato')?.articleId).toBe(holder.id);
  });

  it('lets an update take over an abandoned claim', async () => {
    const article = await service.create(input());
    advance(MINUTE);
    orphanClaim('rutte-nato', HOUR);
    expect((await service.update(article.id, 1, { slug: 'rutte-nato' })).slug).toBe('rutte-nato');
    expect(repository.storedClaim('rutte-nato')?.articleId).toBe(article.id);
  });

  it('a slug claim is never left locked when an update fails, even one taken over from an abandoned claim', async () => {
    const article = await service.create(input());
    advance(MINUTE);
    orphanClaim('rutte-nato', HOUR);
    repository.failNext('replace');
    await expect(service.update(article.id, 1, { slug: 'rutte-nato' })).rejects.toBeInstanceOf(
      InjectedFailure,
    );
    // Another story can have the slug: nothing but the failed update ever held it.
    expect((await service.create(input({ title: 'Another story', slug: 'rutte-nato' }))).slug).toBe(
      'rutte-nato',
    );
  });

  it('gives up when someone else takes the claim over first', async () => {
    orphanClaim('rutte-nato', HOUR);
    repository.interleave('takeOverSlug', () => {
      repository.seedClaim({ slug: 'rutte-nato', articleId: 'SOMEONE-ELSE', claimedAt: START.toISOString() });
    });
    expect((await asyncRefusal(service.create(input({ slug: 'rutte-nato' })))).status).toBe(409);
    expect(repository.storedClaim('rutte-nato')?.articleId).toBe('SOMEONE-ELSE');
  });
});

describe('ArticleService.publishDue', () => {
  it('publishes only the scheduled articles whose time has come, at their planned time', async () => {
    const soon = await service.create(input({ title: 'Soon', status: 'scheduled', publishAt: at(HOUR) }));
    const later = await service.create(
      input({ title: 'Later', status: 'scheduled', publishAt: at(2 * HOUR) }),
    );
    const tomorrow = await service.create(
      input({ title: 'Tomorrow', status: 'scheduled', publishAt: at(24 * HOUR) }),
    );
    const draft = await service.create(input({ title: 'Draft', publishAt: at(HOUR) }));
    advance(3 * HOUR);

    expect(await service.publishDue()).toBe(2);

    for (const [article, publishAt] of [
      [soon, at(HOUR)],
      [later, at(2 * HOUR)],
    ] as const) {
      expect(repository.storedArticle(article.id)).toMatchObject({
        status: 'published',
        publishedAt: publishAt,
        updatedAt: at(3 * HOUR),
        version: 2,
      });
    }
    expect(repository.storedArticle(tomorrow.id)).toMatchObject({ status: 'scheduled', version: 1 });
    expect(repository.storedArticle(draft.id)).toMatchObject({ status: 'draft', version: 1 });
  });

  it('publishes nothing when nothing is due', async () => {
    await service.create(input({ status: 'scheduled', publishAt: at(HOUR) }));
    expect(await service.publishDue()).toBe(0);
  });

  it('publishes at most `limit` articles per run, oldest first', async () => {
    const first = await service.create(input({ title: 'First', status: 'scheduled', publishAt: at(HOUR) }));
    const second = await service.create(
      input({ title: 'Second', status: 'scheduled', publishAt: at(2 * HOUR) }),
    );
    advance(3 * HOUR);
    expect(await service.publishDue(1)).toBe(1);
    expect(repository.storedArticle(first.id)?.status).toBe('published');
    expect(repository.storedArticle(second.id)?.status).toBe('scheduled');
    expect(await service.publishDue(1)).toBe(1);
    expect(repository.storedArticle(second.id)?.status).toBe('published');
  });

  it('keeps the first publication time of an article scheduled for republication', async () => {
    const article = await service.create(input({ status: 'published' }));
    await service.update(article.id, 1, { status: 'unpublished' });
    await service.update(article.id, 2, { status: 'scheduled', publishAt: at(HOUR) });
    advance(2 * HOUR);
    expect(await service.publishDue()).toBe(1);
    expect(repository.storedArticle(article.id)).toMatchObject({
      status: 'published',
      publishedAt: START.toISOString(),
    });
  });

  it('skips an article edited meanwhile; the next run picks it up if still due', async () => {
    const article = await service.create(input({ status: 'scheduled', publishAt: at(HOUR) }));
    advance(2 * HOUR);
    repository.interleave('replace', () => {
      repository.seedArticle({ ...article, title: 'Edited', version: 2 });
    });
    expect(await service.publishDue()).toBe(0);
    expect(repository.storedArticle(article.id)).toMatchObject({ status: 'scheduled', title: 'Edited' });
    expect(await service.publishDue()).toBe(1);
  });

  it('skips an article listed as due that is gone or no longer scheduled', async () => {
    const gone = await service.create(input({ title: 'Gone', status: 'scheduled', publishAt: at(HOUR) }));
    const drafted = await service.create(
      input({ title: 'Drafted', status: 'scheduled', publishAt: at(HOUR) }),
    );
    advance(2 * HOUR);
    repository.interleave('get', async () => {
      await repository.remove(gone.id, 1);
      repository.seedArticle({ ...drafted, status: 'draft', version: 2 });
    });
    expect(await service.publishDue()).toBe(0);
    expect(repository.storedArticle(drafted.id)?.status).toBe('draft');
  });
});

describe('ArticleService.latest', () => {
  it('lists published articles newest first', async () => {
    const older = await service.create(input({ title: 'Older', status: 'published' }));
    advance(MINUTE);
    const newer = await service.create(input({ title: 'Newer', status: 'published' }));
    await service.create(input({ title: 'Draft' }));
    const page = await service.latest({ limit: 10 });
    expect(page.items.map((item) => item.id)).toEqual([newer.id, older.id]);
    expect(page.nextKey).toBeUndefined();
  });
});
