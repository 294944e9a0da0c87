import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import {
  checkPreviewToken,
  derivePreviewKey,
  MAX_PREVIEW_TOKEN_LENGTH,
  mintPreviewToken,
  PREVIEW_LINK_LIFETIME_SECONDS,
  PREVIEW_TOKEN_AUDIENCE,
  PREVIEW_TOKEN_ISSUER,
} from '../../../functions/auth/preview-token';
import { LOCAL_AUDIENCE, LOCAL_ISSUER } from '../../../local/local-issuer';
import { AUDIENCE as EDITOR_AUDIENCE, ISSUER as EDITOR_ISSUER } from './test-issuer';

const SECRET = 'a-cursor-secret-of-enough-length';
const key = derivePreviewKey(SECRET);
const grant = { articleId: '01JDXYZABCDEFGHJKMNPQRSTVW', version: 3 };
const NOW = new Date('2026-12-01T12:00:00.000Z');
const secondsAfter = (seconds: number) => new Date(NOW.getTime() + seconds * 1000);
const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** A preview token's claims, valid for an hour from NOW, with any of them replaced. */
function claimsOf(overrides: Record<string, unknown> = {}) {
  const now = Math.floor(NOW.getTime() / 1000);
  return {
    iss: PREVIEW_TOKEN_ISSUER,
    aud: PREVIEW_TOKEN_AUDIENCE,
    sub: grant.articleId,
    ver: grant.version,
    iat: now,
    exp: now + 3600,
    ...overrides,
  };
}

/** Signs claims with `signingKey` as a preview token would be signed, with any of its claims replaced. */
function signed(overrides: Record<string, unknown>, signingKey: Uint8Array = key, alg = 'HS256') {
  return new SignJWT(claimsOf(overrides)).setProtectedHeader({ alg }).sign(signingKey);
}

describe('derivePreviewKey', () => {
  it('derives 32 bytes, the same from the same secret, different from another secret and from the secret itself', () => {
    expect(derivePreviewKey(SECRET)).toHaveLength(32);
    expect(derivePreviewKey(SECRET)).toEqual(key);
    expect(derivePreviewKey(`${SECRET}!`)).not.toEqual(key);
    expect(Buffer.from(key).toString()).not.toContain(SECRET);
  });

  it('refuses a secret too short to derive a key from', () => {
    expect(() => derivePreviewKey('short')).toThrow(/too short/);
  });
});

