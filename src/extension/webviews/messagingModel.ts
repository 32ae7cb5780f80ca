import { attemptsTable } from './attemptRows';
import { count, errorMessage, list, ms, record, text, type Plain } from './plainData';
import { cell, code, passed, table, type Fact, type ResultModel, type Section } from './resultModel';

/** A body in one table cell: compact and short (the whole body is one click away in a peeked message's section). */
const PREVIEW_CHARS = 200;

function preview(body: unknown): string {
  const compact = typeof body === 'string' ? body : (JSON.stringify(body) ?? '');
  return compact.length > PREVIEW_CHARS ? `${compact.slice(0, PREVIEW_CHARS)}…` : compact;
}

function failure(title: string, result: Plain, what: string): ResultModel {
  return { title, headline: passed(false, `${what}: ${errorMessage(result.error) ?? 'failed'}`), facts: [], sections: [], actions: ['rerun'] };
}

/** Send Test Webhook: the delivery's final status, every attempt (signed afresh), the event sent. */
export function webhookModel(title: string, data: unknown): ResultModel {
  const delivery = record(data) ?? {};
  const event = record(delivery.event) ?? {};
  const status = count(delivery.status);
  const facts: Fact[] = [];
  const url = text(delivery.url);
  if (url) facts.push({ label: 'URL', value: url });
  const type = text(event.type);
  if (type) facts.push({ label: 'Event', value: `${type} (${text(event.id) ?? 'no id'})` });
  const error = errorMessage(delivery.error);
  if (error) facts.push({ label: 'Error', value: error });
  const sections: Section[] = [attemptsTable(delivery.attempts)];
  if (event.data !== undefined) sections.push(code('Event data', event.data));
  return { title, headline: passed(delivery.ok === true, status === undefined ? (error ?? 'not delivered') : String(status)), facts, sections, actions: ['rerun'] };
}

/** Publish Test Message: the broker's confirmation (the receipt), or why it did not come. */
export function queuePublishModel(title: string, data: unknown): ResultModel {
  const result = record(data) ?? {};
  if (result.ok !== true) return failure(title, result, 'not published');
  const receipt = record(result.receipt) ?? result;
  const facts: Fact[] = [
    { label: 'Queue', value: text(receipt.queue) ?? text(result.queue) ?? '—' },
    { label: 'Exchange', value: text(receipt.exchange) || '(default)' },
    { label: 'Routing key', value: text(receipt.routingKey) ?? '—' },
    { label: 'Message id', value: text(receipt.messageId) ?? '—' },
    { label: 'Confirmed in', value: ms(receipt.durationMs) },
  ];
  return { title, headline: passed(true, 'confirmed by the broker'), facts, sections: [], actions: ['rerun'] };
}

/** Peek Queue: the messages at the head of the queue (left in place). */
export function queuePeekModel(title: string, data: unknown): ResultModel {
  const result = record(data) ?? {};
  if (result.ok !== true) return failure(title, result, 'peek failed');
  const messages = list(result.messages).map((message) => record(message) ?? {});
  const rows = messages.map((message, index) => [cell(index + 1), cell(text(message.messageId) ?? '—'), cell(text(message.routingKey) ?? '—'), cell(message.redelivered === true ? 'yes' : 'no'), cell(preview(message.body))]);
  const sections: Section[] = [table('Messages', ['#', 'Message id', 'Routing key', 'Redelivered', 'Body'], rows, 'The queue is empty.')];
  return { title, headline: passed(true, `${messages.length} message${messages.length === 1 ? '' : 's'} (left in place)`), facts: [], sections, actions: ['rerun'] };
}

/** A webhook receiver: where it listens, its deliveries (newest first), and one of them in full (the one asked for, else the newest). */
export function receiverModel(title: string, data: unknown): ResultModel {
  const receiver = record(data) ?? {};
  const url = text(receiver.url);
  const deliveries = list(receiver.deliveries).map((entry) => record(entry) ?? {});
  const shown = record(receiver.shown) ?? deliveries[0];
  const isShown = (delivery: Plain) => shown !== undefined && delivery.receivedAt === shown.receivedAt && delivery.endpoint === shown.endpoint;
  const rows = deliveries.map((delivery) => [cell(text(delivery.receivedAt), undefined, isShown(delivery) ? 'eye' : undefined), cell(text(delivery.endpoint)), cell(preview(delivery.body))]);
  const facts: Fact[] = [{ label: 'Receiver', value: url ? `listening on ${url}` : 'stopped' }];
  const sections: Section[] = [table('Deliveries', ['Received at', 'Endpoint', 'Body'], rows, url ? 'Nothing received yet.' : 'Nothing received.', ['34%', '22%'])];
  if (shown) {
    const about = `${text(shown.endpoint) ?? '?'} at ${text(shown.receivedAt) ?? '?'}`;
    const headers = Object.entries(record(shown.headers) ?? {}).map(([name, value]) => [cell(name), cell(text(value) ?? JSON.stringify(value))]);
    sections.push(table(`Headers of ${about}`, ['Header', 'Value'], headers, 'No headers.', ['40%']), code(`Body of ${about}`, shown.body ?? ''));
  }
  return { title, headline: cell(`${deliveries.length} received`, url ? 'ok' : 'muted', 'inbox'), facts, sections, actions: [] };
}
