import type { DatabaseIntegration } from '../../core/model';
import { integrationSecrets } from '../errors';
import { raceAbort } from '../raceAbort';
import { databaseHealth } from '../sync/databaseHealth';
import { DEFAULT_HEALTH_TIMEOUT_MS, healthResult, isSlow, slowNote, worstState, type HealthResult } from './healthResult';
import type { HealthProbeContext } from './healthProbeContext';

/**
 * Through the sync runner's databaseHealth, a few cheap statements: every connection answers `SELECT 1`
 * (else unhealthy), every target table exists (else degraded), with each sync's
 * last change and pending changes in `extra`. Connection timeouts are the
 * integration's own; a PostgreSQL `SELECT 1` slower than half the health timeout is degraded.
 * A cancel stops the running statement on a PostgreSQL server (its session stays usable) and returns at once.
 */
export async function databaseIntegrationHealth(integration: DatabaseIntegration, context: HealthProbeContext, signal: AbortSignal): Promise<HealthResult> {
  const secrets = integrationSecrets(integration);
  const timeoutMs = integration.healthCheck?.timeoutMs ?? DEFAULT_HEALTH_TIMEOUT_MS;
  // A cancelled probe does not wait for a database that does not answer (nor for PGlite, which cannot be interrupted).
  const outcome = await raceAbort(
    databaseHealth(integration, {
      projectFolder: context.projectFolder(integration),
      connections: context.databaseConnections?.(integration),
      signal,
    }),
    signal,
  ).catch((error: unknown) => {
    if (signal.aborted) return 'cancelled' as const;
    throw error;
  });
  if (outcome === 'cancelled')
    return healthResult({
      state: 'unknown',
      latencyMs: 0,
      detail: 'cancelled',
    });
  // Opening a PGlite folder takes seconds the first time by design: only a server is judged slow.
  const judged = integration.connections.some((connection) => connection.type === 'postgresql');
  const slow = judged && outcome.state !== 'unhealthy' && isSlow(outcome.latencyMs, timeoutMs);
  const detail = slow ? `${outcome.detail}; ${slowNote(outcome.latencyMs, timeoutMs)}` : outcome.detail;
  return healthResult(
    {
      state: worstState(outcome.state, slow ? 'degraded' : 'healthy'),
      latencyMs: outcome.latencyMs,
      detail,
      extra: { kind: 'database', tables: outcome.tables },
    },
    secrets,
  );
}
