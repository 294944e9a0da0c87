import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { newsroomDefines } from '../../../functions/config/newsroom';
import { readNewsroomConfig } from '../../../functions/config/newsroom-file';

/**
 * What a function bundle carries of the newsroom: esbuild with the `define`s infra/constructs/news-function.ts
 * passes, on a module that reads the newsroom as the handlers do. The file reader and zod must be gone
 * (nothing to read or validate at cold start), and the newsroom inlined.
 */
const siteModule = fileURLToPath(new URL('../../../functions/config/site.ts', import.meta.url));
const albanianFile = fileURLToPath(new URL('../../../newsroom.config.sq.json', import.meta.url));

async function bundle(define: Record<string, string> | undefined) {
  const result = await build({
    stdin: {
      contents: `import { loadSiteConfig } from ${JSON.stringify(siteModule)};\nconsole.log(loadSiteConfig());`,
      resolveDir: fileURLToPath(new URL('.', import.meta.url)),
      loader: 'ts',
    },
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'node',
    target: 'node24',
    minify: true,
    metafile: true,
    ...(define ? { define } : {}),
  });
  const code = result.outputFiles[0]?.text ?? '';
  // The modules with code in the output: esbuild reads more (then shakes it off), the metafile's inputs say.
  const output = Object.values(result.metafile.outputs)[0];
  const inputs = Object.entries(output?.inputs ?? {})
    .filter(([, input]) => input.bytesInOutput > 0)
    .map(([path]) => path);
  return { code, inputs };
}

describe('the newsroom in a function bundle', () => {
  it('is inlined, checked at synth: no file reader, no zod, the Albanian names in the code', async () => {
    const { code, inputs } = await bundle(newsroomDefines(readNewsroomConfig(albanianFile)));
    expect(code).toContain('Europe/Tirane');
    expect(code).toContain('Politik\\xEB');
    expect(inputs.some((input) => input.includes('node_modules/zod'))).toBe(false);
    expect(inputs).not.toContain('functions/config/newsroom-schema.ts');
    expect(code).not.toContain('readFileSync');
  });

  it('without the defines (tsx, the tests) reads and checks the file instead', async () => {
    const { inputs } = await bundle(undefined);
    expect(inputs).toContain('functions/config/newsroom-schema.ts');
  });
});
