import type { MessageQueueIntegration } from '../../core/model';
import { Workspace } from '../../core/workspace';
import { classifyError, integrationSecrets } from '../../runners/errors';
import { QueueConnection } from '../../runners/queue/queueConnection';
import type { QueueMessage } from '../../runners/queue/queueMessage';
import { queueSettings } from '../../runners/queue/topology';
import { findIntegration } from '../findIntegration';
import { formatOption, keyValueOptions, parseCommandArgs, UsageError, type CliIO, type Command } from '../usage';

const PUBLISH_USAGE = 'usage: queue publish <integration> <queue> --message JSON [--header k=v]... [--message-id ID] [--workspace DIR] [--format text|json]';
const PEEK_USAGE = 'usage: queue peek <integration> <queue> [--count N] [--workspace DIR] [--format text|json]';

/** The named message_queue integration and queue, or a usage error saying what there is. */
function target(positionals: string[], workspaceDir: string | undefined, io: CliIO, usage: string): { integration: MessageQueueIntegration; queue: string } {
  if (positionals.length !== 2) throw new UsageError(usage);
  const [name, queue] = positionals;
  const integration = findIntegration(Workspace.load({ workspace: workspaceDir, cwd: io.cwd, processEnv: io.env }), name, 'message_queue');
  try {
    queueSettings(integration, queue);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  return { integration, queue };
}

function parseMessage(text: string | undefined): unknown {
  if (text === undefined) throw new UsageError(`--message JSON is required (${PUBLISH_USAGE})`);
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UsageError(`--message is not valid JSON: ${(error as Error).message}`);
  }
}

/** A broker or delivery failure: one redacted line (text) or an `ok: false` document (json), exit 1. */
function failed(error: unknown, integration: MessageQueueIntegration, queue: string, format: string, io: CliIO): number {
  const classified = classifyError(error, integrationSecrets(integration));
  if (format === 'json') io.stdout(JSON.stringify({ integration: integration.name, queue, ok: false, error: { kind: classified.kind, message: classified.message } }, null, 2) + '\n');
  else io.stderr(`simone-integrations: ${classified.message}\n`);
  return 1;
}

async function publish(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, {
    message: { type: 'string' },
    header: { type: 'string', multiple: true },
    'message-id': { type: 'string' },
    workspace: { type: 'string' },
    format: { type: 'string' },
  });
  const format = formatOption(values.format, ['text', 'json'], 'text');
  const message = parseMessage(values.message);
  const headers = keyValueOptions(values.header, 'header');
  const { integration, queue } = target(positionals, values.workspace, io, PUBLISH_USAGE);
  // One attempt: a CLI run should fail fast and say why, not wait for a broker to come back.
  const connection = new QueueConnection(integration, { reconnect: false });
  try {
    const receipt = await connection.publish(queue, message, { headers, messageId: values['message-id'], signal: io.signal });
    if (format === 'json') io.stdout(JSON.stringify({ integration: integration.name, ok: true, ...receipt }, null, 2) + '\n');
    else io.stdout(`published ${receipt.messageId} to ${queue} (exchange "${receipt.exchange}", routing key "${receipt.routingKey}"): confirmed by the broker in ${receipt.durationMs} ms\n`);
    return 0;
  } catch (error) {
    return failed(error, integration, queue, format, io);
  } finally {
    await connection.close();
  }
}

function peekedJson(message: QueueMessage) {
  return { body: message.body, ...message.properties, exchange: message.exchange, routingKey: message.routingKey, redelivered: message.redelivered };
}

function peekedText(message: QueueMessage, index: number): string {
  const body = typeof message.body === 'string' ? message.body : JSON.stringify(message.body);
  const facts = [message.properties.messageId && `id ${message.properties.messageId}`, message.properties.contentType, message.redelivered && 'redelivered'].filter(Boolean);
  return `${index + 1}. ${body}${facts.length ? `  (${facts.join(', ')})` : ''}\n`;
}

async function peek(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, { count: { type: 'string' }, workspace: { type: 'string' }, format: { type: 'string' } });
  const format = formatOption(values.format, ['text', 'json'], 'text');
  const count = values.count === undefined ? 1 : Number(values.count);
  if (!Number.isInteger(count) || count < 1 || count > 1000) throw new UsageError(`--count must be a whole number from 1 to 1000, not "${values.count}"`);
  const { integration, queue } = target(positionals, values.workspace, io, PEEK_USAGE);
  const connection = new QueueConnection(integration, { reconnect: false });
  try {
    const messages = await connection.peek(queue, { count, signal: io.signal });
    if (format === 'json') io.stdout(JSON.stringify({ integration: integration.name, queue, messages: messages.map(peekedJson) }, null, 2) + '\n');
    else io.stdout(messages.length ? `${messages.length} message${messages.length === 1 ? '' : 's'} at the head of ${queue} (left in place):\n${messages.map(peekedText).join('')}` : `${queue} is empty\n`);
    return 0;
  } catch (error) {
    return failed(error, integration, queue, format, io);
  } finally {
    await connection.close();
  }
}

export const queue: Command = async (args, io) => {
  const [action, ...rest] = args;
  switch (action) {
    case 'publish':
      return publish(rest, io);
    case 'peek':
      return peek(rest, io);
    default:
      throw new UsageError(`queue ${action ? `"${action}" ` : ''}needs publish or peek`);
  }
};
