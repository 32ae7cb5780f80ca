import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { after, describe, it } from 'node:test';
import { main } from '../../src/cli/main';
import { readDotEnv } from '../../src/core/env';
import { FileSystemError, nodeFileSystem } from '../../src/core/fileSystem';
import { findIntegrationFiles } from '../../src/core/integrationFiles';
import { readSimoneProject } from '../../src/core/simone/readProject';
import { notUtf8Text } from '../../src/core/textEncoding';
import { parseSize, textLimitsFromEnvironment } from '../../src/core/textLimits';
import { Workspace, WorkspaceLoadError } from '../../src/core/workspace';
import { TempWorkspace } from '../support/tempWorkspace';

const ROOT = resolve(__dirname, '../..');
const INTEGRATIONS = '.simone/integrations';
const api = (name: string) => `integration:\n  type: request_response\n  name: ${name}\n  base_url: http://127.0.0.1:4010\n  endpoints:\n    status: /status\n`;
const MB = 1024 * 1024;
/** A generous bound: what is asserted is "does not block", not a speed. */
const PROMPTLY_MS = 15_000;

const workspaces: TempWorkspace[] = [];
after(() => workspaces.forEach((workspace) => workspace.dispose()));
function workspace(files: Record<string, string> = {}): TempWorkspace {
  const created = new TempWorkspace(files);
  workspaces.push(created);
  return created;
}

function mkfifo(path: string): void {
  const made = spawnSync('mkfifo', [path]);
  assert.equal(made.status, 0, `mkfifo ${path}: ${made.stderr}`);
}

/** The CLI in this process, for inputs that cannot block it. */
async function cli(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(args, { stdout: (text) => (stdout += text), stderr: (text) => (stderr += text), cwd, env, signal: new AbortController().signal });
  return { code, stdout, stderr };
}

/**
 * The CLI as a child process (in the repository, where tsx resolves), for inputs that would block a process that
 * read them: a hang is a timeout, not a frozen test run.
 */
function cliProcess(args: string[], options: { uid?: number; gid?: number } = {}) {
  const started = performance.now();
  const run = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli/main.ts'), ...args], { cwd: ROOT, encoding: 'utf8', env: { PATH: process.env.PATH }, timeout: 60_000, ...options });
  return { ...run, ms: performance.now() - started };
}

function loadError(run: () => unknown): WorkspaceLoadError {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof WorkspaceLoadError, `a WorkspaceLoadError, not ${String(error)}`);
    return error;
  }
  assert.fail('no error');
}

describe('only regular files are read, and nothing blocks', () => {
  it('a FIFO named x.yaml: validate answers promptly, exit 2 with its path and what it is', () => {
    const folder = workspace({ [`${INTEGRATIONS}/ok.yaml`]: api('ok_api') });
    mkfifo(folder.path(`${INTEGRATIONS}/x.yaml`));
    const run = cliProcess(['validate', folder.root]);
    assert.equal(run.signal, null, 'validate hung on the FIFO');
    assert.equal(run.status, 2, run.stdout + run.stderr);
    assert.equal(run.stderr, `simone-integrations: cannot read ${folder.path(`${INTEGRATIONS}/x.yaml`)}: not a regular file (a FIFO)\n`);
    assert.ok(run.ms < PROMPTLY_MS, `${run.ms} ms`);
  });

  it('a FIFO named .env: validate answers promptly, exit 2 with its path', () => {
    const folder = workspace({ [`${INTEGRATIONS}/ok.yaml`]: api('ok_api') });
    mkfifo(folder.path('.env'));
    const run = cliProcess(['validate', folder.root]);
    assert.equal(run.signal, null, 'validate hung on the FIFO');
    assert.equal(run.status, 2, run.stdout + run.stderr);
    assert.equal(run.stderr, `simone-integrations: cannot read ${folder.path('.env')}: not a regular file (a FIFO)\n`, 'outside the current directory: the absolute path');
  });

  it('a symlink to /dev/zero is not a regular file: refused before a byte is read', () => {
    const folder = workspace({ [`${INTEGRATIONS}/ok.yaml`]: api('ok_api') });
    symlinkSync('/dev/zero', folder.path(`${INTEGRATIONS}/zero.yaml`));
    symlinkSync('/dev/zero', folder.path('.env'));
    const error = loadError(() => Workspace.load({ paths: ['.'], cwd: folder.root, processEnv: {} }));
    assert.deepEqual(error.unreadable.map((entry) => [entry.path, entry.message]), [
      [folder.path(`${INTEGRATIONS}/zero.yaml`), 'not a regular file (a device)'],
      [folder.path('.env'), 'not a regular file (a device)'],
    ]);
    assert.equal(error.message, `cannot read ${folder.path(`${INTEGRATIONS}/zero.yaml`)}: not a regular file (a device) (and 1 more)`);
    assert.throws(() => nodeFileSystem.readText('/dev/zero', MB), (thrown: unknown) => thrown instanceof FileSystemError && thrown.reason === 'not-a-file');
    // What the language server and the editor get: an empty layer that says why.
    const read = readDotEnv(folder.path('.env'));
    assert.equal(read.layer.values.size, 0);
    assert.equal(read.unreadable?.message, 'not a regular file (a device)');
  });

  it('a missing path given is "no such file or folder"', () => {
    const folder = workspace();
    assert.equal(loadError(() => Workspace.load({ paths: ['nowhere'], cwd: folder.root, processEnv: {} })).message, `cannot read ${folder.path('nowhere')}: no such file or folder`);
  });
});

