import { beforeEach, describe, expect, it } from 'vitest';
import { ARTICLE_STATUSES, type ArticleStatus } from '../../../functions/domain/article';
import { assertMayCreate, assertMayEdit, mayRead } from '../../../functions/domain/article-access';
import type { CreateArticleInput } from '../../../functions/domain/article-input';
import { ArticleService } from '../../../functions/domain/article-service';
import { type Caller, hasRole, ROLES, roleOfGroups } from '../../../functions/domain/roles';
import { InMemoryArticleRepository } from '../../support/in-memory-article-repository';
import { asyncRefusal } from '../../support/refusal';

const contributor: Caller = { subject: 'contributor-1', role: 'contributor' };
const otherContributor: Caller = { subject: 'contributor-2', role: 'contributor' };
const editor: Caller = { subject: 'editor-1', role: 'editor' };
const admin: Caller = { subject: 'admin-1', role: 'admin' };
const reader: Caller = { subject: 'reader-1' };

const NOT_LIVE = ARTICLE_STATUSES.filter((status) => status !== 'published');
const CONTRIBUTOR_WORK: readonly ArticleStatus[] = ['draft', 'review'];
const EDITORS_ONLY = ARTICLE_STATUSES.filter((status) => !CONTRIBUTOR_WORK.includes(status));

const own = (status: ArticleStatus) => ({ status, createdBy: contributor.subject });

describe('roles', () => {
  it('rank contributor < editor < admin, each holding the rights of the ones below', () => {
    expect(ROLES.map((role) => ROLES.filter((least) => hasRole(role, least)))).toEqual([
      ['contributor'],
      ['contributor', 'editor'],
      ['contributor', 'editor', 'admin'],
    ]);
    for (const least of ROLES) expect(hasRole(undefined, least)).toBe(false);
  });

  it.each<[string[], string | undefined]>([
    [['contributors'], 'contributor'],
    [['editors'], 'editor'],
    [['admins'], 'admin'],
    [['contributors', 'admins', 'editors'], 'admin'],
    [['editors', 'contributors'], 'editor'],
    [['readers'], undefined],
    [['administrators', 'editor', 'Editors'], undefined],
    [[], undefined],
  ])('the groups %j grant the role %s', (groups, role) => {
    expect(roleOfGroups(groups)).toBe(role);
  });
});

describe('mayRead', () => {
  it('lets anyone read a live article', () => {
    for (const caller of [undefined, reader, contributor, otherContributor, editor, admin]) {
      expect(mayRead({ status: 'published' }, caller)).toBe(true);
    }
  });

  it.each(NOT_LIVE)('shows a %s article to editors, admins and its own contributor only', (status) => {
    expect(mayRead(own(status), editor)).toBe(true);
    expect(mayRead(own(status), admin)).toBe(true);
    expect(mayRead(own(status), contributor)).toBe(true);
    expect(mayRead(own(status), otherContributor)).toBe(false);
    expect(mayRead(own(status), reader)).toBe(false);
    expect(mayRead(own(status), undefined)).toBe(false);
  });

  it('gives a reader whose subject happens to match no contributor rights', () => {
    expect(mayRead(own('draft'), { subject: contributor.subject })).toBe(false);
  });

  it('treats an article without createdBy (older data) as no contributor’s', () => {
    expect(mayRead({ status: 'draft' }, contributor)).toBe(false);
    expect(mayRead({ status: 'draft' }, editor)).toBe(true);
  });
});

describe('assertMayCreate', () => {
  it.each(CONTRIBUTOR_WORK)('lets a contributor create a %s article', (status) => {
    expect(() => assertMayCreate(contributor, status)).not.toThrow();
  });

  it.each(EDITORS_ONLY)('refuses a contributor a %s article with 403', (status) => {
    expect(() => assertMayCreate(contributor, status)).toThrow(expect.objectContaining({ status: 403 }));
  });

  it('lets editors and admins create in any status, and a reader in none', () => {
    for (const status of ARTICLE_STATUSES) {
      expect(() => assertMayCreate(editor, status)).not.toThrow();
      expect(() => assertMayCreate(admin, status)).not.toThrow();
      expect(() => assertMayCreate(reader, status)).toThrow(expect.objectContaining({ code: 'forbidden' }));
    }
  });
});

