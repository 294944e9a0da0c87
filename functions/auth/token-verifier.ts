import { createRemoteJWKSet, errors, type JWTPayload, type JWTVerifyGetKey, jwtVerify } from 'jose';

/**
 * Verifies editor bearer tokens the way API Gateway's JWT authorizer does: signature against the
 * issuer's JSON Web Key Set, `iss`, expiry, not-before and issued-at, and the audience, which Cognito
 * puts in `aud` on ID tokens and in `client_id` on access tokens.
 *
 * Time claims: `exp` must be in the future and `nbf` (when present) in the past, both to the second, as
 * the issuer set them. `iat` (when present) may be up to MAX_CLOCK_SKEW_SECONDS ahead of our clock,
 * because the issuer's clock and ours are never quite in step; beyond that, a token "issued in the
 * future" was minted by a wrong clock or a forger, and is refused.
 */

export const MAX_CLOCK_SKEW_SECONDS = 60;

export interface TokenVerifierOptions {
  readonly issuer: string;
  readonly audience: string;
  /** A remote JWKS URL, or a key-set function (tests, the local issuer). */
  readonly keys: URL | JWTVerifyGetKey;
  /** The current time; tests move it. */
  readonly clock?: () => Date;
}

export class InvalidTokenError extends Error {
  override name = 'InvalidTokenError';
}

export type TokenVerifier = (token: string) => Promise<JWTPayload>;

export function createTokenVerifier(options: TokenVerifierOptions): TokenVerifier {
  const keys = options.keys instanceof URL ? createRemoteJWKSet(options.keys) : options.keys;
  const clock = options.clock ?? (() => new Date());
  return async (token) => {
    const now = clock();
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, keys, {
        issuer: options.issuer,
        requiredClaims: ['exp'],
        currentDate: now,
      }));
    } catch (error) {
      // The issuer's keys could not be fetched: an outage on our side, not a bad token from the caller.
      if (error instanceof errors.JWKSTimeout || !(error instanceof errors.JOSEError)) throw error;
      throw new InvalidTokenError(error.message);
    }
    // jose has checked that `iat`, when present, is a number; it compares it with the clock only when
    // given a maximum token age, which we do not want.
    if (
      payload.iat !== undefined &&
      payload.iat > Math.floor(now.getTime() / 1000) + MAX_CLOCK_SKEW_SECONDS
    ) {
      throw new InvalidTokenError('token was issued in the future ("iat")');
    }
    const audiences = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
    if (!audiences.includes(options.audience) && payload.client_id !== options.audience) {
      throw new InvalidTokenError('token was not issued for this audience');
    }
    return payload;
  };
}

/** The token of an `Authorization: Bearer <token>` header, or undefined if the header is absent or other. */
export function bearerToken(authorization: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  return match?.[1];
}
