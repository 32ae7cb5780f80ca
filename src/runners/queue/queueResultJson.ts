import type { RunnerError } from '../errors';
import type { QueueMessage } from './queueMessage';
import type { PeekQueueResult, PublishMessageResult } from './queueOperations';

function failureJson(result: { integration: string; queue: string; error: RunnerError }) {
  return { integration: result.integration, queue: result.queue, ok: false as const, error: { kind: result.error.kind, message: result.error.message } };
}

/** A peeked message without its raw bytes: the decoded body, its properties and where it came from. */
export function queueMessageJson(message: QueueMessage) {
  return { body: message.body, ...message.properties, exchange: message.exchange, routingKey: message.routingKey, redelivered: message.redelivered };
}

/** `queue publish --format json`, the result panel: the receipt, or why it is not confirmed. */
export function publishResultJson(result: PublishMessageResult) {
  return result.ok ? { integration: result.integration, ok: true as const, ...result.receipt } : failureJson(result);
}

/** `queue peek --format json`, the result panel: the messages at the head of the queue, or why they could not be read. */
export function peekResultJson(result: PeekQueueResult) {
  return result.ok ? { integration: result.integration, queue: result.queue, ok: true as const, messages: result.messages.map(queueMessageJson) } : failureJson(result);
}