describe('size limits', () => {
  it('a 6 MB integration file is not parsed: one diagnostic naming the file, its size, the limit and the setting', async () => {
    const folder = workspace({ [`${INTEGRATIONS}/ok.yaml`]: api('ok_api') });
    writeFileSync(folder.path(`${INTEGRATIONS}/huge.yaml`), `# ${'x'.repeat(6 * MB)}\n${api('huge_api')}`);
    const loaded = Workspace.load({ cwd: folder.root, processEnv: {} });
    const huge = loaded.files.find((file) => file.uri.endsWith('/huge.yaml'));
    assert.ok(huge);
    assert.equal(huge.documents.length, 0, 'not parsed');
    assert.equal(huge.text, '', 'not kept either');
    const run = await cli(['validate', '--format', 'json'], folder.root);
    assert.equal(run.code, 1);
    const report = JSON.parse(run.stdout) as { files: number; diagnostics: Array<Record<string, unknown>> };
    assert.equal(report.files, 2);
    assert.deepEqual(report.diagnostics, [
      {
        file: `${INTEGRATIONS}/huge.yaml`, line: 1, column: 1, endLine: 1, endColumn: 1, severity: 'error', code: 'file-too-large',
        message: 'huge.yaml is 6 MB, over the 5 MB limit for YAML files (SIMONE_MAX_YAML_SIZE): it is not read',
      },
    ]);
  });

  it('a .env over its limit: one diagnostic on the .env, its variables unread; the limits come from the environment', async () => {
    const folder = workspace({ [`${INTEGRATIONS}/ok.yaml`]: api('ok_api').replace('http://127.0.0.1:4010', '${BASE_URL}'), '.env': `BASE_URL=http://127.0.0.1:4010\n# ${'x'.repeat(2000)}\n` });
    const limited = await cli(['validate'], folder.root, { SIMONE_MAX_ENV_SIZE: '1KB' });
    assert.equal(limited.code, 1);
    assert.match(limited.stdout, /^\.env:1:1: error file-too-large: \.env is 2 KB, over the 1 KB limit for \.env files \(SIMONE_MAX_ENV_SIZE\): it is not read\n/);
    assert.match(limited.stdout, /warning env-undefined: \$\{BASE_URL\}/);
    const within = await cli(['validate'], folder.root);
    assert.equal(within.stdout, '1 file checked: 0 errors, 0 warnings\n');
    const bad = await cli(['validate'], folder.root, { SIMONE_MAX_YAML_SIZE: 'lots' });
    assert.equal(bad.code, 2);
    assert.equal(bad.stderr, 'simone-integrations: SIMONE_MAX_YAML_SIZE="lots" is not a size (write e.g. 8MB, 512KB or a number of bytes)\n');
  });

  it('reads sizes as editors count them', () => {
    assert.deepEqual(['5MB', '512KB', '1.5 mb', '100', '2gb'].map(parseSize), [5 * MB, 512 * 1024, 1.5 * MB, 100, 2048 * MB]);
    assert.deepEqual(['', 'MB', '-1', '0', '5 TB'].map(parseSize), [undefined, undefined, undefined, undefined, undefined]);
    const read = textLimitsFromEnvironment({ SIMONE_MAX_YAML_SIZE: '8MB' });
    assert.ok(read.ok);
    assert.deepEqual([read.limits.yamlBytes, read.limits.dotEnvBytes], [8 * MB, MB]);
  });
});

