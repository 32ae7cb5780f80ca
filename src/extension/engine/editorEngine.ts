/**
 * The engine as the editor uses it, in its own bundle (dist/engine.js) that the extension loads on first use, so
 * that activating the extension loads no runner, no PGlite and no OpenTelemetry SDK. No `vscode` here: the
 * extension hands in what it knows (folders, trust, settings, secret values) and renders what comes out.
 */
import type { EnvironmentLayer } from '../../core/env';
import { LiveWorkspace } from '../../core/liveWorkspace';
import type { Integration, IntegrationType } from '../../core/model';
import { disabledReason } from '../../core/runnableIntegration';
import { integrationTemplate } from '../../language/integrationTemplate';
import { EngineServices } from '../../runners/engineServices';
import { gatewayAuthorizer } from '../../runners/gateway/gatewayAuth';
import { namedGateways } from '../../runners/gateway/gatewayNames';
import { testGatewayRoute, type GatewayRouteResult } from '../../runners/gateway/testGatewayRoutes';
import { withProbeBound } from '../../runners/health/boundedProbe';
import { HealthHistory } from '../../runners/health/healthHistory';
import { HealthMonitor } from '../../runners/health/healthMonitor';
import { healthKey, healthTargets, type HealthTarget } from '../../runners/health/healthTarget';
import type { EndpointResult } from '../../runners/http/endpointResult';
import { endpointParameters } from '../../runners/http/endpointParameters';
import { runEndpoint } from '../../runners/http/runEndpoint';
import { callService, type ServiceCallResult } from '../../runners/discovery/callService';
import { peekQueue, publishMessage, type PeekQueueResult, type PublishMessageResult } from '../../runners/queue/queueOperations';
import type { RunEvent } from '../../runners/runEvents';
import { syncIntegration } from '../../runners/sync/runSync';
import { syncResultJson, type SyncResultJson } from '../../runners/sync/syncResultJson';
import { settingsFingerprint } from '../../runners/settingsFingerprint';
import { setupTelemetry, type Telemetry } from '../../runners/telemetry/telemetry';
import { sendWebhook, type WebhookDelivery } from '../../runners/webhook/webhookSender';
import { EngineEvents } from './engineEvents';

export interface EditorEngineSettings {
  /** The interval of targets whose config has no `health_check` section (services and gateways always). */
  healthIntervalMs: number;
  /** The longest one probe may take in all. */
  healthTimeoutMs: number;
  healthConcurrency: number;
  /** Spans are exported over OTLP/HTTP to this base URL (`…/v1/traces`) when set. */
  otlpEndpoint?: string;
}

export interface EditorEngineOptions {
  folders: string[];
  /** An untrusted workspace: nothing touches the network, every run is refused. */
  trusted: boolean;
  settings: EditorEngineSettings;
  processEnv?: NodeJS.ProcessEnv;
}

/** Something the editor asked for that the workspace does not have (it changed meanwhile) or may not do. */
export class EditorEngineError extends Error {}

const SECRET_LAYER = "VS Code's secret storage";

export class EditorEngine {
  readonly workspace: LiveWorkspace;
  readonly health: HealthMonitor;
  readonly history = new HealthHistory();
  readonly trusted: boolean;
  private settings: EditorEngineSettings;
  /** Breakers, authorizers (an OAuth token fetched by a health check serves the next test too), broker and database connections, receivers. */
  private readonly services = new EngineServices();
  private telemetry?: Telemetry;
  /** Each folder's event pipeline (none untrusted). */
  readonly events: EngineEvents;

  constructor(options: EditorEngineOptions) {
    this.trusted = options.trusted;
    this.settings = options.settings;
    this.workspace = new LiveWorkspace({ folders: options.folders, processEnv: options.processEnv });
    this.health = new HealthMonitor([], { trusted: options.trusted, concurrency: options.settings.healthConcurrency, registry: this.services.resilience });
    this.events = new EngineEvents(this.workspace, this.services, options.trusted);
    this.configureTelemetry();
  }

