import { window } from 'vscode';
import { mapConcurrent } from '../../runners/mapConcurrent';
import type { EndpointResult } from '../../runners/http/endpointResult';
import { endpointResultJson } from '../../runners/http/endpointResultJson';
import type { EditorEngine } from '../engine/editorEngine';
import { describeEndpointResult } from '../runSummaries';
import { showRun, type ResultView } from '../webviews/webviewApi';
import type { CommandContext } from './commandContext';
import { commandTarget } from './commandTarget';
import { runLive, type LiveRunOptions } from './liveRun';
import { pickAnyEndpoint, pickIntegration, pickPart } from './pickers';
import { RememberedParameters } from './rememberedParameters';
import { runWithProgress } from './runWithProgress';

/**
 * Values for the endpoint's `{param}`s, one input box each (filled with the last values); undefined when the
 * user cancelled. `askAll: false` asks only for those never given.
 */
async function askParameters(engine: EditorEngine, remembered: RememberedParameters, integration: string, endpoint: string, askAll: boolean): Promise<Record<string, string> | undefined> {
  const names = engine.endpointParameters(integration, endpoint);
  const last = remembered.get(integration, endpoint);
  const values: Record<string, string> = {};
  for (const name of names) {
    if (!askAll && last[name] !== undefined) {
      values[name] = last[name];
      continue;
    }
    const value = await window.showInputBox({ title: `Test ${integration}.${endpoint}`, prompt: `Value of {${name}}`, value: last[name], ignoreFocusOut: true });
    if (value === undefined) return undefined;
    values[name] = value;
  }
  if (names.length) await remembered.set(integration, endpoint, values);
  return values;
}

/** Records a run on the tree and in the log. */
export function recordEndpointRun(context: CommandContext, result: EndpointResult): void {
  context.view.recordEndpointRun(result);
  const line = describeEndpointResult(result);
  if (result.ok) context.log.info(line);
  else context.log.warn(line);
}

/** Test Endpoint: the endpoint (picked, or from the node or lens), its parameters asked, run, the result shown. */
export async function testEndpoint(context: CommandContext, argument: unknown): Promise<void> {
  const engine = await context.host.get();
  const target = commandTarget(argument);
  let chosen: { integration: string; endpoint: string } | undefined;
  if (target.integration === undefined) chosen = await pickAnyEndpoint(engine);
  else {
    const integration = await pickIntegration(engine, 'request_response', 'Test Endpoint', target.integration);
    const endpoint = integration && (await pickPart(integration.endpoints.map((candidate) => ({ name: candidate.name, description: candidate.method, value: candidate.name })), `Test an endpoint of ${integration.name}`, `${integration.name} has no endpoints.`, target.endpoint));
    chosen = integration && endpoint ? { integration: integration.name, endpoint } : undefined;
  }
  if (!chosen) return;
  const { integration, endpoint } = chosen;
  const params = await askParameters(engine, new RememberedParameters(context.extension.workspaceState), integration, endpoint, true);
  if (!params) return;
  const title = `${integration}.${endpoint}`;
  const doing = `Testing ${title}`;
  const panel = showRun(context.extension, 'endpoint', title, doing);
  const { result } = await runWithProgress(doing, context.host.settings.runTimeoutMs, (progress) =>
    runLive(progress, panel, (options) => engine.runEndpoint(integration, endpoint, { params, ...options }), (done) => ({ kind: 'endpoint', title, data: endpointResultJson(done) })),
  );
  recordEndpointRun(context, result);
}

/** Test All Endpoints: every endpoint of one integration, a few at a time, each with its remembered parameters. */
export async function testAllEndpoints(context: CommandContext, argument: unknown): Promise<void> {
  const engine = await context.host.get();
  const integration = await pickIntegration(engine, 'request_response', 'Test All Endpoints', commandTarget(argument).integration);
  if (!integration) return;
  const remembered = new RememberedParameters(context.extension.workspaceState);
  const parameters: Array<Record<string, string>> = [];
  for (const endpoint of integration.endpoints) {
    const values = await askParameters(engine, remembered, integration.name, endpoint.name, false);
    if (!values) return;
    parameters.push(values);
  }
  const doing = `Testing ${integration.endpoints.length} endpoints of ${integration.name}`;
  const panel = showRun(context.extension, 'endpoints', integration.name, doing);
  const { result: results } = await runWithProgress(doing, context.host.settings.runTimeoutMs, (progress) => {
    let done = 0;
    const all = (options: LiveRunOptions) =>
      mapConcurrent(integration.endpoints, context.host.settings.runConcurrency, async (endpoint, index) => {
        const result = await engine.runEndpoint(integration.name, endpoint.name, { params: parameters[index], ...options });
        progress.report(`${++done} of ${integration.endpoints.length}`);
        return result;
      });
    const view = (done: EndpointResult[]): ResultView => ({ kind: 'endpoints', title: integration.name, data: { integration: integration.name, ok: done.every((result) => result.ok), results: done.map(endpointResultJson) } });
    // The count is the batch's message; its attempts go to the panel.
    return runLive(progress, panel, all, view, false);
  });
  for (const result of results) recordEndpointRun(context, result);
  const failed = results.filter((result) => !result.ok).length;
  const summary = `${integration.name}: ${results.length - failed} of ${results.length} endpoints passed`;
  void (failed ? window.showWarningMessage(summary) : window.showInformationMessage(summary));
}
