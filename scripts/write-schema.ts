// Writes schemas/integration.schema.json from src/core/schema.ts (`npm run schema`).
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { integrationSchema } from '../src/core/schema';

const target = fileURLToPath(new URL('../schemas/integration.schema.json', import.meta.url));
writeFileSync(target, JSON.stringify(integrationSchema, null, 2) + '\n');
console.log(`wrote ${target}`);
