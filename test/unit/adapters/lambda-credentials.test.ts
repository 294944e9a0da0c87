import { afterEach, describe, expect, it, vi } from 'vitest';
import { defaultProvider } from '../../../functions/adapters/lambda-credentials';

describe('the credentials of a bundled function', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('are the role session Lambda puts in the environment', async () => {
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'ASIAEXAMPLEKEY');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'example-secret');
    vi.stubEnv('AWS_SESSION_TOKEN', 'example-session-token');

    await expect(defaultProvider()()).resolves.toMatchObject({
      accessKeyId: 'ASIAEXAMPLEKEY',
      secretAccessKey: 'example-secret',
      sessionToken: 'example-session-token',
    });
  });

  it('are refused, not looked for elsewhere, when the environment has none', async () => {
    vi.stubEnv('AWS_ACCESS_KEY_ID', '');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', '');
    vi.stubEnv('AWS_PROFILE', 'a-profile-that-must-not-be-read');

    await expect(defaultProvider()()).rejects.toThrow(/credentials/i);
  });
});
