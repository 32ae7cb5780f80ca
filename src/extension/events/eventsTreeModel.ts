/**
 * The Events view as plain data: per workspace folder the recent events the pipeline reports (newest first), each
 * with its delivery per destination as children. No `vscode` here, so it is tested without an editor;
 * `eventsTree.ts` turns rows into TreeItems.
 *
 * `setEvents` says which rows to repaint: the rows whose text, icon or children changed (the topmost of them),
 * or `''` when the top level changed.
 */
import { basename } from 'node:path';
import type { Delivery, DeliveryState, StoredEvent } from '../../runners/events/storedEvent';
import { clip, escapeMarkdown } from '../tree/healthPresentation';
import { changedRows, topmost } from '../tree/rowChanges';

/** What the view reads of a stored event: `file` is the folder-relative `.simone` file it came from. */
export type EventView = Readonly<Pick<StoredEvent, 'id' | 'type' | 'aggregate' | 'time' | 'file'> & Partial<Pick<StoredEvent, 'version'>>>;

/** What the view reads of a delivery record; its error is redacted by the engine. */
export interface DeliveryView extends Readonly<Pick<Delivery, 'state' | 'attempts'>> {
  readonly destination: string;
  readonly time?: string;
  readonly error?: { readonly message: string };
}

export interface EventEntryView {
  readonly event: EventView;
  readonly deliveries: readonly DeliveryView[];
}

/** What a command run from a row acts on. */
export interface EventTarget {
  folder: string;
  eventId: string;
  /** A delivery row: resend to this destination only. */
  destination?: string;
  /** The source file, workspace-relative. */
  file?: string;
}

export type EventRowKind = 'folder' | 'event' | 'delivery';

export interface EventRow {
  readonly id: string;
  readonly parentId?: string;
  readonly kind: EventRowKind;
  readonly label: string;
  readonly description?: string;
  /** A codicon id and a theme colour id. */
  readonly icon: { id: string; color?: string };
  /** For `when` clauses: `event`, `delivery.<state>`, with `.file` when the source file is known. */
  readonly contextValue: string;
  readonly target?: EventTarget;
  readonly childIds: readonly string[];
  /** Markdown, built when hovered. */
  tooltip(): string;
}

/** A delivery state as a word, a codicon and a theme colour, the same colours as the Integrations view. */
export const DELIVERY_STYLES: Record<DeliveryState, { word: string; icon: string; color: string }> = {
  delivered: { word: 'delivered', icon: 'pass', color: 'testing.iconPassed' },
  skipped: { word: 'skipped', icon: 'circle-slash', color: 'disabledForeground' },
  pending: { word: 'pending', icon: 'clock', color: 'problemsWarningIcon.foreground' },
  failed: { word: 'failed', icon: 'error', color: 'problemsErrorIcon.foreground' },
};

/** An event shows its worst delivery. */
const RANK: Record<DeliveryState, number> = { delivered: 0, skipped: 1, pending: 2, failed: 3 };

/** Events listed per folder: the view is a recent history, the store keeps the rest. */
export const EVENTS_SHOWN = 100;

const ROOT = '';

/** Local date and time, to the second. */
const localTime = (iso: string) => {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString(undefined, { dateStyle: 'short', timeStyle: 'medium' });
};

function signature(row: EventRow): string {
  return JSON.stringify([row.label, row.description, row.icon, row.contextValue, row.target, row.childIds]);
}

/** "1 attempt", "3 attempts". */
export const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;

/** "team_notifications/ci_server" of "webhook:team_notifications/ci_server", and its kind. */
function splitDestination(destination: string): { kind: string; name: string } {
  const colon = destination.indexOf(':');
  return colon < 0 ? { kind: '', name: destination } : { kind: destination.slice(0, colon), name: destination.slice(colon + 1) };
}

export class EventsTreeModel {
  private rows = new Map<string, EventRow>();
  private rootIds: string[] = [];
  private folders: string[] = [];
  private readonly entries = new Map<string, readonly EventEntryView[]>();

  constructor(private readonly formatTime: (iso: string) => string = localTime) {}

  roots(): EventRow[] {
    return this.rootIds.map((id) => this.rows.get(id)!);
  }

  node(id: string): EventRow | undefined {
    return this.rows.get(id);
  }

  children(id: string): EventRow[] {
    return (this.rows.get(id)?.childIds ?? []).map((child) => this.rows.get(child)!);
  }

  get size(): number {
    return this.rows.size;
  }

  /** The workspace folders the view shows (a folder of its own each when there are several). */
  setFolders(folders: readonly string[]): string[] {
    this.folders = [...folders];
    for (const folder of this.entries.keys()) if (!this.folders.includes(folder)) this.entries.delete(folder);
    return this.rebuild();
  }

  /** The recent events of one folder, newest first, as the pipeline listed them. */
  setEvents(folder: string, entries: readonly EventEntryView[]): string[] {
    this.entries.set(folder, entries.slice(0, EVENTS_SHOWN));
    return this.rebuild();
  }

