import { generateKeyPair, SignJWT } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  bearerToken,
  createTokenVerifier,
  InvalidTokenError,
  MAX_CLOCK_SKEW_SECONDS,
  type TokenVerifier,
} from '../../../functions/auth/token-verifier';
import { AUDIENCE, createTestIssuer, EDITOR_CLAIMS, ISSUER, type TestIssuer } from './test-issuer';

let issuer: TestIssuer;
let verify: TokenVerifier;

beforeAll(async () => {
  issuer = await createTestIssuer();
  verify = createTokenVerifier({ issuer: ISSUER, audience: AUDIENCE, keys: issuer.keys });
});

const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const inAnHour = () => Math.floor(Date.now() / 1000) + 3600;

describe('createTokenVerifier', () => {
  it('accepts a valid ID token and returns its claims', async () => {
    const payload = await verify(await issuer.sign(EDITOR_CLAIMS));
    expect(payload).toMatchObject({
      iss: ISSUER,
      aud: AUDIENCE,
      sub: 'editor-1',
      'cognito:groups': ['editors'],
      'cognito:username': 'jane',
    });
  });

  it('accepts an audience list that contains the client', async () => {
    const payload = await verify(
      await issuer.sign({ aud: ['another-client', AUDIENCE] }, { audience: null }),
    );
    expect(payload.aud).toEqual(['another-client', AUDIENCE]);
  });

  it('accepts an access token that names the client in client_id instead of aud', async () => {
    const token = await issuer.sign(
      { client_id: AUDIENCE, token_use: 'access', scope: 'aws.cognito.signin.user.admin' },
      { audience: null },
    );
    expect((await verify(token)).client_id).toBe(AUDIENCE);
  });

  it('refuses a token from another issuer', async () => {
    const token = await issuer.sign(EDITOR_CLAIMS, { issuer: 'https://evil.example.com' });
    await expect(verify(token)).rejects.toThrow(/"iss"/);
    await expect(verify(token)).rejects.toBeInstanceOf(InvalidTokenError);
  });

  it('refuses a token for another audience', async () => {
    await expect(verify(await issuer.sign(EDITOR_CLAIMS, { audience: 'other-client' }))).rejects.toThrow(
      'token was not issued for this audience',
    );
  });

  it('refuses an access token for another client', async () => {
    const token = await issuer.sign({ client_id: 'other-client', token_use: 'access' }, { audience: null });
    await expect(verify(token)).rejects.toBeInstanceOf(InvalidTokenError);
  });

  it('refuses a token with neither aud nor client_id', async () => {
    await expect(verify(await issuer.sign(EDITOR_CLAIMS, { audience: null }))).rejects.toBeInstanceOf(
      InvalidTokenError,
    );
  });

  it('refuses an expired token', async () => {
    const token = await issuer.sign(EDITOR_CLAIMS, { expiresIn: Math.floor(Date.now() / 1000) - 60 });
    await expect(verify(token)).rejects.toBeInstanceOf(InvalidTokenError);
    await expect(verify(token)).rejects.toThrow(/"exp"/);
  });

  it('refuses a token without an expiry', async () => {
    await expect(verify(await issuer.sign(EDITOR_CLAIMS, { expiresIn: null }))).rejects.toBeInstanceOf(
      InvalidTokenError,
    );
  });

  it('refuses a token that is not valid yet', async () => {
    await expect(verify(await issuer.sign(EDITOR_CLAIMS, { notBefore: inAnHour() }))).rejects.toBeInstanceOf(
      InvalidTokenError,
    );
  });

  it('refuses a token signed with another key under the same key id', async () => {
    const { privateKey } = await generateKeyPair('ES256');
    const token = await new SignJWT(EDITOR_CLAIMS)
      .setProtectedHeader({ alg: 'ES256', kid: 'test-key' })
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setSubject('editor-1')
      .setExpirationTime('1h')
      .sign(privateKey);
    await expect(verify(token)).rejects.toBeInstanceOf(InvalidTokenError);
  });

  it('refuses a token whose claims were edited after signing', async () => {
    const [header, , signature] = (await issuer.sign({ 'cognito:groups': ['readers'] })).split('.');
    const edited = base64url({
      iss: ISSUER,
      aud: AUDIENCE,
      sub: 'editor-1',
      exp: inAnHour(),
      'cognito:groups': ['editors'],
    });
    await expect(verify(`${header}.${edited}.${signature}`)).rejects.toBeInstanceOf(InvalidTokenError);
  });

  it('refuses an unsigned token (alg none)', async () => {
    const header = base64url({ alg: 'none', typ: 'JWT' });
    const payload = base64url({
      ...EDITOR_CLAIMS,
      iss: ISSUER,
      aud: AUDIENCE,
      sub: 'editor-1',
      exp: inAnHour(),
    });
    await expect(verify(`${header}.${payload}.`)).rejects.toBeInstanceOf(InvalidTokenError);
  });

  it('refuses a token signed with a symmetric algorithm', async () => {
    const token = await new SignJWT(EDITOR_CLAIMS)
      .setProtectedHeader({ alg: 'HS256', kid: 'test-key' })
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode('a-shared-secret-of-thirty-two-bytes!'));
    await expect(verify(token)).rejects.toBeInstanceOf(InvalidTokenError);
  });

  it.each(['', 'garbage', 'a.b.c', 'a.b'])('refuses the malformed token %j', async (token) => {
    await expect(verify(token)).rejects.toBeInstanceOf(InvalidTokenError);
  });
});

