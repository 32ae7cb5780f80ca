import type { IDisposable } from 'cockatiel';
import type { Microservices, ServiceSettings } from '../../core/model';
import { didYouMean, didYouMeanText } from '../../core/suggest';
import { classifyError, runnerError } from '../errors';
import { KeyedCache } from '../keyedCache';
import { consulAgentOf, consulGet, type ConsulAgent } from './consulAgent';
import type { InstanceList } from './instanceList';
import { LoadBalancer } from './loadBalancer';
import { instanceAuthority, type ServiceInstance } from './serviceInstance';
import { DEFAULT_CONSUL_TIMEOUT_MS, ServiceWatch, type ServiceWatchOptions } from './serviceWatch';

export type DirectoryOptions = ServiceWatchOptions;

interface WatchSettings {
  /** Agent origin and service name: one watch per service per agent. */
  name: string;
  agent: ConsulAgent;
  service: string;
}

export function usesConsul(microservices: Pick<Microservices, 'discovery'>): boolean {
  return microservices.discovery?.type === 'consul';
}

/** The one instance a static service has: its `url`. */
function staticInstances(service: ServiceSettings): InstanceList {
  if (!service.url) return { ok: false, error: runnerError('config', `service ${service.name} has no url (static discovery needs one)`) };
  let url: URL;
  try {
    url = new URL(service.url);
  } catch {
    return { ok: false, error: runnerError('config', `service ${service.name}: url "${service.url}" is not a URL`) };
  }
  const port = Number(url.port) || (url.protocol === 'https:' ? 443 : 80);
  const address = url.hostname.replace(/^\[|\]$/g, '');
  return { ok: true, instances: [{ id: `${url.hostname}:${port}`, node: 'static', address, port, tags: [], state: 'passing', failingChecks: [] }] };
}

/**
 * The base URL of a call or probe to one instance: the service's `url` with the instance's host and port
 * (its scheme and base path kept), or `http://<address>:<port>/` when the service has none.
 */
export function instanceBaseUrl(service: ServiceSettings, instance: ServiceInstance): URL {
  const base = new URL(service.url || 'http://placeholder/');
  return new URL(`${base.protocol}//${instanceAuthority(instance)}${base.pathname}${base.search}`);
}

/** A service's health_check as a path for each instance (an absolute URL's own host is one server, not each instance). */
export function healthCheckPath(service: ServiceSettings): string | undefined {
  if (!service.healthCheck || !/^https?:\/\//i.test(service.healthCheck)) return service.healthCheck;
  const url = new URL(service.healthCheck);
  return `${url.pathname}${url.search}`;
}

/**
 * Where a service's instances come from: its `url` (static discovery), or a
 * Consul agent (one ServiceWatch per service and agent, shared by health and
 * calls, kept live by blocking queries while someone subscribes).
 */
export class ServiceDirectory implements IDisposable {
  private readonly watches = new KeyedCache<WatchSettings, ServiceWatch>({
    // A new token (or other secret) means a new watch: the old one's queries carry the old token.
    fingerprint: (settings) => JSON.stringify([settings.agent.token ?? '', settings.agent.secrets]),
    create: (settings) => new ServiceWatch(settings.agent, settings.service, this.options),
    dispose: (watch) => watch.dispose(),
  });

  /** One balancer per service, so turns and requests in flight carry over from call to call. */
  private readonly balancers = new KeyedCache<ServiceSettings, LoadBalancer>({
    fingerprint: (service) => service.loadBalancer,
    create: (service) => new LoadBalancer(service.loadBalancer),
  });

  constructor(private readonly options: DirectoryOptions = {}) {}

  balancer(service: ServiceSettings): LoadBalancer {
    return this.balancers.get(service);
  }

  private watchOf(microservices: Microservices, service: ServiceSettings): ServiceWatch {
    const agent = consulAgentOf(microservices);
    return this.watches.get({ name: `${agent.origin} ${service.name}`, agent, service: service.name });
  }

  /** The service's instances now (a static one has one); Consul's failures are in the list, never thrown. */
  async instances(microservices: Microservices, service: ServiceSettings, signal?: AbortSignal): Promise<InstanceList> {
    if (!usesConsul(microservices)) return staticInstances(service);
    const list = await this.watchOf(microservices, service).read(signal);
    if (!list.ok || list.instances.length) return list;
    return { ok: false, error: await this.notRegistered(microservices, service.name, signal) };
  }

  /** Calls `listener` whenever a consul service's instances or their checks change; undefined for a static one (nothing to watch). */
  subscribe(microservices: Microservices, service: ServiceSettings, listener: (list: InstanceList) => void): IDisposable | undefined {
    return usesConsul(microservices) ? this.watchOf(microservices, service).subscribe(listener) : undefined;
  }

  /** Why a service has no instances: not in the catalog (with what is, `/v1/catalog/services`), or registered with none. */
  private async notRegistered(microservices: Microservices, name: string, signal?: AbortSignal) {
    const agent = consulAgentOf(microservices);
    try {
      const { body } = await consulGet(agent, '/v1/catalog/services', { timeoutMs: this.options.timeoutMs ?? DEFAULT_CONSUL_TIMEOUT_MS, signal, dispatcher: this.options.dispatcher });
      const known = body && typeof body === 'object' && !Array.isArray(body) ? Object.keys(body).slice(0, 1000) : [];
      if (known.includes(name)) return runnerError('transient', `Consul at ${agent.origin} lists no instance of ${name}`, 'no_instances');
      const hint = didYouMeanText(didYouMean(name, known)) || (known.length ? ` It has: ${known.slice(0, 10).join(', ')}${known.length > 10 ? ', …' : ''}.` : ' It has no services.');
      return runnerError('config', `Consul at ${agent.origin} has no service ${name}.${hint}`, 'not_registered');
    } catch (error) {
      return classifyError(error, agent.secrets);
    }
  }

  dispose(): void {
    void this.watches.dispose();
    void this.balancers.dispose();
  }
}
