import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { DEFAULT_MS } from '../../core/defaults';
import { parseDuration } from '../../core/duration';
import { WebhookSecretError } from '../../runners/webhook/signatureScheme';
import { SIGNATURE_SCHEMES, SIGNING_SCHEMES } from '../../runners/webhook/signatureSchemes';
import { WebhookReceiverError } from '../../runners/webhook/webhookReceiver';
import { WebhookReceivers } from '../../runners/webhook/webhookReceivers';
import { findIntegration } from '../findIntegration';
import { loadWorkspace } from '../loadWorkspace';
import { parseCommandArgs, UsageError, type CommandIO, type Command } from '../usage';

const SIGNATURE_OPTIONS = {
  scheme: { type: 'string' },
  secret: { type: 'string' },
  payload: { type: 'string' },
  'payload-file': { type: 'string' },
  signature: { type: 'string' },
  timestamp: { type: 'string' },
  id: { type: 'string' },
  tolerance: { type: 'string' },
} as const;

type SignatureValues = ReturnType<typeof parseSignatureArgs>;

function parseSignatureArgs(args: string[]) {
  return parseCommandArgs(args, SIGNATURE_OPTIONS, false).values;
}

function schemeOf(values: SignatureValues) {
  const name = values.scheme;
  if (!name || !(SIGNING_SCHEMES as readonly string[]).includes(name)) throw new UsageError(`--scheme must be one of ${SIGNING_SCHEMES.join(', ')}${name ? `, not "${name}"` : ''}`);
  return SIGNATURE_SCHEMES[name as (typeof SIGNING_SCHEMES)[number]];
}

/** The `--secret` given, masked in all the command prints from here on. */
function secretOf(values: SignatureValues, io: CommandIO): string {
  if (!values.secret) throw new UsageError('--secret is required');
  io.secrets.add([values.secret]);
  return values.secret;
}

/** The exact bytes signed: a file is read raw, so a trailing newline counts as the sender's would. */
function payloadOf(values: SignatureValues, io: CommandIO): string | Buffer {
  if (values.payload !== undefined && values['payload-file'] !== undefined) throw new UsageError('give --payload or --payload-file, not both');
  if (values.payload !== undefined) return values.payload;
  const file = values['payload-file'];
  if (file === undefined) throw new UsageError('--payload or --payload-file is required');
  try {
    return readFileSync(resolve(io.cwd, file));
  } catch (error) {
    throw new UsageError(`cannot read --payload-file ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

function timestampOf(values: SignatureValues): number | undefined {
  if (values.timestamp === undefined) return undefined;
  if (!/^\d+$/.test(values.timestamp)) throw new UsageError(`--timestamp must be unix seconds, not "${values.timestamp}"`);
  return Number(values.timestamp);
}

function sign(args: string[], io: CommandIO): number {
  const values = parseSignatureArgs(args);
  const scheme = schemeOf(values);
  if (values.signature !== undefined || values.tolerance !== undefined) throw new UsageError('--signature and --tolerance are for verify');
  let headers: Record<string, string>;
  try {
    headers = scheme.sign(payloadOf(values, io), secretOf(values, io), { timestamp: timestampOf(values), id: values.id });
  } catch (error) {
    if (error instanceof WebhookSecretError) throw new UsageError(error.message);
    throw error;
  }
  io.stdout(headers[scheme.signatureHeader!] + '\n');
  // The other signed headers, for a sender to copy; stdout holds only the signature.
  for (const [name, value] of Object.entries(headers)) if (name !== scheme.signatureHeader) io.stderr(`${name}: ${value}\n`);
  return 0;
}

function verify(args: string[], io: CommandIO): number {
  const values = parseSignatureArgs(args);
  const scheme = schemeOf(values);
  if (values.signature === undefined) throw new UsageError('--signature is required');
  const toleranceMs = values.tolerance === undefined ? DEFAULT_MS.receiverTolerance : parseDuration(values.tolerance);
  if (toleranceMs === undefined) throw new UsageError(`--tolerance must be a duration such as 5m or 0, not "${values.tolerance}"`);
  const headers: Record<string, string> = { [scheme.signatureHeader!]: values.signature };
  if (scheme.timestampHeader && values.timestamp !== undefined) headers[scheme.timestampHeader] = String(timestampOf(values));
  if (scheme.idHeader && values.id !== undefined) headers[scheme.idHeader] = values.id;
  const verdict = scheme.verify(payloadOf(values, io), headers, secretOf(values, io), { toleranceMs });
  if (verdict.ok) {
    io.stdout('valid\n');
    return 0;
  }
  const hint = verdict.reason === `missing header ${scheme.timestampHeader}` ? ' (give --timestamp)' : verdict.reason === `missing header ${scheme.idHeader}` ? ' (give --id)' : '';
  io.stderr(`invalid: ${verdict.reason}${hint}\n`);
  return 1;
}

async function listen(args: string[], io: CommandIO): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, { workspace: { type: 'string' } });
  if (positionals.length !== 1) throw new UsageError('usage: webhook listen <integration> [--workspace DIR]');
  const integration = findIntegration(loadWorkspace(io, { workspace: values.workspace }), positionals[0], 'webhook');
  const receivers = new WebhookReceivers();
  receivers.onDidReceive((event) => io.stdout(JSON.stringify(event) + '\n'));
  receivers.onDidReject((rejection) => io.stderr(`rejected ${rejection.status}${rejection.endpoint ? ` ${rejection.endpoint}` : ''}: ${rejection.reason}\n`));
  try {
    const { url } = await receivers.start(integration);
    io.stderr(`listening on ${url}/{${integration.endpoints.map((endpoint) => endpoint.name).join(',')}} (Ctrl+C to stop)\n`);
    await new Promise<void>((done) => (io.signal.aborted ? done() : io.signal.addEventListener('abort', () => done(), { once: true })));
    return 0;
  } catch (error) {
    if (!(error instanceof WebhookReceiverError)) throw error;
    io.stderr(`simone-integrations: ${error.message}\n`);
    return 1;
  } finally {
    await receivers.dispose();
  }
}

export const webhook: Command = async (args, io) => {
  const [action, ...rest] = args;
  switch (action) {
    case 'sign':
      return sign(rest, io);
    case 'verify':
      return verify(rest, io);
    case 'listen':
      return listen(rest, io);
    default:
      throw new UsageError(`webhook ${action ? `"${action}" ` : ''}needs sign, verify or listen`);
  }
};
