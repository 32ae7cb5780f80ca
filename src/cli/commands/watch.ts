import { watch as watchFiles, type FSWatcher } from 'node:fs';
import { join, relative } from 'node:path';
import { EngineServices } from '../../runners/engineServices';
import { dispatchedText, dispatchedJson, eventSummaryJson } from '../../runners/events/eventJson';
import type { DispatchResult, EventPipeline } from '../../runners/events/eventPipeline';
import { startSubscribers, type HandlerOutcome, type RunningSubscribers } from '../../runners/events/subscribers';
import { SyncScheduler, type ScheduledSyncRun } from '../../runners/sync/syncScheduler';
import type { Workspace } from '../../core/workspace';
import { loadWorkspace } from '../loadWorkspace';
import { openEvents, reportProblems } from '../eventsContext';
import { formatOption, parseCommandArgs, UsageError, type Command, type CommandIO } from '../usage';
import { deadLetterQueueOf } from '../../runners/queue/queueConnection';
import { isEngineWrite } from '../../runners/events/eventsFolder';

/** Quiet time after a file change before scanning (a renamed sprint folder is many changes). */
const SETTLE_MS = 300;
/** How often failed deliveries are tried again, and how often the project is scanned when file events are unavailable. */
const RETRY_MS = 30_000;
const POLL_MS = 2_000;

/** One line per thing that happened: text, or (`--format json`) one JSON object a line. */
class WatchLog {
  constructor(
    private readonly io: CommandIO,
    private readonly json: boolean,
  ) {}

  say(kind: string, text: string, data: object): void {
    this.io.stdout(this.json ? `${JSON.stringify({ kind, time: new Date().toISOString(), ...data })}\n` : `${new Date().toISOString()} ${text}\n`);
  }
}

/**
 * `watch [--workspace DIR] [--format text|json]`: scan, dispatch, subscribers and scheduled syncs until stopped
 * (SIGINT). Pending deliveries of an earlier run go first; a change under `.simone/` scans (then dispatches) once
 * quiet, and starts real_time syncs; a change of the integration files reloads the workspace and restarts the
 * subscribers; failed deliveries are tried again every 30 s. Exit 0 when stopped (SIGINT, SIGTERM), 2 for a workspace
 * that cannot be read.
 */
export const watch: Command = async (args, io) => {
  const { values, positionals } = parseCommandArgs(args, { workspace: { type: 'string' }, format: { type: 'string' } });
  const format = formatOption(values.format, ['text', 'json'], 'text');
  if (positionals.length) throw new UsageError('usage: watch [--workspace DIR] [--format text|json]');
  const log = new WatchLog(io, format === 'json');
  const services = new EngineServices();
  let current: Workspace | undefined;
  const { workspace, pipeline } = openEvents(io, values.workspace, services, () => current!);
  current = workspace;
  const folder = pipeline.folder;
  const simoneFolder = join(folder, '.simone');
  const scheduler = new SyncScheduler({ folder, workspace: () => current!, services });
  scheduler.onDidRun((run) => logSync(log, run));
  let subscribers: RunningSubscribers | undefined;
  const restartSubscribers = async () => {
    await subscribers?.dispose();
    subscribers = startSubscribers({ folder, workspace: () => current!, services, log: (line) => log.say('log', `log ${line}`, { line }) });
    subscribers.onDidHandle((outcome) => logHandled(log, outcome));
    for (const queue of subscribers.queues) log.say('subscribed', `consuming ${queue.queue} of ${queue.integration}`, queue);
    for (const skipped of subscribers.skipped) log.say('skipped', `subscriber ${skipped.subscriber} (${skipped.handler}) skipped: ${skipped.reason}`, skipped);
  };

  // One scan-and-dispatch at a time; a change during one runs another after it.
  let busy: Promise<void> = Promise.resolve();
  const cycle = (scan: boolean) => {
    busy = busy.then(() => runCycle(io, log, pipeline, scan)).catch((error) => log.say('error', `error: ${(error as Error).message}`, { message: (error as Error).message }));
    return busy;
  };

  const changed = new Set<string>();
  let settle: NodeJS.Timeout | undefined;
  const onChange = (path: string) => {
    if (isEngineWrite(relative(folder, path))) return; // our own writes, synced data
    changed.add(path);
    clearTimeout(settle);
    settle = setTimeout(() => void flush(), SETTLE_MS);
  };
  const flush = async () => {
    const paths = [...changed];
    changed.clear();
    if (paths.some((path) => /\.(ya?ml)$|(^|[/\\])\.env$/.test(path))) {
      try {
        current = loadWorkspace(io, { workspace: folder });
        log.say('reloaded', 'integration files changed: workspace reloaded', {});
        await restartSubscribers();
      } catch (error) {
        log.say('error', `could not reload the workspace (keeping the last one): ${(error as Error).message}`, { message: (error as Error).message });
      }
    }
    scheduler.projectChanged(paths);
    await cycle(true);
  };

  let watcher: FSWatcher | undefined;
  let poll: NodeJS.Timeout | undefined;
  try {
    watcher = watchFiles(simoneFolder, { recursive: true }, (_event, name) => onChange(join(simoneFolder, name ? String(name) : '')));
    watcher.on('error', () => undefined);
  } catch {
    poll = setInterval(() => void cycle(true), POLL_MS);
    log.say('polling', `cannot watch ${simoneFolder} for changes: scanning every ${POLL_MS / 1000} s`, {});
  }
  const retry = setInterval(() => void cycle(false), RETRY_MS);

  log.say('started', `watching ${simoneFolder}`, { folder });
  let stopOnTerm: (() => void) | undefined;
  try {
    await restartSubscribers();
    await scheduler.start();
    await cycle(true);
    // SIGTERM too: what a service manager or a CI runner sends to stop a job.
    await new Promise<void>((resolve) => {
      if (io.signal.aborted) return resolve();
      io.signal.addEventListener('abort', () => resolve(), { once: true });
      process.once('SIGTERM', stopOnTerm = () => resolve());
    });
  } finally {
    if (stopOnTerm) process.off('SIGTERM', stopOnTerm);
    watcher?.close();
    clearInterval(poll);
    clearInterval(retry);
    clearTimeout(settle);
    await busy;
    await scheduler.stop();
    await subscribers?.dispose();
    pipeline.dispose();
    await services.dispose();
    log.say('stopped', 'stopped', {});
  }
  return 0;
};

