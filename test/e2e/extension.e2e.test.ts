/**
 * The extension in a real VS Code: code-server 4.96.4 (VS Code 1.96.4) in headless chromium, on a copy of
 * examples/. Everything is shown through the UI a user sees: the command palette, the status bar, the
 * Problems panel and the suggest widget. See docs/testing.md for the cache and debugging with screenshots.
 */
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it, type TestContext } from 'node:test';
import type { Browser } from 'playwright-core';
import { launchChromium, missingPrerequisite, prepareCodeServer, startCodeServer, type CodeServer } from '../support/codeServer';
import { UI_TIMEOUT, Workbench } from './workbench';

const examples = new URL('../../examples/', import.meta.url).pathname;
/** From examples/broken, copied into the example project's own integrations (where the server indexes files). */
const UNKNOWN_PROPERTY_SOURCE = 'broken/.simone/integrations/schema-unknown-property.yaml';
const UNKNOWN_PROPERTY_FILE = '.simone/integrations/schema-unknown-property.yaml';
const UNKNOWN_PROPERTY_MESSAGE = 'Unknown property "timout"';
const UNKNOWN_PROPERTY_CODE = 'schema-unknown-property';

/** An integration whose token comes from a variable that nothing defines, until the secret is stored. */
const SECRET_FILE = '.simone/integrations/secret-token.yaml';
const SECRET_VARIABLE = 'SIMONE_E2E_TOKEN';
const SECRET_VALUE = 'e2e-secret-value-81723';

/** SIMONE_E2E_SCREENSHOTS=<folder> keeps a screenshot of every step; otherwise only failures get one, in a temp folder. */
const stepScreenshots = process.env.SIMONE_E2E_SCREENSHOTS;
let failureScreenshots: string | undefined;

let workspace: string | undefined;
let server: CodeServer | undefined;
let browser: Browser | undefined;
let workbench: Workbench | undefined;

/** code-server prepared (cached) and chromium present, or why not. */
async function prepare(): Promise<string> {
  const missing = missingPrerequisite();
  if (missing) throw new Error(missing);
  return prepareCodeServer();
}

async function openWorkbench(codeServerFolder: string): Promise<void> {
  workspace = mkdtempSync(join(tmpdir(), 'simone-e2e-workspace-'));
  // The example project, without the broken files' own project: one broken file is enough and keeps the panel short.
  cpSync(examples, workspace, { recursive: true, filter: (source) => !source.startsWith(join(examples, 'broken')) });
  cpSync(join(examples, UNKNOWN_PROPERTY_SOURCE), join(workspace, UNKNOWN_PROPERTY_FILE));
  writeFileSync(join(workspace, SECRET_FILE), `integration:\n  type: request_response\n  name: secret_token_api\n  base_url: http://127.0.0.1:9\n  auth:\n    type: bearer\n    token: \${${SECRET_VARIABLE}}\n  endpoints:\n    ping: /ping\n`);
  server = await startCodeServer({ codeServerFolder, workspace });
  browser = await launchChromium();
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  page.setDefaultTimeout(UI_TIMEOUT);
  workbench = new Workbench(page);
  await page.goto(server.url);
  await workbench.waitUntilReady();
}

/** Saves a screenshot of the failed moment and says where it and the logs are. */
async function reportFailure(name: string, log: (message: string) => void): Promise<void> {
  failureScreenshots ??= stepScreenshots ?? mkdtempSync(join(tmpdir(), 'simone-e2e-screenshots-'));
  const path = workbench
    ? await workbench.screenshot(failureScreenshots, `FAILED-${name}`).catch((error: Error) => `(no screenshot: ${error.message})`)
    : '(no screenshot: the browser did not open)';
  log(`e2e failure screenshot: ${path}`);
  log(`e2e code-server logs: ${server?.logFolder ?? '(code-server did not start)'}`);
}

/** Runs one step of the story; on failure leaves a screenshot. */
async function step(t: TestContext, run: (ui: Workbench) => Promise<void>): Promise<void> {
  if (!workbench) throw new Error('the workbench did not open (see the before hook)');
  const ui = workbench;
  try {
    await run(ui);
    if (stepScreenshots) await ui.screenshot(stepScreenshots, t.name);
  } catch (error) {
    await reportFailure(t.name, (message) => (t.diagnostic(message), console.error(message)));
    throw error;
  }
}

