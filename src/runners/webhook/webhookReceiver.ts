import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { EventEmitter, type Event } from 'cockatiel';
import type { WebhookEndpointSettings, WebhookIntegration, WebhookReceiverSettings } from '../../core/model';
import { BodyBudget } from './bodyBudget';
import { closeAfterAnswer } from './lingeringClose';
import { DEFAULT_RECEIVER_LIMITS, DEFAULT_RECEIVER_SETTINGS, type WebhookReceiverLimits } from './receiverDefaults';
import { ReplayGuard } from './replayGuard';
import { headerValue } from './signatureCrypto';
import { requiredHeaders } from './signatureScheme';
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
  integration: string;
  endpoint?: string;
  status: number;
  reason: string;
  receivedAt: string;
}

export class WebhookReceiverError extends Error {}

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
 * secret and scheme. Bad requests get 401/404/405/408/409/413/503 with a JSON `{error}` and never reach listeners.
 * Everything that can be refused without the body is refused before it is read (and the connection closed), and
 * what bodies are read is bounded: each by `max_body` and the body timeout, all together by the in-flight budget.
 */
export class WebhookReceiver {
  readonly settings: WebhookReceiverSettings;
  readonly limits: WebhookReceiverLimits;
  private readonly endpointsByPath: Map<string, WebhookEndpointSettings>;
  private readonly replays: ReplayGuard;
  private readonly budget: BodyBudget;
  private readonly received = new EventEmitter<ReceivedWebhook>();
  private readonly rejected = new EventEmitter<RejectedWebhook>();
  private server?: Server;
  private connections = 0;

  /** Verified deliveries. */
  readonly onDidReceive: Event<ReceivedWebhook> = this.received.addListener;
  /** Refused requests, for logs and the UI. */
  readonly onDidReject: Event<RejectedWebhook> = this.rejected.addListener;

  constructor(
    private readonly integration: WebhookIntegration,
    overrides: Partial<WebhookReceiverSettings> = {},
    limits: Partial<WebhookReceiverLimits> = {},
  ) {
    this.settings = { ...DEFAULT_RECEIVER_SETTINGS, ...integration.receiver, ...overrides };
    this.limits = { ...DEFAULT_RECEIVER_LIMITS, ...limits };
    const prefix = '/' + this.settings.pathPrefix.replace(/^\/+|\/+$/g, '');
    this.endpointsByPath = new Map(integration.endpoints.map((endpoint) => [`${prefix === '/' ? '' : prefix}/${endpoint.name}`, endpoint]));
    this.replays = new ReplayGuard(this.settings.toleranceMs || REPLAY_WINDOW_WITHOUT_TOLERANCE_MS);
    this.budget = new BodyBudget(this.limits.maxInFlightBodyBytes);
  }

