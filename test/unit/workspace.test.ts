import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EMPTY_ENVIRONMENT } from '../../src/core/env';
import { pathToUri } from '../../src/core/uris';
import { Workspace } from '../../src/core/workspace';

describe('Workspace.folderOf', () => {
  it('picks the folder that really contains the file, not one that only shares a prefix, for URIs and paths', () => {
    const workspace = new Workspace({ folders: ['/tmp/app', '/tmp/app2', '/tmp/app2/nested'], files: [], env: EMPTY_ENVIRONMENT });
    assert.equal(workspace.folderOf(pathToUri('/tmp/app2/.simone/integrations/x.yaml')), '/tmp/app2');
    assert.equal(workspace.folderOf(pathToUri('/tmp/app2/nested/.simone/integrations/x.yaml')), '/tmp/app2/nested');
    assert.equal(workspace.folderOf('/tmp/app/.simone/integrations/x.yaml'), '/tmp/app');
    assert.equal(workspace.folderOf('untitled:Untitled-1'), '/tmp/app', 'an unsaved document belongs to the first folder');
  });
});
