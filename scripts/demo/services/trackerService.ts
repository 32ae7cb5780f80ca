import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { DemoPlan } from '../demoPlan';
import { bearerToken, readBody, sendJson } from './httpService';

interface Issue {
  id: number;
  title: string;
  milestone: string;
  status: 'open' | 'closed';
}

const SEED: Issue[] = [
  { id: 1, title: 'Schema rejects durations with spaces', milestone: 'M02', status: 'open' },
  { id: 2, title: 'Queue runner: confirm timeout message', milestone: 'M02', status: 'open' },
  { id: 3, title: 'Weekly report template', milestone: 'M03', status: 'open' },
];

function same(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** Client id and secret from HTTP Basic (RFC 6749 §2.3.1: each form-urlencoded first) or from the form body. */
function clientCredentials(request: IncomingMessage, form: URLSearchParams): { id?: string; secret?: string } {
  const basic = /^Basic\s+(.+)$/i.exec(request.headers.authorization ?? '');
  if (basic) {
    const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    const decode = (text: string) => decodeURIComponent(text.replace(/\+/g, ' '));
    return { id: decode(decoded.slice(0, colon)), secret: decode(decoded.slice(colon + 1)) };
  }
  return { id: form.get('client_id') ?? undefined, secret: form.get('client_secret') ?? undefined };
}

/**
 * The team's project tracker, as examples/ expects it: OAuth 2.0 client
 * credentials at /oauth/token (the demo client from .env), a bearer-protected
 * issues API under the base URL's path, and the CloudEvents endpoint
 * project_events posts to (its own bearer token). The first issue listing
 * answers 503 once, on purpose, so the transcript shows a retry.
 */
export function trackerService(plan: DemoPlan['tracker'], log: (line: string) => void): Server {
  const tokens = new Set<string>();
  const issues = SEED.map((issue) => ({ ...issue }));
  let hiccupPending = true;
  const api = plan.apiPrefix;

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<string> => {
    const url = new URL(request.url ?? '/', 'http://tracker');
    const path = url.pathname;
    const body = await readBody(request);
    const reply = (status: number, payload: unknown, what: string, headers: Record<string, string> = {}) => {
      sendJson(response, status, payload, headers);
      return what;
    };

    if (path === '/oauth/token' && request.method === 'POST') {
      const form = new URLSearchParams(body.toString('utf8'));
      const client = clientCredentials(request, form);
      if (form.get('grant_type') !== 'client_credentials') return reply(400, { error: 'unsupported_grant_type' }, 'unsupported grant');
      if (!client.id || !client.secret || !same(client.id, plan.clientId) || !same(client.secret, plan.clientSecret)) return reply(401, { error: 'invalid_client' }, 'client credentials refused');
      const token = randomBytes(24).toString('base64url');
      tokens.add(token);
      return reply(200, { access_token: token, token_type: 'Bearer', expires_in: 3600, scope: form.get('scope') ?? '' }, `client credentials accepted, bearer token issued (scope "${form.get('scope') ?? ''}")`);
    }

    if (plan.eventsPath && path === plan.eventsPath && request.method === 'POST') {
      const token = bearerToken(request);
      if (!plan.eventsToken || !token || !same(token, plan.eventsToken)) return reply(401, { error: 'bad events token' }, 'events token refused');
      if (!/^application\/cloudevents\+json/i.test(request.headers['content-type'] ?? '')) return reply(415, { error: 'expected application/cloudevents+json' }, 'not a structured CloudEvent');
      const event = JSON.parse(body.toString('utf8')) as { specversion?: string; type?: string; id?: string; source?: string };
      return reply(202, { accepted: event.id }, `CloudEvent ${event.specversion} ${event.type} id ${event.id} from ${event.source} (events token ok)`);
    }

    if (!path.startsWith(`${api}/`)) return reply(404, { error: `no route ${path}` }, 'no such route');
    const token = bearerToken(request);
    if (!token || !tokens.has(token)) return reply(401, { error: 'missing or unknown bearer token' }, 'no valid bearer token', { 'www-authenticate': 'Bearer' });
    const route = path.slice(api.length);

    if (route === '/health' && request.method === 'GET') return reply(200, { status: 'ok', issues: issues.length }, 'healthy');
    if (route === '/issues' && request.method === 'GET') {
      if (hiccupPending) {
        hiccupPending = false;
        return reply(503, { error: 'warming up' }, 'a deliberate 503, once: the runner retries');
      }
      const milestone = url.searchParams.get('milestone_id');
      const listed = issues.filter((issue) => !milestone || issue.milestone === milestone);
      return reply(200, listed, `${listed.length} issues${milestone ? ` of ${milestone}` : ''}`);
    }
    if (route === '/issues' && request.method === 'POST') {
      const input = JSON.parse(body.toString('utf8') || '{}') as { title?: string; milestone?: string };
      if (!input.title) return reply(422, { error: 'title is required' }, 'no title');
      const issue: Issue = { id: issues.length + 1, title: input.title, milestone: input.milestone ?? '', status: 'open' };
      issues.push(issue);
      return reply(201, issue, `created issue ${issue.id} "${issue.title}" in ${issue.milestone}`, { location: `${api}/issues/${issue.id}` });
    }
    const match = /^\/issues\/(\d+)(\/close)?$/.exec(route);
    const issue = match && issues.find((candidate) => candidate.id === Number(match[1]));
    if (match && !issue) return reply(404, { error: `no issue ${match[1]}` }, 'no such issue');
    if (issue && !match![2] && request.method === 'GET') return reply(200, issue, `issue ${issue.id} "${issue.title}"`);
    if (issue && match![2] && request.method === 'POST') {
      issue.status = 'closed';
      return reply(200, issue, `closed issue ${issue.id}`);
    }
    return reply(405, { error: `${request.method} ${route} is not supported` }, 'method not allowed');
  };

  return createServer((request, response) => {
    handle(request, response).then(
      (what) => log(`${request.method} ${(request.url ?? '').split('?')[0]} -> ${response.statusCode}: ${what}`),
      (error: Error) => {
        if (!response.headersSent) sendJson(response, 400, { error: error.message });
        log(`${request.method} ${(request.url ?? '').split('?')[0]} -> 400: ${error.message}`);
      },
    );
  });
}
