// The first step of `npm test` (its `pretest` script): checks every real component the suites start or drive,
// so that a missing one is named here, once, instead of by a cascade of cancelled tests. What is missing is
// installed when it may be: Debian packages with apt-get as root or with passwordless sudo, code-server by
// scripts/prepare-code-server.sh. Otherwise, or with SIMONE_TEST_NO_INSTALL=1, it exits 1 before any suite with
// one message naming what is missing and the one command that installs it.
//
// It looks on PATH and under SIMONE_TEST_PACKAGE_ROOT (default /) for the files packages put in fixed places
// (/usr/lib/postgresql/*/bin, /usr/lib/rabbitmq/bin, /usr/bin/chromium, /usr/sbin/nginx), so a test can point
// it at a fake machine. SIMONE_CODE_SERVER_CACHE moves the code-server cache, as for the prepare script.
import { spawnSync } from 'node:child_process';
import { accessSync, constants, readdirSync } from 'node:fs';
import { delimiter, join, relative } from 'node:path';

const packageRoot = process.env.SIMONE_TEST_PACKAGE_ROOT || '/';
const pathFolders = (process.env.PATH ?? '').split(delimiter).filter(Boolean);
const installingOff = process.env.SIMONE_TEST_NO_INSTALL === '1';
const prepareScript = join(import.meta.dirname, 'prepare-code-server.sh');
const APT_TIMEOUT_MS = 30 * 60_000;
const PREPARE_TIMEOUT_MS = 30 * 60_000;