  /** Listens (stopping when `signal` aborts) and says where. */
  async start(signal?: AbortSignal): Promise<{ port: number; url: string }> {
    if (this.server) throw new WebhookReceiverError(`the receiver of ${this.integration.name} is already listening`);
    signal?.throwIfAborted();
    const { headersTimeoutMs, bodyTimeoutMs } = this.limits;
    const server = createServer(
      // Node checks its own timeouts only this often; a quarter of the headers timeout keeps the overshoot small.
      { headersTimeout: headersTimeoutMs, requestTimeout: headersTimeoutMs + bodyTimeoutMs + 1000, connectionsCheckingInterval: Math.min(1000, Math.max(50, headersTimeoutMs / 4)) },
      (request, response) => void this.handle(request, response),
    );
    server.on('connection', (socket) => {
      this.connections++;
      socket.once('close', () => this.connections--);
    });
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
      this.admit(endpoint, path, request);
      const raw = await this.readBody(request, receivedAt);
      // From here on all is synchronous: two copies of one delivery cannot both pass the replay check.
      const { event, replayKey } = this.accept(endpoint!, request, raw, receivedAt);
      try {
        this.received.emit(event);
      } catch {
        throw new Rejection(500, 'a listener failed to handle the delivery');
      }
      if (replayKey) this.replays.remember(replayKey, receivedAt);
      this.respond(response, 200, { ok: true });
    } catch (error) {
      const rejection = error instanceof Rejection ? error : new Rejection(400, `cannot read the request: ${(error as Error).message}`);
      // Answered with body bytes still unread: the connection cannot carry another request.
      const unread = !request.complete;
      if (unread) closeAfterAnswer(request, this.limits.lingerMs);
      this.respond(response, rejection.status, { error: rejection.message }, { ...rejection.headers, ...(unread ? { Connection: 'close' } : {}) });
      this.rejected.emit({ integration: this.integration.name, endpoint: endpoint?.name, status: rejection.status, reason: rejection.message, receivedAt: new Date(receivedAt).toISOString() });
    }
  }

  /** Everything that can be refused before reading a byte of the body. */
  private admit(endpoint: WebhookEndpointSettings | undefined, path: string, request: IncomingMessage): asserts endpoint is WebhookEndpointSettings {
    if (this.connections > this.limits.maxConnections) throw new Rejection(503, 'too many connections', { 'Retry-After': '1' });
    if (!endpoint) throw new Rejection(404, `no webhook endpoint at ${path}`);
    if (request.method !== 'POST') throw new Rejection(405, `${request.method} is not allowed; webhooks are POSTed`, { Allow: 'POST' });
    if (endpoint.signature !== 'none' && !endpoint.secret) throw new Rejection(401, `endpoint ${endpoint.name} has no secret; unsigned webhooks are accepted only with signature: none`);
    const missing = requiredHeaders(SIGNATURE_SCHEMES[endpoint.signature]).find((name) => headerValue(request.headers, name) === undefined);
    if (missing) throw new Rejection(401, `missing header ${missing}`);
    const declared = Number(request.headers['content-length']);
    if (declared > this.settings.maxBodyBytes) throw tooLarge(this.settings.maxBodyBytes);
    if (declared > this.budget.available) throw overBudget();
  }

  /** Verifies, parses and checks for a replay; throws a Rejection otherwise. */
  private accept(endpoint: WebhookEndpointSettings, request: IncomingMessage, raw: Buffer, receivedAt: number): { event: ReceivedWebhook; replayKey?: string } {
    const scheme = SIGNATURE_SCHEMES[endpoint.signature];
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

  /** The whole body, each chunk taken from the shared budget; what was taken is given back however it ends. */
  private readBody(request: IncomingMessage, receivedAt: number): Promise<Buffer> {
    const limit = this.settings.maxBodyBytes;
    const { bodyTimeoutMs } = this.limits;
    return new Promise<Buffer>((resolve, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const finish = (outcome: () => void) => {
        clearTimeout(timer);
        request.off('data', onData).off('end', onEnd).off('error', onError).off('close', onClose);
        this.budget.give(size);
        outcome();
      };
      const fail = (rejection: Error) => finish(() => reject(rejection));
      const onData = (chunk: Buffer) => {
        if (size + chunk.length > limit) return fail(tooLarge(limit));
        if (!this.budget.tryTake(chunk.length)) return fail(overBudget());
        size += chunk.length;
        chunks.push(chunk);
      };
      const onEnd = () => finish(() => resolve(Buffer.concat(chunks)));
      const onError = (error: Error) => fail(error);
      const onClose = () => fail(new Rejection(400, 'the client went away before sending the whole body'));
      const timer = setTimeout(() => fail(new Rejection(408, `body not received within ${bodyTimeoutMs} ms`)), Math.max(0, receivedAt + bodyTimeoutMs - Date.now()));
      request.on('data', onData).once('end', onEnd).once('error', onError).once('close', onClose);
    });
  }

  private respond(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    if (response.headersSent || response.destroyed) return;
    const text = JSON.stringify(body);
    response.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(text)), ...headers });
    response.end(text);
  }
}

function tooLarge(limit: number): Rejection {
  return new Rejection(413, `body larger than ${limit} bytes`);
}

function overBudget(): Rejection {
  return new Rejection(503, 'too many request bodies in flight; try again shortly', { 'Retry-After': '1' });
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