describe('assertMayEdit', () => {
  it.each(CONTRIBUTOR_WORK)(
    'lets a contributor edit their own %s article, keeping it unpublished',
    (status) => {
      expect(() => assertMayEdit(contributor, own(status), undefined)).not.toThrow();
      for (const next of CONTRIBUTOR_WORK)
        expect(() => assertMayEdit(contributor, own(status), next)).not.toThrow();
    },
  );

  it.each(EDITORS_ONLY)('refuses a contributor the status %s with 403', (next) => {
    expect(() => assertMayEdit(contributor, own('draft'), next)).toThrow(
      expect.objectContaining({ status: 403 }),
    );
  });

  it.each(EDITORS_ONLY)('refuses a contributor any change to their own %s article with 403', (status) => {
    expect(() => assertMayEdit(contributor, own(status), 'draft')).toThrow(
      expect.objectContaining({ status: 403 }),
    );
  });

  it('answers 404 for a draft that is not theirs, 403 for a live article that is not theirs', () => {
    expect(() => assertMayEdit(otherContributor, own('draft'), undefined)).toThrow(
      expect.objectContaining({ status: 404 }),
    );
    expect(() => assertMayEdit(contributor, { status: 'review' }, undefined)).toThrow(
      expect.objectContaining({ status: 404 }),
    );
    expect(() => assertMayEdit(otherContributor, own('published'), undefined)).toThrow(
      expect.objectContaining({ status: 403 }),
    );
  });

  it('lets editors and admins change anything to anything', () => {
    for (const status of ARTICLE_STATUSES) {
      for (const next of [undefined, ...ARTICLE_STATUSES]) {
        expect(() => assertMayEdit(editor, own(status), next)).not.toThrow();
        expect(() => assertMayEdit(admin, { status }, next)).not.toThrow();
      }
    }
  });

  it('refuses a reader even on a live article', () => {
    expect(() => assertMayEdit(reader, { status: 'published' }, undefined)).toThrow(
      expect.objectContaining({ status: 403 }),
    );
  });
});

describe('ArticleService with a caller', () => {
  let repository: InMemoryArticleRepository;
  let service: ArticleService;
  const story = (overrides: Partial<CreateArticleInput> = {}): CreateArticleInput => ({
    title: 'Council votes on the new bridge',
    section: 'bota',
    body: 'The vote is on Friday.',
    ...overrides,
  });

  beforeEach(() => {
    repository = new InMemoryArticleRepository();
    service = new ArticleService(repository, () => new Date('2026-03-01T12:00:00.000Z'));
  });

  it('stores who created an article, and nobody for the newsroom’s own tools', async () => {
    expect((await service.create(story(), contributor)).createdBy).toBe(contributor.subject);
    expect((await service.create(story())).createdBy).toBeUndefined();
  });

  it('refuses a contributor’s publish before claiming a slug', async () => {
    const error = await asyncRefusal(
      service.create(story({ status: 'published', slug: 'bridge' }), contributor),
    );
    expect(error.status).toBe(403);
    expect((await service.create(story({ slug: 'bridge' }), editor)).slug).toBe('bridge');
  });

  it('lets a contributor submit their draft for review, then no more once an editor published it', async () => {
    const draft = await service.create(story(), contributor);
    const inReview = await service.update(draft.id, 1, { status: 'review' }, contributor);
    expect(inReview.status).toBe('review');
    const published = await service.update(draft.id, 2, { status: 'published' }, editor);
    const error = await asyncRefusal(
      service.update(draft.id, published.version, { title: 'Mine' }, contributor),
    );
    expect(error.status).toBe(403);
    expect((await service.get(draft.id)).title).toBe(story().title);
  });

  it('keeps a review article in review when its contributor edits it without a status', async () => {
    const draft = await service.create(story({ status: 'review' }), contributor);
    expect((await service.update(draft.id, 1, { title: 'Sharper title' }, contributor)).status).toBe(
      'review',
    );
  });

  it('reads a draft only for its contributor and editors', async () => {
    const draft = await service.create(story(), contributor);
    expect((await service.read(draft.id, contributor)).id).toBe(draft.id);
    expect((await service.read(draft.id, editor)).id).toBe(draft.id);
    for (const caller of [undefined, reader, otherContributor]) {
      expect((await asyncRefusal(service.read(draft.id, caller))).status).toBe(404);
    }
  });
});