  private rebuild(): string[] {
    const previous = this.rows;
    const previousRoots = this.rootIds;
    this.rows = new Map();
    const grouped = this.folders.length > 1;
    this.rootIds = grouped
      ? this.folders.map((folder) => this.add(this.folderRow(folder, this.eventRows(folder, `folder:${folder}`))))
      : this.folders.flatMap((folder) => this.eventRows(folder, undefined));
    if (previousRoots.join('\n') !== this.rootIds.join('\n')) return [ROOT];
    return topmost(changedRows(previous, this.rows.values(), signature), (id) => this.rows.get(id));
  }

  private add(row: EventRow): string {
    this.rows.set(row.id, row);
    return row.id;
  }

  /** The event rows of a folder (their deliveries added below them); returns their ids. */
  private eventRows(folder: string, parentId: string | undefined): string[] {
    const used = new Set<string>();
    return (this.entries.get(folder) ?? []).flatMap(({ event, deliveries }) => {
      const id = `${folder}#event:${event.id}`;
      if (used.has(id)) return [];
      used.add(id);
      const childIds = deliveries.map((delivery) => this.add(this.deliveryRow(folder, id, event, delivery)));
      return [this.add(this.eventRow(folder, id, parentId, event, deliveries, [...new Set(childIds)]))];
    });
  }

  private eventRow(folder: string, id: string, parentId: string | undefined, event: EventView, deliveries: readonly DeliveryView[], childIds: string[]): EventRow {
    const worst = deliveries.reduce<DeliveryState | undefined>((state, delivery) => (state === undefined || RANK[delivery.state] > RANK[state] ? delivery.state : state), undefined);
    const counts = (state: DeliveryState) => deliveries.filter((delivery) => delivery.state === state).length;
    const summary = deliveries.length === 0 ? 'no destination' : worst === 'delivered' || worst === 'skipped' ? worst : (['failed', 'pending', 'skipped'] as const).filter((state) => counts(state)).map((state) => `${counts(state)} ${state}`).join(', ');
    const file = event.file ? '.file' : '';
    return {
      id,
      parentId,
      kind: 'event',
      label: event.type,
      description: `${event.aggregate} · ${this.formatTime(event.time)} · ${summary}`,
      icon: { id: 'symbol-event', color: worst && DELIVERY_STYLES[worst].color },
      contextValue: `event${file}`,
      target: { folder, eventId: event.id, file: event.file },
      childIds,
      tooltip: () => {
        const lines = [
          `**${escapeMarkdown(event.type)}** · ${escapeMarkdown(event.aggregate)}${event.version === undefined ? '' : ` (version ${event.version})`}`,
          `${escapeMarkdown(this.formatTime(event.time))} · id \`${event.id.replace(/`/g, '')}\``,
        ];
        if (event.file) lines.push(`From \`${event.file.replace(/`/g, '')}\``);
        lines.push(deliveries.length ? deliveries.map((delivery) => `- ${escapeMarkdown(delivery.destination)}: ${DELIVERY_STYLES[delivery.state].word}`).join('\n') : '_No publisher or webhook endpoint lists this event._');
        return lines.join('\n\n');
      },
    };
  }

  private deliveryRow(folder: string, parentId: string, event: EventView, delivery: DeliveryView): EventRow {
    const style = DELIVERY_STYLES[delivery.state];
    const { kind, name } = splitDestination(delivery.destination);
    const attempts = delivery.attempts ? `after ${plural(delivery.attempts, 'attempt')}` : '';
    const error = delivery.error && delivery.state !== 'delivered' ? `: ${clip(delivery.error.message)}` : '';
    return {
      id: `${parentId}/delivery:${delivery.destination}`,
      parentId,
      kind: 'delivery',
      label: name,
      description: [kind, [style.word, attempts].filter(Boolean).join(' ') + error].filter(Boolean).join(' · '),
      icon: { id: style.icon, color: style.color },
      contextValue: `delivery.${delivery.state}${event.file ? '.file' : ''}`,
      target: { folder, eventId: event.id, destination: delivery.destination, file: event.file },
      childIds: [],
      tooltip: () => {
        const lines = [`**${escapeMarkdown(delivery.destination)}** · ${style.word}`, `${escapeMarkdown(event.type)} · ${escapeMarkdown(event.aggregate)}`];
        if (delivery.attempts) lines.push(`${plural(delivery.attempts, 'attempt')}${delivery.time ? `, the last ${escapeMarkdown(this.formatTime(delivery.time))}` : ''}`);
        if (delivery.error) lines.push(escapeMarkdown(delivery.error.message));
        return lines.join('\n\n');
      },
    };
  }

  private folderRow(folder: string, childIds: string[]): EventRow {
    const failed = (this.entries.get(folder) ?? []).filter((entry) => entry.deliveries.some((delivery) => delivery.state === 'failed')).length;
    return {
      id: `folder:${folder}`,
      kind: 'folder',
      label: basename(folder),
      description: childIds.length === 0 ? 'no events' : [plural(childIds.length, 'event'), failed && `${failed} failed`].filter(Boolean).join(', '),
      icon: { id: 'folder' },
      contextValue: 'folder',
      childIds,
      tooltip: () => `**${escapeMarkdown(basename(folder))}**\n\n${escapeMarkdown(folder)}`,
    };
  }
}
