import type { Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { routeHandler, signedIn } from '../../../functions/http/route-handler';
import { refusal } from '../../support/refusal';
import { httpEvent } from './event';

const context = { functionName: 'flash-news-api' } as Context;

describe('signedIn (the caller of a route that names a role)', () => {
  it('is the caller the route let through', () => {
    const caller = { subject: 'user-1', username: 'jane', role: 'contributor' as const };
    expect(signedIn({ event: httpEvent(), context, caller })).toBe(caller);
  });

  it('answers 401, never a crash, should a request without a token reach it', () => {
    const error = refusal(() => signedIn({ event: httpEvent(), context, caller: undefined }));
    expect(error).toMatchObject({ status: 401, code: 'unauthorized' });
    expect(error.message).toMatch(/\w/);
  });
});

describe('routeHandler', () => {
  it('cannot be built for an optional route without a token verifier, so a sent token is never ignored', () => {
    const operation = async () => ({ statusCode: 200 });
    expect(() => routeHandler('GetArticle', operation)).toThrow();
    expect(() => routeHandler('GetArticle', operation, async () => ({}))).not.toThrow();
    expect(() => routeHandler('ListLatest', operation)).not.toThrow();
  });
});
