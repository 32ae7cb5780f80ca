import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, it } from 'node:test';
import { readSimoneProject } from '../../src/core/simone/readProject';
import { memoryFileSystem } from '../support/memoryFileSystem';

const root = mkdtempSync(join(tmpdir(), 'simone-project-'));
after(() => rmSync(root, { recursive: true, force: true }));

function project(files: Record<string, string>): string {
  const folder = mkdtempSync(join(root, 'p-'));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(folder, path)), { recursive: true });
    writeFileSync(join(folder, path), content);
  }
  return folder;
}

const fm = (fields: string) => `---\n${fields}\n---\n\n# Body\n`;

describe('readSimoneProject', () => {
  it('reads milestones, sprints, sprint tasks and general tasks with ids, folders and X renames', () => {
    const folder = project({
      '02_REQUIREMENTS/MX01_Setup/M01_milestone_meta.md': fm('milestone_id: M01\ntitle: Setup\nstatus: completed\nlast_updated: 2025-02-14T17:05:00Z'),
      '02_REQUIREMENTS/M02_Next/M02_milestone_meta.md': fm('milestone_id: M02\ntitle: Next\nstatus: active\nowner: ana'),
      '03_SPRINTS/SX01_M01_Repo/S01_sprint_meta.md': fm('sprint_sequence_id: S01\nmilestone_id: M01\ntitle: Repo\nstatus: completed\ngoal: Build'),
      '03_SPRINTS/SX01_M01_Repo/TX01_S01_Init.md': fm('task_id: T01_S01\nstatus: done\ncomplexity: low'),
      '03_SPRINTS/SX01_M01_Repo/T02_S01_CI.md': fm('status: in_progress\ncomplexity: medium\nestimate: 3'),
      '04_GENERAL_TASKS/TX002_Rotate.md': fm('task_id: T002\nstatus: done'),
      '04_GENERAL_TASKS/T003_Load.md': fm('task_id: T003\nstatus: open'),
      '04_GENERAL_TASKS/README.md': 'not a task',
    });
    const read = readSimoneProject(folder);
    assert.deepEqual(read.problems, []);
    assert.deepEqual(read.milestones.map((m) => [m.id, m.done, m.status, m.title]), [['M01', true, 'completed', 'Setup'], ['M02', false, 'active', 'Next']]);
    assert.equal(read.milestones[0].folder, join(folder, '02_REQUIREMENTS/MX01_Setup'));
    assert.equal(read.milestones[0].filePath, join(folder, '02_REQUIREMENTS/MX01_Setup/M01_milestone_meta.md'));
    assert.equal(read.milestones[0].lastUpdated, '2025-02-14T17:05:00Z');
    assert.equal(read.milestones[1].frontMatter.owner, 'ana');
    assert.deepEqual(read.sprints.map((s) => [s.id, s.done, s.milestoneId, s.goal]), [['S01', true, 'M01', 'Build']]);
    assert.deepEqual(read.tasks.map((t) => [t.id, t.done, t.sprintId ?? null, t.status]), [
      ['T002', true, null, 'done'], ['T003', false, null, 'open'], ['T01_S01', true, 'S01', 'done'], ['T02_S01', false, 'S01', 'in_progress'],
    ]);
    assert.equal(read.tasks[3].frontMatter.estimate, 3, 'front matter keeps its YAML types');
  });

  it('turns a bad file into a located problem and still reads the rest', () => {
    const folder = project({
      '02_REQUIREMENTS/M01_A/M01_milestone_meta.md': fm('milestone_id: M01\nstatus: active'),
      '02_REQUIREMENTS/M02_B/notes.md': 'no meta here',
      '03_SPRINTS/S01_M01_X/S01_sprint_meta.md': fm('sprint_sequence_id: S01\nstatus: running'),
      '03_SPRINTS/S01_M01_X/T01_S01_Bad.md': '---\ntask_id: T01_S01\nstatus: open\nstatus: done\n---\n',
      '03_SPRINTS/S01_M01_X/T02_S01_Good.md': fm('task_id: T02_S01\nstatus: open'),
      '04_GENERAL_TASKS/T001_NoFrontMatter.md': '# just a heading\n',
      '04_GENERAL_TASKS/T002_List.md': '---\n- a\n- b\n---\n',
    });
    const read = readSimoneProject(folder);
    assert.deepEqual(read.tasks.map((t) => t.id), ['T02_S01']);
    assert.deepEqual(read.milestones.map((m) => m.id), ['M01']);
    assert.deepEqual(read.sprints.map((s) => s.id), ['S01'], 'an unknown status is reported but the sprint is still read');
    const problems = Object.fromEntries(read.problems.map((p) => [p.file.slice(folder.length + 1), p]));
    assert.equal(problems['03_SPRINTS/S01_M01_X/T01_S01_Bad.md'].line, 4);
    assert.match(problems['03_SPRINTS/S01_M01_X/T01_S01_Bad.md'].message, /front matter/);
    assert.equal(problems['03_SPRINTS/S01_M01_X/S01_sprint_meta.md'].line, 3);
    assert.match(problems['03_SPRINTS/S01_M01_X/S01_sprint_meta.md'].message, /"running" is not one of/);
    assert.match(problems['04_GENERAL_TASKS/T001_NoFrontMatter.md'].message, /no front matter/);
    assert.match(problems['04_GENERAL_TASKS/T002_List.md'].message, /map of fields/);
    assert.match(problems['02_REQUIREMENTS/M02_B'].message, /without an M##_milestone_meta\.md/);
    assert.equal(read.problems.length, 5);
  });

  it('reads through any file system given, and an absent project is empty', () => {
    const memory = memoryFileSystem({ '/p/04_GENERAL_TASKS/T007_Mem.md': fm('status: open') });
    assert.deepEqual(readSimoneProject('/p', memory).tasks.map((t) => [t.id, t.filePath]), [['T007', '/p/04_GENERAL_TASKS/T007_Mem.md']]);
    assert.deepEqual(readSimoneProject(join(root, 'missing')), { milestones: [], sprints: [], tasks: [], problems: [] });
  });
});
