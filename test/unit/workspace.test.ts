import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EMPTY_ENVIRONMENT } from '../../src/core/env';
import { Workspace } from '../../src/core/workspace';

describe('Workspace.folderOf', () => {
  it('picks the folder that really contains the file, not one that only shares a prefix, relative to the load directory', () => {
    const workspace = new Workspace(['/tmp/app', '/tmp/app2', '/tmp/app2/nested'], [], EMPTY_ENVIRONMENT, '/tmp/app2');
    assert.equal(workspace.folderOf('/tmp/app2/.simone/integrations/x.yaml'), '/tmp/app2');
    assert.equal(workspace.folderOf('nested/.simone/integrations/x.yaml'), '/tmp/app2/nested');
    assert.equal(workspace.folderOf('/tmp/app/.simone/integrations/x.yaml'), '/tmp/app');
  });
});
