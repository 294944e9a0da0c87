import { beforeAll, describe, expect, it } from 'vitest';
import { createTokenVerifier, type TokenVerifier } from '../../../functions/auth/token-verifier';
import { optionalCaller, parseGroupsClaim, requireRole } from '../../../functions/http/editor-auth';
import { asyncRefusal } from '../../support/refusal';
import { AUDIENCE, createTestIssuer, EDITOR_CLAIMS, ISSUER, type TestIssuer } from '../auth/test-issuer';
import { httpEvent } from './event';

describe('parseGroupsClaim', () => {
  it.each<[string, unknown, string[]]>([
    ['the authorizer’s flattened array', '[editors admins]', ['editors', 'admins']],
    ['a flattened array of one', '[editors]', ['editors']],
    ['a flattened empty array', '[]', []],
    ['a JSON array', ['editors'], ['editors']],
    ['a JSON array with non-strings', ['editors', 3, null], ['editors']],
    ['a bare string, as one group', 'editors', ['editors']],
    ['undefined', undefined, []],
    ['null', null, []],
    ['a number', 42, []],
    ['an object', { editors: true }, []],
    ['an empty string', '', []],
  ])('reads %s', (_, value, groups) => {
    expect(parseGroupsClaim(value)).toEqual(groups);
  });

  it('does not mistake a group that merely contains the name', () => {
    expect(parseGroupsClaim('[editors-in-training]')).toEqual(['editors-in-training']);
  });

  // A single group whose name contains a separator is that one group, never `editors` too.
  it.each<[string, unknown, string[]]>([
    ['a comma-separated string', 'readers,editors', ['readers,editors']],
    ['a comma-and-space-separated string', 'readers, editors', ['readers, editors']],
    ['a space-separated string without brackets', 'readers editors', ['readers editors']],
    ['a tab-separated string', 'readers\teditors', ['readers\teditors']],
    ['a flattened array of one comma-separated name', '[readers,editors]', ['readers,editors']],
    ['a flattened form with padding outside', '  [readers editors]  ', ['  [readers editors]  ']],
    ['a flattened form with padding inside', '[ readers editors ]', ['[ readers editors ]']],
    ['a flattened form with double spaces', '[readers  editors]', ['[readers  editors]']],
    ['a flattened form without its closing bracket', '[readers editors', ['[readers editors']],
    ['a flattened form with a nested array', '[readers [editors]]', ['[readers [editors]]']],
    ['a flattened form with more after its closing bracket', '[a] editors]', ['[a] editors]']],
    ['a JSON array of one comma-separated name', ['readers,editors'], ['readers,editors']],
    ['a JSON array of one space-separated name', ['readers editors'], ['readers editors']],
    ['a JSON array holding a flattened form', ['[editors]'], ['[editors]']],
    ['a JSON array with a padded name', [' editors '], [' editors ']],
    ['a nested JSON array', ['readers', ['editors']], ['readers']],
    ['a JSON array with an object', [{ name: 'editors' }], []],
    ['a JSON array with a number and a boolean', [1, true], []],
  ])('never finds editors in %s', (_, value, groups) => {
    expect(parseGroupsClaim(value)).toEqual(groups);
    expect(parseGroupsClaim(value)).not.toContain('editors');
  });
});

