// Bundles the three entry points; `vscode` is provided by the editor at run time.
import { build } from 'esbuild';
import { cpSync, mkdirSync, existsSync } from 'node:fs';

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: 'linked',
  minify: process.argv.includes('--minify'),
  external: ['vscode'],
  logLevel: 'warning',
};

await Promise.all([
  build({ ...common, entryPoints: ['src/extension/extension.ts'], outfile: 'dist/extension.js' }),
  build({ ...common, entryPoints: ['src/server/server.ts'], outfile: 'dist/server.js', banner: { js: '#!/usr/bin/env node' } }),
  build({ ...common, entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } }),
]);

// PGlite loads its WebAssembly engine and data bundle from beside the bundle that imports it.
const pgliteDist = 'node_modules/@electric-sql/pglite/dist';
mkdirSync('dist', { recursive: true });
for (const file of ['pglite.wasm', 'pglite.data']) {
  if (existsSync(`${pgliteDist}/${file}`)) cpSync(`${pgliteDist}/${file}`, `dist/${file}`);
}
