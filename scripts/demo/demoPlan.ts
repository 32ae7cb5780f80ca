import type { ApiGateway, DatabaseIntegration, EventDrivenIntegration, Integration, IntegrationType, MessageQueueIntegration, Microservices, RequestResponseIntegration, WebhookIntegration } from '../../src/core/model';
import type { Workspace } from '../../src/core/workspace';
import { integrationSecrets } from '../../src/runners/errors';

/** The example workspace's integrations the demo drives, by name. */
export interface DemoIntegrations {
  tracker: RequestResponseIntegration;
  notifications: WebhookIntegration;
  analytics: DatabaseIntegration;
  taskQueue: MessageQueueIntegration;
  events: EventDrivenIntegration;
}

export interface Address {
  host: string;
  port: number;
}

/** Where each local service listens and what it checks, all read from the workspace's config (and its .env). */
export interface DemoPlan {
  integrations: DemoIntegrations;
  tracker: Address & { clientId: string; clientSecret: string; apiPrefix: string; eventsPath?: string; eventsToken?: string };
  sink: Address & { hooks: Array<{ path: string; endpoint: WebhookIntegration['endpoints'][number] }>; healthPath?: string; apiKey?: string };
  services: Array<Address & { name: string; healthPath?: string }>;
  gateway?: Address & {
    routes: Array<{ path: string; methods: string[]; target: string }>;
    rateLimit?: { requestsPerMinute: number; burstSize: number };
    /** The services behind it check this JWT secret, as they would behind a real JWT gateway. */
    jwtSecret?: string;
  };
  /** The broker the queue integration expects. */
  broker: Address;
  /** Every secret of the workspace, for the transcript's redaction. */
  secrets: string[];
}

const WANTED: Record<keyof DemoIntegrations, { name: string; type: IntegrationType }> = {
  tracker: { name: 'project_tracker', type: 'request_response' },
  notifications: { name: 'team_notifications', type: 'webhook' },
  analytics: { name: 'project_analytics', type: 'database' },
  taskQueue: { name: 'task_queue', type: 'message_queue' },
  events: { name: 'project_events', type: 'event_driven' },
};

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

/** host:port of a loopback URL; the demo serves nothing on other hosts. */
function loopback(url: string, what: string): Address {
  const parsed = new URL(url);
  if (!LOOPBACK.has(parsed.hostname)) throw new Error(`${what} is ${parsed.host}, not a loopback address: the demo only serves on 127.0.0.1`);
  const port = Number(parsed.port || (parsed.protocol === 'https:' ? 443 : parsed.protocol === 'amqp:' ? 5672 : 80));
  return { host: parsed.hostname === 'localhost' ? '127.0.0.1' : parsed.hostname.replace(/^\[|\]$/g, ''), port };
}

const sameAddress = (a: Address, b: Address) => a.host === b.host && a.port === b.port;

function pick(workspace: Workspace): DemoIntegrations {
  const found = {} as Record<keyof DemoIntegrations, Integration>;
  for (const [key, { name, type }] of Object.entries(WANTED) as Array<[keyof DemoIntegrations, { name: string; type: IntegrationType }]>) {
    const integration = workspace.integration(name);
    if (!integration) throw new Error(`the demo needs the example integration "${name}" (${type}); ${workspace.folders.join(', ')} has: ${workspace.integrations().map((candidate) => candidate.name).join(', ') || 'none'}`);
    if (integration.type !== type) throw new Error(`the demo needs "${name}" to be a ${type} integration, not ${integration.type}`);
    found[key] = integration;
  }
  return found as unknown as DemoIntegrations;
}

export function demoPlan(workspace: Workspace): DemoPlan {
  const integrations = pick(workspace);
  const { tracker, notifications, taskQueue, events } = integrations;

  if (!tracker.baseUrl) throw new Error('project_tracker has no base_url: the demo serves the tracker there');
  if (tracker.auth?.type !== 'oauth2_client_credentials') throw new Error('project_tracker must use oauth2_client_credentials: the demo tracker issues its tokens');
  const trackerAddress = loopback(tracker.baseUrl, 'project_tracker base_url');
  if (!sameAddress(loopback(tracker.auth.tokenUrl, 'project_tracker token_url'), trackerAddress)) throw new Error('project_tracker token_url must be on the same server as its base_url');
  const eventsUrl = events.publishers.map((publisher) => publisher.destination).find((destination) => /^https?:/.test(destination) && sameAddress(loopback(destination, 'project_events destination'), trackerAddress));

  const outgoing = notifications.endpoints.filter((endpoint) => endpoint.url);
  if (!outgoing.length) throw new Error('team_notifications has no outgoing endpoint URL: the demo sink serves them');
  const sinkAddress = loopback(outgoing[0].url!, `team_notifications endpoint ${outgoing[0].name}`);
  for (const endpoint of outgoing) if (!sameAddress(loopback(endpoint.url!, `team_notifications endpoint ${endpoint.name}`), sinkAddress)) throw new Error(`team_notifications endpoint ${endpoint.name} is not on the sink's server ${sinkAddress.host}:${sinkAddress.port}`);
  const healthUrl = notifications.healthCheck?.url;
  if (healthUrl && !sameAddress(loopback(healthUrl, 'team_notifications health_check'), sinkAddress)) throw new Error("team_notifications health_check.url is not on the sink's server");

  const microservices: Microservices[] = workspace.microservices();
  // A service without a url is found through Consul: the discovery step serves its instances.
  const services = microservices.flatMap((group) => group.services).flatMap(({ name, url, healthCheck }) => (url ? [{ name, ...loopback(url, `service ${name}`), healthPath: healthCheck && new URL(healthCheck, url).pathname }] : []));
  const gateways: ApiGateway[] = workspace.gateways();
  const gateway = gateways[0] && {
    ...loopback(`http://${gateways[0].host}:${gateways[0].port}`, 'api_gateway'),
    routes: gateways[0].routes.map((route) => ({ path: route.path, methods: route.methods, target: microservices.flatMap((group) => group.services).find((service) => service.name === route.service)?.url ?? '' })),
    rateLimit: gateways[0].rateLimiting,
    jwtSecret: gateways[0].authentication?.type === 'jwt' ? gateways[0].authentication.secret : undefined,
  };

  const secrets = [...workspace.integrations().flatMap(integrationSecrets), ...gateways.flatMap((entry) => (entry.authentication?.secret ? [entry.authentication.secret] : []))];
  return {
    integrations,
    tracker: {
      ...trackerAddress,
      clientId: tracker.auth.clientId,
      clientSecret: tracker.auth.clientSecret,
      apiPrefix: new URL(tracker.baseUrl).pathname.replace(/\/+$/, ''),
      eventsPath: eventsUrl && new URL(eventsUrl).pathname,
      eventsToken: events.auth?.type === 'bearer' ? events.auth.token : undefined,
    },
    sink: {
      ...sinkAddress,
      hooks: outgoing.map((endpoint) => ({ path: new URL(endpoint.url!).pathname, endpoint })),
      healthPath: healthUrl && new URL(healthUrl).pathname,
      apiKey: notifications.auth?.type === 'api_key' ? notifications.auth.key : undefined,
    },
    services,
    gateway,
    broker: loopback(taskQueue.connectionUrl, 'task_queue connection_url'),
    secrets,
  };
}