  get receivers() {
    return this.services.receivers;
  }

  /** Where the receiver of `integration` listens, while it runs. */
  receiverUrl(integration: string): string | undefined {
    return this.receivers.running().find((running) => running.integration === integration)?.url;
  }

  /** New settings; the caller updates the health targets when it sees fit (debounced). */
  configure(settings: EditorEngineSettings): void {
    const telemetryChanged = settings.otlpEndpoint !== this.settings.otlpEndpoint;
    this.settings = settings;
    if (telemetryChanged) this.configureTelemetry();
  }

  /** Secret values as the first environment layer (the extension host reads them; nothing else does). */
  setSecrets(values: ReadonlyMap<string, string>): void {
    const layer: EnvironmentLayer = { origin: SECRET_LAYER, values };
    this.workspace.setEnvironmentLayers([layer]);
  }

  /** How many things health watches: every integration, service and gateway. */
  healthTargetCount(): number {
    const snapshot = this.workspace.snapshot;
    return snapshot.integrations().length + snapshot.microservices().reduce((sum, group) => sum + group.services.length, 0) + snapshot.gateways().length;
  }

  /** Every integration, service and gateway of the current snapshot, with the editor's interval and probe bound. */
  healthTargets(): HealthTarget[] {
    const snapshot = this.workspace.snapshot;
    const integrations = snapshot.integrations();
    // A health_check's own timeout is what its file asks for: the setting bounds the others, never cuts it short.
    const ownTimeoutMs = new Map(integrations.flatMap((integration) => (integration.healthCheck ? [[healthKey(integration.type, integration.name), integration.healthCheck.timeoutMs] as const] : [])));
    const context = this.services.healthProbeContext({ integrations, projectFolder: (integration) => snapshot.folderOf(integration.source.uri) });
    const targets = healthTargets({ integrations, microservices: snapshot.microservices(), gateways: snapshot.gateways() }, context).map((target) => {
      // The setting's interval is a setting of the target: a new one makes it start over at that interval.
      const intervalMs = this.settings.healthIntervalMs;
      const own = ownTimeoutMs.get(target.key);
      const timed = own !== undefined ? target : { ...target, intervalMs, fingerprint: settingsFingerprint(target.fingerprint, intervalMs) };
      return this.history.recording(target.key, withProbeBound(timed, Math.max(this.settings.healthTimeoutMs, own ?? 0)));
    });
    this.history.retain(new Set(targets.map((target) => target.key)));
    return targets;
  }

  /** A new integration file's text (Create Integration). */
  integrationTemplate(type: IntegrationType, name: string): string {
    return integrationTemplate(type, name);
  }

  /** The `{param}` names an endpoint's call needs. */
  endpointParameters(integrationName: string, endpointName: string): string[] {
    const integration = this.integration(integrationName, 'request_response');
    const endpoint = integration.endpoints.find((candidate) => candidate.name === endpointName);
    return endpoint ? endpointParameters(endpoint, integration.baseUrl) : [];
  }

  runEndpoint(integrationName: string, endpoint: string, options: { params?: Record<string, string>; signal?: AbortSignal; onEvent?: (event: RunEvent) => void } = {}): Promise<EndpointResult> {
    const integration = this.integration(integrationName, 'request_response');
    return runEndpoint(integration, endpoint, { ...options, auth: this.services.authorizers.get(integration), registry: this.services.resilience });
  }

  /** One route and method through the gateway, authenticated as its clients are (the Testing view). */
  testGatewayRoute(gatewayName: string, path: string, method: string, options: { signal?: AbortSignal; onEvent?: (event: RunEvent) => void } = {}): Promise<GatewayRouteResult> {
    const named = namedGateways(this.workspace.snapshot.gateways()).find((candidate) => candidate.name === gatewayName);
    if (!named) throw new EditorEngineError(`no gateway named "${gatewayName}"`);
    return testGatewayRoute(named, path, method, { ...options, auth: gatewayAuthorizer(named.gateway), registry: this.services.resilience });
  }

