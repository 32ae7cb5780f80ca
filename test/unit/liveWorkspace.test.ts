import assert from 'node:assert/strict';
import { symlinkSync } from 'node:fs';
import { after, describe, it } from 'node:test';
import type { EnvironmentLayer } from '../../src/core/env';
import { LiveWorkspace } from '../../src/core/liveWorkspace';
import type { RequestResponseIntegration } from '../../src/core/model';
import type { Workspace } from '../../src/core/workspace';
import { memoryFileSystem } from '../support/memoryFileSystem';
import { TempWorkspace } from '../support/tempWorkspace';

const INTEGRATIONS = '.simone/integrations';
const api = (name: string, baseUrl: string) =>
  `integration:\n  type: request_response\n  name: ${name}\n  base_url: ${baseUrl}\n  auth:\n    type: bearer\n    token: \${API_TOKEN}\n  endpoints:\n    status: /status\n`;
const secretLayer = (values: Record<string, string>): EnvironmentLayer => ({ origin: "VS Code's secret storage", values: new Map(Object.entries(values)) });
const httpIntegration = (workspace: Workspace, name: string) => workspace.integration(name) as RequestResponseIntegration | undefined;

const folders: TempWorkspace[] = [];
after(() => folders.forEach((folder) => folder.dispose()));
function folder(files: Record<string, string>): TempWorkspace {
  const created = new TempWorkspace(files);
  folders.push(created);
  return created;
}

/** A LiveWorkspace whose snapshots are recorded as they are announced. */
function live(options: ConstructorParameters<typeof LiveWorkspace>[0]) {
  const workspace = new LiveWorkspace(options);
  const announced: Workspace[] = [];
  workspace.onDidChange((snapshot) => announced.push(snapshot));
  return { workspace, announced };
}

