/**
 * The messages between the extension host and the webview pages, both ways, in one place: the host
 * (webviewApi.ts) and the pages (webview/result, webview/health) import this file, so neither side can drift.
 * Every message received is checked here first; a page message is untrusted input.
 */
import type { DashboardModel } from './dashboardModel';
import { MAX_CODE_CHARS, type ResultModel } from './resultModel';

export type HostMessage =
  /** The whole result, on first show and on every re-run. */
  | { type: 'show'; model: ResultModel }
  /** A run event (src/runners/runEvents.ts) of the run in progress: attempts appear live. */
  | { type: 'event'; event: unknown }
  | { type: 'health'; model: DashboardModel };

export type PageMessage =
  /** The page has its listener: the host posts what it holds. */
  | { type: 'ready' }
  | { type: 'rerun' }
  /** Apply the sync that the panel previews. */
  | { type: 'apply' }
  /** Open where a health target is defined. */
  | { type: 'openDefinition'; key: string }
  | { type: 'copy'; text: string };

const MAX_KEY_CHARS = 1024;

export type Checked<T> = { ok: true; message: T } | { ok: false; error: string };

function boundedString(value: unknown, max: number): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= max;
}

/** A message from a page, checked field by field; anything else is refused with the reason. */
export function checkPageMessage(raw: unknown): Checked<PageMessage> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return { ok: false, error: 'a webview message must be an object' };
  const message = raw as Record<string, unknown>;
  switch (message.type) {
    case 'ready':
    case 'rerun':
    case 'apply':
      return { ok: true, message: { type: message.type } };
    case 'openDefinition':
      if (!boundedString(message.key, MAX_KEY_CHARS)) return { ok: false, error: `openDefinition needs a key of at most ${MAX_KEY_CHARS} characters` };
      return { ok: true, message: { type: 'openDefinition', key: message.key } };
    case 'copy':
      if (!boundedString(message.text, MAX_CODE_CHARS)) return { ok: false, error: `copy needs a text of at most ${MAX_CODE_CHARS} characters` };
      return { ok: true, message: { type: 'copy', text: message.text } };
    default:
      return { ok: false, error: `unknown webview message type ${JSON.stringify(String(message.type).slice(0, 40))}` };
  }
}

/** A message from the host, as the page checks it before rendering. */
export function checkHostMessage(raw: unknown): Checked<HostMessage> {
  if (typeof raw !== 'object' || raw === null) return { ok: false, error: 'not an object' };
  const message = raw as Record<string, unknown>;
  const model = message.model as Record<string, unknown> | undefined;
  switch (message.type) {
    case 'show':
      if (typeof model?.title !== 'string' || !Array.isArray(model.sections) || !Array.isArray(model.facts) || !Array.isArray(model.actions)) return { ok: false, error: 'show needs a result model' };
      return { ok: true, message: message as HostMessage };
    case 'event':
      return typeof message.event === 'object' && message.event !== null ? { ok: true, message: message as HostMessage } : { ok: false, error: 'event needs an event' };
    case 'health':
      if (typeof model?.summary !== 'string' || !Array.isArray(model.rows)) return { ok: false, error: 'health needs a dashboard model' };
      return { ok: true, message: message as HostMessage };
    default:
      return { ok: false, error: 'unknown message type' };
  }
}
