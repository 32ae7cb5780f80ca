// The webview pages (webview/result, webview/health) for the browser, with their stylesheet and the codicon font,
// into one folder: the only one a webview may load from (localResourceRoots). The tests build them the same way.
import { build } from 'esbuild';
import { cpSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

const CODICONS = 'node_modules/@vscode/codicons/dist';

export async function buildWebviews(outdir, { minify = process.argv.includes('--minify') } = {}) {
  mkdirSync(outdir, { recursive: true });
  await build({
    entryPoints: { result: 'webview/result/main.ts', health: 'webview/health/main.ts' },
    outdir,
    bundle: true,
    platform: 'browser',
    format: 'esm',
    target: 'chrome120',
    minify,
    sourcemap: false,
    logLevel: 'warning',
  });
  cpSync('webview/shared/webview.css', join(outdir, 'webview.css'));
  for (const file of ['codicon.css', 'codicon.ttf']) cpSync(join(CODICONS, file), join(outdir, file));
}