describe('Workspace built from unsaved texts, files on disk and a secret layer', () => {
  it('the unsaved text wins over disk, the secret layer resolves ${VAR}, and URIs are real file:// URIs', () => {
    const disk = folder({ [`${INTEGRATIONS}/crm.yaml`]: api('crm_api', 'http://127.0.0.1:1/saved'), [`${INTEGRATIONS}/billing.yaml`]: api('billing_api', '${BILLING_URL}'), '.env': 'API_TOKEN=from-dotenv\nBILLING_URL=http://127.0.0.1:2\n' });
    const { workspace } = live({ folders: [disk.root], processEnv: {} });
    workspace.setOpenText(disk.uri(`${INTEGRATIONS}/crm.yaml`), api('crm_api', 'http://127.0.0.1:1/unsaved'), 2);
    workspace.setEnvironmentLayers([secretLayer({ API_TOKEN: 'from-secret-storage' })]);
    const snapshot = workspace.snapshot;

    const crm = httpIntegration(snapshot, 'crm_api');
    assert.equal(crm?.baseUrl, 'http://127.0.0.1:1/unsaved', 'the editor text, not the saved one');
    assert.deepEqual(crm?.auth, { type: 'bearer', token: 'from-secret-storage' }, 'the secret layer comes before .env');
    assert.equal(httpIntegration(snapshot, 'billing_api')?.baseUrl, 'http://127.0.0.1:2', 'the .env still resolves what the secret layer does not define');
    assert.deepEqual(snapshot.files.map((file) => file.uri).sort(), [disk.uri(`${INTEGRATIONS}/billing.yaml`), disk.uri(`${INTEGRATIONS}/crm.yaml`)]);
    assert.match(snapshot.files[0].uri, /^file:\/\/\//);
    assert.equal(crm?.source.uri, disk.uri(`${INTEGRATIONS}/crm.yaml`));
    assert.equal(snapshot.folderOf(crm.source.uri), disk.root);
    assert.deepEqual(snapshot.index.definitions('integration').map((entry) => entry.name).sort(), ['billing_api', 'crm_api']);
  });

  it('an unsaved document with no file yet belongs to the workspace too', () => {
    const { workspace } = live({ folders: ['/w'], fileSystem: memoryFileSystem({ '/w/.env': 'API_TOKEN=t\n' }), processEnv: {} });
    workspace.setOpenText('untitled:Untitled-1', api('draft_api', 'http://127.0.0.1:3'), 1);
    assert.equal(httpIntegration(workspace.snapshot, 'draft_api')?.baseUrl, 'http://127.0.0.1:3');
    assert.equal(workspace.snapshot.folderOf('untitled:Untitled-1'), '/w');
  });

  it('an unsaved text over the size limit, or with NULs, is not parsed: it carries the file\'s one diagnostic instead', () => {
    const { workspace } = live({ folders: ['/w'], fileSystem: memoryFileSystem({}), processEnv: {}, limits: { yamlBytes: 200, dotEnvBytes: 200 } });
    workspace.setOpenText('file:///w/.simone/integrations/big.yaml', `${api('big_api', 'http://127.0.0.1:3')}# ${'x'.repeat(200)}\n`, 1);
    workspace.setOpenText('file:///w/.simone/integrations/nul.yaml', `${api('nul_api', 'http://127.0.0.1:3')}\0`, 1);
    const problems = workspace.snapshot.files.map((file) => [file.uri.split('/').pop(), file.documents.length, file.syntaxDiagnostics.map((entry) => entry.code)]);
    assert.deepEqual(problems.sort(), [['big.yaml', 0, ['file-too-large']], ['nul.yaml', 0, ['file-encoding']]]);
    assert.equal(workspace.snapshot.integration('big_api'), undefined);
  });
});

describe('LiveWorkspace: versions, the change event, and what it reuses', () => {
  const files = { '/w/.simone/integrations/a.yaml': api('a_api', 'http://127.0.0.1:1'), '/w/.simone/integrations/b.yaml': api('b_api', 'http://127.0.0.1:2'), '/w/.env': 'API_TOKEN=t\n' };

  it('every change is a new snapshot with the next version, announced once; a no-op is not a change', () => {
    const { workspace, announced } = live({ folders: ['/w'], fileSystem: memoryFileSystem(files), processEnv: {} });
    const first = workspace.snapshot;
    assert.equal(first.version, 1);
    workspace.setOpenText('file:///w/.simone/integrations/a.yaml', api('a_api', 'http://127.0.0.1:9'), 5);
    workspace.setOpenText('file:///w/.simone/integrations/a.yaml', api('a_api', 'http://127.0.0.1:9'), 5);
    workspace.closeText('file:///w/.simone/integrations/never-opened.yaml');
    workspace.filesChanged(['/elsewhere/x.yaml']);
    assert.deepEqual(announced.map((snapshot) => snapshot.version), [2]);
    assert.equal(announced[0], workspace.snapshot);
    workspace.closeText('file:///w/.simone/integrations/a.yaml');
    assert.deepEqual(announced.map((snapshot) => snapshot.version), [2, 3]);
    assert.equal(httpIntegration(workspace.snapshot, 'a_api')?.baseUrl, 'http://127.0.0.1:1', 'closed: the file on disk again');
    assert.equal(httpIntegration(first, 'a_api')?.baseUrl, 'http://127.0.0.1:1', 'an older snapshot never changes');
    assert.equal(httpIntegration(announced[0], 'a_api')?.baseUrl, 'http://127.0.0.1:9');
  });

  it('reads again only the file reported changed, and reuses parsed files and models that did not change', () => {
    const fileSystem = memoryFileSystem({ ...files });
    const { workspace } = live({ folders: ['/w'], fileSystem, processEnv: {} });
    const before = workspace.snapshot;
    const readsBefore = fileSystem.reads.length;
    workspace.setEnvironmentLayers([secretLayer({ OTHER: 'x' })]);
    assert.equal(fileSystem.reads.length, readsBefore, 'a new environment layer reads no file');
    assert.ok(workspace.snapshot.files.every((file, index) => file === before.files[index]), 'the same parsed files');
    workspace.filesChanged(['/w/.simone/integrations/a.yaml']);
    assert.deepEqual(fileSystem.reads.slice(readsBefore), ['/w/.simone/integrations/a.yaml']);
    const after = workspace.snapshot;
    const b = (snapshot: Workspace) => snapshot.files.find((file) => file.uri.endsWith('/b.yaml'));
    assert.equal(b(after), b(before), 'b.yaml was not parsed again');
    const once = after.integration('b_api');
    workspace.setOpenText('file:///w/.simone/integrations/a.yaml', api('a_api', 'http://127.0.0.1:8'), 2);
    assert.equal(workspace.snapshot.integration('b_api'), once, "b's model is reused while the environment is the same");
  });

  it('follows files created, deleted and ignored on disk, .env changes and folders added or removed', () => {
    const disk = folder({ [`${INTEGRATIONS}/a.yaml`]: api('a_api', '${BASE}'), '.env': 'API_TOKEN=t\nBASE=http://127.0.0.1:1\n' });
    const other = folder({ [`${INTEGRATIONS}/c.yaml`]: api('c_api', 'http://127.0.0.1:3') });
    const { workspace, announced } = live({ folders: [disk.root], processEnv: {} });
    const names = () => workspace.snapshot.integrations().map((integration) => integration.name).sort();

    disk.write(`${INTEGRATIONS}/b.yaml`, api('b_api', 'http://127.0.0.1:2'));
    workspace.filesChanged([disk.path(`${INTEGRATIONS}/b.yaml`)]);
    assert.deepEqual(names(), ['a_api', 'b_api'], 'created');
    disk.write('.env', 'API_TOKEN=t\nBASE=http://127.0.0.1:7\n');
    workspace.filesChanged([disk.path('.env')]);
    assert.equal(httpIntegration(workspace.snapshot, 'a_api')?.baseUrl, 'http://127.0.0.1:7', '.env read again');
    disk.remove(`${INTEGRATIONS}/b.yaml`);
    workspace.filesChanged([disk.path(`${INTEGRATIONS}/b.yaml`)]);
    assert.deepEqual(names(), ['a_api'], 'deleted');
    disk.write(`vendor/${INTEGRATIONS}/v.yaml`, api('v_api', 'http://127.0.0.1:4'));
    workspace.filesChanged([disk.path('vendor')]);
    assert.deepEqual(names(), ['a_api', 'v_api'], 'a folder created with files in it');
    disk.write('.simoneignore', 'vendor/\n');
    workspace.filesChanged([disk.path('.simoneignore')]);
    assert.deepEqual(names(), ['a_api'], '.simoneignore honoured');
    workspace.setFolders([disk.root, other.root]);
    assert.deepEqual(names(), ['a_api', 'c_api']);
    workspace.setFolders([other.root]);
    assert.deepEqual(names(), ['c_api']);
    assert.deepEqual(announced.map((snapshot) => snapshot.version), [2, 3, 4, 5, 6, 7, 8]);
  });

  it('reports what it cannot read in the snapshot, and stops after dispose', () => {
    const disk = folder({ [`${INTEGRATIONS}/a.yaml`]: api('a_api', 'http://127.0.0.1:1') });
    symlinkSync('loop.yaml', disk.path(`${INTEGRATIONS}/loop.yaml`));
    const { workspace, announced } = live({ folders: [disk.root], processEnv: {} });
    assert.deepEqual(workspace.snapshot.unreadable.map((error) => [error.path, error.message]), [[disk.path(`${INTEGRATIONS}/loop.yaml`), 'symlink loop']]);
    assert.deepEqual(workspace.snapshot.integrations().map((integration) => integration.name), ['a_api'], 'the rest is read');
    workspace.dispose();
    workspace.setOpenText(disk.uri(`${INTEGRATIONS}/a.yaml`), '', 2);
    assert.deepEqual(announced, []);
    assert.equal(workspace.snapshot.version, 1);
  });
});
