import { isAbsolute, relative, resolve } from 'node:path';
import { Uri, window } from 'vscode';
import { parseDestinationId, type DestinationId } from '../../runners/events/storedEvent';
import { plural, type EventTarget } from '../events/eventsTreeModel';
import { fileFolders } from '../events/eventsView';
import type { DispatchOutcome, DispatchRequest } from '../events/projectEventsLoop';
import type { CommandContext } from './commandContext';
import { runWithProgress } from './runWithProgress';

/** What an Events view row's command acts on (the row's target), or nothing from the palette or the title bar. */
function eventTarget(argument: unknown): EventTarget | undefined {
  const node = (argument as { node?: { target?: EventTarget } } | undefined)?.node;
  return node?.target && typeof node.target.folder === 'string' && typeof node.target.eventId === 'string' ? node.target : undefined;
}

/** "2 delivered, 1 failed" of the dispatches' deliveries, or what stopped them. */
function summarize(outcomes: ReadonlyArray<DispatchOutcome | undefined>): { text: string; ok: boolean } {
  const deliveries = outcomes.flatMap((outcome) => outcome?.deliveries ?? []);
  const delivered = deliveries.filter((delivery) => delivery.state === 'delivered').length;
  const failure = outcomes.find((outcome) => outcome && !outcome.ok)?.error;
  if (!deliveries.length && !failure) return { text: 'nothing was pending', ok: true };
  const counts = [delivered && `${delivered} delivered`, deliveries.length - delivered && `${deliveries.length - delivered} not delivered (they stay pending)`].filter(Boolean).join(', ');
  return { text: [counts, failure?.message].filter(Boolean).join('; '), ok: !failure };
}

/** Scan for Events Now: every folder's project against its last snapshot (the first scan records one). */
export async function scanEvents(context: CommandContext): Promise<void> {
  await context.host.get();
  let found = 0;
  for (const folder of fileFolders()) {
    found += (await context.events.loop.scan(folder)).length;
    context.events.view.readNow(folder);
  }
  void window.showInformationMessage(found ? `Simone: ${plural(found, 'new event')} recorded.` : 'Simone: no new events; the project is as the last scan saw it.');
}

/** Dispatch Pending Events (or Resend one event): sent under a cancellable progress notification. */
async function dispatch(context: CommandContext, title: string, folders: readonly string[], request?: DispatchRequest): Promise<void> {
  await context.host.get();
  const { result } = await runWithProgress(title, context.host.settings.runTimeoutMs, async ({ signal }) => {
    const outcomes: Array<DispatchOutcome | undefined> = [];
    for (const folder of folders) outcomes.push(await context.events.loop.dispatch(folder, request, signal));
    return outcomes;
  });
  for (const folder of folders) context.events.view.readNow(folder);
  const { text, ok } = summarize(result);
  const line = `${title}: ${text}`;
  if (ok) {
    context.log.info(line);
    void window.showInformationMessage(`Simone: ${line}`);
  } else {
    context.log.warn(line);
    void window.showWarningMessage(`Simone: ${line}`, 'Show Logs').then((choice) => choice && context.log.show());
  }
}

export function dispatchEvents(context: CommandContext, argument: unknown): Promise<void> {
  const target = eventTarget(argument);
  return dispatch(context, 'Dispatching pending Simone events', target ? [target.folder] : fileFolders());
}

/** Resend: an event row's event again to every destination it was planned for; a delivery row's to that one. */
export async function resendEvent(context: CommandContext, argument: unknown): Promise<void> {
  const target = eventTarget(argument);
  if (!target) throw new Error('Resend works on an event of the Events view');
  const destination = target.destination && parseDestinationId(target.destination) ? [target.destination as DestinationId] : undefined;
  const title = `Resending event ${target.eventId}${destination ? ` to ${destination[0]}` : ''}`;
  await dispatch(context, title, [target.folder], { eventIds: [target.eventId], destinations: destination });
}

/** Open Source File: the `.simone` file the event came from (a path inside its workspace folder only). */
export async function openEventSource(_context: CommandContext, argument: unknown): Promise<void> {
  const target = eventTarget(argument);
  if (!target?.file) throw new Error('this event names no source file');
  const path = resolve(target.folder, target.file);
  const inside = relative(target.folder, path);
  if (!inside || inside.startsWith('..') || isAbsolute(inside)) throw new Error(`the event's file ${target.file} is outside its workspace folder: not opened`);
  await window.showTextDocument(Uri.file(path), { preview: true });
}