describe("requireRole('editor')", () => {
  it('refuses an event without authorizer claims with 401', async () => {
    const error = await asyncRefusal(() => requireRole(httpEvent(), 'editor'));
    expect(error.status).toBe(401);
    expect(error.code).toBe('unauthorized');
  });

  it('refuses claims without a subject with 401', async () => {
    const error = await asyncRefusal(() =>
      requireRole(httpEvent({ claims: { 'cognito:groups': '[editors]' } }), 'editor'),
    );
    expect(error.status).toBe(401);
  });

  it.each([
    ['no groups', {}],
    ['other groups', { 'cognito:groups': '[readers contributors]' }],
    ['a look-alike group', { 'cognito:groups': '[editors-in-training]' }],
    ['one group named "readers,editors"', { 'cognito:groups': 'readers,editors' }],
    ['one group named "readers editors"', { 'cognito:groups': 'readers editors' }],
    ['a flattened group named "readers,editors"', { 'cognito:groups': '[readers,editors]' }],
    ['a padded flattened form', { 'cognito:groups': ' [readers editors]' }],
    ['one group named "[a] editors]"', { 'cognito:groups': '[a] editors]' }],
  ])('refuses claims with %s with 403', async (_, extra) => {
    const error = await asyncRefusal(() =>
      requireRole(httpEvent({ claims: { sub: 'user-1', ...extra } }), 'editor'),
    );
    expect(error.status).toBe(403);
    expect(error.code).toBe('forbidden');
  });

  it('accepts an editor, from claims flattened by the authorizer', () => {
    const event = httpEvent({
      claims: { sub: 'user-1', 'cognito:username': 'jane', 'cognito:groups': '[admins editors]' },
    });
    expect(requireRole(event, 'editor')).toEqual({ subject: 'user-1', username: 'jane', role: 'admin' });
  });

  it('refuses claims whose subject is not a string with 401', async () => {
    const claims = { sub: 42, 'cognito:groups': '[editors]' } as unknown as Record<string, string>;
    const error = await asyncRefusal(() => requireRole(httpEvent({ claims }), 'editor'));
    expect(error.status).toBe(401);
  });

  it('refuses an event whose authorizer carries no JWT claims with 401', async () => {
    const event = httpEvent();
    const withOtherAuthorizer = {
      ...event,
      requestContext: { ...event.requestContext, authorizer: { lambda: { sub: 'user-1' } } },
    } as typeof event;
    const error = await asyncRefusal(() => requireRole(withOtherAuthorizer, 'editor'));
    expect(error.status).toBe(401);
  });

  it('gives no username when the claim is not a string', () => {
    const claims = { sub: 'user-1', 'cognito:username': 7, 'cognito:groups': '[editors]' };
    const event = httpEvent({ claims: claims as unknown as Record<string, string> });
    expect(requireRole(event, 'editor')).toEqual({ subject: 'user-1', username: undefined, role: 'editor' });
  });

  it('falls back to the username claim of access tokens', () => {
    const event = httpEvent({ claims: { sub: 'user-1', username: 'jane', 'cognito:groups': '[editors]' } });
    expect(requireRole(event, 'editor').username).toBe('jane');
  });
});

