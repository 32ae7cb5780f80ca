import { Location, TestMessage, TestRunProfileKind, tests, workspace, type Disposable, type TestController, type TestItem, type TestRun, type TestRunRequest, type CancellationToken } from 'vscode';
import { mapConcurrent } from '../../runners/mapConcurrent';
import { RememberedParameters } from '../commands/rememberedParameters';
import type { CommandContext } from '../commands/commandContext';
import { recordEndpointRun } from '../commands/endpointCommands';
import type { EditorEngine } from '../engine/editorEngine';
import type { EngineListener } from '../engineHost';
import { toVscodeRange, toVscodeUri } from '../locations';
import { describeDelivery, describeEndpointOutcome, describeServiceCall } from '../runSummaries';
import type { TreeWorkspace } from '../tree/treeModel';
import { discoverEndpointTests, type EndpointTest } from './endpointTests';

/** A Testing view run's own test webhook data: says what it is. */
const testData = () => ({ test: true, sentBy: 'Simone Integrations for VS Code (Testing view)', sentAt: new Date().toISOString() });

/**
 * The Testing view: every request_response endpoint, outgoing webhook endpoint, HTTP service and gateway route (per
 * method) as a test, grouped by file and integration, service group or gateway, kept in step with the live workspace. A run calls the runner (at most `simone.run.concurrency` at a
 * time) and reports passed or failed with status, attempts and duration, at the endpoint's line. Untrusted, the
 * controller lists nothing (the engine runs nothing there).
 */
export class EndpointTestController implements EngineListener, Disposable {
  private readonly controller: TestController;
  private readonly tests = new Map<string, EndpointTest>();

  constructor(private readonly context: CommandContext) {
    this.controller = tests.createTestController('simone.endpoints', 'Simone Integrations');
    this.controller.createRunProfile('Run', TestRunProfileKind.Run, (request, token) => this.run(request, token), true);
    // The Testing view asks for the items when it is first shown: that is when the engine loads.
    this.controller.resolveHandler = async () => {
      if (workspace.isTrusted) await context.host.get().catch(() => undefined);
    };
    this.controller.refreshHandler = async () => {
      const engine = await context.host.get();
      this.show(engine.workspace.snapshot);
    };
    context.host.addListener(this);
  }

  engineLoaded(engine: EditorEngine, subscriptions: Array<{ dispose(): unknown }>): void {
    if (!engine.trusted) return;
    this.show(engine.workspace.snapshot);
    subscriptions.push(engine.workspace.onDidChange((snapshot) => this.show(snapshot)));
  }

  dispose(): void {
    this.controller.dispose();
  }

  private show(snapshot: TreeWorkspace): void {
    this.tests.clear();
    const files = discoverEndpointTests(snapshot).map((file) => {
      const uri = toVscodeUri(file.uri);
      const fileItem = this.controller.createTestItem(file.id, file.label, uri);
      fileItem.children.replace(
        file.integrations.map((group) => {
          const integrationItem = this.controller.createTestItem(group.id, group.integration, uri);
          if (group.range) integrationItem.range = toVscodeRange(group.range);
          integrationItem.children.replace(
            group.tests.map((test) => {
              this.tests.set(test.id, test);
              const item = this.controller.createTestItem(test.id, test.label, uri);
              item.description = test.description;
              if (test.range) item.range = toVscodeRange(test.range);
              return item;
            }),
          );
          return integrationItem;
        }),
      );
      return fileItem;
    });
    this.controller.items.replace(files);
  }

  private async run(request: TestRunRequest, token: CancellationToken): Promise<void> {
    const engine = await this.context.host.get();
    const run = this.controller.createTestRun(request);
    const excluded = new Set((request.exclude ?? []).map((item) => item.id));
    const leaves: TestItem[] = [];
    const collect = (item: TestItem) => {
      if (excluded.has(item.id)) return;
      if (this.tests.has(item.id)) leaves.push(item);
      else item.children.forEach(collect);
    };
    if (request.include) request.include.forEach(collect);
    else this.controller.items.forEach(collect);
    for (const item of leaves) run.enqueued(item);
    const controller = new AbortController();
    const cancel = token.onCancellationRequested(() => controller.abort(new Error('cancelled')));
    try {
      await mapConcurrent(leaves, this.context.host.settings.runConcurrency, async (item) => {
        if (token.isCancellationRequested) return run.skipped(item);
        run.started(item);
        await this.runOne(engine, run, item, this.tests.get(item.id)!, controller.signal).catch((error: Error) => run.errored(item, this.message(item, error.message)));
      });
    } finally {
      cancel.dispose();
      run.end();
    }
  }

  private async runOne(engine: EditorEngine, run: TestRun, item: TestItem, test: EndpointTest, signal: AbortSignal): Promise<void> {
    if (test.kind === 'gateway-route') {
      const [method, path] = test.endpoint.split(' ');
      const result = await engine.testGatewayRoute(test.integration, path, method, { signal });
      return this.settle(run, item, result.ok, `${result.method} ${result.url}: ${describeEndpointOutcome(result)}`, result.durationMs);
    }
    if (test.kind === 'service') {
      const result = await engine.callService(test.integration, { signal });
      return this.settle(run, item, result.ok, describeServiceCall(result), result.durationMs);
    }
    if (test.kind === 'endpoint') {
      const remembered = new RememberedParameters(this.context.extension.workspaceState).get(test.integration, test.endpoint);
      const missing = engine.endpointParameters(test.integration, test.endpoint).filter((name) => remembered[name] === undefined);
      if (missing.length) return run.errored(item, this.message(item, `needs ${missing.map((name) => `{${name}}`).join(', ')}: run "Simone: Test Endpoint" on it once to give the values`));
      const result = await engine.runEndpoint(test.integration, test.endpoint, { params: remembered, signal });
      recordEndpointRun(this.context, result);
      return this.settle(run, item, result.ok, `${result.method} ${result.url ?? ''}: ${describeEndpointOutcome(result)}`, result.durationMs);
    }
    const webhook = engine.workspace.snapshot.integration(test.integration);
    const events = webhook?.type === 'webhook' ? webhook.endpoints.find((endpoint) => endpoint.name === test.endpoint)?.events : undefined;
    const started = performance.now();
    const delivery = await engine.sendWebhook(test.integration, test.endpoint, events?.[0] ?? 'test', testData(), { signal });
    this.settle(run, item, delivery.ok, describeDelivery(delivery), performance.now() - started);
  }

  /** A run's line in the log, and passed (with the line as output) or failed (with it as the message). */
  private settle(run: TestRun, item: TestItem, ok: boolean, line: string, durationMs: number): void {
    if (ok) {
      this.context.log.info(line);
      run.appendOutput(`${line}\r\n`, this.location(item), item);
      run.passed(item, durationMs);
    } else {
      this.context.log.warn(line);
      run.failed(item, this.message(item, line), durationMs);
    }
  }

  private location(item: TestItem): Location | undefined {
    return item.uri && item.range ? new Location(item.uri, item.range) : undefined;
  }

  private message(item: TestItem, text: string): TestMessage {
    const message = new TestMessage(text);
    message.location = this.location(item);
    return message;
  }
}
