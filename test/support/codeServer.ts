/**
 * A real VS Code for end-to-end tests: code-server 4.96.4 (VS Code 1.96.4 on Node 20), prepared once by
 * scripts/prepare-code-server.sh in a cache folder outside the repository, started on a free loopback port with
 * this repository's extension installed from the .vsix that vsce packages, and driven through Debian's chromium
 * with playwright-core.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { freePort } from './rabbitmq';

const repositoryRoot = new URL('../../', import.meta.url).pathname;
export const CHROMIUM_PATH = '/usr/bin/chromium';

export interface CodeServer {
  /** The workbench URL with the workspace folder open. */
  readonly url: string;
  /** Temp folder with code-server's output (`code-server.log`) and VS Code's logs (`user-data/logs`). */
  readonly logFolder: string;
  /** Stops code-server with everything it started; `keepLogs` leaves `logFolder` for a failure to be read. */
  stop(options?: { keepLogs?: boolean }): Promise<void>;
}

/**
 * Runs the prepare script (a no-op once cached; a cold run takes a few minutes) and returns the prepared folder,
 * or throws with the script's own explanation.
 */
export async function prepareCodeServer(): Promise<string> {
  const script = join(repositoryRoot, 'scripts/prepare-code-server.sh');
  const child = spawn('bash', [script], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk));
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk;
    // A cold preparation takes minutes: show its steps as they go.
    process.stderr.write(chunk);
  });
  const code = await new Promise<number | null>((resolve, reject) => child.once('error', reject).once('close', resolve));
  if (code !== 0) {
    const lines = stderr.trim().split('\n');
    const reason = [...lines].reverse().find((line) => line.includes('FAILED')) ?? lines.at(-1);
    throw new Error(`scripts/prepare-code-server.sh failed (exit ${code}): ${reason}\n${lines.slice(-15).join('\n')}`);
  }
  const folder = stdout.trim().split('\n').pop() ?? '';
  if (!existsSync(join(folder, 'out/node/entry.js'))) throw new Error(`scripts/prepare-code-server.sh printed "${folder}", which has no out/node/entry.js`);
  return folder;
}

/** Why the end-to-end tests cannot run here, or undefined when they can (chromium present, extension built). */
export function missingPrerequisite(): string | undefined {
  if (!existsSync(CHROMIUM_PATH)) return `${CHROMIUM_PATH} is missing (apt-get install -y chromium)`;
  if (!existsSync(join(repositoryRoot, 'dist/extension.js'))) return 'dist/extension.js is missing (npm run build)';
  return undefined;
}

/** Runs a command to its end; its output is part of the error when it fails. */
async function run(command: string, args: string[], what: string): Promise<void> {
  const child = spawn(command, args, { cwd: repositoryRoot, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NODE_OPTIONS: '' } });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output = (output + chunk).slice(-4000)));
  child.stderr.on('data', (chunk: Buffer) => (output = (output + chunk).slice(-4000)));
  const code = await new Promise<number | null>((resolve, reject) => child.once('error', reject).once('close', resolve));
  if (code !== 0) throw new Error(`${what} failed (exit ${code}):\n${output}`);
}

let packaged: Promise<string> | undefined;

/**
 * The built extension packaged by vsce exactly as `npm run package` does (so .vscodeignore decides what ships),
 * once per process, into a temp folder: a rebuild of dist/ during the test changes nothing.
 */
export function packageExtension(): Promise<string> {
  packaged ??= (async () => {
    const vsix = join(mkdtempSync(join(tmpdir(), 'simone-vsix-')), 'simone-integrations.vsix');
    const vsce = join(repositoryRoot, 'node_modules/.bin/vsce');
    await run(vsce, ['package', '--no-dependencies', '--allow-missing-repository', '--no-rewrite-relative-links', '--out', vsix], 'vsce package');
    return vsix;
  })();
  return packaged;
}

/** Installs the packaged extension with code-server's own `--install-extension`, as a user would. */
async function installPackagedExtension(codeServerFolder: string, userData: string, extensions: string): Promise<void> {
  const vsix = await packageExtension();
  const entry = join(codeServerFolder, 'out/node/entry.js');
  await run(process.execPath, [entry, '--user-data-dir', userData, '--extensions-dir', extensions, '--install-extension', vsix], `code-server --install-extension ${vsix}`);
}

/** User settings that keep the workbench quiet and predictable; the workspace is trusted without the dialog. */
const USER_SETTINGS = {
  'security.workspace.trust.enabled': false,
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'files.autoSave': 'off',
};

export interface CodeServerOptions {
  /** The folder scripts/prepare-code-server.sh printed. */
  codeServerFolder: string;
  /** The folder VS Code opens. */
  workspace: string;
  /** False: workspace trust is on and the folder opens in Restricted Mode, without asking. Default: trusted. */
  trusted?: boolean;
  /** More user settings (the extension's own, for a test). */
  settings?: Record<string, unknown>;
}

export async function startCodeServer(options: CodeServerOptions): Promise<CodeServer> {
  const base = mkdtempSync(join(tmpdir(), 'simone-code-server-'));
  const userData = join(base, 'user-data');
  const extensions = join(base, 'extensions');
  mkdirSync(join(userData, 'User'), { recursive: true });
  const trust = options.trusted === false ? { 'security.workspace.trust.enabled': true, 'security.workspace.trust.startupPrompt': 'never', 'security.workspace.trust.emptyWindow': false } : {};
  writeFileSync(join(userData, 'User/settings.json'), JSON.stringify({ ...USER_SETTINGS, ...trust, ...options.settings }, null, 2));
  await installPackagedExtension(options.codeServerFolder, userData, extensions);

  const port = await freePort();
  const log = createWriteStream(join(base, 'code-server.log'));
  const args = [
    join(options.codeServerFolder, 'out/node/entry.js'),
    '--auth', 'none',
    '--bind-addr', `127.0.0.1:${port}`,
    '--disable-telemetry',
    '--disable-update-check',
    '--user-data-dir', userData,
    '--extensions-dir', extensions,
    options.workspace,
  ];
  // Own process group, so stop() ends code-server with everything it started (extension host, language server).
  const child = spawn(process.execPath, args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NODE_OPTIONS: '' } });
  child.stdout!.pipe(log);
  child.stderr!.pipe(log);

  const stop = async ({ keepLogs = false } = {}) => {
    await stopProcessGroup(child);
    if (!keepLogs) rmSync(base, { recursive: true, force: true, maxRetries: 3 });
  };
  try {
    await waitUntilListening(`http://127.0.0.1:${port}/healthz`, child, join(base, 'code-server.log'));
  } catch (error) {
    await stop();
    throw error;
  }
  const url = `http://127.0.0.1:${port}/?folder=${encodeURIComponent(options.workspace)}`;
  return { url, logFolder: base, stop };
}

async function waitUntilListening(url: string, child: ChildProcess, logFile: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`code-server exited (${child.exitCode ?? child.signalCode}) before answering:\n${readFileSync(logFile, 'utf8').slice(-2000)}`);
    }
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`code-server did not answer ${url} within 60 s:\n${readFileSync(logFile, 'utf8').slice(-2000)}`);
}

async function stopProcessGroup(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      // Already gone.
    }
  };
  signalGroup('SIGTERM');
  const timer = setTimeout(() => signalGroup('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
  // Children that outlived code-server itself (an extension host shutting down) go too.
  signalGroup('SIGKILL');
}

/** Debian's chromium, headless, with nothing that reaches outside the machine. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    timeout: 60_000,
  });
}
