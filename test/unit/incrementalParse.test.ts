import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { generatedFile } from '../../bench/fixtures';
import { parseConfigFile, type ConfigFile } from '../../src/core/configFile';
import { splitDocuments } from '../../src/core/documentChunks';
import { LayeredEnvironment } from '../../src/core/env';
import { findIntegrationFiles } from '../../src/core/integrationFiles';
import { validateFile } from '../../src/core/validation/validate';
import { WorkspaceIndex } from '../../src/core/workspaceIndex';
import { sharedTestdata, yamlTestCases } from '../support/sharedTestdata';

const env = new LayeredEnvironment([{ origin: 'test', values: new Map([['RABBITMQ_URL', 'amqp://127.0.0.1']]) }]);
const diagnosticsOf = (file: ConfigFile) => validateFile(file, { index: WorkspaceIndex.of([file]), env });
const examples = findIntegrationFiles(join(__dirname, '../../examples')).files.concat(findIntegrationFiles(join(__dirname, '../../examples/broken')).files);

/** The same text parsed whole and document by document must give the same diagnostics. */
function assertSameAsWhole(text: string, previous?: ConfigFile): ConfigFile {
  const incremental = parseConfigFile('test.yaml', text, { incremental: true, previous });
  assert.deepEqual(diagnosticsOf(incremental), diagnosticsOf(parseConfigFile('test.yaml', text)));
  return incremental;
}

describe('incremental parsing (an open document, one YAML document at a time)', () => {
  it('splits at --- lines only, and not when directives or ... make it unsafe', () => {
    assert.deepEqual(splitDocuments('a: 1\n---\nb: 2\n--- # c\nc: 3\n')?.map((chunk) => chunk.text), ['a: 1\n', '---\nb: 2\n', '--- # c\nc: 3\n']);
    assert.deepEqual(splitDocuments('a: |\n  ---x\n----\n')?.length, 1);
    assert.equal(splitDocuments('%YAML 1.2\n---\na: 1\n'), undefined);
    assert.equal(splitDocuments('a: 1\n...\nb: 2\n'), undefined);
  });

  it('gives the same diagnostics as a whole parse, for the examples and a generated 1,000-line file', () => {
    for (const path of examples) assertSameAsWhole(readFileSync(path, 'utf8'));
    assertSameAsWhole(generatedFile(1000));
  });

  it('reuses unchanged documents after an edit, with ranges and diagnostics that follow the moved text', () => {
    // A problem in a later document, whose cached result must move down with it.
    const generated = generatedFile(600);
    const later = generated.indexOf('timeout: 30s', generated.indexOf('name: service_3'));
    const original = `${generated.slice(0, later)}timeout: 30 seconds${generated.slice(later + 'timeout: 30s'.length)}`;
    const first = assertSameAsWhole(original);
    const lineBefore = diagnosticsOf(first).find((entry) => entry.code === 'duration-invalid')?.range.start.line;
    // An edit in the first document adds two lines: every later document moves down.
    const edited = original.replace('description: Generated service number 0\n', 'description: Generated service number 0\n  enabled: true\n  timout: 5s\n');
    const second = assertSameAsWhole(edited, first);
    const reused = second.documents.filter((document) => first.documents.some((old) => old.yaml === document.yaml));
    assert.equal(reused.length, second.documents.length - 1, 'only the edited document is parsed again');
    const lines = diagnosticsOf(second).map((entry) => `${entry.code}@${entry.range.start.line}`);
    assert.deepEqual(lines, ['schema-unknown-property@5', `duration-invalid@${lineBefore! + 2}`]);
  });

  it('matches a whole parse on every valid yaml-test-suite case, edited or not, and flags every invalid one', { skip: !sharedTestdata('yaml-test-suite') }, () => {
    for (const entry of yamlTestCases(sharedTestdata('yaml-test-suite')!)) {
      const text = readFileSync(entry.input, 'utf8');
      const whole = diagnosticsOf(parseConfigFile('test.yaml', text));
      if (whole.some((found) => found.code === 'yaml-syntax')) {
        // Where a broken document runs into the next `---`, the parser may place its error differently.
        const alone = diagnosticsOf(parseConfigFile('test.yaml', text, { incremental: true }));
        assert.ok(alone.some((found) => found.code === 'yaml-syntax'), entry.id);
        continue;
      }
      const before = assertSameAsWhole(text);
      assertSameAsWhole(`# edited\n${text}`, before);
    }
  });

  it('counts lines from the text on both paths: after flow collections, and with CRLF or CR alone', () => {
    // The parser used to count no line breaks after the top-level flow collection, and none for CR alone.
    const lf = '{a: 1}\nb\nc\nd\ne: 1\n---\nintegration:\n  type: webhook\n  name: [x, y]\n  timeout: 30 seconds\n';
    for (const lineBreak of ['\n', '\r\n', '\r']) {
      const text = lf.replace(/\n/g, lineBreak);
      const starts = (file: ConfigFile) => diagnosticsOf(file).map((entry) => `${entry.code} ${entry.range.start.line + 1}:${entry.range.start.character + 1}`);
      const expected = ['yaml-syntax 2:1', 'yaml-syntax 5:2', 'yaml-syntax 5:4', 'schema-missing-property 7:1', 'schema-type 9:9', 'duration-invalid 10:12'];
      assert.deepEqual(starts(parseConfigFile('test.yaml', text)), expected, JSON.stringify(lineBreak));
      assert.deepEqual(starts(parseConfigFile('test.yaml', text, { incremental: true })), expected, `${JSON.stringify(lineBreak)}, incremental`);
      assert.equal(parseConfigFile('test.yaml', text).lines()[9], '  timeout: 30 seconds');
    }
  });
});
