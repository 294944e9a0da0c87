import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

/**
 * Swagger UI's browser bundle and stylesheet (the swagger-ui-dist package), which the reference page
 * inlines. They are 1.9 MB together, so they are never part of a function's code: the infrastructure
 * copies them next to the bundled handler (infra/constructs/publishing-api.ts), where this reads them on
 * the first request; run from source (the local stack, tests, synth) they are read from node_modules.
 */

export const SWAGGER_UI_FILES = { script: 'swagger-ui-bundle.js', stylesheet: 'swagger-ui.css' } as const;

export interface SwaggerUiAssets {
  readonly script: string;
  readonly stylesheet: string;
}

/** The files in the installed swagger-ui-dist package. */
export function swaggerUiPackageFiles(): { readonly script: string; readonly stylesheet: string } {
  const require = createRequire(import.meta.url);
  return {
    script: require.resolve(`swagger-ui-dist/${SWAGGER_UI_FILES.script}`),
    stylesheet: require.resolve(`swagger-ui-dist/${SWAGGER_UI_FILES.stylesheet}`),
  };
}

function besideThisModule(name: string): string {
  return fileURLToPath(new URL(`./${name}`, import.meta.url));
}

export function loadSwaggerUiAssets(): SwaggerUiAssets {
  const beside = {
    script: besideThisModule(SWAGGER_UI_FILES.script),
    stylesheet: besideThisModule(SWAGGER_UI_FILES.stylesheet),
  };
  const files = existsSync(beside.script) && existsSync(beside.stylesheet) ? beside : swaggerUiPackageFiles();
  return { script: readFileSync(files.script, 'utf8'), stylesheet: readFileSync(files.stylesheet, 'utf8') };
}
