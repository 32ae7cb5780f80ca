/**
 * The Simone container in a real VS Code (code-server, chromium) over a copy of examples/ whose local services
 * (scripts/demo/services) listen on free ports: the Integrations view with live health, the status bar, Test
 * Endpoint and Run Sync from the palette, and the Testing view. One integration points at a port nothing listens
 * on: the stopped service. SIMONE_E2E_SCREENSHOTS=<folder> keeps a screenshot of every step.
 */
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it, type TestContext } from 'node:test';
import type { Browser } from 'playwright-core';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startServices, type RunningServices } from '../../scripts/demo/services/demoServices';
import { closeServer } from '../../scripts/demo/services/httpService';
import { microservice } from '../../scripts/demo/services/microservices';
import { ConsulDouble } from '../support/consulDouble';
import { demoPlan } from '../../scripts/demo/demoPlan';
import { Workspace } from '../../src/core/workspace';
import { launchChromium, missingPrerequisite, prepareCodeServer, startCodeServer, type CodeServer } from '../support/codeServer';
import { freePort } from '../support/rabbitmq';
import { until } from '../support/until';
import { UI_TIMEOUT, Workbench } from './workbench';

const examples = new URL('../../examples/', import.meta.url).pathname;
const STOPPED_FILE = '.simone/integrations/stopped_service.yaml';
/** The task marked done in the editor: team_notifications' ci_server endpoint lists task_completed. */
const TASK_FILE = '.simone/03_SPRINTS/S02_M02_Config_Language/T02_S02_Validate_Command.md';
/** Where the first scan records the project (runners/events ScanJournal): after it, an edit is a change. */
const SNAPSHOT_FILE = '.simone/events/snapshot.json';
/** Project changes are sent at once, without the question (the default, `ask`, is a notification). */
const EXTENSION_SETTINGS = { 'simone.events.dispatch': 'on' };
const stepScreenshots = process.env.SIMONE_E2E_SCREENSHOTS;

/** One code-server over its own copy of examples/ with its own demo services. */
interface Session {
  workspace: string;
  services?: RunningServices;
  server?: CodeServer;
  browser?: Browser;
  workbench?: Workbench;
  /** What the demo services answered, one line per request. */
  requests: string[];
  /** A Consul API double listing `report_service`'s instances (.simone/integrations/discovered.yaml). */
  consul?: ConsulDouble;
  instances: Server[];
}

const CONSUL_TOKEN = 'e2e-consul-acl-token-31c7';

/** A consul-discovered service: the double with an ACL token and two local instances, a config naming it. */
async function startConsul(session: Session): Promise<void> {
  session.consul = await ConsulDouble.start({ token: CONSUL_TOKEN });
  for (let index = 0; index < 3; index++) {
    const server = microservice({ name: `report_service ${index + 1}`, host: '127.0.0.1', port: 0, healthPath: '/health' });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    session.instances.push(server);
  }
  setInstances(session, [1, 2]);
  writeFileSync(join(session.workspace, '.simone/integrations/discovered.yaml'), `microservices:\n  discovery:\n    type: consul\n    host: 127.0.0.1\n    port: ${session.consul.port}\n    token: \${CONSUL_HTTP_TOKEN}\n  services:\n    - name: report_service\n      health_check: /health\n`);
  writeFileSync(join(session.workspace, '.env'), `${readFileSync(join(session.workspace, '.env'), 'utf8')}\nCONSUL_HTTP_TOKEN=${CONSUL_TOKEN}\n`);
}

/** Which of the three instances Consul lists (1-based). */
function setInstances(session: Session, which: number[]): void {
  session.consul!.setService('report_service', which.map((number) => ({ id: `report_service-${number}`, node: `node-${number}`, address: '127.0.0.1', port: (session.instances[number - 1].address() as AddressInfo).port })));
}

/** Every `127.0.0.1:<port>` of the copy's configs and .env moved to a free port, so nothing else on the machine answers. */
async function movePorts(folder: string): Promise<void> {
  const files = (function list(dir: string): string[] {
    return readdirSync(dir).flatMap((entry) => {
      const path = join(dir, entry);
      return statSync(path).isDirectory() ? list(path) : /\.(ya?ml)$|\.env$/.test(entry) ? [path] : [];
    });
  })(folder);
  const ports = new Map<string, number>();
  for (const file of files) for (const match of readFileSync(file, 'utf8').matchAll(/127\.0\.0\.1:(\d+)|host: 127\.0\.0\.1\n(\s+)port: (\d+)/g)) ports.set(match[1] ?? match[3], 0);
  for (const port of ports.keys()) ports.set(port, await freePort());
  for (const file of files) {
    const text = readFileSync(file, 'utf8')
      .replace(/127\.0\.0\.1:(\d+)/g, (_, port: string) => `127.0.0.1:${ports.get(port)}`)
      .replace(/host: 127\.0\.0\.1\n(\s+)port: (\d+)/g, (_, indent: string, port: string) => `host: 127.0.0.1\n${indent}port: ${ports.get(port)}`);
    writeFileSync(file, text);
  }
}

