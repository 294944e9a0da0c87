import { monotonicFactory } from 'ulid';

/** ULIDs sort by creation time and carry 80 random bits, so ids never collide across functions. */
const nextUlid = monotonicFactory();

export const ARTICLE_ID_PATTERN = /^[0-9A-HJKMNP-TV-Z]{26}$/;

export function newArticleId(now: Date): string {
  return nextUlid(now.getTime());
}

export function isArticleId(value: string): boolean {
  return ARTICLE_ID_PATTERN.test(value);
}