describe('optionalCaller', () => {
  let issuer: TestIssuer;
  let verify: TokenVerifier;

  beforeAll(async () => {
    issuer = await createTestIssuer();
    verify = createTokenVerifier({ issuer: ISSUER, audience: AUDIENCE, keys: issuer.keys });
  });

  const withAuthorization = (value: string) =>
    httpEvent({ method: 'GET', headers: { authorization: value } });

  it('is undefined for an anonymous caller', async () => {
    expect(await optionalCaller(httpEvent({ method: 'GET' }), verify)).toBeUndefined();
  });

  it.each(['Basic dXNlcjpwYXNz', 'Bearer', 'token-without-scheme', ''])(
    'refuses the malformed Authorization %j with 401',
    async (value) => {
      const error = await asyncRefusal(() => optionalCaller(withAuthorization(value), verify));
      expect(error.status).toBe(401);
    },
  );

  it('refuses an invalid token with 401', async () => {
    const error = await asyncRefusal(() => optionalCaller(withAuthorization('Bearer not.a.token'), verify));
    expect(error.status).toBe(401);
    expect(error.message).toBe('The bearer token is invalid or expired');
  });

  it('refuses an expired token with 401', async () => {
    const token = await issuer.sign(EDITOR_CLAIMS, { expiresIn: Math.floor(Date.now() / 1000) - 60 });
    expect(
      (await asyncRefusal(() => optionalCaller(withAuthorization(`Bearer ${token}`), verify))).status,
    ).toBe(401);
  });

  it('returns the caller of a valid editor token', async () => {
    const token = await issuer.sign(EDITOR_CLAIMS);
    expect(await optionalCaller(withAuthorization(`Bearer ${token}`), verify)).toEqual({
      subject: 'editor-1',
      username: 'jane',
      role: 'editor',
    });
  });

  it('finds the header whatever its case', async () => {
    const token = await issuer.sign(EDITOR_CLAIMS);
    const event = httpEvent({ method: 'GET', headers: { Authorization: `Bearer ${token}` } });
    expect((await optionalCaller(event, verify))?.subject).toBe('editor-1');
  });

  it.each<[string, unknown]>([
    ['a comma-separated string', 'readers,editors'],
    ['a space-separated string', 'readers editors'],
    ['the flattened form as a string claim, padded', ' [readers editors] '],
    ['an array of one comma-separated name', ['readers,editors']],
    ['an array of one space-separated name', ['readers editors']],
    ['a nested array', ['readers', ['editors']]],
    ['an array of objects', [{ group: 'editors' }]],
  ])('takes a valid token whose groups are %s for a reader, with no role', async (_, groups) => {
    const token = await issuer.sign({ ...EDITOR_CLAIMS, 'cognito:groups': groups });
    expect((await optionalCaller(withAuthorization(`Bearer ${token}`), verify))?.role).toBeUndefined();
  });

  it('refuses a token issued in the future (iat beyond the clock skew) with 401', async () => {
    const token = await issuer.sign(EDITOR_CLAIMS, { issuedAt: Math.floor(Date.now() / 1000) + 3600 });
    const error = await asyncRefusal(() => optionalCaller(withAuthorization(`Bearer ${token}`), verify));
    expect(error.status).toBe(401);
  });

  it('takes a valid token of a user in no newsroom group for a reader, with no role', async () => {
    const token = await issuer.sign({ 'cognito:groups': ['readers'] });
    const caller = await optionalCaller(withAuthorization(`Bearer ${token}`), verify);
    expect(caller).toMatchObject({ subject: expect.any(String), role: undefined });
  });

  it('refuses a valid token without a subject with 401', async () => {
    const token = await issuer.sign(EDITOR_CLAIMS, { subject: null });
    expect(
      (await asyncRefusal(() => optionalCaller(withAuthorization(`Bearer ${token}`), verify))).status,
    ).toBe(401);
  });

  it('refuses a malformed Authorization header with 401 even while the verifier is failing', async () => {
    const broken: TokenVerifier = async () => {
      throw new Error('key set unavailable');
    };
    const error = await asyncRefusal(() => optionalCaller(withAuthorization('Basic dXNlcjpwYXNz'), broken));
    expect(error.status).toBe(401);
  });

  it('tells the caller why it refuses, whatever the reason', async () => {
    const refusals = await Promise.all([
      asyncRefusal(() => requireRole(httpEvent(), 'editor')),
      asyncRefusal(() => requireRole(httpEvent({ claims: { 'cognito:groups': '[editors]' } }), 'editor')),
      asyncRefusal(() => requireRole(httpEvent({ claims: { sub: 'user-1' } }), 'editor')),
      asyncRefusal(() => optionalCaller(withAuthorization('Basic dXNlcjpwYXNz'), verify)),
      asyncRefusal(() => optionalCaller(withAuthorization('Bearer not.a.token'), verify)),
      asyncRefusal(() =>
        requireRole(httpEvent({ claims: { sub: 'user-1', 'cognito:groups': '[editors]' } }), 'admin'),
      ),
    ]);
    for (const error of refusals) expect(error.message).toMatch(/\w/);
  });

  it('lets a failure of the verifier itself through, to become a 500', async () => {
    const broken: TokenVerifier = async () => {
      throw new Error('key set unavailable');
    };
    await expect(optionalCaller(withAuthorization('Bearer a.b.c'), broken)).rejects.toThrow(
      'key set unavailable',
    );
  });
});
