import type { ApiGateway, Integration, IntegrationType, Microservices } from '../../core/model';
import { classifyError, integrationSecrets } from '../errors';
import { databaseIntegrationHealth } from './databaseIntegrationHealth';
import { eventDrivenHealth } from './eventDrivenHealth';
import { DEFAULT_HEALTH_INTERVAL_MS, healthResult, unknownResult, type HealthResult } from './healthResult';
import type { HealthProbeContext } from './healthProbeContext';
import { messageQueueHealth } from './messageQueueHealth';
import { requestResponseHealth } from './requestResponseHealth';
import { gatewayHealth, serviceHealth } from './serviceHealth';
import { webhookHealth } from './webhookHealth';

export type HealthTargetType = IntegrationType | 'microservice' | 'api_gateway';

/** One thing to watch: an integration, a microservice or a gateway, with how often. */
export interface HealthTarget {
  readonly name: string;
  readonly type: HealthTargetType;
  readonly intervalMs: number;
  /** Never throws: a failure is an unhealthy result. */
  probe(signal: AbortSignal): Promise<HealthResult>;
}

function target(name: string, type: HealthTargetType, intervalMs: number, secrets: readonly string[], run: (signal: AbortSignal) => Promise<HealthResult>): HealthTarget {
  return {
    name,
    type,
    intervalMs,
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
      return (signal) => messageQueueHealth(integration, context, signal);
    case 'event_driven':
      return (signal) => eventDrivenHealth(integration, context, signal);
    case 'database':
      return (signal) => databaseIntegrationHealth(integration, context, signal);
  }
}

/** The name the first gateway goes by, and the later ones (`api_gateway_2`, ...) when a workspace has several. */
function gatewayName(index: number): string {
  return index === 0 ? 'api_gateway' : `api_gateway_${index + 1}`;
}

/**
 * Every integration (a disabled one reports `unknown`, "disabled", and touches
 * no network), every microservice by its name, and each gateway as `api_gateway`.
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
    if (!integration.enabled) return target(integration.name, integration.type, intervalMs, [], async () => unknownResult('disabled'));
    return target(integration.name, integration.type, intervalMs, integrationSecrets(integration), probeOf(integration, context));
  });
  for (const microservices of model.microservices ?? []) {
    for (const service of microservices.services) {
      targets.push(target(service.name, 'microservice', DEFAULT_HEALTH_INTERVAL_MS, [], (signal) => serviceHealth(service, microservices, context, signal)));
    }
  }
  (model.gateways ?? []).forEach((gateway, index) => {
    targets.push(
      target(gatewayName(index), 'api_gateway', DEFAULT_HEALTH_INTERVAL_MS, gateway.authentication?.secret ? [gateway.authentication.secret] : [], (signal) => gatewayHealth(gateway, signal)),
    );
  });
  return targets;
}
