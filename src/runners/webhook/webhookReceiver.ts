import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { EventEmitter, type Event } from 'cockatiel';
import type { WebhookEndpointSettings, WebhookIntegration, WebhookReceiverSettings } from '../../core/model';
import { ReplayGuard } from './replayGuard';
import { headerValue } from './signatureCrypto';
import { SIGNATURE_SCHEMES } from './signatureSchemes';

/** A delivery that passed its endpoint's signature check. */
export interface ReceivedWebhook {
  integration: string;
  endpoint: string;
  /** Descriptive headers only (event, delivery id, timestamp, content type); never credentials. */
  headers: Record<string, string>;
  /** Parsed JSON, or the fields of a form-encoded body (Slack slash commands). */
  body: unknown;
  receivedAt: string;
}

/** A request the receiver turned away, with the status it answered. */
export interface RejectedWebhook {
  endpoint?: string;
  status: number;
  reason: string;
  receivedAt: string;
}

export class WebhookReceiverError extends Error {}

/** What a `webhook` integration gets when it has no `receiver` section (CONFIG.md defaults, any free port). */
const DEFAULT_RECEIVER: WebhookReceiverSettings = { host: '127.0.0.1', port: 0, pathPrefix: '/webhook', toleranceMs: 300_000, maxBodyBytes: 1024 * 1024 };
/** How long verified deliveries are remembered when the timestamp check is off (tolerance 0). */
const REPLAY_WINDOW_WITHOUT_TOLERANCE_MS = 300_000;
const DESCRIPTIVE_HEADERS = ['content-type', 'user-agent', 'x-github-event', 'x-github-delivery', 'x-simone-event', 'webhook-id', 'webhook-timestamp', 'x-slack-request-timestamp'];

class Rejection extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/**
 * The incoming side of a webhook integration: `POST {path_prefix}/{endpoint}` verified with that endpoint's
 * secret and scheme. Bad requests get 401/404/405/409/413 with a JSON `{error}` and never reach listeners.
 */
export class WebhookReceiver {
  readonly settings: WebhookReceiverSettings;
  private readonly endpointsByPath: Map<string, WebhookEndpointSettings>;
  private readonly replays: ReplayGuard;
  private readonly received = new EventEmitter<ReceivedWebhook>();
  private readonly rejected = new EventEmitter<RejectedWebhook>();
  private server?: Server;

  /** Verified deliveries. */
  readonly onDidReceive: Event<ReceivedWebhook> = this.received.addListener;
  /** Refused requests, for logs and the UI. */
  readonly onDidReject: Event<RejectedWebhook> = this.rejected.addListener;

  constructor(
    private readonly integration: WebhookIntegration,
    overrides: Partial<WebhookReceiverSettings> = {},
  ) {
    this.settings = { ...DEFAULT_RECEIVER, ...integration.receiver, ...overrides };
    const prefix = '/' + this.settings.pathPrefix.replace(/^\/+|\/+$/g, '');
    this.endpointsByPath = new Map(integration.endpoints.map((endpoint) => [`${prefix === '/' ? '' : prefix}/${endpoint.name}`, endpoint]));
    this.replays = new ReplayGuard(this.settings.toleranceMs || REPLAY_WINDOW_WITHOUT_TOLERANCE_MS);
  }

