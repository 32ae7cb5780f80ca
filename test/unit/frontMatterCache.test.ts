import assert from 'node:assert/strict';
import { utimesSync } from 'node:fs';
import { after, describe, it } from 'node:test';
import { nodeFileSystem, type WorkspaceFileSystem } from '../../src/core/fileSystem';
import { FrontMatterCache } from '../../src/core/simone/frontMatterCache';
import { readSimoneProject } from '../../src/core/simone/readProject';
import { simoneProject } from '../support/eventsProject';

describe('reading a project again with a FrontMatterCache', () => {
  const workspace = simoneProject();
  after(() => workspace.dispose());
  const reads: string[] = [];
  const counting: WorkspaceFileSystem = { ...nodeFileSystem, readText: (path, max) => (reads.push(path), nodeFileSystem.readText(path, max)) };

  it('reads only the files whose size or modification time changed, and gives the same project', () => {
    const cache = new FrontMatterCache();
    const first = readSimoneProject(workspace.path('.simone'), counting, undefined, cache);
    assert.equal(reads.length, 5);
    reads.length = 0;
    assert.deepEqual(readSimoneProject(workspace.path('.simone'), counting, undefined, cache), first);
    assert.deepEqual(reads, []);

    const task = workspace.path('.simone/04_GENERAL_TASKS/T001_Readme.md');
    workspace.write('.simone/04_GENERAL_TASKS/T001_Readme.md', '---\ntask_id: T001\ntitle: Readme\nstatus: done\n---\n');
    utimesSync(task, new Date(), new Date(Date.now() + 5000));
    const changed = readSimoneProject(workspace.path('.simone'), counting, undefined, cache);
    assert.deepEqual(reads, [task]);
    assert.equal(changed.tasks.find((entry) => entry.id === 'T001')?.status, 'done');

    // A broken file stays a problem while it stays as it is (from the cache too).
    workspace.write('.simone/04_GENERAL_TASKS/T001_Readme.md', 'no front matter');
    const broken = readSimoneProject(workspace.path('.simone'), counting, undefined, cache);
    const again = readSimoneProject(workspace.path('.simone'), counting, undefined, cache);
    assert.equal(broken.problems.length, 1);
    assert.deepEqual(again.problems, broken.problems);
  });
});
