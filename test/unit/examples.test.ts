import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { isScalar, visit } from 'yaml';
import type { ConfigFile } from '../../src/core/configFile';
import { DIAGNOSTIC_CODES, type DiagnosticCode } from '../../src/core/diagnostic';
import { findVariableReferences, parseDotEnv } from '../../src/core/env';
import { nodeFileSystem } from '../../src/core/fileSystem';
import { findIntegrationFiles } from '../../src/core/integrationFiles';
import { readConfigFile } from '../../src/core/readTextFile';
import { readSimoneProject } from '../../src/core/simone/readProject';
import { DEFAULT_TEXT_LIMITS } from '../../src/core/textLimits';

/**
 * The structural promises of `examples/` that hold without the validator: the
 * validator's own test checks that each expected diagnostic is really reported.
 */

const EXAMPLES = join(__dirname, '..', '..', 'examples');
const BROKEN = join(EXAMPLES, 'broken');
const SYNTAX_FILE = '.simone/integrations/yaml-syntax.yaml';
/** Saved as UTF-16: read, it is one file-encoding diagnostic. */
const ENCODING_FILE = '.simone/integrations/file-encoding.yaml';
const UNDEFINED_VARIABLE = 'SIMONE_DEMO_UNDEFINED_TOKEN';

interface ExpectedEntry {
  code: DiagnosticCode;
  file: string;
  line: number;
}

const expected = JSON.parse(readFileSync(join(BROKEN, 'expected.json'), 'utf8')) as { diagnostics: ExpectedEntry[]; silenced: ExpectedEntry[] };
const allEntries = [...expected.diagnostics, ...expected.silenced];
const read = (path: string): ConfigFile => readConfigFile(nodeFileSystem, path, DEFAULT_TEXT_LIMITS);
const demoFiles = findIntegrationFiles(EXAMPLES).files.filter((file) => !file.startsWith(BROKEN));
const brokenFiles = findIntegrationFiles(BROKEN).files;

/** The names of every `${VAR}` in a file's values (comments may mention `${VAR}` as prose). */
function variablesIn(file: ConfigFile): string[] {
  const names: string[] = [];
  for (const document of file.documents) {
    visit(document.yaml, {
      Scalar(_key, node) {
        if (isScalar(node) && typeof node.value === 'string') names.push(...findVariableReferences(node.value).map((reference) => reference.name));
      },
    });
  }
  return names;
}

const dotEnvNames = (folder: string): Set<string> => new Set(parseDotEnv(readFileSync(join(folder, '.env'), 'utf8')).keys());

describe('examples/broken/expected.json', () => {
  it('names every diagnostic code at least once', () => {
    const listed = new Set(expected.diagnostics.map((entry) => entry.code));
    assert.deepEqual(DIAGNOSTIC_CODES.filter((code) => !listed.has(code)), []);
  });

  it('uses only known codes, and never expects a silenced line', () => {
    for (const entry of allEntries) assert.ok(DIAGNOSTIC_CODES.includes(entry.code), `unknown code ${entry.code}`);
    const key = (entry: ExpectedEntry) => `${entry.file}:${entry.line}:${entry.code}`;
    const reported = new Set(expected.diagnostics.map(key));
    assert.deepEqual(expected.silenced.filter((entry) => reported.has(key(entry))), []);
    assert.ok(expected.silenced.length > 0, 'the disable comment is exercised');
  });

  it('points at existing files and at lines within them', () => {
    for (const entry of allEntries) {
      const path = join(BROKEN, entry.file);
      assert.ok(existsSync(path), `${entry.file} exists`);
      const lines = readFileSync(path, 'utf8').split('\n').length;
      assert.ok(Number.isInteger(entry.line) && entry.line >= 1 && entry.line <= lines, `${entry.file}:${entry.line} is within its ${lines} lines`);
    }
  });

  it('expects the code each broken file is named after, and something of every file', () => {
    for (const path of brokenFiles) {
      const file = relative(BROKEN, path).split('\\').join('/');
      const codes = allEntries.filter((entry) => entry.file === file).map((entry) => entry.code);
      assert.ok(codes.length > 0, `${file} has expected entries`);
      const named = basename(path, '.yaml') as DiagnosticCode;
      if (DIAGNOSTIC_CODES.includes(named)) assert.ok(codes.includes(named), `${file} expects ${named}`);
    }
  });
});

