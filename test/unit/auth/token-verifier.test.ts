import { generateKeyPair, SignJWT } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  bearerToken,
  createTokenVerifier,
  InvalidTokenError,
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
