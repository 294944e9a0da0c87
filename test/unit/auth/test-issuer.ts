import { createLocalJWKSet, exportJWK, generateKeyPair, type JWTPayload, SignJWT } from 'jose';

export const ISSUER = 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_TestPool';
export const AUDIENCE = 'test-client-id';
const KEY_ID = 'test-key';

export interface SignOptions {
  readonly issuer?: string;
  readonly audience?: string | null;
  readonly expiresIn?: string | number | null;
  readonly notBefore?: string | number;
  /** `iat` in seconds since the epoch (default now); null leaves it out. */
  readonly issuedAt?: number | null;
  readonly subject?: string | null;
}

export interface TestIssuer {
  readonly keys: ReturnType<typeof createLocalJWKSet>;
  /** Signs `claims` like the user pool would; options override or drop the standard claims. */
  sign(claims?: JWTPayload, options?: SignOptions): Promise<string>;
}

/** An ES256 issuer of Cognito-shaped tokens, with its public key set for verifiers. */
export async function createTestIssuer(): Promise<TestIssuer> {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  const jwks = { keys: [{ ...(await exportJWK(publicKey)), kid: KEY_ID, alg: 'ES256', use: 'sig' }] };
  return {
    keys: createLocalJWKSet(jwks),
    sign: async (claims = {}, options = {}) => {
      let jwt = new SignJWT(claims)
        .setProtectedHeader({ alg: 'ES256', kid: KEY_ID })
        .setIssuer(options.issuer ?? ISSUER);
      if (options.issuedAt !== null) jwt = jwt.setIssuedAt(options.issuedAt);
      if (options.subject !== null) jwt = jwt.setSubject(options.subject ?? 'editor-1');
      if (options.audience !== null) jwt = jwt.setAudience(options.audience ?? AUDIENCE);
      if (options.expiresIn !== null) jwt = jwt.setExpirationTime(options.expiresIn ?? '1h');
      if (options.notBefore !== undefined) jwt = jwt.setNotBefore(options.notBefore);
      return jwt.sign(privateKey);
    },
  };
}

export const EDITOR_CLAIMS = { 'cognito:groups': ['editors'], 'cognito:username': 'jane', token_use: 'id' };
