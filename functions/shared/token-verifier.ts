import { createTokenVerifier, type TokenVerifier } from '../auth/token-verifier';
import { ENV, getStringFromEnv } from '../config/environment';

/**
 * Verifies the editor tokens sent to `optional` routes, against the issuer's key set. The configuration
 * is read (and refused) at cold start; the verifier itself is built on the first token, because jose's
 * remote key set makes Node.js load its fetch implementation (undici), which most callers, anonymous
 * readers, never need.
 */
export function tokenVerifierFromEnv(): TokenVerifier {
  const options = {
    issuer: getStringFromEnv(ENV.authIssuer),
    audience: getStringFromEnv(ENV.authAudience),
    keys: new URL(getStringFromEnv(ENV.authJwksUrl)),
  };
  let verify: TokenVerifier | undefined;
  return (token) => {
    verify ??= createTokenVerifier(options);
    return verify(token);
  };
}