describe('the extension in VS Code 1.96 (code-server, chromium)', { timeout: 10 * 60_000 }, () => {
  before(async () => {
    let codeServerFolder: string;
    try {
      codeServerFolder = await prepare();
    } catch (error) {
      // A failure, never a skip: npm test installs and prepares both first (scripts/test-prerequisites.mjs).
      throw new Error(`end-to-end tests need code-server and chromium: ${(error as Error).message}\n(npm test installs chromium, prepares code-server and builds the extension before any suite; see docs/testing.md)`);
    }
    try {
      await openWorkbench(codeServerFolder);
    } catch (error) {
      await reportFailure('opening the workbench', console.error);
      throw error;
    }
  }, { timeout: 8 * 60_000 });

  after(async () => {
    await browser?.close();
    // After a failure the logs stay where reportFailure said.
    await server?.stop({ keepLogs: failureScreenshots !== undefined });
    if (workspace) rmSync(workspace, { recursive: true, force: true });
  });

  it('activates in a workspace with .simone: its commands are in the palette and its server reports problems before any file is opened', async (t) => {
    await step(t, async (ui) => {
      const commands = await ui.commandsMatching('Simone: Restart', 'Simone: Restart Language Server');
      assert.ok(commands.includes('Simone: Restart Language Server'), `palette lists: ${commands.join(', ')}`);
      // Only our language server reports problems here: nothing opened a file yet, so activation came from
      // `workspaceContains:**/.simone/**` and the server validated the workspace on its own.
      await ui.showProblems(UNKNOWN_PROPERTY_MESSAGE);
      await ui.waitForProblem(UNKNOWN_PROPERTY_MESSAGE);
    });
  });

  it('shows the unknown-property diagnostic of an integration file in the Problems panel', async (t) => {
    await step(t, async (ui) => {
      await ui.openFile(UNKNOWN_PROPERTY_FILE);
      assert.equal(await ui.languageMode(), 'Simone Integration');
      await ui.showProblems(UNKNOWN_PROPERTY_MESSAGE);
      const row = await ui.waitForProblem(UNKNOWN_PROPERTY_MESSAGE);
      assert.match(row, /Unknown property "timout"\. Did you mean "timeout"\?/);
      assert.ok(row.includes(UNKNOWN_PROPERTY_CODE), `the row shows the code: ${row}`);
      assert.match(row, /\[Ln 8, Col 3\]/);
    });
  });

  it('suggests the keys of the integration on a new line (Ctrl+Space)', async (t) => {
    await step(t, async (ui) => {
      // Below `timout: 10s`, inside `integration:` (Enter keeps its indentation).
      await ui.newLineBelow(8);
      // The widget renders its first dozen rows: these keys are among the first offered.
      const labels = await ui.suggestions();
      for (const key of ['retry', 'circuit_breaker', 'auth']) assert.ok(labels.includes(key), `suggestions: ${labels.join(', ')}`);
      // Keys already written are not offered again.
      assert.ok(!labels.includes('base_url'), `suggestions: ${labels.join(', ')}`);
    });
  });

  it('"Simone: Store a Secret" defines a ${VAR} for the server without showing its value', async (t) => {
    await step(t, async (ui) => {
      const warning = `\${${SECRET_VARIABLE}} is not defined`;
      await ui.showProblems(warning);
      await ui.waitForProblem(warning);
      const watch = await ui.watchProblemRow(warning);
      await ui.runCommandAnswering('Simone: Store a Secret', [
        { prompt: 'Variable name', text: SECRET_VARIABLE },
        { prompt: `Value of \${${SECRET_VARIABLE}}`, text: SECRET_VALUE },
      ]);
      await watch.disappeared();
      assert.ok(!(await ui.pageText()).includes(SECRET_VALUE), 'the value is shown nowhere');
    });
  });

  it('"Simone: Delete a Stored Secret" makes the ${VAR} undefined again', async (t) => {
    await step(t, async (ui) => {
      const warning = `\${${SECRET_VARIABLE}} is not defined`;
      await ui.runCommandPicking('Simone: Delete a Stored Secret', SECRET_VARIABLE);
      await ui.showProblems(warning);
      await ui.waitForProblem(warning);
    });
  });

  it('"Simone: Restart Language Server" brings the diagnostics back', async (t) => {
    await step(t, async (ui) => {
      await ui.showProblems(UNKNOWN_PROPERTY_MESSAGE);
      await ui.waitForProblem(UNKNOWN_PROPERTY_MESSAGE);
      const watch = await ui.watchProblemRow(UNKNOWN_PROPERTY_MESSAGE);
      await ui.runCommand('Simone: Restart Language Server');
      // The old server's diagnostics go with it; the new server publishes them again.
      await watch.disappeared();
      const row = await ui.waitForProblem(UNKNOWN_PROPERTY_MESSAGE);
      assert.ok(row.includes(UNKNOWN_PROPERTY_CODE), row);
    });
  });
});
