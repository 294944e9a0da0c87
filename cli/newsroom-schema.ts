import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { formatNewsroomJsonSchema } from '../functions/config/newsroom-schema';

/**
 * `npm run newsroom-schema`: writes newsroom.config.schema.json, the JSON Schema editors autocomplete the
 * newsroom files from. A unit test (test/unit/config/newsroom-schema-file.test.ts) fails while the file
 * differs from what the zod schema generates.
 */
const target = fileURLToPath(new URL('../newsroom.config.schema.json', import.meta.url));
writeFileSync(target, formatNewsroomJsonSchema());
console.log(`Wrote ${target}`);
