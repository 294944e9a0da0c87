import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { type CursorKey, decodeCursor, encodeCursor } from '../../../functions/domain/cursor';
import { AppError } from '../../../functions/domain/errors';

const secret = 'test-cursor-secret';
const key: CursorKey = {
  pk: 'ARTICLE#01JQ7Z9K3M4N5P6Q7R8S9TVWXY',
  latestSk: '2026-03-01T12:00:00.000Z#01JQ',
  n: 3,
};

function expectInvalid(action: () => unknown): void {
  let caught: unknown;
  try {
    action();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(AppError);
  expect((caught as AppError).code).toBe('invalid_cursor');
  expect((caught as AppError).status).toBe(400);
  expect((caught as AppError).message, 'a refusal says why').not.toBe('');
}

/** Replaces one base64url character with another that changes the decoded bytes. */
function flipCharacter(text: string, index: number): string {
  const current = text[index];
  const replacement = current === 'A' ? 'Q' : 'A';
  return `${text.slice(0, index)}${replacement}${text.slice(index + 1)}`;
}

describe('cursors', () => {
  it('round-trips the key for the same query', () => {
    expect(decodeCursor(encodeCursor(key, '*', secret), '*', secret)).toEqual(key);
    expect(decodeCursor(encodeCursor(key, 'bota', secret), 'bota', secret)).toEqual(key);
  });

  it('is opaque and URL-safe', () => {
    const cursor = encodeCursor(key, 'bota', secret);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(cursor).not.toContain('ARTICLE#');
  });

  it('refuses a cursor whose payload was edited', () => {
    const [data, signature] = encodeCursor(key, '*', secret).split('.') as [string, string];
    const forged = Buffer.from(JSON.stringify({ v: 1, q: '*', k: { ...key, n: 4 } })).toString('base64url');
    expectInvalid(() => decodeCursor(`${forged}.${signature}`, '*', secret));
    expectInvalid(() => decodeCursor(`${flipCharacter(data, 5)}.${signature}`, '*', secret));
  });

  it('refuses a cursor whose signature was edited, shortened or dropped', () => {
    const [data, signature] = encodeCursor(key, '*', secret).split('.') as [string, string];
    expectInvalid(() => decodeCursor(`${data}.${flipCharacter(signature, 0)}`, '*', secret));
    expectInvalid(() => decodeCursor(`${data}.${signature.slice(0, -4)}`, '*', secret));
    expectInvalid(() => decodeCursor(`${data}.`, '*', secret));
    expectInvalid(() => decodeCursor(data, '*', secret));
  });

  it('refuses a cursor signed with another secret', () => {
    expectInvalid(() => decodeCursor(encodeCursor(key, '*', 'another-secret'), '*', secret));
  });

  it('refuses a cursor made for another query', () => {
    expectInvalid(() => decodeCursor(encodeCursor(key, 'bota', secret), 'sport', secret));
    expectInvalid(() => decodeCursor(encodeCursor(key, 'bota', secret), '*', secret));
    expectInvalid(() => decodeCursor(encodeCursor(key, '*', secret), 'bota', secret));
  });

  it.each(['', '.', '..', 'garbage', 'a.b', 'a.b.c', '%%%.%%%', '{"v":1}', 'x'.repeat(2048)])(
    'refuses the garbage cursor %j',
    (cursor) => {
      expectInvalid(() => decodeCursor(cursor, '*', secret));
    },
  );

  it('has exactly one form per page: the same signature with base64 padding is refused', () => {
    const cursor = encodeCursor(key, '*', secret);
    expect(decodeCursor(cursor, '*', secret)).toEqual(key);
    expectInvalid(() => decodeCursor(`${cursor}=`, '*', secret));
  });

  it('refuses a cursor with an extra segment', () => {
    expectInvalid(() => decodeCursor(`${encodeCursor(key, '*', secret)}.extra`, '*', secret));
  });

  it.each([
    ['not JSON', 'not json'],
    ['of another version', JSON.stringify({ v: 2, q: '*', k: key })],
    ['without a key', JSON.stringify({ v: 1, q: '*', k: null })],
    ['with a key that is not an object', JSON.stringify({ v: 1, q: '*', k: 'ARTICLE#01JQ' })],
    ['without a query', JSON.stringify({ v: 1, k: key })],
  ])('refuses a correctly signed payload that is %s', (_, payload) => {
    // Only a holder of the secret could make these; they are refused all the same.
    const data = Buffer.from(payload).toString('base64url');
    const signature = createHmac('sha256', secret).update(data).digest('base64url');
    expectInvalid(() => decodeCursor(`${data}.${signature}`, '*', secret));
  });

  it('signs with HMAC-SHA256 over the encoded payload', () => {
    const cursor = encodeCursor(key, '*', secret);
    const [data, signature] = cursor.split('.') as [string, string];
    expect(signature).toBe(createHmac('sha256', secret).update(data).digest('base64url'));
    expect(JSON.parse(Buffer.from(data, 'base64url').toString('utf8'))).toEqual({ v: 1, q: '*', k: key });
  });
});
