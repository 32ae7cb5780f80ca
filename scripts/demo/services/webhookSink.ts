import { createServer, type Server } from 'node:http';
import { SIGNATURE_SCHEMES } from '../../../src/runners/webhook/signatureSchemes';
import type { DemoPlan } from '../demoPlan';
import { readBody, sendJson } from './httpService';

/** A delivery the sink checked, for the demo's own assertions. */
export interface SinkArrival {
  endpoint: string;
  verified: boolean;
  eventType?: string;
  /** The delivery's event id and data, as sent. */
  eventId?: string;
  data?: unknown;
}

/**
 * The team chat and CI server that team_notifications sends to: each hook path
 * verifies its endpoint's signature with the engine's own verifier (the scheme
 * and secret the config gives it) and answers 401 when it does not match.
 * `/health` wants the integration's API key, as its health_check sends it.
 */
export function webhookSink(plan: DemoPlan['sink'], log: (line: string) => void, arrived: (arrival: SinkArrival) => void): Server {
  return createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    if (plan.healthPath && path === plan.healthPath) {
      if (plan.apiKey && request.headers['x-api-key'] !== plan.apiKey) return sendJson(response, 401, { error: 'bad or missing X-API-Key' });
      return sendJson(response, 200, { status: 'ok' });
    }
    const hook = plan.hooks.find((candidate) => candidate.path === path);
    if (!hook || request.method !== 'POST') return sendJson(response, 404, { error: `no hook ${request.method} ${path}` });
    readBody(request).then(
      (raw) => {
        const { endpoint } = hook;
        const verdict = SIGNATURE_SCHEMES[endpoint.signature].verify(raw, request.headers, endpoint.secret ?? '', { toleranceMs: 300_000 });
        let body: { id?: string; type?: string; data?: unknown } = {};
        try {
          body = JSON.parse(raw.toString('utf8')) ?? {};
        } catch {
          // not JSON: reported without a type
        }
        const eventType = typeof body.type === 'string' ? body.type : undefined;
        arrived({ endpoint: endpoint.name, verified: verdict.ok, eventType, eventId: typeof body.id === 'string' ? body.id : undefined, data: body.data });
        if (!verdict.ok) {
          log(`POST ${path} -> 401: ${endpoint.signature} signature refused (${verdict.reason})`);
          return sendJson(response, 401, { error: verdict.reason });
        }
        log(`POST ${path} -> 200: ${endpoint.signature} signature verified, event ${eventType ?? '(no type)'} for ${endpoint.name}`);
        sendJson(response, 200, { ok: true });
      },
      () => sendJson(response, 400, { error: 'cannot read the body' }),
    );
  });
}
