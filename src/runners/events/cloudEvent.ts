import { randomUUID } from 'node:crypto';

/** A CloudEvents 1.0 event in structured JSON form (https://github.com/cloudevents/spec/blob/v1.0.2/cloudevents/spec.md). */
export interface CloudEvent<T = unknown> {
  specversion: '1.0';
  id: string;
  source: string;
  type: string;
  time: string;
  datacontenttype: 'application/json';
  data: T;
}

/** The media type of a structured-mode CloudEvent, as an HTTP Content-Type and an AMQP content-type. */
export const CLOUDEVENTS_JSON = 'application/cloudevents+json';

/**
 * `task_completed` -> `simone.task_completed`: Simone project events and bare
 * custom names get the `simone.` prefix; a name with a dot (`com.acme.order_paid`)
 * is already a full type and is kept as written.
 */
export function cloudEventType(eventName: string): string {
  return eventName.includes('.') ? eventName : `simone.${eventName}`;
}

/** `simone://<workspace>/<integration>`, each part URI-encoded. */
export function cloudEventSource(workspace: string, integration: string): string {
  return `simone://${encodeURIComponent(workspace)}/${encodeURIComponent(integration)}`;
}

export interface CloudEventInit<T> {
  eventName: string;
  workspace: string;
  integration: string;
  data: T;
  id?: string;
  time?: Date;
}

export function createCloudEvent<T>(init: CloudEventInit<T>): CloudEvent<T> {
  return {
    specversion: '1.0',
    id: init.id ?? randomUUID(),
    source: cloudEventSource(init.workspace, init.integration),
    type: cloudEventType(init.eventName),
    time: (init.time ?? new Date()).toISOString(),
    datacontenttype: 'application/json',
    data: init.data,
  };
}