  /** Listens (stopping when `signal` aborts) and says where. */
  async start(signal?: AbortSignal): Promise<{ port: number; url: string }> {
    if (this.server) throw new WebhookReceiverError(`the receiver of ${this.integration.name} is already listening`);
    signal?.throwIfAborted();
    const server = createServer((request, response) => void this.handle(request, response));
    this.server = server;
    const { host, port } = this.settings;
    await new Promise<void>((resolve, reject) => {
      server.once('error', (error: NodeJS.ErrnoException) => {
        this.server = undefined;
        reject(new WebhookReceiverError(`cannot listen on ${host}:${port}: ${error.code ?? error.message}`));
      });
      server.listen(port, host, resolve);
    });
    signal?.addEventListener('abort', () => void this.stop(), { once: true });
    const bound = (server.address() as AddressInfo).port;
    const prefix = this.settings.pathPrefix.replace(/\/+$/, '');
    return { port: bound, url: `http://${host.includes(':') ? `[${host}]` : host}:${bound}${prefix}` };
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const receivedAt = Date.now();
    const path = (request.url ?? '/').split('?')[0];
    const endpoint = this.endpointsByPath.get(path);
    try {
      if (!endpoint) throw new Rejection(404, `no webhook endpoint at ${path}`);
      if (request.method !== 'POST') throw new Rejection(405, `${request.method} is not allowed; webhooks are POSTed`, { Allow: 'POST' });
      const raw = await this.readBody(request);
      // From here on all is synchronous: two copies of one delivery cannot both pass the replay check.
      const { event, replayKey } = this.accept(endpoint, request, raw, receivedAt);
      try {
        this.received.emit(event);
      } catch {
        throw new Rejection(500, 'a listener failed to handle the delivery');
      }
      if (replayKey) this.replays.remember(replayKey, receivedAt);
      this.respond(response, 200, { ok: true });
    } catch (error) {
      const rejection = error instanceof Rejection ? error : new Rejection(400, `cannot read the request: ${(error as Error).message}`);
      if (rejection.status === 413) {
        // Stop reading: answer, then close the connection instead of draining an oversized body.
        request.pause();
        response.once('finish', () => request.socket.end());
      }
      this.respond(response, rejection.status, { error: rejection.message }, rejection.headers);
      this.rejected.emit({ endpoint: endpoint?.name, status: rejection.status, reason: rejection.message, receivedAt: new Date(receivedAt).toISOString() });
    }
  }

  /** Verifies, parses and checks for a replay; throws a Rejection otherwise. */
  private accept(endpoint: WebhookEndpointSettings, request: IncomingMessage, raw: Buffer, receivedAt: number): { event: ReceivedWebhook; replayKey?: string } {
    const scheme = SIGNATURE_SCHEMES[endpoint.signature];
    if (endpoint.signature !== 'none' && !endpoint.secret) throw new Rejection(401, `endpoint ${endpoint.name} has no secret; unsigned webhooks are accepted only with signature: none`);
    const verdict = scheme.verify(raw, request.headers, endpoint.secret ?? '', { toleranceMs: this.settings.toleranceMs, now: receivedAt });
    if (!verdict.ok) throw new Rejection(401, verdict.reason);
    const body = parseBody(raw, headerValue(request.headers, 'content-type'));
    const replayKey = verdict.replayKey && `${endpoint.name}\n${verdict.replayKey}`;
    if (replayKey && this.replays.has(replayKey, receivedAt)) throw new Rejection(409, 'replayed delivery: the same signed delivery was already received');
    const headers: Record<string, string> = {};
    for (const name of DESCRIPTIVE_HEADERS) {
      const value = headerValue(request.headers, name);
      if (value !== undefined) headers[name] = value;
    }
    return { event: { integration: this.integration.name, endpoint: endpoint.name, headers, body, receivedAt: new Date(receivedAt).toISOString() }, replayKey };
  }

  private readBody(request: IncomingMessage): Promise<Buffer> {
    const limit = this.settings.maxBodyBytes;
    const tooLarge = () => new Rejection(413, `body larger than ${limit} bytes`);
    if (Number(request.headers['content-length']) > limit) return Promise.reject(tooLarge());
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const onData = (chunk: Buffer) => {
        size += chunk.length;
        if (size <= limit) return void chunks.push(chunk);
        request.off('data', onData);
        reject(tooLarge());
      };
      request.on('data', onData);
      request.once('end', () => resolve(Buffer.concat(chunks)));
      request.once('error', reject);
    });
  }

  private respond(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    if (response.headersSent) return;
    response.writeHead(status, { 'Content-Type': 'application/json', ...headers, ...(status === 413 ? { Connection: 'close' } : {}) });
    response.end(JSON.stringify(body));
  }
}

function parseBody(raw: Buffer, contentType: string | undefined): unknown {
  const text = raw.toString('utf8');
  if (contentType?.toLowerCase().startsWith('application/x-www-form-urlencoded')) return Object.fromEntries(new URLSearchParams(text));
  try {
    return JSON.parse(text);
  } catch {
    throw new Rejection(400, 'body is not JSON');
  }
}
