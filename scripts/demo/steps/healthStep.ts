import { brokerSkipped, type DemoContext } from './demoContext';

/** Rows of the health table whose state is unhealthy: [name, type]. */
function unhealthyRows(table: string): Array<[string, string]> {
  return table
    .split('\n')
    .slice(1)
    .map((line) => line.split(/\s{2,}/))
    .filter((cells) => cells[2] === 'unhealthy')
    .map((cells) => [cells[0], cells[1]]);
}

/**
 * `health`: one probe of every integration, service and gateway against the
 * live services. Without a broker the message queue is unhealthy, and without
 * nginx the gateway, as they should be; that alone does not fail the step.
 */
export async function healthStep(context: DemoContext): Promise<void> {
  const { transcript, cli, workspaceArg } = context;
  transcript.section('Health of every integration, service and gateway');
  await transcript.step('health', async () => {
    const run = await cli.run(['health', '--workspace', workspaceArg]);
    const counts = run.stdout.trim().split('\n').at(-1) ?? '';
    if (run.code === 0) return { outcome: 'ok', detail: counts };
    const unhealthy = unhealthyRows(run.stdout);
    // What is not running on purpose (no broker, no nginx) is unhealthy, as it should be.
    const expected = (type: string) => (type === 'message_queue' && brokerSkipped(context)) || (type === 'api_gateway' && context.services.gatewaySkipped !== undefined);
    if (unhealthy.length > 0 && unhealthy.every(([, type]) => expected(type))) return { outcome: 'ok', detail: `${counts} (not started: ${unhealthy.map(([name]) => name).join(', ')} unhealthy as expected)` };
    return { outcome: 'failed', detail: `unhealthy: ${unhealthy.map(([name]) => name).join(', ') || counts}` };
  });
}
