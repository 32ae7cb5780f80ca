/**
 * `npm run demo [-- --serve] [--fresh] [--no-broker] [--workspace DIR]`: the product end to
 * end on examples/ with live local services. See docs/demo.md.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { runDemo } from './demo';

const USAGE = `usage: npm run demo [-- [--serve] [--fresh] [--no-broker] [--workspace DIR]]

  --serve          keep the services (and the broker) running after the transcript, until Ctrl+C
  --fresh          remove the workspace's PGlite data first, so the sync starts from nothing
  --no-broker      start no RabbitMQ: the queue steps are reported as skipped (faster)
  --workspace DIR  the example workspace to run on (default: examples/)
`;

function options() {
  try {
    const { values } = parseArgs({ options: { serve: { type: 'boolean' }, fresh: { type: 'boolean' }, 'no-broker': { type: 'boolean' }, workspace: { type: 'string' }, help: { type: 'boolean', short: 'h' } }, strict: true, allowPositionals: false });
    return values;
  } catch (error) {
    process.stderr.write(`demo: ${(error as Error).message}\n\n${USAGE}`);
    process.exit(2);
  }
}

async function main(): Promise<number> {
  const values = options();
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const workspace = resolve(values.workspace ?? resolve(__dirname, '..', '..', 'examples'));
  if (!existsSync(workspace)) {
    process.stderr.write(`demo: no folder ${workspace}\n`);
    return 2;
  }

  const controller = new AbortController();
  let interrupted = false;
  const interrupt = () => {
    // A second Ctrl+C does not wait: the broker's process group is killed on exit.
    if (interrupted) process.exit(130);
    interrupted = true;
    controller.abort();
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, interrupt);

  const run = await runDemo({ workspace, fresh: values.fresh ?? false, noBroker: values['no-broker'] ?? false }, (text) => process.stdout.write(text), controller.signal);
  if (values.serve && !interrupted && run.transcript.results.some((result) => result.step === 'services' && result.outcome === 'ok')) {
    run.transcript.line();
    run.transcript.line(`Serving until Ctrl+C: open ${workspace} in VS Code to watch live health, or run the commands above yourself.`);
    if (!controller.signal.aborted) await new Promise((resolve) => controller.signal.addEventListener('abort', resolve, { once: true }));
  }
  process.stdout.write('\nStopping the services' + (run.transcript.results.some((result) => result.step === 'broker' && result.outcome === 'ok') ? ' and the broker' : '') + '...\n');
  await run.stop();
  process.stdout.write('Stopped.\n');
  return interrupted && !values.serve ? 130 : run.failed ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    process.stderr.write(`demo: ${error.message}\n`);
    process.exit(1);
  },
);