describe('examples: integration files', () => {
  it('finds the demo files and the broken corpus', () => {
    assert.ok(demoFiles.length >= 6, `demo integration files: ${demoFiles.length}`);
    assert.ok(brokenFiles.length >= DIAGNOSTIC_CODES.length, `broken files: ${brokenFiles.length}`);
  });

  it('parse as YAML, except the yaml-syntax example, which fails where expected.json says, and the UTF-16 one', () => {
    for (const path of [...demoFiles, ...brokenFiles]) {
      const file = read(path);
      if (path === join(BROKEN, ENCODING_FILE)) {
        assert.deepEqual(file.syntaxDiagnostics.map((entry) => [entry.code, entry.message]), [['file-encoding', 'not UTF-8 text (looks like UTF-16)']]);
      } else if (path === join(BROKEN, SYNTAX_FILE)) {
        assert.ok(file.syntaxDiagnostics.length > 0, 'yaml-syntax.yaml does not parse');
        const line = expected.diagnostics.find((entry) => entry.file === SYNTAX_FILE)?.line;
        assert.equal(file.syntaxDiagnostics[0].range.start.line + 1, line);
      } else {
        assert.deepEqual(file.syntaxDiagnostics, [], `${relative(EXAMPLES, path)} parses`);
      }
    }
  });

  it('hold one document per kind and one integration of every type in the demo', () => {
    const documents = demoFiles.flatMap((path) => read(path).documents);
    const kinds = new Set(documents.map((document) => document.kind));
    assert.deepEqual([...kinds].sort(), ['api_gateway', 'integration', 'microservices']);
    const types = documents.map((document) => document.body?.get('type')).filter(Boolean).sort();
    assert.deepEqual(types, ['database', 'event_driven', 'message_queue', 'request_response', 'webhook']);
  });

  it('define every ${VAR} of the demo in examples/.env', () => {
    const defined = dotEnvNames(EXAMPLES);
    const missing = demoFiles.flatMap((path) => variablesIn(read(path))).filter((name) => !defined.has(name));
    assert.deepEqual(missing, []);
  });

  it('define every ${VAR} of the broken corpus in its .env, but the one env-undefined needs', () => {
    const defined = dotEnvNames(BROKEN);
    const used = brokenFiles.flatMap((path) => variablesIn(read(path)));
    assert.ok(used.includes(UNDEFINED_VARIABLE));
    assert.ok(!defined.has(UNDEFINED_VARIABLE) && !dotEnvNames(EXAMPLES).has(UNDEFINED_VARIABLE));
    assert.deepEqual(used.filter((name) => name !== UNDEFINED_VARIABLE && !defined.has(name)), []);
  });
});

describe('examples: Simone project data', () => {
  const project = readSimoneProject(join(EXAMPLES, '.simone'));

  it('reads without problems', () => {
    assert.deepEqual(project.problems, []);
  });

  it('has milestones, sprints and tasks, with finished ones renamed with an X', () => {
    assert.ok(project.milestones.length >= 2 && project.sprints.length >= 3 && project.tasks.length >= 8);
    assert.ok(project.milestones.some((milestone) => milestone.done && milestone.status === 'completed'), 'a completed MX milestone');
    assert.ok(project.tasks.some((task) => task.done && task.status === 'done'), 'a finished TX task');
    assert.ok(project.tasks.some((task) => task.sprintId) && project.tasks.some((task) => !task.sprintId), 'sprint tasks and general tasks');
  });
});
