import type { DemoContext } from './demoContext';

/**
 * `test project_tracker`: every endpoint through the runner's policies (OAuth
 * token, retry, breaker, bulkhead, rate limit), with the parameters its
 * templates need. The tracker's one deliberate 503 shows a retry.
 */
export async function testStep({ transcript, cli, workspaceArg, plan }: DemoContext): Promise<void> {
  const name = plan.integrations.tracker.name;
  transcript.section(`Call every endpoint of ${name}`);
  await transcript.step('test endpoints', async () => {
    const run = await cli.run(['test', name, '--workspace', workspaceArg, '--param', 'id=1', '--param', 'title=Demo: show retries in the transcript', '--param', 'milestone_id=M02']);
    const endpoints = plan.integrations.tracker.endpoints.length;
    const retried = [...run.stdout.matchAll(/^(\S+)\s.*\n\s+ok \d+ in [\d.]+ ms after (\d+) attempts/gm)].map((match) => `${match[1].split('.').pop()} after ${match[2]} attempts`);
    if (run.code !== 0) return { outcome: 'failed', detail: 'an endpoint call failed (see above)' };
    return { outcome: 'ok', detail: `${endpoints} endpoints answered 2xx with an OAuth token${retried.length ? `; retried: ${retried.join(', ')}` : ''}` };
  });
}