describe('time claims', () => {
  // A fixed clock, so nothing depends on how long the test takes.
  const NOW = new Date('2026-03-01T12:00:00.000Z');
  const nowSeconds = NOW.getTime() / 1000;
  let verifyAt: TokenVerifier;

  beforeAll(() => {
    verifyAt = createTokenVerifier({
      issuer: ISSUER,
      audience: AUDIENCE,
      keys: issuer.keys,
      clock: () => NOW,
    });
  });

  const signed = (options: { issuedAt?: number | null; notBefore?: number }) =>
    issuer.sign(EDITOR_CLAIMS, { issuedAt: nowSeconds, expiresIn: nowSeconds + 3600, ...options });

  it.each([
    ['now', 0],
    ['an hour ago', -3600],
    ['a little ahead of our clock (skew)', 30],
    ['exactly the allowed skew ahead', MAX_CLOCK_SKEW_SECONDS],
  ])('accepts a token issued %s', async (_, offset) => {
    await expect(verifyAt(await signed({ issuedAt: nowSeconds + offset }))).resolves.toMatchObject({
      iat: nowSeconds + offset,
    });
  });

  it.each([
    ['a second past the allowed skew', MAX_CLOCK_SKEW_SECONDS + 1],
    ['an hour ahead', 3600],
    ['a year ahead', 365 * 86_400],
  ])('refuses a token issued in the future: %s', async (_, offset) => {
    const token = await signed({ issuedAt: nowSeconds + offset });
    await expect(verifyAt(token)).rejects.toBeInstanceOf(InvalidTokenError);
    await expect(verifyAt(token)).rejects.toThrow('token was issued in the future ("iat")');
  });

  it('accepts a token without iat (it is optional, as for API Gateway)', async () => {
    const payload = await verifyAt(await signed({ issuedAt: null }));
    expect(payload.iat).toBeUndefined();
  });

  it('refuses an iat that is not a number', async () => {
    const token = await issuer.sign({ ...EDITOR_CLAIMS, iat: '1772366400' } as never, {
      issuedAt: null,
      expiresIn: nowSeconds + 3600,
    });
    await expect(verifyAt(token)).rejects.toBeInstanceOf(InvalidTokenError);
  });

  it('honours nbf: refused before it, to the second, and accepted from it on', async () => {
    await expect(verifyAt(await signed({ notBefore: nowSeconds + 1 }))).rejects.toThrow(/"nbf"/);
    await expect(verifyAt(await signed({ notBefore: nowSeconds }))).resolves.toBeDefined();
    await expect(verifyAt(await signed({ notBefore: nowSeconds - 60 }))).resolves.toBeDefined();
  });

  it('refuses a token that expires at this second', async () => {
    const token = await issuer.sign(EDITOR_CLAIMS, { issuedAt: nowSeconds - 60, expiresIn: nowSeconds });
    await expect(verifyAt(token)).rejects.toThrow(/"exp"/);
  });
});

describe('bearerToken', () => {
  it.each([
    ['Bearer abc.def.ghi', 'abc.def.ghi'],
    ['bearer abc', 'abc'],
    ['BEARER   abc  ', 'abc'],
  ])('reads %j', (header, token) => {
    expect(bearerToken(header)).toBe(token);
  });

  it.each([
    undefined,
    '',
    'Bearer',
    'Bearer ',
    'Basic dXNlcjpwYXNz',
    'Bearer two tokens',
    'abc.def.ghi',
    'Bearerabc',
  ])('finds no token in %j', (header) => {
    expect(bearerToken(header)).toBeUndefined();
  });
});
