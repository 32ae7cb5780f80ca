/**
 * The built webview pages in headless Chromium, under the same content security policy as in VS Code, wired to
 * the real host sessions through a fake `acquireVsCodeApi`: a flaky endpoint's real run shows its status and every
 * retry, run events appear live, the dashboard draws and redraws its targets, and nothing breaks the policy.
 * SIMONE_UPDATE_DOCS_IMAGES=1 also writes docs/images/result-panel.png and health-dashboard.png.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { dashboardModel, type DashboardEntry } from '../../src/extension/webviews/dashboardModel';
import { PageSession, type PageRequest } from '../../src/extension/webviews/pageSession';
import type { HostMessage } from '../../src/extension/webviews/protocol';
import { ResultSession } from '../../src/extension/webviews/resultSession';
import { newNonce, webviewHtml } from '../../src/extension/webviews/webviewHtml';
import { healthResult } from '../../src/runners/health/healthResult';
import { endpointResultJson } from '../../src/runners/http/endpointResultJson';
import { runEndpoint } from '../../src/runners/http/runEndpoint';
import { launchChromium } from '../support/codeServer';
import { FlakyServer, sequence } from '../support/flakyServer';
import { httpIntegration } from '../support/httpIntegration';

const repositoryRoot = new URL('../../', import.meta.url).pathname;
const TYPES: Record<string, string> = { '.js': 'text/javascript', '.css': 'text/css', '.ttf': 'font/ttf', '.html': 'text/html' };

/** dist/webview as the build makes it, served from 127.0.0.1 with each page's HTML made by the host's builder. */
async function servePages(folder: string): Promise<{ server: Server; origin: string }> {
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://x').pathname;
    const page = /^\/(result|health)\.html$/.exec(path)?.[1];
    if (path === '/favicon.ico') return response.writeHead(204).end();
    try {
      const body = page
        ? webviewHtml({ title: page, cspSource: origin, script: `${origin}/${page}.js`, stylesheet: `${origin}/webview.css`, codicons: `${origin}/codicon.css` }, newNonce())
        : readFileSync(join(folder, path.replace(/^\/+/, '').replace(/\.\.+/g, '')));
      response.writeHead(200, { 'content-type': TYPES[extname(path)] ?? 'application/octet-stream' }).end(body);
    } catch {
      response.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { server, origin };
}

interface Wired {
  page: Page;
  /** What the page posted to the host, checked or not. */
  fromPage: unknown[];
  /** Posts host messages in order. */
  post(message: HostMessage): void;
  settled(): Promise<void>;
  violations(): Promise<string[]>;
}

/** A page (not loaded yet) whose `acquireVsCodeApi` posts to `receive` (the host session), and which records CSP violations and errors. */
async function preparePage(browser: Browser, receive: (raw: unknown) => void, errors: string[]): Promise<Wired> {
  const page = await browser.newPage({ viewport: { width: 960, height: 320 }, deviceScaleFactor: 1 });
  const fromPage: unknown[] = [];
  await page.exposeFunction('__simoneToHost', (message: unknown) => {
    fromPage.push(message);
    receive(message);
  });
  // A string, not a function: the test runner's transform would add helpers the page does not have.
  await page.addInitScript(`
    window.__violations = [];
    document.addEventListener('securitypolicyviolation', (event) => window.__violations.push(event.violatedDirective + ' ' + event.blockedURI));
    window.acquireVsCodeApi = () => ({ postMessage: (message) => window.__simoneToHost(message), getState: () => undefined, setState: () => undefined });
  `);
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('response', (response) => response.status() >= 400 && errors.push(`${response.status()} ${response.url()}`));
  page.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
  let queue = Promise.resolve();
  const post = (message: HostMessage) => {
    queue = queue.then(() => page.evaluate((data) => window.postMessage(data, '*'), message as unknown));
  };
  return { page, fromPage, post, settled: () => queue, violations: () => page.evaluate(() => (window as unknown as { __violations: string[] }).__violations) };
}

/** The whole page as a PNG; written to docs/images only when asked (SIMONE_UPDATE_DOCS_IMAGES=1). */
async function screenshot(page: Page, name: string): Promise<void> {
  const path = process.env.SIMONE_UPDATE_DOCS_IMAGES === '1' ? join(repositoryRoot, 'docs/images', `${name}.png`) : undefined;
  const png = await page.screenshot({ path, fullPage: true });
  assert.equal(png.subarray(1, 4).toString(), 'PNG');
}

describe('webview pages in Chromium', () => {
  let built: string;
  let pages: { server: Server; origin: string };
  let browser: Browser;
  let api: FlakyServer;

  before(async () => {
    built = mkdtempSync(join(tmpdir(), 'simone-webview-build-'));
    const build = spawnSync(process.execPath, ['--input-type=module', '-e', `import { buildWebviews } from './scripts/buildWebviews.mjs'; await buildWebviews(${JSON.stringify(built)});`], { cwd: repositoryRoot, encoding: 'utf8' });
    assert.equal(build.status, 0, build.stderr);
    pages = await servePages(built);
    browser = await launchChromium();
    api = await FlakyServer.start();
  });

  after(async () => {
    await browser?.close();
    await api?.close();
    pages?.server.close();
    rmSync(built, { recursive: true, force: true });
  });

  it('the result panel shows a flaky endpoint: status 200 and each retry, live events, and the buttons post back', async () => {
    api.respond(sequence({ status: 503, body: { error: 'warming up' } }, { status: 503, body: { error: 'warming up' } }, { status: 200, body: { tasks: [{ id: 1, title: 'Ship the webviews', done: false }, { id: 2, title: 'Write the docs', done: true }] } }));
    const integration = httpIntegration(api.url, { name: 'project_tracker', endpoints: [{ name: 'list_tasks', url: '/tasks' }] });
    const result = await runEndpoint(integration, 'list_tasks');
    assert.equal(result.status, 200);
    assert.equal(result.attempts.length, 3);

    const errors: string[] = [];
    const requests: PageRequest[] = [];
    const wired = await preparePage(browser, (raw) => session.receive(raw), errors);
    const session = new ResultSession({ kind: 'endpoint', title: 'project_tracker.list_tasks', data: endpointResultJson(result) }, (message) => wired.post(message), (request) => requests.push(request), (reason) => errors.push(reason));
    const { page } = wired;
    await page.goto(`${pages.origin}/result.html`);

    await page.waitForSelector('[data-testid="status"]');
    assert.equal((await page.textContent('[data-testid="status"]'))?.trim(), '200');
    const attempts = page.locator('vscode-collapsible[title="Attempts"] vscode-table-row');
    assert.equal(await attempts.count(), 3);
    assert.deepEqual(
      await attempts.evaluateAll((rows) => rows.map((row) => row.querySelectorAll('vscode-table-cell')[1].textContent?.trim())),
      ['503', '503', '200'],
    );
    assert.match((await page.locator('vscode-collapsible[title="Attempts"]').textContent()) ?? '', /503 Service Unavailable/);
    assert.match((await page.locator('.facts').textContent()) ?? '', new RegExp(`GET ${api.url}/tasks`));
    assert.match((await page.locator('vscode-collapsible[title="Body"] pre').textContent()) ?? '', /"title": "Ship the webviews"/);

    session.event({ type: 'attempt-started', attempt: 1, method: 'GET', url: `${api.url}/tasks` });
    session.event({ type: 'backoff', attempt: 2, delayMs: 40 });
    await wired.settled();
    const live = page.locator('vscode-collapsible[title="In progress"] vscode-table-row');
    await live.nth(1).waitFor();
    assert.match((await live.nth(1).textContent()) ?? '', /backoff.*waiting 40 ms/s);

    await page.locator('vscode-button', { hasText: 'Re-run' }).click();
    await page.locator('vscode-collapsible[title="Body"] vscode-button', { hasText: 'Copy' }).click();
    for (let wait = 0; requests.length < 2 && wait < 50; wait++) await new Promise((resolve) => setTimeout(resolve, 20));
    assert.deepEqual(requests.map((request) => request.type), ['rerun', 'copy']);

    session.show({ kind: 'endpoint', title: 'project_tracker.list_tasks', data: endpointResultJson(result) });
    await wired.settled();
    await page.locator('vscode-collapsible[title="In progress"]').waitFor({ state: 'detached' });
    await page.evaluate(() => document.fonts.ready);
    await screenshot(page, 'result-panel');

    assert.deepEqual(await wired.violations(), [], 'nothing on the page breaks the content security policy');
    assert.deepEqual(errors, []);
    // The policy is really in force: an inline script is refused.
    await page.evaluate(() => {
      const script = document.createElement('script');
      script.textContent = 'window.__inlineRan = true';
      document.body.append(script);
    });
    assert.equal(await page.evaluate(() => (window as unknown as { __inlineRan?: boolean }).__inlineRan), undefined);
    assert.equal((await wired.violations()).length, 1);
    await page.close();
  });

  it('a wide table stays readable in a half-width panel: nothing in its headers or cells is cut', async () => {
    const tables = [
      { ok: true, source: 'tasks', target: 'project_tasks', inserted: 12, updated: 3, deleted: 0, unchanged: 41, durationMs: 38, deletesIgnored: 0, rowsCompared: 56 },
      { ok: true, source: 'milestones', target: 'project_milestones', inserted: 2, updated: 0, deleted: 1, unchanged: 6, durationMs: 12, deletesIgnored: 0, rowsCompared: 9, warnings: ['2 rows without a due date'] },
      { ok: false, source: 'milestone_tasks', target: 'project_milestone_tasks', error: 'source table milestone_tasks is empty until milestones are synced', errorKind: 'source' },
    ];
    const errors: string[] = [];
    const wired = await preparePage(browser, (raw) => session.receive(raw), errors);
    const session = new ResultSession({ kind: 'sync', title: 'project_analytics', data: { integration: 'project_analytics', dryRun: true, ok: false, tables } }, (message) => wired.post(message), () => undefined, (reason) => errors.push(reason));
    const { page } = wired;
    // About half of a 1400-pixel window beside the editor.
    await page.setViewportSize({ width: 560, height: 480 });
    await page.goto(`${pages.origin}/result.html`);
    await page.waitForSelector('vscode-collapsible[title="Tables"] vscode-table-row');
    await page.evaluate(() => document.fonts.ready);
    await page.waitForTimeout(100);
    const cut = await page.locator('vscode-collapsible[title="Tables"]').evaluate((block) =>
      Array.from(block.querySelectorAll('vscode-table-header-cell, vscode-table-cell'))
        // The text sits in each cell's shadow wrapper, which vscode-elements clips.
        .map((cell) => ({ cell, box: cell.shadowRoot?.querySelector('.wrapper') ?? cell }))
        .filter(({ box }) => box.getClientRects().length > 0 && box.scrollWidth > box.clientWidth + 1)
        .map(({ cell }) => cell)
        .map((cell) => cell.textContent?.trim()),
    );
    assert.deepEqual(cut, [], 'text cut off in the Tables section');
    assert.match((await page.locator('vscode-collapsible[title="Tables"]').textContent()) ?? '', /Unchanged[\s\S]*source table milestone_tasks is empty until milestones are synced/);
    await screenshot(page, 'result-sync');
    assert.deepEqual(await wired.violations(), []);
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('the health dashboard shows every target with its state and latency chart, and keeps updating', async () => {
    const at = (minute: number) => new Date(Date.UTC(2026, 11, 7, 10, minute)).toISOString();
    const history = (latencies: number[], down: number[] = []) => latencies.map((latencyMs, index) => ({ checkedAt: at(index), state: down.includes(index) ? ('unhealthy' as const) : ('healthy' as const), latencyMs }));
    let entries: DashboardEntry[] = [
      { key: 'request_response:project_tracker', name: 'project_tracker', type: 'request_response', result: healthResult({ state: 'healthy', latencyMs: 42, detail: 'GET /health answered 200', breaker: 'closed' }), history: history([40, 38, 55, 61, 47, 44, 39, 52, 48, 42]) },
      { key: 'request_response:billing', name: 'billing', type: 'request_response', result: healthResult({ state: 'unhealthy', latencyMs: 5000, detail: 'GET /health: no answer within 5000 ms', breaker: 'open' }), history: history([120, 130, 5000, 5000, 5000], [2, 3, 4]) },
      { key: 'message_queue:task_events', name: 'task_events', type: 'message_queue', result: healthResult({ state: 'degraded', latencyMs: 12, detail: 'tasks: 1,204 messages waiting, 0 consumers' }), history: history([10, 11, 12, 14, 12]) },
      { key: 'database:warehouse', name: 'warehouse', type: 'database', result: healthResult({ state: 'healthy', latencyMs: 3, detail: 'last sync 2026-12-07T09:58:00Z, 2 tables' }), history: history([3, 4, 3, 2, 3, 3]) },
    ];
    const errors: string[] = [];
    const requests: PageRequest[] = [];
    const wired = await preparePage(browser, (raw) => session.receive(raw), errors);
    const session = new PageSession((message) => wired.post(message), () => [{ type: 'health', model: dashboardModel(entries, true) }], (request) => requests.push(request), (reason) => errors.push(reason));
    const { page } = wired;
    await page.goto(`${pages.origin}/health.html`);

    await page.waitForSelector('[data-testid="summary"]');
    assert.equal((await page.textContent('[data-testid="summary"]'))?.trim(), '2 healthy, 1 degraded, 1 down');
    assert.equal(await page.locator('article.target').count(), 4);
    assert.match((await page.locator('[data-key="request_response:billing"]').textContent()) ?? '', /circuit open.*no answer within 5000 ms/s);
    assert.equal(await page.locator('[data-key="request_response:project_tracker"] svg.sparkline polyline').count(), 1);
    assert.equal(await page.locator('[data-key="request_response:billing"] svg.sparkline circle').count(), 3, 'the failed probes are marked');

    await page.locator('[data-key="message_queue:task_events"] a.name').click();
    for (let wait = 0; requests.length < 1 && wait < 50; wait++) await new Promise((resolve) => setTimeout(resolve, 20));
    assert.deepEqual(requests, [{ type: 'openDefinition', key: 'message_queue:task_events' }]);

    await page.evaluate(() => document.fonts.ready);
    await screenshot(page, 'health-dashboard');

    entries = entries.map((entry) => (entry.name === 'billing' ? { ...entry, result: healthResult({ state: 'healthy', latencyMs: 90, detail: 'GET /health answered 200', breaker: 'closed' }), history: [...entry.history, { checkedAt: at(9), state: 'healthy', latencyMs: 90 }] } : entry));
    session.send({ type: 'health', model: dashboardModel(entries, true) });
    await wired.settled();
    await page.waitForFunction(() => document.querySelector('[data-testid="summary"]')?.textContent === '3 healthy, 1 degraded');
    assert.equal(await page.locator('[data-key="request_response:billing"] svg.sparkline polyline').getAttribute('points').then((points) => points?.split(' ').length), 6);

    assert.deepEqual(await wired.violations(), []);
    assert.deepEqual(errors, []);
    await page.close();
  });
});
