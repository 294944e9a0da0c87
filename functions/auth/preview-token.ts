import { hkdfSync } from 'node:crypto';
import { errors, jwtVerify, SignJWT } from 'jose';
import * as z from 'zod/mini';

/**
 * Signed preview links: a compact JWT (HS256) that names one article at one version, so anyone holding
 * the link can see that version's page for a day without an account. Editing the article revokes every
 * link minted for it (the version no longer matches); deleting it does too.
 *
 * The issuer and audience are used by no other token of the project (Cognito's ID tokens carry the user
 * pool's URL and the app client id), so no other token can stand in for a preview token, nor one of
 * these for an editor's bearer token.
 *
 * Pure: jose and node:crypto only, no I/O. The key comes from functions/shared/preview-key.ts.
 */

export const PREVIEW_TOKEN_ISSUER = 'urn:flash-news:preview-links';
export const PREVIEW_TOKEN_AUDIENCE = 'urn:flash-news:article-preview';
export const PREVIEW_LINK_LIFETIME_SECONDS = 24 * 60 * 60;
/**
 * Far above what we mint (292 characters for a 26-character id), far below what would cost
 * anything to refuse: anything longer is refused before a byte of it is decoded or verified.
 */
export const MAX_PREVIEW_TOKEN_LENGTH = 1024;
/** Three base64url parts: the only shape a compact JWS has. */
export const PREVIEW_TOKEN_PATTERN = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

const ALGORITHM = 'HS256';
/** HKDF's `info`: the key derived with it signs preview links and nothing else. */
const PREVIEW_KEY_LABEL = 'flash-news/preview-link-signing/v1';

/**
 * The preview links' own HMAC key, derived from the cursor secret with HKDF-SHA-256 under a label of its
 * own. Why derived rather than a second secret: one secret to generate, provision (locally and in AWS)
 * and rotate, and HKDF keeps the two uses apart: the derived key cannot be turned back into the
 * cursor secret or into a cursor key, so neither kind of token can be forged with the other's key.
 * Rotating the secret ends every preview link, which is what a rotation is for.
 */
export function derivePreviewKey(rootSecret: string): Uint8Array {
  if (rootSecret.length < 16) throw new Error('The secret to derive the preview key from is too short');
  return new Uint8Array(hkdfSync('sha256', rootSecret, '', PREVIEW_KEY_LABEL, 32));
}

export interface PreviewGrant {
  readonly articleId: string;
  /** The version the link was minted for: any other version means the article changed since. */
  readonly version: number;
}

export interface MintedPreviewToken {
  readonly token: string;
  readonly expiresAt: Date;
}

export async function mintPreviewToken(
  key: Uint8Array,
  grant: PreviewGrant,
  now: Date = new Date(),
  lifetimeSeconds: number = PREVIEW_LINK_LIFETIME_SECONDS,
): Promise<MintedPreviewToken> {
  const issuedAt = Math.floor(now.getTime() / 1000);
  const expiresAt = issuedAt + lifetimeSeconds;
  const token = await new SignJWT({ ver: grant.version })
    .setProtectedHeader({ alg: ALGORITHM, typ: 'JWT' })
    .setIssuer(PREVIEW_TOKEN_ISSUER)
    .setAudience(PREVIEW_TOKEN_AUDIENCE)
    .setSubject(grant.articleId)
    .setIssuedAt(issuedAt)
    .setExpirationTime(expiresAt)
    .sign(key);
  return { token, expiresAt: new Date(expiresAt * 1000) };
}

/** What a verified token claims; anything else in a token signed with our key is a defect, refused. */
const grantClaims = z.object({
  sub: z.string().check(z.minLength(1), z.maxLength(128)),
  ver: z.int().check(z.positive()),
});

/**
 * - `valid`: our signature, our issuer and audience, not expired; the caller still compares the version.
 * - `expired`: our signature, but past its `exp`: the link did exist, and has lapsed (a 410).
 * - `invalid`: anything else (malformed, forged, another key or audience, `alg: none`): one answer for
 *   all, so a prober learns nothing about which check failed.
 */
export type PreviewTokenCheck =
  | ({ readonly kind: 'valid' } & PreviewGrant)
  | { readonly kind: 'expired' }
  | { readonly kind: 'invalid' };

export async function checkPreviewToken(
  key: Uint8Array,
  token: string,
  now: Date = new Date(),
): Promise<PreviewTokenCheck> {
  if (token.length > MAX_PREVIEW_TOKEN_LENGTH || !PREVIEW_TOKEN_PATTERN.test(token)) {
    return { kind: 'invalid' };
  }
  try {
    // jose checks the signature before any claim, so `expired` is only ever said of our own tokens.
    const { payload } = await jwtVerify(token, key, {
      algorithms: [ALGORITHM],
      issuer: PREVIEW_TOKEN_ISSUER,
      audience: PREVIEW_TOKEN_AUDIENCE,
      requiredClaims: ['sub', 'exp', 'iat'],
      currentDate: now,
    });
    const claims = grantClaims.safeParse(payload);
    if (!claims.success) return { kind: 'invalid' };
    return { kind: 'valid', articleId: claims.data.sub, version: claims.data.ver };
  } catch (error) {
    if (error instanceof errors.JWTExpired) return { kind: 'expired' };
    return { kind: 'invalid' };
  }
}