describe('encodings', () => {
  const yaml = api('encoded_api');

  it('a UTF-16 file and a binary file: one "not UTF-8 text" diagnostic at 1:1 each, not a wall of syntax errors', async () => {
    const folder = workspace();
    mkdirSync(folder.path(INTEGRATIONS), { recursive: true });
    writeFileSync(folder.path(`${INTEGRATIONS}/utf16.yaml`), Buffer.from(`\uFEFF${yaml}`, 'utf16le'));
    writeFileSync(folder.path(`${INTEGRATIONS}/binary.yaml`), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52, 0, 0, 1, 0]));
    writeFileSync(folder.path(`${INTEGRATIONS}/latin1.yaml`), Buffer.from(`${yaml}  description: caf\u00e9\n`, 'latin1'));
    const run = await cli(['validate'], folder.root);
    assert.equal(run.stdout, [
      `${INTEGRATIONS}/binary.yaml:1:1: error file-encoding: not UTF-8 text (looks like binary)`,
      `${INTEGRATIONS}/latin1.yaml:1:1: error file-encoding: not UTF-8 text (a byte on line 7 is not UTF-8: Latin-1 or another 8-bit encoding?)`,
      `${INTEGRATIONS}/utf16.yaml:1:1: error file-encoding: not UTF-8 text (looks like UTF-16)`,
      '3 files checked: 3 errors, 0 warnings',
      '',
    ].join('\n'));
  });

  it('the same check over an editor\'s text: a UTF-16 or binary file decoded as UTF-8 keeps its NULs', () => {
    assert.equal(notUtf8Text(Buffer.from(yaml, 'utf16le').toString('latin1')), 'not UTF-8 text (looks like UTF-16)');
    assert.equal(notUtf8Text('PNG\0\0\0\u0001\u0002IHDR\0\0'), 'not UTF-8 text (looks like binary)');
    assert.equal(notUtf8Text(yaml), undefined);
    assert.equal(notUtf8Text(Buffer.from(`\uFEFF${yaml}`)), undefined, 'UTF-8 with a byte order mark is UTF-8');
    assert.equal(notUtf8Text(Buffer.from(`\uFEFF${yaml}`, 'utf16le').swap16()), 'not UTF-8 text (looks like UTF-16)', 'big-endian too');
  });

  it('a UTF-8 byte order mark is dropped, as editors do, so columns agree with the server', () => {
    const folder = workspace();
    mkdirSync(folder.path(INTEGRATIONS), { recursive: true });
    writeFileSync(folder.path(`${INTEGRATIONS}/bom.yaml`), `\uFEFF${yaml}`);
    assert.equal(Workspace.load({ cwd: folder.root, processEnv: {} }).files[0].text, yaml);
  });
});