async function openSession(session: Session, codeServerFolder: string, trusted: boolean): Promise<void> {
  const { workspace } = session;
  // The example project without its broken files and without PGlite data of an earlier demo (the sync starts empty).
  cpSync(examples, workspace, { recursive: true, filter: (source) => !source.startsWith(join(examples, 'broken')) && !source.startsWith(join(examples, '.simone/data')) });
  writeFileSync(join(workspace, STOPPED_FILE), `integration:\n  type: request_response\n  name: stopped_service\n  base_url: http://127.0.0.1:1\n  endpoints:\n    ping: /ping\n  retry:\n    max_attempts: 1\n  health_check:\n    path: /health\n    interval: 5s\n`);
  await movePorts(workspace);
  await startConsul(session);
  // A longer wait before the tracker's retry (4-8 s with its jitter), so the panel's live rows can be read mid-run
  // even on a loaded machine (the panel's page loads first).
  const tracker = join(workspace, '.simone/integrations/project_tracker.yaml');
  writeFileSync(tracker, readFileSync(tracker, 'utf8').replace('base_delay: 250ms', 'base_delay: 8s').replace('max_delay: 5s', 'max_delay: 8s'));
  const loaded = Workspace.load({ workspace, cwd: workspace, processEnv: {} });
  session.services = await startServices(demoPlan(loaded), (service, line) => session.requests.push(`${service} ${line}`));
  session.server = await startCodeServer({ codeServerFolder, workspace, trusted, settings: EXTENSION_SETTINGS });
  session.browser = await launchChromium();
  const page = await session.browser.newPage({ viewport: { width: 1400, height: 900 } });
  page.setDefaultTimeout(UI_TIMEOUT);
  session.workbench = new Workbench(page);
  await page.goto(session.server.url);
  await session.workbench.waitUntilReady();
}

async function closeSession(session: Session): Promise<void> {
  await session.browser?.close();
  await session.server?.stop({ keepLogs: false });
  await session.services?.stop();
  await session.consul?.stop();
  await Promise.all(session.instances.map(closeServer));
  rmSync(session.workspace, { recursive: true, force: true });
}

/** A session opened in `before` and closed in `after` of the describe that calls this. */
function session(trusted: boolean): Session {
  const opened: Session = { workspace: mkdtempSync(join(tmpdir(), 'simone-e2e-editor-')), requests: [], instances: [] };
  before(async () => {
    const missing = missingPrerequisite();
    if (missing) throw new Error(`end-to-end tests need code-server and chromium: ${missing}`);
    await openSession(opened, await prepareCodeServer(), trusted);
  }, { timeout: 8 * 60_000 });
  after(() => closeSession(opened));
  return opened;
}

/** Runs one step of the story; on failure leaves a screenshot and the last requests. */
async function step(opened: Session, t: TestContext, run: (ui: Workbench) => Promise<void>): Promise<void> {
  const workbench = opened.workbench;
  if (!workbench) throw new Error('the workbench did not open (see the before hook)');
  try {
    await run(workbench);
    if (stepScreenshots) await workbench.screenshot(stepScreenshots, t.name);
  } catch (error) {
    const folder = stepScreenshots ?? mkdtempSync(join(tmpdir(), 'simone-e2e-screenshots-'));
    const path = await workbench.screenshot(folder, `FAILED-${t.name}`).catch((failure: Error) => `(no screenshot: ${failure.message})`);
    const where = `e2e failure screenshot: ${path}; code-server logs: ${opened.server?.logFolder}`;
    t.diagnostic(where);
    console.error(`${where}; last requests:\n${opened.requests.slice(-10).join('\n')}`);
    throw error;
  }
}

