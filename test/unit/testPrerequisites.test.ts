/**
 * scripts/test-prerequisites.mjs, the first step of `npm test`, on fake machines: a PATH folder and a package root
 * holding only the files the step looks for, with apt-get, service and sudo replaced by scripts that log their
 * arguments (apt-get "installs" by creating a package's files), so nothing here touches the real machine.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, it } from 'node:test';

const repositoryRoot = new URL('../../', import.meta.url).pathname;
const step = join(repositoryRoot, 'scripts/test-prerequisites.mjs');
const npmCli = process.env.npm_execpath ?? join(dirname(process.execPath), '../lib/node_modules/npm/bin/npm-cli.js');
const sudo = process.getuid?.() === 0 ? '' : 'sudo ';

/** What each Debian package puts where the step looks: `root/` is the package root, `bin/` the only PATH folder. */
const PACKAGE_FILES: Record<string, string[]> = {
  postgresql: ['root/usr/lib/postgresql/15/bin/initdb', 'root/usr/lib/postgresql/15/bin/pg_ctl'],
  'rabbitmq-server': ['root/usr/lib/rabbitmq/bin/rabbitmq-server'],
  chromium: ['root/usr/bin/chromium'],
  ripgrep: ['bin/rg'],
  unzip: ['bin/unzip'],
  'build-essential': ['bin/cc', 'bin/g++', 'bin/make'],
  python3: ['bin/python3'],
  nginx: ['root/usr/sbin/nginx'],
  openssl: ['bin/openssl'],
};
const EVERY_PACKAGE = Object.keys(PACKAGE_FILES);

class FakeMachine {
  readonly folder = mkdtempSync(join(tmpdir(), 'simone-prerequisites-'));
  private readonly log = join(this.folder, 'calls.log');

  constructor(packages: string[], { codeServerPrepared = true } = {}) {
    mkdirSync(join(this.folder, 'bin'));
    // npm runs scripts with sh and the step with node; the step runs the prepare script with bash; the fake sudo is asked to run true.
    for (const [name, target] of [['sh', '/bin/sh'], ['bash', '/bin/bash'], ['node', process.execPath], ['true', '/bin/true']]) symlinkSync(target, join(this.folder, 'bin', name));
    for (const file of packages.flatMap((name) => PACKAGE_FILES[name])) this.writeExecutable(file, '');
    for (const command of ['apt-get', 'service']) this.writeExecutable(`bin/${command}`, this.loggingFake(command));
    this.writeExecutable('bin/sudo', this.sudoFake());
    if (codeServerPrepared) this.writeExecutable('cache/code-server-4.96.4/.simone-prepared', '2025-01-01T00:00:00Z\n');
  }

  /** The environment that makes the step see only this machine. */
  env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
    return {
      PATH: join(this.folder, 'bin'),
      HOME: this.folder,
      SIMONE_TEST_PACKAGE_ROOT: join(this.folder, 'root'),
      SIMONE_CODE_SERVER_CACHE: join(this.folder, 'cache'),
      npm_config_update_notifier: 'false',
      ...extra,
    };
  }

  /** Every apt-get and service command the step ran, in order. */
  calls(): string[] {
    return existsSync(this.log) ? readFileSync(this.log, 'utf8').trim().split('\n') : [];
  }

  dispose(): void {
    rmSync(this.folder, { recursive: true, force: true });
  }

  private writeExecutable(file: string, text: string): void {
    mkdirSync(dirname(join(this.folder, file)), { recursive: true });
    writeFileSync(join(this.folder, file), text, { mode: 0o755 });
  }

  private loggingFake(command: string): string {
    return `#!${process.execPath}
const { appendFileSync, mkdirSync, writeFileSync } = require('node:fs');
const { dirname, join } = require('node:path');
const args = process.argv.slice(2);
appendFileSync(${JSON.stringify(this.log)}, [${JSON.stringify(command)}, ...args].join(' ') + '\\n');
const files = ${JSON.stringify(PACKAGE_FILES)};
if (${JSON.stringify(command)} === 'apt-get' && args[0] === 'install') {
  for (const file of args.flatMap((name) => files[name] ?? [])) {
    mkdirSync(dirname(join(${JSON.stringify(this.folder)}, file)), { recursive: true });
    writeFileSync(join(${JSON.stringify(this.folder)}, file), '', { mode: 0o755 });
  }
}
`;
  }

  /** Passwordless sudo: runs the command with the VAR=value words it was given (only used when the test is not root). */
  private sudoFake(): string {
    return `#!${process.execPath}
const args = process.argv.slice(2).filter((arg) => arg !== '-n');
const env = { ...process.env };
while (/^[A-Z_]+=/.test(args[0] ?? '')) { const [name, ...value] = args.shift().split('='); env[name] = value.join('='); }
const run = require('node:child_process').spawnSync(args[0], args.slice(1), { stdio: 'inherit', env });
process.exit(run.status ?? 1);
`;
  }
}