describe('finding integration files', () => {
  it('follows symlinked files and folders, prints them by the path that reached them, and finds a file once', async () => {
    const elsewhere = workspace({ 'real.yaml': api('linked_file'), [`${INTEGRATIONS}/in_linked_folder.yaml`]: api('linked_folder') });
    const folder = workspace({ [`${INTEGRATIONS}/own.yaml`]: api('own_api') });
    symlinkSync(elsewhere.path('real.yaml'), folder.path(`${INTEGRATIONS}/linked.yaml`));
    symlinkSync(elsewhere.root, folder.path('vendor'));
    symlinkSync(folder.path(`${INTEGRATIONS}/own.yaml`), folder.path(`${INTEGRATIONS}/own_again.yaml`));
    symlinkSync('../..', folder.path(`${INTEGRATIONS}/up`));
    const search = findIntegrationFiles(folder.root);
    assert.deepEqual(search.unreadable, []);
    assert.deepEqual(search.files, [folder.path(`${INTEGRATIONS}/linked.yaml`), folder.path(`${INTEGRATIONS}/own.yaml`), folder.path(`vendor/${INTEGRATIONS}/in_linked_folder.yaml`)]);
    const run = await cli(['validate'], folder.root);
    assert.equal(run.stdout, '3 files checked: 0 errors, 0 warnings\n');
  });

  it('prints another file named in a message as a path too, as before files were known by URI', async () => {
    const folder = workspace({ [`${INTEGRATIONS}/a.yaml`]: api('same_api'), [`${INTEGRATIONS}/b.yaml`]: api('same_api') });
    const run = await cli(['validate'], folder.root);
    assert.match(run.stdout, new RegExp(`^${INTEGRATIONS}/a.yaml:3:9: error name-duplicate: Integration name "same_api" is also used at ${INTEGRATIONS}/b.yaml:3\\.$`, 'm'));
  });

  it('keeps skipping node_modules, .git and what .simoneignore names', () => {
    const folder = workspace({
      [`${INTEGRATIONS}/kept.yaml`]: api('kept'),
      [`node_modules/pkg/${INTEGRATIONS}/a.yaml`]: api('a'),
      [`.git/${INTEGRATIONS}/b.yaml`]: api('b'),
      [`fixtures/${INTEGRATIONS}/c.yaml`]: api('c'),
      '.simoneignore': '# test data\nfixtures/\n',
    });
    assert.deepEqual(findIntegrationFiles(folder.root).files, [folder.path(`${INTEGRATIONS}/kept.yaml`)]);
  });

  it('a symlink loop is reported as such, with its path, and validate exits 2', async () => {
    const folder = workspace({ [`${INTEGRATIONS}/ok.yaml`]: api('ok_api') });
    symlinkSync('b.yaml', folder.path(`${INTEGRATIONS}/a.yaml`));
    symlinkSync('a.yaml', folder.path(`${INTEGRATIONS}/b.yaml`));
    symlinkSync('loop', folder.path('loop'));
    assert.deepEqual(findIntegrationFiles(folder.root).unreadable.map((error) => [error.path, error.message]), [
      [folder.path(`${INTEGRATIONS}/a.yaml`), 'symlink loop'],
      [folder.path(`${INTEGRATIONS}/b.yaml`), 'symlink loop'],
      [folder.path('loop'), 'symlink loop'],
    ]);
    const run = await cli(['validate'], folder.root);
    assert.equal(run.code, 2);
    assert.equal(run.stderr, `simone-integrations: cannot read ${INTEGRATIONS}/a.yaml: symlink loop (and 2 more)\n`);
  });

  it('a dangling symlink named like an integration file is an error; other dangling links are not', () => {
    const folder = workspace({ [`${INTEGRATIONS}/ok.yaml`]: api('ok_api') });
    symlinkSync('gone.yaml', folder.path(`${INTEGRATIONS}/dangling.yaml`));
    symlinkSync('gone', folder.path('build-output'));
    assert.deepEqual(findIntegrationFiles(folder.root).unreadable.map((error) => [error.path, error.message]), [[folder.path(`${INTEGRATIONS}/dangling.yaml`), 'broken symlink (its target does not exist)']]);
  });

  it('an unreadable folder (chmod 000) is an error with its path and exit code 2, not "0 files checked"', () => {
    const folder = workspace({ [`${INTEGRATIONS}/ok.yaml`]: api('ok_api'), 'team/.simone/integrations/hidden.yaml': api('hidden') });
    chmodSync(folder.root, 0o755);
    chmodSync(folder.path('team'), 0o000);
    try {
      // Root reads through chmod 000, so then the check runs as `nobody`, who cannot.
      const asUser = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
      const run = cliProcess(['validate', folder.root, '--format', 'json'], asUser);
      assert.equal(run.status, 2, run.stdout + run.stderr);
      assert.equal(run.stderr, `simone-integrations: cannot read ${folder.path('team')}: permission denied\n`);
      assert.equal(run.stdout, '');
    } finally {
      chmodSync(folder.path('team'), 0o755);
    }
  });
});

describe('the Simone project reader reads through the same seam', () => {
  it('a device or an oversized task file is a located problem; the rest is read', () => {
    const folder = workspace({ '.simone/04_GENERAL_TASKS/T001_Ok.md': '---\ntask_id: T001\nstatus: open\n---\n' });
    symlinkSync('/dev/zero', folder.path('.simone/04_GENERAL_TASKS/T002_Zero.md'));
    writeFileSync(folder.path('.simone/04_GENERAL_TASKS/T003_Big.md'), `---\nstatus: open\n---\n${'x'.repeat(2048)}`);
    const project = readSimoneProject(folder.path('.simone'), nodeFileSystem, { yamlBytes: 1024, dotEnvBytes: 1024 });
    assert.deepEqual(project.tasks.map((task) => task.id), ['T001']);
    assert.deepEqual(project.problems.map((problem) => [problem.file.slice(folder.root.length + 1), problem.line, problem.message]), [
      ['.simone/04_GENERAL_TASKS/T002_Zero.md', 1, 'cannot read: not a regular file (a device)'],
      ['.simone/04_GENERAL_TASKS/T003_Big.md', 1, 'T003_Big.md is 2 KB, over the 1 KB limit for YAML files: it is not read'],
    ]);
  });
});
