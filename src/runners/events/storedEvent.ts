/** What the event store keeps (docs/events.md): project events with the deliveries planned and made for each. */
import type { RunnerError } from '../errors';

/**
 * Where an event goes: an `event_driven` publisher (`event_driven:<integration>/<publisher>`) or an outgoing
 * `webhook` endpoint (`webhook:<integration>/<endpoint>`) listing the event.
 */
export type DestinationId = `event_driven:${string}/${string}` | `webhook:${string}/${string}`;

export interface StoredEvent {
  /** Unique (a UUID); also the CloudEvent `id` and the webhook id, so receivers can drop a resend. */
  id: string;
  /** `task_completed`, ... (CONFIG.md, "Simone project data and events"). */
  type: string;
  /** The milestone, sprint or task id (`M01`, `S02`, `T01_S02`). */
  aggregate: string;
  /** 1, 2, ... per aggregate, in store order. */
  version: number;
  /** ISO 8601 UTC, when the event was derived. */
  time: string;
  /** The entity as it is after the change (EventEntity). */
  data: EventEntity;
  /** The workspace-relative `.simone` file that changed (`/`-separated), for "Open Source File". */
  file?: string;
}

/** The plain record of a milestone, sprint or task an event carries (no front matter beyond these fields). */
export interface EventEntity {
  kind: 'milestone' | 'sprint' | 'task';
  id: string;
  title?: string;
  status?: string;
  /** Renamed with an `X` (finished). */
  done: boolean;
  /** Workspace-relative, `/`-separated. */
  file: string;
  milestoneId?: string;
  sprintId?: string;
  complexity?: string;
  goal?: string;
  lastUpdated?: string;
}

export type DeliveryState = 'pending' | 'delivered' | 'failed' | 'skipped';

/** Where one event stands at one destination: the latest record for that pair. */
export interface Delivery {
  eventId: string;
  destination: DestinationId;
  /**
   * `pending`: not tried yet; `failed`: tried, not delivered, tried again on the next dispatch; `skipped`: the user
   * chose not to send it (only a resend of the event sends it).
   */
  state: DeliveryState;
  /** Network attempts made so far, over every dispatch. */
  attempts: number;
  /** When the state was recorded (for `pending`: when the event was appended). */
  time: string;
  /** Why the last try failed (redacted). */
  error?: RunnerError;
}

export interface EventWithDeliveries {
  event: StoredEvent;
  /** One per destination planned when the event was appended, in that order. */
  deliveries: Delivery[];
}

export function destinationId(kind: 'event_driven' | 'webhook', integration: string, target: string): DestinationId {
  return `${kind}:${integration}/${target}`;
}

/** `event_driven:project_events/tracker_publisher` -> its parts; undefined for anything else. */
export function parseDestinationId(id: string): { kind: 'event_driven' | 'webhook'; integration: string; target: string } | undefined {
  const match = /^(event_driven|webhook):([^/]+)\/(.+)$/.exec(id);
  return match ? { kind: match[1] as 'event_driven' | 'webhook', integration: match[2], target: match[3] } : undefined;
}
