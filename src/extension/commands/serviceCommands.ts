import { window } from 'vscode';
import { describeServiceCall } from '../runSummaries';
import type { CommandContext } from './commandContext';
import { commandTarget } from './commandTarget';
import { runWithProgress } from './runWithProgress';

/** Test Service: one call to the service (from its tree node, or picked), to an instance its load balancer picks. */
export async function testService(context: CommandContext, argument: unknown): Promise<void> {
  const engine = await context.host.get();
  const services = engine.workspace.snapshot.microservices().flatMap((group) => group.services.map((service) => service.name));
  const name = commandTarget(argument).integration ?? (await window.showQuickPick(services, { title: 'Test Service', placeHolder: services.length ? 'A service to call' : 'The workspace has no services' }));
  if (!name) return;
  const { result } = await runWithProgress(`Testing ${name}`, context.host.settings.runTimeoutMs, (progress) => engine.callService(name, { signal: progress.signal }));
  const line = describeServiceCall(result);
  if (result.ok) {
    context.log.info(line);
    void window.showInformationMessage(line);
  } else {
    context.log.warn(line);
    void window.showWarningMessage(line);
  }
}
