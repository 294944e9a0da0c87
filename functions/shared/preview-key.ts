import { derivePreviewKey } from '../auth/preview-token';
import { cursorSecretFromEnv } from './cursor-secret';

/**
 * The preview links' signing key, derived from the cursor secret (functions/auth/preview-token.ts says
 * why). Derived again only when the secret changes, i.e. after a rotation (the secret itself is cached
 * for five minutes by cursorSecretFromEnv).
 */
export function previewKeyFromEnv(): () => Promise<Uint8Array> {
  const secret = cursorSecretFromEnv();
  let derived: { readonly from: string; readonly key: Uint8Array } | undefined;
  return async () => {
    const root = await secret();
    if (derived?.from !== root) derived = { from: root, key: derivePreviewKey(root) };
    return derived.key;
  };
}
