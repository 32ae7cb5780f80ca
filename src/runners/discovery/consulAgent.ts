/**
 * GETs against a Consul agent's HTTP API with plain undici (the `consul` npm
 * client brings its own HTTP stack and is not a dependency here): the ACL
 * token as `X-Consul-Token`, blocking queries (`index`, `wait`), the
 * `X-Consul-Index` of each answer, and a bounded body parsed as JSON.
 */
import { request, type Dispatcher } from 'undici';
import { DEFAULTS } from '../../core/defaults';
import type { Microservices } from '../../core/model';
import { ClassifiedError, classifyError, classifyStatus } from '../errors';
import { sharedAgent } from '../http/sharedAgent';

export interface ConsulAgent {
  /** `http(s)://host:port`, nothing secret in it: errors and details name it. */
  readonly origin: string;
  readonly token?: string;
  /** The token and any other secret of the config, taken out of every message. */
  readonly secrets: readonly string[];
}

export interface ConsulQuery {
  /** The `X-Consul-Index` to wait beyond: a blocking query when > 0. */
  index?: number;
  /** How long Consul may hold a blocking query (it caps this at 10 minutes). */
  waitMs?: number;
  /** For the connection and a non-blocking answer; a blocking one gets `waitMs` more. */
  timeoutMs: number;
  signal?: AbortSignal;
  dispatcher?: Dispatcher;
}

interface ConsulAnswer {
  /** The `X-Consul-Index` header; undefined when absent or not a number. */
  index: number | undefined;
  body: unknown;
}

/** Larger answers are refused: a catalog of a few thousand services fits many times over. */
const MAX_CONSUL_BODY_BYTES = 8 * 1024 * 1024;

export function consulAgentOf(microservices: Pick<Microservices, 'discovery' | 'secrets'>): ConsulAgent {
  const discovery = microservices.discovery;
  const scheme = discovery?.scheme ?? DEFAULTS.discovery.scheme;
  const host = discovery?.host || DEFAULTS.discovery.consul_host;
  const port = discovery?.port ?? DEFAULTS.discovery.consul_port;
  const authority = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  return { origin: `${scheme}://${authority}:${port}`, token: discovery?.token || undefined, secrets: microservices.secrets };
}

/** Consul adds up to wait/16 of jitter to a blocking query; the client waits that long too before calling it lost. */
function deadlineMs(query: ConsulQuery): number {
  const blocking = query.index !== undefined && query.index > 0 && query.waitMs !== undefined;
  return Math.ceil(query.timeoutMs + (blocking ? query.waitMs! + query.waitMs! / 16 : 0));
}

async function readBounded(body: Dispatcher.ResponseData['body'], limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) {
      body.destroy();
      throw new ClassifiedError('remote-5xx', `answer larger than ${limit / 1024 / 1024} MiB`, 'consul_too_large');
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** `GET <agent><path>` (with `index`/`wait` when blocking); throws a ClassifiedError whose message names the agent. */
export async function consulGet(agent: ConsulAgent, path: string, query: ConsulQuery): Promise<ConsulAnswer> {
  const url = new URL(path, agent.origin);
  if (query.index !== undefined && query.index > 0) {
    url.searchParams.set('index', String(query.index));
    if (query.waitMs !== undefined) url.searchParams.set('wait', `${Math.max(1, Math.round(query.waitMs / 1000))}s`);
  }
  const limitMs = deadlineMs(query);
  const timeout = AbortSignal.timeout(limitMs);
  const signal = query.signal ? AbortSignal.any([query.signal, timeout]) : timeout;
  const where = `Consul at ${agent.origin}`;
  try {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (agent.token) headers['x-consul-token'] = agent.token;
    const response = await request(url, { method: 'GET', headers, signal, dispatcher: query.dispatcher ?? sharedAgent() });
    const status = response.statusCode;
    if (status !== 200) {
      const said = (await readBounded(response.body, 64 * 1024).catch(() => '')).trim().split('\n')[0].slice(0, 200);
      if (status === 403) throw new ClassifiedError('auth', `${where} refused ${url.pathname} (403)${agent.token ? ': the ACL token is not allowed' : ': an ACL token is needed (discovery.token)'}${said ? `: ${said}` : ''}`, '403');
      throw new ClassifiedError(classifyStatus(status) ?? 'remote-5xx', `${where} answered ${status} to ${url.pathname}${said ? `: ${said}` : ''}`, String(status));
    }
    const header = Number(response.headers['x-consul-index']);
    const raw = await readBounded(response.body, MAX_CONSUL_BODY_BYTES);
    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch {
      throw new ClassifiedError('remote-5xx', `${where} answered ${url.pathname} with malformed JSON`, 'consul_malformed');
    }
    return { index: Number.isFinite(header) ? header : undefined, body };
  } catch (error) {
    if (query.signal?.aborted) throw error;
    if (timeout.aborted) throw new ClassifiedError('timeout', `${where}: no answer to ${url.pathname} within ${limitMs} ms`, 'timeout');
    if (error instanceof ClassifiedError) throw new ClassifiedError(error.kind, error.message.startsWith(where) ? error.message : `${where}: ${error.message}`, error.code);
    const classified = classifyError(error, agent.secrets);
    // A refused certificate is reached, and wrong: saying "unreachable" would send the user looking at the network.
    const said = classified.kind === 'config' ? `${where}: ${classified.message}` : `${where} cannot be reached: ${classified.message}`;
    throw new ClassifiedError(classified.kind, said, classified.code);
  }
}
