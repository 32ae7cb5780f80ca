import type { IDisposable } from 'cockatiel';
import type { ApiGateway, Integration, IntegrationType, Microservices } from '../../core/model';
import { classifyError, integrationSecrets } from '../errors';
import { gatewayAuthorizer } from '../gateway/gatewayAuth';
import { namedGateways } from '../gateway/gatewayNames';
import { settingsFingerprint } from '../settingsFingerprint';
import { databaseIntegrationHealth } from './databaseIntegrationHealth';
import { eventDrivenHealth } from './eventDrivenHealth';
import { gatewayHealth } from './gatewayHealth';
import { DEFAULT_HEALTH_INTERVAL_MS, healthResult, unknownResult, type HealthResult } from './healthResult';
import type { HealthProbeContext } from './healthProbeContext';
import { messageQueueHealth } from './messageQueueHealth';
import { requestResponseHealth } from './requestResponseHealth';
import { serviceHealth } from './serviceHealth';
import { withHealthCheckUrl } from './withHealthCheckUrl';
import { webhookHealth } from './webhookHealth';

export type HealthTargetType = IntegrationType | 'microservice' | 'api_gateway';

/** `type:name`: an integration and a microservice may share a name. */
export type HealthKey = `${HealthTargetType}:${string}`;

export function healthKey(type: HealthTargetType, name: string): HealthKey {
  return `${type}:${name}`;
}

/** One thing to watch: an integration, a microservice or a gateway, with how often. */
export interface HealthTarget {
  readonly key: HealthKey;
  readonly name: string;
  readonly type: HealthTargetType;
  readonly intervalMs: number;
  /** A digest of the settings the probe reads: the same after an edit elsewhere means "unchanged". */
  readonly fingerprint: string;
  /** Never throws: a failure is an unhealthy result. */
  probe(signal: AbortSignal): Promise<HealthResult>;
  /** Where what the probe reads can change by itself (a service's instances in Consul): calls `onChange` then, until disposed. */
  watch?(onChange: () => void): IDisposable | undefined;
}

function target(
  name: string,
  type: HealthTargetType,
  intervalMs: number,
  settings: readonly unknown[],
  secrets: readonly string[],
  run: (signal: AbortSignal) => Promise<HealthResult>,
): HealthTarget {
  return {
    key: healthKey(type, name),
    name,
    type,
    intervalMs,
    fingerprint: settingsFingerprint(intervalMs, ...settings),
    probe: async (signal) => {
      const started = performance.now();
      try {
        return await run(signal);
      } catch (error) {
        return healthResult(
          {
            state: 'unhealthy',
            latencyMs: performance.now() - started,
            detail: classifyError(error, secrets).message,
          },
          secrets,
        );
      }
    },
  };
}

function probeOf(integration: Integration, context: HealthProbeContext): (signal: AbortSignal) => Promise<HealthResult> {
  switch (integration.type) {
    case 'request_response':
      return (signal) => requestResponseHealth(integration, context, signal);
    case 'webhook':
      return (signal) => webhookHealth(integration, context, signal);
    case 'message_queue':
      return withHealthCheckUrl(integration, context, (signal) => messageQueueHealth(integration, context, signal));
    case 'event_driven':
      return withHealthCheckUrl(integration, context, (signal) => eventDrivenHealth(integration, context, signal));
    case 'database':
      return withHealthCheckUrl(integration, context, (signal) => databaseIntegrationHealth(integration, context, signal));
  }
}

/**
 * Every integration (a disabled one reports `unknown`, "disabled", and touches
 * no network), every microservice by its name, and each gateway as `api_gateway` (`api_gateway_2`, ...).
 */
export function healthTargets(
  model: {
    integrations: readonly Integration[];
    microservices?: readonly Microservices[];
    gateways?: readonly ApiGateway[];
  },
  context: HealthProbeContext,
): HealthTarget[] {
  const targets = model.integrations.map((integration) => {
    const intervalMs = integration.healthCheck?.intervalMs ?? DEFAULT_HEALTH_INTERVAL_MS;
    if (!integration.enabled) return target(integration.name, integration.type, intervalMs, [integration], [], async () => unknownResult('disabled'));
    return target(integration.name, integration.type, intervalMs, [integration], integrationSecrets(integration), probeOf(integration, context));
  });
  for (const microservices of model.microservices ?? []) {
    for (const service of microservices.services) {
      // Its file's other services are not its settings: editing one leaves the others' results alone.
      const settings = [service, microservices.communication, microservices.discovery];
      const serviceTarget = target(service.name, 'microservice', DEFAULT_HEALTH_INTERVAL_MS, settings, microservices.secrets, (signal) => serviceHealth(service, microservices, context, signal));
      targets.push({ ...serviceTarget, watch: (onChange) => context.discovery.subscribe(microservices, service, onChange) });
    }
  }
  for (const named of namedGateways(model.gateways ?? [])) {
    // Made once per set of targets: an OAuth token is reused from one probe to the next.
    const auth = gatewayAuthorizer(named.gateway, { dispatcher: context.dispatcher });
    targets.push(target(named.name, 'api_gateway', DEFAULT_HEALTH_INTERVAL_MS, [named.gateway], named.gateway.secrets, (signal) => gatewayHealth(named, auth, context, signal)));
  }
  return targets;
}
