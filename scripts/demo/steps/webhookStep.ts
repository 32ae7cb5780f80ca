import { randomUUID } from 'node:crypto';
import { request } from 'undici';
import { sendWebhook } from '../../../src/runners/webhook/webhookSender';
import { SIGNATURE_SCHEMES } from '../../../src/runners/webhook/signatureSchemes';
import type { DemoContext } from './demoContext';

const PUSH = JSON.stringify({ ref: 'refs/heads/main', repository: { full_name: 'team/simone-project' }, head_commit: { id: 'a1b2c3d', message: 'Add the integrations demo' } });

/**
 * Webhooks both ways: `webhook sign` and `verify` round trip a payload with an
 * incoming endpoint's secret; that exact delivery is POSTed to the product's
 * own receiver (`webhook listen`, started with the services), which verifies
 * and prints it, and a tampered copy is refused. Then the engine signs and
 * sends to the outgoing endpoints, and the sink verifies each signature.
 */
export async function webhookStep(context: DemoContext): Promise<void> {
  const { transcript, cli, plan } = context;
  const integration = plan.integrations.notifications;
  transcript.section(`Signed webhooks (${integration.name})`);

  const incoming = integration.endpoints.find((endpoint) => !endpoint.url && endpoint.signature === 'github' && endpoint.secret);
  let signature: string | undefined;
  await transcript.step('webhook sign/verify', async () => {
    if (!incoming) return { outcome: 'failed', detail: `${integration.name} has no incoming github-signed endpoint to demonstrate` };
    const shown = `<${incoming.name} secret>`;
    const signed = await cli.run(['webhook', 'sign', '--scheme', 'github', '--secret', incoming.secret!, '--payload', PUSH], { display: ['webhook', 'sign', '--scheme', 'github', '--secret', shown, '--payload', PUSH] });
    signature = signed.stdout.trim();
    if (signed.code !== 0 || !signature) return { outcome: 'failed', detail: 'webhook sign failed' };
    const verified = await cli.run(['webhook', 'verify', '--scheme', 'github', '--secret', incoming.secret!, '--payload', PUSH, '--signature', signature], {
      display: ['webhook', 'verify', '--scheme', 'github', '--secret', shown, '--payload', PUSH, '--signature', signature],
    });
    return verified.code === 0 && verified.stdout.trim() === 'valid' ? { outcome: 'ok', detail: 'signed and verified the same payload (github, HMAC-SHA256)' } : { outcome: 'failed', detail: 'webhook verify did not say valid' };
  });

  await transcript.step('webhook receive', async () => {
    if (!incoming || !signature || !integration.receiver) return { outcome: 'failed', detail: 'nothing signed to deliver, or no receiver configured' };
    const { host, port, pathPrefix } = integration.receiver;
    const url = `http://${host}:${port}${pathPrefix.replace(/\/+$/, '')}/${incoming.name}`;
    const post = async (body: string) => {
      const response = await request(url, { method: 'POST', body, headers: { 'content-type': 'application/json', 'x-github-event': 'push', 'x-github-delivery': randomUUID(), [SIGNATURE_SCHEMES.github.signatureHeader!]: signature! } });
      await response.body.dump();
      return response.statusCode;
    };
    transcript.line(`POST ${url} (the signed payload, as the code host would send it)`);
    const arrival = context.nextReceived(5000);
    const status = await post(PUSH);
    const received = await arrival;
    transcript.output(`receiver answered ${status}`);
    transcript.line(`POST ${url} (the same signature on a tampered body)`);
    const tampered = await post(PUSH.replace('main', 'attacker'));
    transcript.output(`receiver answered ${tampered}`);
    if (status !== 200 || received?.endpoint !== incoming.name) return { outcome: 'failed', detail: `the receiver answered ${status} and printed ${received ? `a delivery for ${received.endpoint}` : 'nothing'}` };
    if (tampered !== 401) return { outcome: 'failed', detail: `a tampered delivery was answered ${tampered}, not 401` };
    return { outcome: 'ok', detail: `the receiver verified and printed the ${received.headers['x-github-event']} delivery; the tampered copy got 401` };
  });

  await transcript.step('webhooks out', async () => {
    const outgoing = integration.endpoints.filter((endpoint) => endpoint.url);
    const before = context.services.sinkArrivals.length;
    const results = [];
    for (const endpoint of outgoing) {
      const type = endpoint.events[0] ?? 'milestone_completed';
      transcript.line(`engine: sendWebhook(${integration.name}, ${endpoint.name}, ${type}) -> ${endpoint.url}`);
      const delivery = await sendWebhook(integration, endpoint.name, type, { source: 'npm run demo', project: 'examples' }, { signal: context.signal });
      transcript.output(delivery.ok ? `delivered ${delivery.event.id}: ${delivery.status} after ${delivery.attempts.length} attempt(s)` : `FAILED: ${delivery.error?.message ?? delivery.status}`);
      results.push(delivery);
    }
    const verified = context.services.sinkArrivals.slice(before).filter((arrival) => arrival.verified).length;
    if (results.some((delivery) => !delivery.ok) || verified !== outgoing.length) return { outcome: 'failed', detail: `${verified} of ${outgoing.length} deliveries verified by the sink` };
    return { outcome: 'ok', detail: `${verified} signed deliveries (${outgoing.map((endpoint) => endpoint.signature).join(', ')}) verified by the sink` };
  });
}