async function runCycle(io: CommandIO, log: WatchLog, pipeline: EventPipeline, scan: boolean): Promise<void> {
  if (scan) {
    const scanned = await pipeline.scan(io.signal);
    reportProblems(io, [...scanned.problems, ...scanned.storeProblems]);
    if (!scanned.ok) log.say('error', `scan failed: ${scanned.error!.message}`, { error: scanned.error });
    if (scanned.firstScan) log.say('snapshot', 'first scan: the project snapshot is recorded', {});
    for (const event of scanned.events) log.say('event', `event ${event.type} ${event.aggregate} v${event.version} (${event.id})`, eventSummaryJson(event));
  }
  const result: DispatchResult = await pipeline.dispatch({ signal: io.signal });
  for (const delivery of result.deliveries) log.say('delivery', dispatchedText(delivery, false), dispatchedJson(delivery));
  if (!result.ok && result.deliveries.length === 0 && result.error) log.say('error', `dispatch: ${result.error.message}`, { error: result.error });
}

function logHandled(log: WatchLog, outcome: HandlerOutcome): void {
  const what = `subscriber ${outcome.subscriber} (${outcome.handler}) on ${outcome.type} ${outcome.eventId} from ${outcome.queue}`;
  const text = outcome.skipped ? `${what}: skipped: ${outcome.skipped}` : outcome.ok ? `${what}: done` : `${what}: FAILED after ${outcome.attempts} tries: ${outcome.error?.message ?? 'failed'}${outcome.deadLettered ? `; moved to ${deadLetterQueueOf(outcome.queue)}` : ''}`;
  log.say('handled', text, outcome);
}

function logSync(log: WatchLog, run: ScheduledSyncRun): void {
  const tables = run.result.tables.map((table) => (table.ok ? `${table.source} -> ${table.target}: ${table.inserted} inserted, ${table.updated} updated, ${table.deleted} deleted` : `${table.source} -> ${table.target}: FAILED: ${table.error.message}`));
  log.say('sync', `${run.reason} sync ${run.integration}: ${run.result.ok ? 'ok' : `failed: ${run.result.error?.message ?? ''}`}${tables.length ? `; ${tables.join('; ')}` : ''}`, { integration: run.integration, reason: run.reason, sources: run.sources, ok: run.result.ok, ...(run.result.error ? { error: run.result.error } : {}) });
}