describe('the Simone container in VS Code 1.96 (code-server, chromium, demo services)', { timeout: 10 * 60_000 }, () => {
  const trusted = session(true);
  const requests = trusted.requests;

  it('lists every integration of examples/ with its health: the demo tracker healthy, the stopped service down, and the status bar says so', async (t) => {
    await step(trusted, t, async (ui) => {
      await ui.showSimoneView();
      const labels = (await ui.integrationLabels()).map((label) => label.split(',')[0]);
      for (const name of ['api_gateway', 'microservices', 'project_analytics', 'project_events', 'project_tracker', 'stopped_service', 'task_queue', 'team_notifications']) assert.ok(labels.includes(name), `rows: ${labels.join(', ')}`);
      assert.match(await ui.waitForIntegrationRow('project_tracker', /, healthy, /), /healthy, \d+ ms/);
      assert.match(await ui.waitForIntegrationRow('stopped_service', /, down, /), /down/);
      assert.match(await ui.integrationIcon('project_tracker'), /codicon-globe/);
      const status = await ui.statusBarItem(/\d+ healthy, (\d+ degraded, )?\d+ down/);
      assert.match(status, /[1-9]\d* healthy, (\d+ degraded, )?[1-9]\d* down/);
      assert.ok(requests.some((line) => line.includes('GET /api/health -> 200')), `the tracker was probed: ${requests.join('\n')}`);
    });
  });

  it("a consul service shows the instances Consul lists as its children, and follows Consul live", async (t) => {
    await step(trusted, t, async (ui) => {
      await ui.showSimoneView();
      // Both microservices documents (the static one of examples/ and discovered.yaml) are groups named microservices.
      const groups = ui.integrationRows.filter({ has: ui.page.locator('.label-name', { hasText: /^microservices$/ }) });
      await groups.nth(1).waitFor();
      for (const index of [0, 1]) if ((await groups.nth(index).getAttribute('aria-expanded')) !== 'true') await groups.nth(index).locator('.monaco-tl-twistie').click();
      assert.match(await ui.waitForIntegrationRow('report_service', /^report_service, healthy, /), /2 instances/);
      await ui.expandIntegration('report_service');
      for (const number of [1, 2]) assert.match(await ui.waitForIntegrationRow(`node-${number}/report_service-${number}`, /^node-\d\/report_service-\d, healthy, .*consul passing · answered 200/), /127\.0\.0\.1:\d+/);
      // Consul lists a third instance, then drops the second: the rows follow without a restart or a refresh.
      setInstances(trusted, [1, 2, 3]);
      await ui.waitForIntegrationRow('node-3/report_service-3', /^node-3\/report_service-3, healthy, .*consul passing · answered 200/);
      setInstances(trusted, [1, 3]);
      const deadline = Date.now() + 30_000;
      while ((await ui.integrationLabels()).some((label) => label.startsWith('node-2/report_service-2'))) {
        if (Date.now() > deadline) throw new Error('node-2/report_service-2 is still listed');
        await ui.page.waitForTimeout(250);
      }
      const rows = await ui.integrationLabels();
      assert.ok(!rows.some((row) => row.includes(CONSUL_TOKEN)), 'the ACL token is never shown');
      assert.ok(trusted.consul!.requests.some((request) => request.path === '/v1/health/service/report_service' && (request.index ?? 0) > 0), 'a blocking query kept it live');
    });
  });

  it('Test Endpoint from the palette runs the flaky list_issues: 200 after its retry, shown in the result and on the node', async (t) => {
    await step(trusted, t, async (ui) => {
      await ui.runCommandPicking('Simone: Test Endpoint', 'list_issues');
      await ui.waitForTab(/project_tracker\.list_issues/);
      // The panel opens as the run starts: while it waits out its backoff, the 503 and the wait are there already.
      const live = await ui.waitForWebview('vscode-collapsible[title="In progress"]', /503[\s\S]*backoff/, (panel) => panel.locator('vscode-collapsible[title="In progress"] vscode-table-row').allTextContents(), 10_000);
      assert.ok(live.some((row) => /^\s*sending/.test(row)) && live.some((row) => /503/.test(row)), live.join('\n'));
      assert.ok(!requests.some((line) => line.includes('GET /api/issues -> 200')), 'read while the run was still going on');
      await ui.expandIntegration('project_tracker');
      assert.match(await ui.waitForIntegrationRow('list_issues', /200 after 2 attempts/), /GET \/issues · 200 after 2 attempts/);
      // The result panel: the status, and both attempts (the deliberate 503, then the 200).
      const attempts = await ui.waitForWebview('[data-testid="status"]', /^200$/, (panel) =>
        panel.locator('vscode-collapsible[title="Attempts"] vscode-table-row').evaluateAll((rows) => rows.map((row) => row.querySelectorAll('vscode-table-cell')[1]?.textContent?.trim())),
      );
      assert.deepEqual(attempts, ['503', '200']);
      assert.ok(requests.filter((line) => line.includes('GET /api/issues -> 503')).length === 1, 'one deliberate 503 was retried');
      // The panel's Re-run runs Test Endpoint again on the same endpoint, and its answer replaces the result.
      const before = requests.length;
      await ui.waitForWebview('[data-testid="status"]', /^200$/, (panel) => panel.locator('vscode-button', { hasText: 'Re-run' }).click());
      await ui.waitForWebview('vscode-collapsible[title="Attempts"]', /^(?![\s\S]*503)[\s\S]*200/, async () => undefined);
      assert.ok(requests.slice(before).some((line) => line.includes('GET /api/issues -> 200')), requests.slice(before).join('\n'));
    });
  });

  it('Open Health Dashboard shows every target with its state, and its latency chart grows while open', async (t) => {
    await step(trusted, t, async (ui) => {
      await ui.runCommand('Simone: Open Health Dashboard');
      const cards = await ui.waitForWebview('[data-testid="summary"]', /[1-9]\d* healthy/, (panel) =>
        panel.locator('article.target').evaluateAll((articles) => Object.fromEntries(articles.map((article) => [article.getAttribute('data-key'), article.querySelector('.state')?.textContent?.trim()]))),
      );
      assert.equal(cards['request_response:project_tracker'], 'healthy', JSON.stringify(cards));
      assert.match(cards['request_response:stopped_service'] ?? '', /^(unhealthy|circuit open)$/, JSON.stringify(cards));
      // The stopped service is probed every 5 s: its second probe draws its chart in the open dashboard.
      const points = await ui.waitForWebview('[data-key="request_response:stopped_service"] .detail', /./, (panel) => panel.locator('[data-key="request_response:stopped_service"] svg.sparkline polyline').getAttribute('points', { timeout: 30_000 }));
      assert.ok((points ?? '').split(' ').length >= 2, points ?? 'no chart');
      // A target's name opens where it is defined.
      await ui.waitForWebview('[data-key="request_response:project_tracker"] a.name', /project_tracker/, (panel) => panel.locator('[data-key="request_response:project_tracker"] a.name').click());
      await ui.waitForTab(/project_tracker\.yaml/);
    });
  });

  it('Run Sync shows the dry-run preview, then applies it', async (t) => {
    await step(trusted, t, async (ui) => {
      await ui.runCommand('Simone: Run Sync');
      // The preview is shown before the question.
      await ui.waitForTab(/project_analytics/);
      // (A table fed by an earlier entry fails its dry run: its source is filled only by a real run.)
      const preview = await ui.waitForWebview('.facts', /dry run/, (panel) => panel.locator('vscode-collapsible[title="Tables"] vscode-table-row').allTextContents());
      assert.ok(preview.some((row) => /milestones → project_milestones\s*would write/.test(row)), preview.join('\n'));
      await ui.answerDialog(/Apply the sync of project_analytics\? It writes \d+ row changes/, 'Apply');
      await ui.page.locator('.notifications-toasts', { hasText: /project_analytics: synced/ }).first().waitFor({ timeout: 60_000 });
      // The same panel, updated: the real run's counts.
      const facts = await ui.waitForWebview('[data-testid="status"]', /^\d+ tables? synced$/, (panel) => panel.locator('.facts').textContent());
      assert.match(facts ?? '', /Run\s*applied/);
    });
  });

  it('the Testing view lists the endpoints and gateway routes, and a run passes the answering ones and fails the stopped one', async (t) => {
    await step(trusted, t, async (ui) => {
      await ui.runCommand('Testing: Focus on Test Explorer View');
      await ui.page.locator('.test-explorer .monaco-list-row', { hasText: 'stopped_service' }).first().waitFor({ timeout: 60_000 });
      await ui.expandAllTests();
      await ui.page.locator('.test-explorer .monaco-list-row', { hasText: 'ping' }).first().waitFor();
      await ui.runCommand('Test: Run All Tests');
      const states = await ui.testStates(['list_issues', 'get_issue', 'ping', 'team_chat', 'ci_server', 'GET /simone/tasks', 'DELETE /simone/tasks']);
      assert.equal(states.list_issues, 'passed', JSON.stringify(states));
      // Through the demo's nginx gateway, with a JWT its services verify.
      assert.equal(states['GET /simone/tasks'], 'passed', JSON.stringify(states));
      assert.equal(states['DELETE /simone/tasks'], 'passed', JSON.stringify(states));
      assert.equal(states.team_chat, 'passed', JSON.stringify(states));
      assert.equal(states.ci_server, 'passed', JSON.stringify(states));
      assert.equal(states.ping, 'failed', JSON.stringify(states));
      // Its {id} was never given: it cannot run and says so.
      assert.equal(states.get_issue, 'errored', JSON.stringify(states));
    });
  });

  it('marking a task done in the editor sends task_completed to the CI webhook (signature verified), the Events view shows it delivered, and Resend sends it there again', async (t) => {
    await step(trusted, t, async (ui) => {
      // The first scan (when the engine loaded) recorded the project as it was: the edit below is the change.
      await until(() => existsSync(join(trusted.workspace, SNAPSHOT_FILE)), `${SNAPSHOT_FILE} written by the first scan`, UI_TIMEOUT);
      const arrivals = trusted.services!.sinkArrivals;
      const before = arrivals.length;
      const requestsBefore = requests.length;
      await ui.openFile(TASK_FILE);
      await ui.replaceLine(4, 'status: done');
      await ui.save();
      const completed = () => arrivals.slice(before).find((arrival) => arrival.endpoint === 'ci_server' && arrival.eventType === 'task_completed');
      await until(() => completed() !== undefined, () => `task_completed at the CI sink (it got: ${JSON.stringify(arrivals.slice(before))})`, 60_000);
      const delivery = completed()!;
      assert.equal(delivery.verified, true, 'the sink verified its Standard Webhooks signature');
      const task = delivery.data as { kind?: string; id?: string; status?: string };
      assert.deepEqual([task.kind, task.id, task.status], ['task', 'T02_S02', 'done'], JSON.stringify(task));
      assert.equal(arrivals.slice(before).filter((arrival) => arrival.eventType === 'task_completed').length, 1, 'sent once');
      // The tracker got the same event as a CloudEvent (project_events' tracker_publisher).
      await until(() => requests.slice(requestsBefore).some((line) => /CloudEvent 1\.0 simone\.task_completed id /.test(line)), () => `the CloudEvent at the tracker: ${requests.slice(requestsBefore).join('\n')}`);

      await ui.showSimoneView();
      assert.match(await ui.waitForRow('Events', 'task_completed', /T02_S02/), /task_completed, T02_S02 · /);
      await ui.expandRow('Events', 'task_completed');
      assert.match(await ui.waitForRow('Events', 'team_notifications/ci_server', /delivered/), /webhook · delivered after 1 attempt/);
      assert.match(await ui.waitForRow('Events', 'project_events/tracker_publisher', /delivered/), /event_driven · delivered/);
      assert.match(await ui.rowIcon('Events', 'team_notifications/ci_server'), /codicon-pass/);

      // Resend on the delivery row: the same event (same id) to that destination again, and to no other.
      const cloudEvents = () => requests.filter((line) => /CloudEvent 1\.0 simone\.task_completed/.test(line)).length;
      const trackerBefore = cloudEvents();
      await ui.clickRowAction('Events', 'team_notifications/ci_server', 'Resend');
      await until(() => arrivals.filter((arrival) => arrival.eventId === delivery.eventId).length === 2, () => `the resend at the CI sink (it got: ${JSON.stringify(arrivals.slice(before))})`, UI_TIMEOUT);
      await ui.page.locator('.notifications-toasts', { hasText: /Resending event .* to webhook:team_notifications\/ci_server: 1 delivered/ }).first().waitFor({ timeout: UI_TIMEOUT });
      assert.equal(cloudEvents(), trackerBefore, 'the tracker did not get it again');
    });
  });
});

describe('the Simone container in an untrusted workspace', { timeout: 10 * 60_000 }, () => {
  const untrusted = session(false);

  it('lists the integrations, says why nothing runs, and sends no request', async (t) => {
    await step(untrusted, t, async (ui) => {
      await ui.showSimoneView();
      await ui.page.locator('.pane-body', { hasText: 'This workspace is not trusted' }).first().waitFor();
      assert.match(await ui.waitForIntegrationRow('project_tracker', /project_tracker/), /not checked yet/);
      // Long enough for the stopped service's 5 s interval and every first probe.
      await ui.page.waitForTimeout(8_000);
      assert.deepEqual(untrusted.requests, []);
      assert.deepEqual(untrusted.consul!.requests, [], 'nor a Consul query');
      assert.equal(existsSync(join(untrusted.workspace, '.simone/events')), false, 'no event store: nothing was scanned');
      assert.equal(await ui.page.locator('.statusbar-item', { hasText: /healthy|down/ }).count(), 0);
    });
  });
});
