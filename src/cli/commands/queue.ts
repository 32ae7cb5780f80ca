import type { MessageQueueIntegration } from '../../core/model';
import type { RunnerError } from '../../runners/errors';
import { EngineServices } from '../../runners/engineServices';
import type { QueueMessage } from '../../runners/queue/queueMessage';
import { peekQueue, publishMessage } from '../../runners/queue/queueOperations';
import { peekResultJson, publishResultJson } from '../../runners/queue/queueResultJson';
import { queueSettings } from '../../runners/queue/topology';
import { findIntegration } from '../findIntegration';
import { loadWorkspace } from '../loadWorkspace';
import { formatOption, keyValueOptions, parseCommandArgs, UsageError, type CommandIO, type Command } from '../usage';

const PUBLISH_USAGE = 'usage: queue publish <integration> <queue> --message JSON [--header k=v]... [--message-id ID] [--workspace DIR] [--format text|json]';
const PEEK_USAGE = 'usage: queue peek <integration> <queue> [--count N] [--workspace DIR] [--format text|json]';

/** The named message_queue integration and queue, or a usage error saying what there is. */
function target(positionals: string[], workspaceDir: string | undefined, io: CommandIO, usage: string): { integration: MessageQueueIntegration; queue: string } {
  if (positionals.length !== 2) throw new UsageError(usage);
  const [name, queue] = positionals;
  const integration = findIntegration(loadWorkspace(io, { workspace: workspaceDir }), name, 'message_queue');
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

/** A broker or delivery failure in text: one redacted line on stderr, exit 1. */
function failedText(error: RunnerError, io: CommandIO): number {
  io.stderr(`simone-integrations: ${error.message}\n`);
  return 1;
}

/** One attempt at the broker: a CLI run should fail fast and say why, not wait for a broker to come back. */
const oneShot = () => new EngineServices({ queues: { reconnect: false } });

async function publish(args: string[], io: CommandIO): Promise<number> {
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
  const services = oneShot();
  try {
    const result = await publishMessage(services.queues.get(integration), queue, message, { headers, messageId: values['message-id'], signal: io.signal });
    if (format === 'json') io.stdout(JSON.stringify(publishResultJson(result), null, 2) + '\n');
    else if (!result.ok) return failedText(result.error, io);
    else io.stdout(`published ${result.receipt.messageId} to ${queue} (exchange "${result.receipt.exchange}", routing key "${result.receipt.routingKey}"): confirmed by the broker in ${result.receipt.durationMs} ms\n`);
    return result.ok ? 0 : 1;
  } finally {
    await services.dispose();
  }
}

function peekedText(message: QueueMessage, index: number): string {
  const body = typeof message.body === 'string' ? message.body : JSON.stringify(message.body);
  const facts = [message.properties.messageId && `id ${message.properties.messageId}`, message.properties.contentType, message.redelivered && 'redelivered'].filter(Boolean);
  return `${index + 1}. ${body}${facts.length ? `  (${facts.join(', ')})` : ''}\n`;
}

async function peek(args: string[], io: CommandIO): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, { count: { type: 'string' }, workspace: { type: 'string' }, format: { type: 'string' } });
  const format = formatOption(values.format, ['text', 'json'], 'text');
  const count = values.count === undefined ? 1 : Number(values.count);
  if (!Number.isInteger(count) || count < 1 || count > 1000) throw new UsageError(`--count must be a whole number from 1 to 1000, not "${values.count}"`);
  const { integration, queue } = target(positionals, values.workspace, io, PEEK_USAGE);
  const services = oneShot();
  try {
    const result = await peekQueue(services.queues.get(integration), queue, { count, signal: io.signal });
    if (format === 'json') io.stdout(JSON.stringify(peekResultJson(result), null, 2) + '\n');
    else if (!result.ok) return failedText(result.error, io);
    else io.stdout(result.messages.length ? `${result.messages.length} message${result.messages.length === 1 ? '' : 's'} at the head of ${queue} (left in place):\n${result.messages.map(peekedText).join('')}` : `${queue} is empty\n`);
    return result.ok ? 0 : 1;
  } finally {
    await services.dispose();
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
