import { ENV, getOptionalStringFromEnv, getStringFromEnv } from '../config/environment';

/**
 * The cursor signing key: given directly locally, or read from Secrets Manager in AWS (cached by
 * Powertools for five minutes, so a rotation takes effect without a redeploy).
 *
 * Powertools Parameters and its Secrets Manager client are imported on the first read of the secret
 * (`await import()`), never when the key is given directly, so they cost nothing at cold start.
 */
export function cursorSecretFromEnv(): () => Promise<string> {
  const direct = getOptionalStringFromEnv(ENV.cursorSecret);
  if (direct) return async () => direct;
  const secretArn = getStringFromEnv(ENV.cursorSecretArn);
  return async () => {
    const { getSecret } = await import('@aws-lambda-powertools/parameters/secrets');
    const value = await getSecret(secretArn, { maxAge: 300 });
    if (typeof value !== 'string' || value.length < 16)
      throw new Error('The cursor secret is missing or too short');
    return value;
  };
}
