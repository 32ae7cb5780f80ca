// Loads an extension bundle in this (fresh) process with a `vscode` module where every name is a do-nothing
// value, times require() + activate() up to its first await (what VS Code waits for before the extension's
// contributions work), and prints the milliseconds. Argument: the bundle's path.
import Module, { createRequire } from 'node:module';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

const require = createRequire(import.meta.url);

const handler = {
  get: (target, property) => (property === 'then' ? undefined : property === Symbol.toPrimitive ? () => '' : property in target ? target[property] : inert),
  apply: () => inert,
  construct: () => inert,
};
const inert = new Proxy(function inert() {}, handler);
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  return request === 'vscode' ? 'vscode' : resolve.call(this, request, ...rest);
};
require.cache.vscode = { id: 'vscode', filename: 'vscode', loaded: true, exports: inert };

const bundle = process.argv[2];
const storage = mkdtempSync(join(tmpdir(), 'simone-bench-activate-'));
const context = { subscriptions: [], extensionPath: join(bundle, '..', '..'), asAbsolutePath: (path) => join(bundle, '..', '..', path), globalState: inert, workspaceState: inert, secrets: inert, storageUri: inert, globalStorageUri: inert, logUri: inert, extensionUri: inert, environmentVariableCollection: inert, storagePath: storage };
const started = performance.now();
const extension = require(bundle);
void Promise.resolve(extension.activate(context)).catch(() => undefined);
const elapsed = performance.now() - started;
process.stdout.write(`${elapsed}\n`);
process.exit(0);
