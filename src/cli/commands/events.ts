import { EngineServices } from '../../runners/engineServices';
import type { RunnerError } from '../../runners/errors';
import { dispatchedText, dispatchJson, eventsJson } from '../../runners/events/eventJson';
import { withoutDestinations, type AggregateState } from '../../runners/events/eventStore';
import type { StoredEvent } from '../../runners/events/storedEvent';
import { openEvents, reportProblems } from '../eventsContext';
import { formatOption, parseCommandArgs, UsageError, type Command, type CommandIO } from '../usage';
import { runnerError } from '../../runners/errors';

const USAGE = 'usage: events [--since ID] | events scan | events replay <aggregate> | events dispatch [--dry-run]  (each: [--workspace DIR] [--format text|json])';

/** `T01_S01 (task) at version 2: done, renamed, "First", <file>`, then its events one a line. */
function replayText(state: AggregateState): string {
  const facts = [state.state.status ?? 'no status', state.state.done && 'renamed (finished)', state.state.title && JSON.stringify(state.state.title), state.state.file].filter(Boolean);
  return [`${state.aggregate} (${state.kind}) at version ${state.version}: ${facts.join(', ')}`, ...state.history.map((entry) => `  v${entry.version} ${entry.type}  ${entry.time}  ${entry.id}`)].join('\n') + '\n';
}

const eventLine = (event: StoredEvent) => `${event.id}  ${event.type} ${event.aggregate} v${event.version}  ${event.time}${event.file ? `  ${event.file}` : ''}`;

function printEvents(io: CommandIO, format: string, events: readonly StoredEvent[], empty: string): void {
  if (format === 'json') io.stdout(`${JSON.stringify(eventsJson(events), null, 2)}\n`);
  else io.stdout(events.length ? `${events.map(eventLine).join('\n')}\n` : `${empty}\n`);
}

function failed(io: CommandIO, format: string, error: RunnerError): number {
  if (format === 'json') io.stdout(`${JSON.stringify({ ok: false, error }, null, 2)}\n`);
  else io.stderr(`simone-integrations: ${error.message}\n`);
  return 1;
}

/**
 * `events [--since ID]`, `events scan`, `events replay <aggregate>`, `events dispatch [--dry-run]`, each with
 * `--workspace DIR` and `--format text|json` (docs/events.md says what each prints). Exit 1 when a run failed
 * (a delivery stays pending), 2 for bad usage.
 */
export const events: Command = async (args, io) => {
  const { values, positionals } = parseCommandArgs(args, {
    since: { type: 'string' },
    'dry-run': { type: 'boolean' },
    workspace: { type: 'string' },
    format: { type: 'string' },
  });
  const format = formatOption(values.format, ['text', 'json'], 'text');
  const [action, ...rest] = positionals;
  const expect = (count: number) => {
    if (rest.length !== count) throw new UsageError(USAGE);
  };
  if (values.since !== undefined && action !== undefined) throw new UsageError(`--since goes with the listing only (${USAGE})`);
  if (values['dry-run'] && action !== 'dispatch') throw new UsageError(`--dry-run goes with events dispatch only (${USAGE})`);
  if (action !== undefined && !['scan', 'replay', 'dispatch'].includes(action)) throw new UsageError(`events: unknown action "${action}" (${USAGE})`);

  // Dispatch connects once: a CLI run says why it could not send rather than wait for a broker to come back.
  const services = new EngineServices({ queues: { reconnect: false } });
  try {
    const { pipeline } = openEvents(io, values.workspace, services);
    switch (action) {
      case undefined: {
        expect(0);
        await pipeline.store.refresh();
        reportProblems(io, pipeline.store.problems);
        const listed = pipeline.store.since(values.since);
        if (!listed) throw new UsageError(`--since: no event "${values.since}" in the store`);
        printEvents(io, format, listed.map(withoutDestinations), values.since ? `no events after ${values.since}` : 'no events yet');
        return 0;
      }
      case 'scan': {
        expect(0);
        const result = await pipeline.scan(io.signal);
        reportProblems(io, [...result.problems, ...result.storeProblems]);
        if (!result.ok) return failed(io, format, result.error!);
        printEvents(io, format, result.events, result.firstScan ? 'first scan: the project snapshot is recorded; no events' : 'no new events');
        return 0;
      }
      case 'replay': {
        expect(1);
        await pipeline.store.refresh();
        reportProblems(io, pipeline.store.problems);
        const state = pipeline.store.replay(rest[0]);
        if (!state) return failed(io, format, runnerError('config', `no events of aggregate "${rest[0]}" in the store`));
        io.stdout(format === 'json' ? `${JSON.stringify(state, null, 2)}\n` : replayText(state));
        return 0;
      }
      default: {
        expect(0);
        const result = await pipeline.dispatch({ dryRun: values['dry-run'], signal: io.signal });
        if (format === 'json') io.stdout(`${JSON.stringify(dispatchJson(result), null, 2)}\n`);
        else {
          for (const delivery of result.deliveries) io.stdout(`${dispatchedText(delivery, result.dryRun)}\n`);
          if (result.deliveries.length === 0 && result.ok) io.stdout('nothing to send\n');
          if (result.error) io.stderr(`simone-integrations: ${result.error.message}\n`);
        }
        return result.ok ? 0 : 1;
      }
    }
  } finally {
    await services.dispose();
  }
};
