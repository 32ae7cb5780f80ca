import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { main } from '../../src/cli/main';
import { DIAGNOSTIC_SEVERITY } from '../../src/core/diagnostic';
import { pathToUri } from '../../src/core/uris';
import { everyFeature } from '../support/everyFeature';
import { languageContext } from '../support/languageContext';
import { startTestServer, type TestServer } from '../support/testConnection';
import { hostileInputs, writeCorpus, type HostileInput } from './generateCorpus';

/** A diagnostic as the CLI prints it in JSON (1-based). */
interface Reported {
  code: string;
  line: number;
  column: number;
  message: string;
}

const inputs = hostileInputs();

/**
 * CPU time (user + system) this process spends until `work` settles: what a regression to quadratic costs,
 * without the waits that other processes on a busy machine add to wall time.
 */
async function cpuMs<T>(work: () => Promise<T>): Promise<{ result: T; ms: number }> {
  const before = process.cpuUsage();
  const result = await work();
  const spent = process.cpuUsage(before);
  return { result, ms: (spent.user + spent.system) / 1000 };
}

function assertReported(input: HostileInput, reported: Reported[], where: string): void {
  for (const expected of input.expected) {
    const found = reported.find((entry) => entry.code === expected.code && entry.line === expected.line && entry.column === expected.column && entry.message.includes(expected.message));
    const near = reported.filter((entry) => entry.code === expected.code).slice(0, 3);
    assert.ok(found, `${where} ${input.name}: no ${expected.code} "${expected.message}" at ${expected.line}:${expected.column}; got ${JSON.stringify(near.length ? near : reported.slice(0, 3))}`);
  }
  if (input.count !== undefined) assert.equal(reported.length, input.count, `${where} ${input.name}: ${reported.length} diagnostics`);
  assert.ok(!reported.some((entry) => /call stack/i.test(entry.message)), `${where} ${input.name}: a stack overflow reported as a diagnostic`);
}

async function validateWithCli(path: string): Promise<{ exitCode: number; reported: Reported[]; ms: number }> {
  let stdout = '';
  const io = { stdout: (text: string) => void (stdout += text), stderr: (text: string) => void (stdout += text), cwd: tmpdir(), env: {}, signal: new AbortController().signal };
  const { result: exitCode, ms } = await cpuMs(() => main(['validate', '--format', 'json', path], io));
  return { exitCode, reported: (JSON.parse(stdout) as { diagnostics: Reported[] }).diagnostics, ms };
}

/** The line and column of every expected diagnostic, and the first and last line (LSP positions). */
function positionsOf(input: HostileInput): Array<{ line: number; character: number }> {
  const lines = input.text.split(/\r\n?|\n/);
  return [{ line: 0, character: 0 }, ...input.expected.map((entry) => ({ line: entry.line - 1, character: entry.column - 1 })), { line: lines.length - 1, character: 0 }];
}

describe('hostile inputs (generated at test time into a temp folder)', () => {
  let folder: string;
  let paths: Map<string, string>;
  const cliReports = new Map<string, Reported[]>();

  before(() => {
    folder = mkdtempSync(join(tmpdir(), 'simone-hostile-'));
    paths = writeCorpus(folder, inputs);
  });
  after(() => rmSync(folder, { recursive: true, force: true }));

  describe('through `simone-integrations validate --format json`', () => {
    for (const input of inputs) {
      it(`${input.name}: the error text, position and exit code${input.timeBoundMs ? `, within ${input.timeBoundMs} ms of CPU` : ''}`, async () => {
        const { exitCode, reported, ms } = await validateWithCli(paths.get(input.name)!);
        assertReported(input, reported, 'cli');
        assert.equal(exitCode, input.expected.some((entry) => DIAGNOSTIC_SEVERITY[entry.code] === 'error') ? 1 : 0);
        if (input.timeBoundMs) assert.ok(ms < input.timeBoundMs, `cli ${input.name}: ${ms.toFixed(0)} ms`);
        cliReports.set(input.name, reported);
      });
    }
  });

  describe('through the language server', () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer({ debounceMs: 0 });
    });
    after(() => server.shutdown());

    for (const input of inputs) {
      it(`${input.name}: the same diagnostics at the same positions as the CLI${input.timeBoundMs ? `, published within ${input.timeBoundMs} ms of CPU` : ''}`, async () => {
        const uri = pathToUri(paths.get(input.name)!);
        const { result: diagnostics, ms } = await cpuMs(async () => {
          await server.open(uri, input.text);
          // Correctness, not speed, is asserted here (the CPU bound is below): wait as long as the server's own check limit.
          return server.waitForDiagnostics(uri, undefined, 60_000);
        });
        await server.close(uri);
        const reported = diagnostics.map((entry) => ({ code: String(entry.code), line: entry.range.start.line + 1, column: entry.range.start.character + 1, message: entry.message }));
        assertReported(input, reported, 'server');
        if (input.timeBoundMs) assert.ok(ms < input.timeBoundMs, `server ${input.name}: ${ms.toFixed(0)} ms`);
        const key = (entry: Reported) => `${entry.code} ${entry.line}:${entry.column}`;
        const cli = cliReports.get(input.name);
        assert.ok(cli, `${input.name}: the CLI case did not pass`);
        assert.deepEqual(reported.map(key).sort(), cli.map(key).sort(), `${input.name}: the server and the CLI disagree`);
      });
    }
  });

  describe('through every language feature (symbols, folding, links, lenses, selection, completion, hover, navigation, rename)', () => {
    for (const input of inputs) {
      // No time bound here: it would time parsing and validating again, which the cases above bound.
      it(`${input.name}: none throws`, () => {
        assert.equal(everyFeature(input.text, positionsOf(input), languageContext()), positionsOf(input).length * 6);
      });
    }
  });
});