function isExecutable(path) {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

const onPath = (command) => pathFolders.some((folder) => isExecutable(join(folder, command)));
const underRoot = (path) => join(packageRoot, path);
/** Why a spawned command did not succeed. */
const outcome = (run) => run.error?.message ?? `exit ${run.status ?? run.signal}`;

/** The folders test/support/postgres.ts takes initdb and pg_ctl from: `pg_config --bindir`, then each installed version. */
function postgresFound() {
  const versions = underRoot('usr/lib/postgresql');
  let folders = [];
  try {
    folders = readdirSync(versions).map((version) => join(versions, version, 'bin'));
  } catch {
    // No server package.
  }
  if (onPath('pg_config')) {
    const bindir = spawnSync('pg_config', ['--bindir'], { encoding: 'utf8', timeout: 10_000 });
    if (bindir.status === 0) folders.unshift(bindir.stdout.trim());
  }
  return folders.some((folder) => isExecutable(join(folder, 'initdb')) && isExecutable(join(folder, 'pg_ctl')));
}

const rabbitMqScripts = ['usr/lib/rabbitmq/bin/rabbitmq-server', 'usr/lib/rabbitmq/sbin/rabbitmq-server'].map(underRoot);
const chromium = underRoot('usr/bin/chromium');
const nginx = underRoot('usr/sbin/nginx');
const TOOLCHAIN = ['cc', 'g++', 'make'];

/** What the suites use from each Debian package; `service`: the system service apt starts with it, which tests never use. */
const PACKAGES = [
  { name: 'PostgreSQL', debian: 'postgresql', service: 'postgresql', found: postgresFound, lookedFor: `initdb and pg_ctl in ${underRoot('usr/lib/postgresql/*/bin')} or pg_config --bindir` },
  { name: 'RabbitMQ', debian: 'rabbitmq-server', service: 'rabbitmq-server', found: () => rabbitMqScripts.some(isExecutable) || onPath('rabbitmq-server'), lookedFor: `${rabbitMqScripts.join(', ')} and rabbitmq-server on PATH` },
  { name: 'Chromium', debian: 'chromium', found: () => isExecutable(chromium), lookedFor: chromium },
  { name: 'ripgrep', debian: 'ripgrep', found: () => onPath('rg'), lookedFor: 'rg on PATH' },
  { name: 'unzip', debian: 'unzip', found: () => onPath('unzip'), lookedFor: 'unzip on PATH' },
  { name: 'C/C++ toolchain', debian: 'build-essential', found: () => TOOLCHAIN.every(onPath), lookedFor: `${TOOLCHAIN.join(', ')} on PATH, for node-gyp when preparing code-server` },
  { name: 'python3', debian: 'python3', found: () => onPath('python3'), lookedFor: 'python3 on PATH, for node-gyp when preparing code-server' },
  { name: 'nginx', debian: 'nginx', service: 'nginx', found: () => isExecutable(nginx) || onPath('nginx'), lookedFor: `${nginx} and nginx on PATH` },
  { name: 'openssl', debian: 'openssl', found: () => onPath('openssl'), lookedFor: 'openssl on PATH, for the self-signed certificates of the TLS tests' },
];

const CODE_SERVER = 'code-server 4.96.4';
/** undefined when code-server is prepared, else where it is not (the prepare script's own answer). */
function codeServerUnprepared() {
  const check = spawnSync('bash', [prepareScript, '--check'], { encoding: 'utf8', timeout: 10_000 });
  if (check.status === 0) return undefined;
  return check.stderr?.trim().replace(/^prepare-code-server: /, '') || `not prepared (${outcome(check)})`;
}

/** How to run a command as root: directly, through passwordless sudo, or not at all (undefined). */
function adminRunner() {
  const environment = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  if (process.getuid?.() === 0) return (command, args, options) => spawnSync(command, args, { ...options, env: environment });
  if (spawnSync('sudo', ['-n', 'true'], { stdio: 'ignore', timeout: 10_000 }).status !== 0) return undefined;
  return (command, args, options) => spawnSync('sudo', ['-n', 'DEBIAN_FRONTEND=noninteractive', command, ...args], options);
}

function installCommand(debianPackages, prepare) {
  const sudo = process.getuid?.() === 0 ? '' : 'sudo ';
  const steps = debianPackages.length ? [`${sudo}apt-get update`, `${sudo}apt-get install -y --no-install-recommends ${debianPackages.join(' ')}`] : [];
  if (prepare) steps.push(`bash ${relative(process.cwd(), prepareScript)}`);
  return steps.join(' && ');
}

function fail(message) {
  console.error(`test prerequisites: ${message}`);
  process.exit(1);
}

const listed = (names) => (names.length ? names.join(', ') : 'none');

const missing = PACKAGES.filter((entry) => !entry.found());
const unprepared = codeServerUnprepared();
const prepareCodeServer = unprepared !== undefined;
const present = [...PACKAGES.filter((entry) => !missing.includes(entry)).map((entry) => entry.name), ...(prepareCodeServer ? [] : [CODE_SERVER])];
const asAdmin = installingOff || missing.length === 0 ? undefined : adminRunner();

if (installingOff ? missing.length > 0 || prepareCodeServer : missing.length > 0 && !asAdmin) {
  const lines = missing.map((entry) => `  - ${entry.name} (Debian package ${entry.debian}): looked for ${entry.lookedFor}`);
  if (prepareCodeServer) lines.push(`  - ${CODE_SERVER}: ${unprepared}`);
  const why = installingOff ? 'installing is off: SIMONE_TEST_NO_INSTALL=1' : 'npm test installs it itself when run as root or with passwordless sudo';
  fail(
    [
      'missing what the test suites need, so no suite ran:',
      ...lines,
      'Install it all with:',
      `  ${installCommand(missing.map((entry) => entry.debian), prepareCodeServer)}`,
      `(${why})`,
    ].join('\n'),
  );
}

const installed = [];
if (missing.length > 0) {
  const debianPackages = missing.map((entry) => entry.debian);
  console.error(`test prerequisites: installing ${debianPackages.join(' ')} with apt-get ...`);
  // apt's output goes to stderr: it is progress, not the report.
  const aptOptions = { stdio: ['ignore', 2, 2], timeout: APT_TIMEOUT_MS };
  for (const args of [['update', '-qq'], ['install', '-y', '-qq', '--no-install-recommends', ...debianPackages]]) {
    const run = asAdmin('apt-get', args, aptOptions);
    if (run.status !== 0) fail(`apt-get ${args[0]} failed (${outcome(run)}); the command was: ${installCommand(debianPackages, false)}`);
  }
  // Tests start private instances on free ports; the system services apt just started would only hold ports.
  for (const entry of missing) if (entry.service) asAdmin('service', [entry.service, 'stop'], { stdio: 'ignore', timeout: 60_000 });
  const stillMissing = missing.filter((entry) => !entry.found());
  if (stillMissing.length > 0) fail(`apt-get installed ${debianPackages.join(' ')}, but looking again found nothing at ${stillMissing.map((entry) => entry.lookedFor).join('; ')}`);
  installed.push(...missing.map((entry) => entry.name));
}

if (prepareCodeServer) {
  console.error(`test prerequisites: preparing ${CODE_SERVER} (a few minutes, once) ...`);
  const run = spawnSync('bash', [prepareScript], { stdio: ['ignore', 'ignore', 'inherit'], timeout: PREPARE_TIMEOUT_MS });
  if (run.status !== 0 || codeServerUnprepared()) fail(`scripts/prepare-code-server.sh failed (${outcome(run)}; its output is above)`);
  installed.push(CODE_SERVER);
}

console.log(`test prerequisites: already there: ${listed(present)}; installed: ${listed(installed)}`);
