/**
 * A double of the Consul agent's HTTP API, the documented subset the
 * extension uses: `GET /v1/catalog/services` and `GET /v1/health/service/<name>`
 * (with `?passing`), blocking queries (`index`, `wait`: default 5 minutes,
 * capped at 10 as Consul does; `X-Consul-Index` on every answer), and 403
 * without the ACL token when one is set. Bodies have Consul's documented
 * shapes. No Consul build installs here (Debian and npm have none), so the
 * tests and the demo run against this; point the extension at a real agent
 * (`consul agent -dev`) to use the real thing.
 *
 * It lets its user change instances and checks, and misbehave: refuse
 * connections, answer slowly, answer 500, malformed JSON or a huge body, move
 * its index backwards; and serve https.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { closeServer } from './httpService';

export type CheckStatus = 'passing' | 'warning' | 'critical';

export interface DoubleInstance {
  /** Service.ID (default `<service>-<port>`). */
  id?: string;
  /** Node.Node (default `node-<port>`). */
  node?: string;
  address: string;
  port: number;
  tags?: string[];
  /** The service check's status (default passing). */
  status?: CheckStatus;
  /** A reason: the instance is in maintenance (Consul's critical `_service_maintenance:<id>` check). */
  maintenance?: string;
}

export type Misbehaviour = { kind: 'status'; status: number } | { kind: 'malformed' } | { kind: 'slow'; delayMs: number } | { kind: 'huge'; bytes: number };

export interface ConsulDoubleOptions {
  /** An ACL token every request must carry (`X-Consul-Token`, or `?token=`). */
  token?: string;
  host?: string;
  /** 0 (default): a free port. */
  port?: number;
  /** The longest a blocking query is held (Consul: 10 minutes). */
  maxWaitMs?: number;
  /** Serve https with this key and certificate (PEM), as an agent with `ports.https` does. */
  tls?: { key: string; cert: string };
}

export interface SeenRequest {
  path: string;
  index?: number;
  wait?: string;
}

const DEFAULT_WAIT_MS = 5 * 60_000;
const MAX_WAIT_MS = 10 * 60_000;

function waitMsOf(text: string | null): number {
  const match = /^(\d+)(ms|s|m|h)?$/.exec(text ?? '');
  if (!match) return DEFAULT_WAIT_MS;
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[(match[2] ?? 's') as 'ms' | 's' | 'm' | 'h'];
  return Number(match[1]) * unit;
}

export class ConsulDouble {
  /** Every request that passed the ACL check, in order. */
  readonly requests: SeenRequest[] = [];
  private readonly services = new Map<string, { instances: DoubleInstance[]; index: number }>();
  private index = 1;
  private misbehaviour?: Misbehaviour;
  private readonly waiters = new Set<() => void>();
  private server: Server;
  private listeningPort = 0;

  private constructor(private readonly options: ConsulDoubleOptions) {
    this.server = this.createServer();
  }

  static async start(options: ConsulDoubleOptions = {}): Promise<ConsulDouble> {
    const double = new ConsulDouble(options);
    await double.listen(options.port ?? 0);
    return double;
  }

  get host(): string {
    return this.options.host ?? '127.0.0.1';
  }

  get port(): number {
    return this.listeningPort;
  }

  get listening(): boolean {
    return this.server.listening;
  }

  get origin(): string {
    return `${this.options.tls ? 'https' : 'http'}://${this.host}:${this.port}`;
  }

  /** Registers (or replaces) a service's instances; blocked queries see the change at once. */
  setService(name: string, instances: DoubleInstance[]): void {
    this.index++;
    this.services.set(name, { instances: instances.map((instance) => ({ ...instance })), index: this.index });
    this.wake();
  }

  removeService(name: string): void {
    if (!this.services.delete(name)) return;
    this.index++;
    this.wake();
  }

  /** Makes every answer misbehave (undefined: behave again). */
  misbehave(misbehaviour: Misbehaviour | undefined): void {
    this.misbehaviour = misbehaviour;
    this.wake();
  }

  /** Moves the index back to `to` (a restarted agent): blocked queries return with the lower index. */
  moveIndexBack(to: number): void {
    this.index = to;
    for (const entry of this.services.values()) entry.index = Math.min(entry.index, to);
    this.wake();
  }

  /** Refuses connections (the agent is down) until `up()`, on the same port. */
  async down(): Promise<void> {
    this.wake();
    await closeServer(this.server);
  }

  async up(): Promise<void> {
    this.server = this.createServer();
    await this.listen(this.listeningPort);
  }

  async stop(): Promise<void> {
    this.wake();
    await closeServer(this.server);
  }

