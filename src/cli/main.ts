import { Redactor } from '../core/redactor';
import { WorkspaceLoadError } from '../core/workspace';
import { displayPath } from './displayPath';
import { UsageError, type CliIO, type Command, type CommandIO } from './usage';

/** Each command lives in its own file and loads only when called. */
const COMMANDS: Record<string, { summary: string; load: () => Promise<Command> }> = {
  validate: { summary: 'validate [PATH...] [--format text|json|github] [--workspace DIR]', load: async () => (await import('./commands/validate')).validate },
  test: { summary: 'test <integration>[.<endpoint>] [--param k=v]... [--format text|json] [--workspace DIR]', load: async () => (await import('./commands/test')).test },
  health: { summary: 'health [PATH] [--format text|json] [--workspace DIR]', load: async () => (await import('./commands/health')).health },
  webhook: { summary: 'webhook sign|verify|listen ...', load: async () => (await import('./commands/webhook')).webhook },
  queue: { summary: 'queue publish|peek <integration> <queue> ...', load: async () => (await import('./commands/queue')).queue },
  sync: { summary: 'sync <integration> [--table SOURCE] [--dry-run] [--format text|json] [--workspace DIR]', load: async () => (await import('./commands/sync')).sync },
  events: { summary: 'events [--since ID] | events scan | events replay <aggregate> | events dispatch [--dry-run]  [--format text|json] [--workspace DIR]', load: async () => (await import('./commands/events')).events },
  watch: { summary: 'watch [--format text|json] [--workspace DIR]', load: async () => (await import('./commands/watch')).watch },
};

function usage(): string {
  return ['usage: simone-integrations <command> [options]', '', ...Object.values(COMMANDS).map((command) => `  ${command.summary}`)].join('\n');
}

/** The one place CLI output is masked: every value a command registers (its workspace's secrets, a `--secret`) in any form. */
function maskedIO(io: CliIO): CommandIO {
  const secrets = new Redactor();
  return { ...io, secrets, stdout: (text) => io.stdout(secrets.redact(text)), stderr: (text) => io.stderr(secrets.redact(text)) };
}

export async function main(argv: string[], cliIO: CliIO): Promise<number> {
  const [name, ...args] = argv;
  const io = maskedIO(cliIO);
  if (!name || name === '--help' || name === '-h') {
    io.stdout(usage() + '\n');
    return name ? 0 : 2;
  }
  const command = COMMANDS[name];
  try {
    if (!command) throw new UsageError(`unknown command "${name}" (try --help)`);
    return await (await command.load())(args, io);
  } catch (error) {
    if (error instanceof UsageError || error instanceof WorkspaceLoadError) {
      const message = error instanceof WorkspaceLoadError ? error.describe((path) => displayPath(path, io.cwd)) : error.message;
      io.stderr(`simone-integrations: ${message}\n`);
      return 2;
    }
    // Unexpected: said here, masked like the rest of the output, rather than by the caller.
    io.stderr(`simone-integrations: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}

if (require.main === module) {
  const controller = new AbortController();
  process.once('SIGINT', () => controller.abort());
  const io: CliIO = { stdout: (text) => process.stdout.write(text), stderr: (text) => process.stderr.write(text), cwd: process.cwd(), env: process.env, signal: controller.signal };
  // Once a command is done, nothing it left behind (an AMQP connect that cannot be cancelled, a kept-alive socket)
  // may hold the process: exit as soon as the output is written.
  const exit = (code: number) => process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
  void main(process.argv.slice(2), io).then(exit);
}