  async syncIntegration(integrationName: string, options: { dryRun: boolean; signal?: AbortSignal; onEvent?: (event: RunEvent) => void }): Promise<SyncResultJson> {
    const integration = this.integration(integrationName, 'database');
    const result = await syncIntegration(integration, {
      dryRun: options.dryRun,
      signal: options.signal,
      projectFolder: this.workspace.snapshot.folderOf(integration.source.uri),
      connections: this.services.databases.get(integration),
      onEvent: options.onEvent,
    });
    return syncResultJson(result);
  }

  sendWebhook(integrationName: string, endpoint: string, type: string, data: unknown, options: { signal?: AbortSignal; onEvent?: (event: RunEvent) => void } = {}): Promise<WebhookDelivery> {
    const integration = this.integration(integrationName, 'webhook');
    return sendWebhook(integration, endpoint, type, data, { ...options, auth: this.services.authorizers.get(integration), registry: this.services.resilience });
  }

  async startReceiver(integrationName: string): Promise<string> {
    return (await this.receivers.start(this.integration(integrationName, 'webhook'))).url;
  }

  publishMessage(integrationName: string, queue: string, message: unknown, options: { signal?: AbortSignal } = {}): Promise<PublishMessageResult> {
    return publishMessage(this.services.queues.get(this.integration(integrationName, 'message_queue')), queue, message, options);
  }

  peekQueue(integrationName: string, queue: string, count: number, options: { signal?: AbortSignal } = {}): Promise<PeekQueueResult> {
    return peekQueue(this.services.queues.get(this.integration(integrationName, 'message_queue')), queue, { count, signal: options.signal });
  }

  async dispose(): Promise<void> {
    const events = this.events.dispose();
    this.health.dispose();
    this.workspace.dispose();
    await events;
    await Promise.allSettled([this.services.dispose(), this.telemetry?.dispose()]);
  }

  /** One call to a microservice, to an instance its load balancer picks (src/runners/discovery/callService.ts). */
  callService(serviceName: string, options: { signal?: AbortSignal; onEvent?: (event: RunEvent) => void } = {}): Promise<ServiceCallResult> {
    if (!this.trusted) throw new EditorEngineError('this workspace is not trusted: nothing is run');
    const found = this.workspace.snapshot.service(serviceName);
    if (!found) throw new EditorEngineError(`the workspace has no service "${serviceName}" (any more)`);
    return callService(found.microservices, found.service, { ...options, directory: this.services.discovery, registry: this.services.resilience });
  }

  private integration<T extends IntegrationType>(name: string, type: T): Extract<Integration, { type: T }> {
    if (!this.trusted) throw new EditorEngineError('this workspace is not trusted: nothing is run');
    const integration = this.workspace.snapshot.integration(name);
    if (!integration) throw new EditorEngineError(`the workspace has no integration "${name}" (any more)`);
    if (integration.type !== type) throw new EditorEngineError(`"${name}" is a ${integration.type} integration, not a ${type} one`);
    const disabled = disabledReason(integration);
    if (disabled) throw new EditorEngineError(disabled);
    return integration as Extract<Integration, { type: T }>;
  }

  private configureTelemetry(): void {
    const previous = this.telemetry;
    this.telemetry = undefined;
    const start = () => {
      const endpoint = this.settings.otlpEndpoint;
      if (endpoint) this.telemetry = setupTelemetry({ env: { OTEL_EXPORTER_OTLP_ENDPOINT: endpoint }, serviceName: 'simone-integrations-vscode' });
    };
    if (previous) void previous.dispose().then(start, start);
    else start();
  }
}

export function createEditorEngine(options: EditorEngineOptions): EditorEngine {
  return new EditorEngine(options);
}