  private listen(port: number): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, this.host, () => {
        this.listeningPort = (this.server.address() as AddressInfo).port;
        resolve();
      });
    });
  }

  private wake(): void {
    for (const wake of [...this.waiters]) wake();
  }

  private createServer(): Server {
    const handle = (request: IncomingMessage, response: ServerResponse) => {
      void this.answer(request, response).catch(() => response.destroy());
    };
    return this.options.tls ? createTlsServer(this.options.tls, handle) : createServer(handle);
  }

  private async answer(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', this.origin);
    const token = request.headers['x-consul-token'] ?? url.searchParams.get('token');
    if (this.options.token && token !== this.options.token) {
      response.writeHead(403, { 'content-type': 'text/plain; charset=utf-8' });
      response.end(token ? 'ACL not found' : 'Permission denied');
      return;
    }
    const requestedIndex = url.searchParams.has('index') ? Number(url.searchParams.get('index')) : undefined;
    this.requests.push({ path: url.pathname, ...(requestedIndex === undefined ? {} : { index: requestedIndex }), ...(url.searchParams.has('wait') ? { wait: url.searchParams.get('wait')! } : {}) });
    const resource = this.resource(url);
    if (!resource) {
      response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
      response.end(`Invalid URL path: not a supported endpoint: ${url.pathname}`);
      return;
    }
    if (requestedIndex !== undefined && requestedIndex > 0 && resource.index() <= requestedIndex) {
      await this.block(requestedIndex, resource.index, Math.min(waitMsOf(url.searchParams.get('wait')), this.options.maxWaitMs ?? MAX_WAIT_MS), request);
    }
    const misbehaviour = this.misbehaviour;
    if (misbehaviour?.kind === 'slow') await new Promise((resolve) => setTimeout(resolve, misbehaviour.delayMs));
    if (response.destroyed) return;
    if (misbehaviour?.kind === 'status') {
      response.writeHead(misbehaviour.status, { 'content-type': 'text/plain; charset=utf-8' });
      response.end('rpc error making call: No cluster leader');
      return;
    }
    const headers = { 'content-type': 'application/json', 'x-consul-index': String(resource.index()), 'x-consul-knownleader': 'true', 'x-consul-lastcontact': '0' };
    response.writeHead(200, headers);
    if (misbehaviour?.kind === 'malformed') response.end('[{"Node": {"Node": "node-1", "Address": "127.0.0.1"');
    else if (misbehaviour?.kind === 'huge') response.end(`[${' '.repeat(misbehaviour.bytes)}]`);
    else response.end(JSON.stringify(resource.body()));
  }

  /** Holds a blocking query until the resource's index moves past `index` (or goes back), the wait ends, or the client leaves. */
  private block(index: number, current: () => number, waitMs: number, request: IncomingMessage): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(check);
        request.off('close', done);
        resolve();
      };
      const check = () => {
        if (current() !== index || this.misbehaviour) done();
      };
      // Consul adds up to wait/16 of jitter; the double answers at the wait itself.
      const timer = setTimeout(done, waitMs);
      this.waiters.add(check);
      request.once('close', done);
    });
  }

  private resource(url: URL): { index: () => number; body: () => unknown } | undefined {
    if (url.pathname === '/v1/catalog/services') {
      return {
        index: () => this.index,
        body: () => Object.fromEntries([['consul', []], ...[...this.services].map(([name, entry]) => [name, [...new Set(entry.instances.flatMap((instance) => instance.tags ?? []))]])]),
      };
    }
    const match = /^\/v1\/health\/service\/([^/]+)$/.exec(url.pathname);
    if (!match) return undefined;
    const name = decodeURIComponent(match[1]);
    const passingOnly = url.searchParams.has('passing') && url.searchParams.get('passing') !== 'false';
    return {
      // An unknown service answers with the catalog's index, as Consul does.
      index: () => this.services.get(name)?.index ?? this.index,
      body: () => {
        const entries = (this.services.get(name)?.instances ?? []).map((instance) => this.healthEntry(name, instance));
        return passingOnly ? entries.filter((entry) => entry.Checks.every((check) => check.Status === 'passing')) : entries;
      },
    };
  }

  /** One entry of `/v1/health/service/<name>`, as Consul's API docs show it. */
  private healthEntry(service: string, instance: DoubleInstance) {
    const id = instance.id ?? `${service}-${instance.port}`;
    const node = instance.node ?? `node-${instance.port}`;
    const index = this.services.get(service)?.index ?? this.index;
    const check = (fields: { CheckID: string; Name: string; Status: CheckStatus; Notes?: string; Output?: string; ServiceID?: string; Type?: string }) => ({
      Node: node,
      CheckID: fields.CheckID,
      Name: fields.Name,
      Status: fields.Status,
      Notes: fields.Notes ?? '',
      Output: fields.Output ?? '',
      ServiceID: fields.ServiceID ?? '',
      ServiceName: fields.ServiceID ? service : '',
      ServiceTags: fields.ServiceID ? (instance.tags ?? []) : [],
      Type: fields.Type ?? '',
      CreateIndex: index,
      ModifyIndex: index,
    });
    const checks = [
      check({ CheckID: 'serfHealth', Name: 'Serf Health Status', Status: 'passing', Output: 'Agent alive and reachable' }),
      check({ CheckID: `service:${id}`, Name: `Service '${service}' check`, Status: instance.status ?? 'passing', ServiceID: id, Type: 'http' }),
      ...(instance.maintenance === undefined ? [] : [check({ CheckID: `_service_maintenance:${id}`, Name: 'Service Maintenance Mode', Status: 'critical', Notes: instance.maintenance, ServiceID: id, Type: 'maintenance' })]),
    ];
    return {
      Node: { ID: '', Node: node, Address: instance.address, Datacenter: 'dc1', TaggedAddresses: { lan: instance.address, wan: instance.address }, Meta: {}, CreateIndex: index, ModifyIndex: index },
      Service: { ID: id, Service: service, Tags: instance.tags ?? [], Address: instance.address, Meta: {}, Port: instance.port, Weights: { Passing: 1, Warning: 1 }, EnableTagOverride: false, CreateIndex: index, ModifyIndex: index },
      Checks: checks,
    };
  }
}