describe('mintPreviewToken and checkPreviewToken', () => {
  it('round-trips the article and version, and expires 24 hours after it was made', async () => {
    const { token, expiresAt } = await mintPreviewToken(key, grant, NOW);
    expect(expiresAt).toEqual(secondsAfter(PREVIEW_LINK_LIFETIME_SECONDS));
    expect(PREVIEW_LINK_LIFETIME_SECONDS).toBe(86_400);
    expect(token.length).toBeLessThan(MAX_PREVIEW_TOKEN_LENGTH / 2);
    await expect(checkPreviewToken(key, token, secondsAfter(60))).resolves.toEqual({
      kind: 'valid',
      ...grant,
    });
  });

  it('carries its own issuer and audience, HS256, and no other claim than the grant and its times', async () => {
    const { token } = await mintPreviewToken(key, grant, NOW);
    const [header, payload] = token
      .split('.')
      .slice(0, 2)
      .map((part) => JSON.parse(Buffer.from(part, 'base64url').toString()));
    expect(header).toEqual({ alg: 'HS256', typ: 'JWT' });
    expect(payload).toEqual({
      iss: PREVIEW_TOKEN_ISSUER,
      aud: PREVIEW_TOKEN_AUDIENCE,
      sub: grant.articleId,
      ver: grant.version,
      iat: NOW.getTime() / 1000,
      exp: NOW.getTime() / 1000 + PREVIEW_LINK_LIFETIME_SECONDS,
    });
    // Distinct from the editors' tokens, so neither can stand in for the other.
    for (const editors of [EDITOR_ISSUER, LOCAL_ISSUER]) expect(PREVIEW_TOKEN_ISSUER).not.toBe(editors);
    for (const editors of [EDITOR_AUDIENCE, LOCAL_AUDIENCE]) expect(PREVIEW_TOKEN_AUDIENCE).not.toBe(editors);
  });

  it('says expired at its expiry, and valid a second before', async () => {
    const { token } = await mintPreviewToken(key, grant, NOW, 60);
    expect((await checkPreviewToken(key, token, secondsAfter(59))).kind).toBe('valid');
    expect(await checkPreviewToken(key, token, secondsAfter(60))).toEqual({ kind: 'expired' });
    expect(await checkPreviewToken(key, token, secondsAfter(PREVIEW_LINK_LIFETIME_SECONDS))).toEqual({
      kind: 'expired',
    });
  });

  it('says invalid, never expired, of an expired token signed with another key', async () => {
    const { token } = await mintPreviewToken(derivePreviewKey('another-secret-entirely'), grant, NOW, 60);
    expect(await checkPreviewToken(key, token, secondsAfter(3600))).toEqual({ kind: 'invalid' });
  });

  it('refuses a token signed with another key, even one derived from the same secret by other means', async () => {
    const { token } = await mintPreviewToken(derivePreviewKey('another-secret-entirely'), grant, NOW);
    expect(await checkPreviewToken(key, token, NOW)).toEqual({ kind: 'invalid' });
    const raw = await signed({}, new TextEncoder().encode(SECRET));
    expect(await checkPreviewToken(key, raw, NOW)).toEqual({ kind: 'invalid' });
  });

  it('refuses a tampered payload (another version or article) with the signature left as it was', async () => {
    const { token } = await mintPreviewToken(key, grant, NOW);
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    for (const change of [{ ver: 4 }, { sub: '01JDXYZABCDEFGHJKMNPQRSTVX' }, { exp: claims.exp + 86_400 }]) {
      const forged = `${header}.${base64url({ ...claims, ...change })}.${signature}`;
      expect(await checkPreviewToken(key, forged, NOW), JSON.stringify(change)).toEqual({ kind: 'invalid' });
    }
    const flipped = `${header}.${payload}.${signature.slice(0, -2)}${signature.endsWith('AA') ? 'BB' : 'AA'}`;
    expect(await checkPreviewToken(key, flipped, NOW)).toEqual({ kind: 'invalid' });
  });

  it('refuses alg none, and an HS512 token even when made with our key', async () => {
    const header = base64url({ alg: 'none', typ: 'JWT' });
    const claims = base64url(claimsOf());
    expect(await checkPreviewToken(key, `${header}.${claims}.`, NOW)).toEqual({ kind: 'invalid' });
    expect(await checkPreviewToken(key, `${header}.${claims}.x`, NOW)).toEqual({ kind: 'invalid' });
    const longKey = new Uint8Array(64).fill(7);
    expect(await checkPreviewToken(longKey, await signed({}, longKey, 'HS512'), NOW)).toEqual({
      kind: 'invalid',
    });
  });

  it('refuses our own signature on another audience or issuer (e.g. an editor token)', async () => {
    const otherAudience = await new SignJWT({ ver: 1 })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer(PREVIEW_TOKEN_ISSUER)
      .setAudience(EDITOR_AUDIENCE)
      .setSubject(grant.articleId)
      .setIssuedAt(NOW)
      .setExpirationTime(secondsAfter(3600))
      .sign(key);
    expect(await checkPreviewToken(key, otherAudience, NOW)).toEqual({ kind: 'invalid' });
    expect(await checkPreviewToken(key, await signed({ iss: EDITOR_ISSUER }), NOW)).toEqual({
      kind: 'invalid',
    });
  });

  it('refuses a signed token whose grant is not a version of an article, or which lacks its times', async () => {
    for (const claims of [{ ver: 0 }, { ver: 1.5 }, { ver: '3' }, { ver: undefined }, { sub: '' }]) {
      expect(await checkPreviewToken(key, await signed(claims), NOW), JSON.stringify(claims)).toEqual({
        kind: 'invalid',
      });
    }
    const noExpiry = await new SignJWT({ ver: 1 })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer(PREVIEW_TOKEN_ISSUER)
      .setAudience(PREVIEW_TOKEN_AUDIENCE)
      .setSubject(grant.articleId)
      .setIssuedAt(NOW)
      .sign(key);
    expect(await checkPreviewToken(key, noExpiry, NOW)).toEqual({ kind: 'invalid' });
  });

  it('refuses malformed and oversized input before verifying it', async () => {
    const { token } = await mintPreviewToken(key, grant, NOW);
    for (const input of ['', 'abc', 'a.b', 'a.b.c.d', `${token} `, `${token}=`, token.replace('.', '+')]) {
      expect(await checkPreviewToken(key, input, NOW), input).toEqual({ kind: 'invalid' });
    }
    const padded = `${token}${'A'.repeat(MAX_PREVIEW_TOKEN_LENGTH)}`;
    expect(await checkPreviewToken(key, padded, NOW)).toEqual({ kind: 'invalid' });
  });
});
