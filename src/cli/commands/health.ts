import { closeSharedAgent } from '../../runners/http/sharedAgent';
import { createHealthProbeContext } from '../../runners/health/healthProbeContext';
import { runHealthRound, type HealthEntry } from '../../runners/health/healthRound';
import { healthTargets } from '../../runners/health/healthTarget';
import { instancesJson } from '../../runners/health/instanceHealth';
import { loadWorkspace } from '../loadWorkspace';
import { formatOption, parseCommandArgs, UsageError, type Command } from '../usage';

const USAGE = 'usage: health [PATH] [--format text|json] [--workspace DIR]';

function toJson(entries: HealthEntry[]): string {
  const integrations = entries.map(({ name, type, result }) => ({
    name,
    type,
    state: result.state,
    latencyMs: result.latencyMs,
    detail: result.detail,
    ...instancesJson(result),
  }));
  return JSON.stringify({ integrations }, null, 2) + '\n';
}

/** An aligned table; the state is a word, so it reads without colour. */
function toText(entries: HealthEntry[]): string {
  if (!entries.length) return 'no integrations, services or gateways found\n';
  const rows = [['NAME', 'TYPE', 'STATE', 'LATENCY', 'DETAIL'], ...entries.map(({ name, type, result }) => [name, type, result.state, `${Math.round(result.latencyMs)} ms`, result.detail])];
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  const lines = rows.map((row) =>
    row
      .map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column])))
      .join('  ')
      .trimEnd(),
  );
  const counts = new Map<string, number>();
  for (const { result } of entries) counts.set(result.state, (counts.get(result.state) ?? 0) + 1);
  lines.push('', [...counts].map(([state, count]) => `${count} ${state}`).join(', '));
  return lines.join('\n') + '\n';
}

/**
 * `health [PATH]`: one probe of every integration, microservice and gateway,
 * at most 8 at a time. Exit 0 when none is unhealthy, 1 otherwise.
 */
export const health: Command = async (args, io) => {
  const { values, positionals } = parseCommandArgs(args, {
    format: { type: 'string' },
    workspace: { type: 'string' },
  });
  const format = formatOption(values.format, ['text', 'json'], 'text');
  if (positionals.length > 1) throw new UsageError(USAGE);
  const workspace = loadWorkspace(io, { paths: positionals, workspace: values.workspace });
  const integrations = workspace.integrations();
  const context = createHealthProbeContext({
    integrations,
    projectFolder: (integration) => workspace.folderOf(integration.source.uri),
  });
  try {
    const entries = await runHealthRound(
      healthTargets(
        {
          integrations,
          microservices: workspace.microservices(),
          gateways: workspace.gateways(),
        },
        context,
      ),
      { signal: io.signal },
    );
    io.stdout(format === 'json' ? toJson(entries) : toText(entries));
    return entries.some((entry) => entry.result.state === 'unhealthy') ? 1 : 0;
  } finally {
    await closeSharedAgent();
  }
};
