import type { DemoContext } from './demoContext';

/**
 * `test api_gateway --rate-limit`: every route and method through nginx with a short-lived JWT the services
 * verify, then `burst_size + 1` requests at once to see the gateway's 429.
 */
export async function gatewayStep({ transcript, cli, workspaceArg, plan, services }: DemoContext): Promise<void> {
  if (!plan.gateway) return;
  transcript.section('Every route of the API gateway, and its rate limit');
  await transcript.step('gateway test', async () => {
    if (services.gatewaySkipped) return { outcome: 'skipped', detail: services.gatewaySkipped };
    const run = await cli.run(['test', 'api_gateway', '--rate-limit', '--workspace', workspaceArg]);
    const passed = /^ok: (\d+ of \d+) passed/m.exec(run.stdout)?.[1];
    const rateLimit = /^ {2}rate limit: ok: (.*)$/m.exec(run.stdout)?.[1];
    if (run.code !== 0) return { outcome: 'failed', detail: 'a route or the rate limit failed (see above)' };
    return { outcome: 'ok', detail: `${passed} route requests passed through nginx with a signed JWT; ${rateLimit}` };
  });
}
