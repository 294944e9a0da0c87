import { randomBytes, randomUUID } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import {
  createLocalJWKSet,
  exportJWK,
  generateKeyPair,
  importJWK,
  type JSONWebKeySet,
  type JWK,
  SignJWT,
} from 'jose';

/**
 * The local stand-in for the Cognito user pool: an ES256 key pair and a cursor secret kept in the data
 * directory (so tokens survive restarts), a JWKS for verifiers, and a minter for editor tokens shaped
 * like Cognito ID tokens (`cognito:groups`, `token_use`, `aud`).
 */

/** Where the local server publishes the key set: `<origin>/local-issuer/.well-known/jwks.json`. */
export const LOCAL_JWKS_PATH = '/local-issuer/.well-known/jwks.json';
/** Independent of the port, so a token minted before a restart on another PORT still works. */
export const LOCAL_ISSUER = 'urn:flash-news:local-issuer';
export const LOCAL_AUDIENCE = 'flash-news-local';
const KEY_ID = 'local-editor-key';

interface StoredSecrets {
  readonly privateJwk: JWK;
  readonly publicJwk: JWK;
  readonly cursorSecret: string;
}

export interface LocalIssuer {
  readonly issuer: string;
  readonly audience: string;
  readonly jwks: JSONWebKeySet;
  readonly cursorSecret: string;
  mintToken(options?: MintOptions): Promise<string>;
  keys(): ReturnType<typeof createLocalJWKSet>;
}

export interface MintOptions {
  readonly username?: string;
  readonly groups?: readonly string[];
  readonly expiresIn?: string;
  /** `iat`, in seconds since the epoch (default now): tests mint tokens from a wrong clock with it. */
  readonly issuedAt?: number;
  /** `nbf`, in seconds since the epoch; absent by default, as on Cognito's tokens. */
  readonly notBefore?: number;
  /** Claims set as given, over the defaults (tests use it for claims of unusual shapes). */
  readonly claims?: Readonly<Record<string, unknown>>;
}

async function loadOrCreateSecrets(file: string): Promise<StoredSecrets> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as StoredSecrets;
  } catch {
    const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
    const secrets: StoredSecrets = {
      privateJwk: { ...(await exportJWK(privateKey)), kid: KEY_ID, alg: 'ES256' },
      publicJwk: { ...(await exportJWK(publicKey)), kid: KEY_ID, alg: 'ES256', use: 'sig' },
      cursorSecret: randomBytes(32).toString('base64url'),
    };
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, JSON.stringify(secrets), { mode: 0o600 });
    return secrets;
  }
}

export async function openLocalIssuer(dataDir: string): Promise<LocalIssuer> {
  const secrets = await loadOrCreateSecrets(join(dataDir, 'local-secrets.json'));
  const privateKey = await importJWK(secrets.privateJwk, 'ES256');
  const jwks: JSONWebKeySet = { keys: [secrets.publicJwk] };
  const issuer = LOCAL_ISSUER;
  return {
    issuer,
    audience: LOCAL_AUDIENCE,
    jwks,
    cursorSecret: secrets.cursorSecret,
    keys: () => createLocalJWKSet(jwks),
    mintToken: async ({
      username = 'local-editor',
      groups = ['admins'],
      expiresIn = '12h',
      issuedAt,
      notBefore,
      claims = {},
    } = {}) => {
      const token = new SignJWT({
        'cognito:groups': [...groups],
        'cognito:username': username,
        token_use: 'id',
        email: `${username}@localhost`,
        ...claims,
      })
        .setProtectedHeader({ alg: 'ES256', kid: KEY_ID, typ: 'JWT' })
        .setIssuer(issuer)
        .setAudience(LOCAL_AUDIENCE)
        .setSubject(`local-${username}`)
        .setJti(randomUUID())
        .setIssuedAt(issuedAt)
        .setExpirationTime(expiresIn);
      if (notBefore !== undefined) token.setNotBefore(notBefore);
      return token.sign(privateKey);
    },
  };
}
