import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { formatNewsroomJsonSchema } from '../functions/config/newsroom-schema';

/**
 * `npm run newsroom-schema`: writes newsroom.config.schema.json, the JSON Schema editors autocomplete the
 * newsroom files from, in the project's JSON style (Biome), so that `npm run lint` passes on it. A unit test
 * (test/unit/config/newsroom-schema-file.test.ts) fails while the file says other than the zod schema.
 */
const target = fileURLToPath(new URL('../newsroom.config.schema.json', import.meta.url));
writeFileSync(target, formatNewsroomJsonSchema());
execFileSync(
  fileURLToPath(new URL('../node_modules/.bin/biome', import.meta.url)),
  ['format', '--write', target],
  {
    stdio: 'ignore',
  },
);
console.log(`Wrote ${target}`);
