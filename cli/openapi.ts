import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { formatOpenApiDocument } from '../functions/openapi/openapi-document';

/**
 * `npm run openapi`: writes docs/openapi.json, the document GET /api/openapi.json serves. A unit test
 * (test/unit/http/openapi-document.test.ts) fails while the file differs from what the code generates.
 */
const target = fileURLToPath(new URL('../docs/openapi.json', import.meta.url));
writeFileSync(target, formatOpenApiDocument());
console.log(`Wrote ${target}`);
