import type { Message } from 'amqplib';

/** A message read from a queue (peeked or delivered), with its body decoded when it says how. */
export interface QueueMessage {
  /** Parsed JSON for JSON content types, UTF-8 text for `text/*` and for bodies without a content type, else base64. */
  body: unknown;
  content: Buffer;
  properties: {
    messageId?: string;
    contentType?: string;
    headers: Record<string, unknown>;
    timestamp?: number;
    persistent: boolean;
  };
  exchange: string;
  routingKey: string;
  /** The broker delivered it before (a peek requeues, so a peeked message comes back redelivered). */
  redelivered: boolean;
}

function decodeBody(content: Buffer, contentType: string | undefined): unknown {
  const type = contentType?.split(';')[0].trim().toLowerCase();
  if (type === undefined || type.startsWith('text/')) return content.toString('utf8');
  if (type === 'application/json' || type.endsWith('+json')) {
    try {
      return JSON.parse(content.toString('utf8'));
    } catch {
      return content.toString('utf8');
    }
  }
  return content.toString('base64');
}

export function queueMessage(message: Message): QueueMessage {
  const { properties, fields } = message;
  return {
    body: decodeBody(message.content, properties.contentType),
    content: message.content,
    properties: {
      messageId: properties.messageId,
      contentType: properties.contentType,
      headers: { ...properties.headers },
      timestamp: properties.timestamp,
      persistent: properties.deliveryMode === 2,
    },
    exchange: fields.exchange,
    routingKey: fields.routingKey,
    redelivered: fields.redelivered,
  };
}
