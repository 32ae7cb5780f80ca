// Bundles the entry points; `vscode` is provided by the editor at run time. The editor's engine (runners, PGlite,
// OpenTelemetry) is a bundle of its own that dist/extension.js requires on first use, so activation stays cheap.
// The webview pages are built for the browser into dist/webview (scripts/buildWebviews.mjs).
import { build } from 'esbuild';
import { cpSync, mkdirSync, existsSync } from 'node:fs';
import { buildWebviews } from './buildWebviews.mjs';

const IMPORT_META_URL = 'var __importMetaUrl = require("url").pathToFileURL(__filename).href;';

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: 'linked',
  minify: process.argv.includes('--minify'),
  external: ['vscode'],
  logLevel: 'warning',
  // Bundled ESM packages (PGlite) find their files through import.meta.url, which CommonJS lacks: point it at the bundle.
  define: { 'import.meta.url': '__importMetaUrl' },
  banner: { js: IMPORT_META_URL },
};

await Promise.all([
  build({ ...common, entryPoints: ['src/extension/extension.ts'], outfile: 'dist/extension.js' }),
  build({ ...common, entryPoints: ['src/extension/engine/editorEngine.ts'], outfile: 'dist/engine.js' }),
  build({ ...common, entryPoints: ['src/server/server.ts'], outfile: 'dist/server.js', banner: { js: `#!/usr/bin/env node\n${IMPORT_META_URL}` } }),
  // The language server's worker threads (validation, folder walks); it finds them beside dist/server.js.
  build({ ...common, entryPoints: ['src/server/serverWorker.ts'], outfile: 'dist/serverWorker.js' }),
  build({ ...common, entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js', banner: { js: `#!/usr/bin/env node\n${IMPORT_META_URL}` } }),
  buildWebviews('dist/webview'),
]);

// PGlite loads its WebAssembly engine and data bundle from beside the bundle that imports it.
const pgliteDist = 'node_modules/@electric-sql/pglite/dist';
mkdirSync('dist', { recursive: true });
for (const file of ['pglite.wasm', 'pglite.data']) {
  if (existsSync(`${pgliteDist}/${file}`)) cpSync(`${pgliteDist}/${file}`, `dist/${file}`);
}