function runStep(machine: FakeMachine, extra: Record<string, string> = {}) {
  return spawnSync(process.execPath, [step], { cwd: repositoryRoot, env: machine.env(extra), encoding: 'utf8', timeout: 60_000 });
}

/** The lines of the message that name a missing component. */
const missingLines = (output: string) => output.split('\n').filter((line) => line.startsWith('  - '));

describe('the test prerequisite step (scripts/test-prerequisites.mjs)', () => {
  const machines: FakeMachine[] = [];
  const machine = (packages: string[], options?: { codeServerPrepared?: boolean }) => {
    const made = new FakeMachine(packages, options);
    machines.push(made);
    return made;
  };
  after(() => machines.forEach((made) => made.dispose()));

  it('stops `npm test` before any suite when rabbitmq-server and Chromium are missing and installing is off: one message names both and the one command', () => {
    const fake = machine(EVERY_PACKAGE.filter((name) => name !== 'rabbitmq-server' && name !== 'chromium'));
    const run = spawnSync(process.execPath, [npmCli, 'test'], { cwd: repositoryRoot, env: fake.env({ SIMONE_TEST_NO_INSTALL: '1' }), encoding: 'utf8', timeout: 60_000 });
    const output = run.stdout + run.stderr;
    assert.equal(run.status, 1, output);
    assert.equal(output.split('missing what the test suites need, so no suite ran').length, 2, output);
    assert.deepEqual(
      missingLines(output).map((line) => line.split(':')[0]),
      ['  - RabbitMQ (Debian package rabbitmq-server)', '  - Chromium (Debian package chromium)'],
    );
    assert.ok(output.includes(`\n  ${sudo}apt-get update && ${sudo}apt-get install -y --no-install-recommends rabbitmq-server chromium\n`), output);
    assert.match(output, /installing is off: SIMONE_TEST_NO_INSTALL=1/);
    // npm echoes a script's command as it starts it: the test script (typecheck first) never started.
    assert.doesNotMatch(output, /npm run typecheck/);
    assert.deepEqual(fake.calls(), []);
  });

  it('passes a complete machine without installing anything, and says everything was already there', () => {
    const fake = machine(EVERY_PACKAGE);
    const run = runStep(fake);
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stdout, 'test prerequisites: already there: PostgreSQL, RabbitMQ, Chromium, ripgrep, unzip, C/C++ toolchain, python3, nginx, openssl, code-server 4.96.4; installed: none\n');
    assert.deepEqual(fake.calls(), []);
  });

  it('installs what is missing with apt-get, stops the services apt started, and reports what it installed', () => {
    const fake = machine(EVERY_PACKAGE.filter((name) => !['rabbitmq-server', 'chromium', 'nginx'].includes(name)));
    const run = runStep(fake);
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(fake.calls(), [
      'apt-get update -qq',
      'apt-get install -y -qq --no-install-recommends rabbitmq-server chromium nginx',
      'service rabbitmq-server stop',
      'service nginx stop',
    ]);
    assert.equal(run.stdout, 'test prerequisites: already there: PostgreSQL, ripgrep, unzip, C/C++ toolchain, python3, openssl, code-server 4.96.4; installed: RabbitMQ, Chromium, nginx\n');
  });

  it('names an unprepared code-server and gives the prepare script as the command when installing is off', () => {
    const fake = machine(EVERY_PACKAGE, { codeServerPrepared: false });
    const run = runStep(fake, { SIMONE_TEST_NO_INSTALL: '1' });
    assert.equal(run.status, 1, run.stdout);
    assert.deepEqual(missingLines(run.stderr), [`  - code-server 4.96.4: not prepared in ${join(fake.folder, 'cache/code-server-4.96.4')}`]);
    assert.ok(run.stderr.includes('\n  bash scripts/prepare-code-server.sh\n'), run.stderr);
    assert.deepEqual(fake.calls(), []);
  });
});
