import { createRemoteJWKSet, errors, type JWTPayload, type JWTVerifyGetKey, jwtVerify } from 'jose';

/**
 * Verifies editor bearer tokens the way API Gateway's JWT authorizer does: signature against the
 * issuer's JSON Web Key Set, `iss`, expiry and not-before, and the audience, which Cognito puts in `aud`
 * on ID tokens and in `client_id` on access tokens.
 */

export interface TokenVerifierOptions {
  readonly issuer: string;
  readonly audience: string;
  /** A remote JWKS URL, or a key-set function (tests, the local issuer). */
  readonly keys: URL | JWTVerifyGetKey;
}

export class InvalidTokenError extends Error {
  override name = 'InvalidTokenError';
}

export type TokenVerifier = (token: string) => Promise<JWTPayload>;

export function createTokenVerifier(options: TokenVerifierOptions): TokenVerifier {
  const keys = options.keys instanceof URL ? createRemoteJWKSet(options.keys) : options.keys;
  return async (token) => {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, keys, { issuer: options.issuer, requiredClaims: ['exp'] }));
    } catch (error) {
      // The issuer's keys could not be fetched: an outage on our side, not a bad token from the caller.
      if (error instanceof errors.JWKSTimeout || !(error instanceof errors.JOSEError)) throw error;
      throw new InvalidTokenError(error.message);
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
