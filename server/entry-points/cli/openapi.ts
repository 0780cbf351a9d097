import { writeFileSync } from 'node:fs';
import { buildOpenApiDocument } from '../http/openapi-document';

/** `npm run openapi`: rewrites docs/openapi.json from the service procedures (a test checks it is current). */
const file = new URL('../../../docs/openapi.json', import.meta.url);
writeFileSync(file, `${JSON.stringify(buildOpenApiDocument(), null, 2)}\n`);
console.log(`wrote ${file.pathname}`);
