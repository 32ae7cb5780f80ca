/**
 * `npm run demo [-- --serve] [--editor] [--fresh] [--no-broker] [--workspace DIR]`: the product end to
 * end on examples/ with live local services. See docs/demo.md.
 */
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { prepareCodeServer, startCodeServer, type CodeServer } from '../../test/support/codeServer';
import { runDemo } from './demo';

const USAGE = `usage: npm run demo [-- [--serve] [--editor] [--fresh] [--no-broker] [--workspace DIR]]

  --serve          keep the services (and the broker) running after the transcript, until Ctrl+C
  --editor         as --serve, on a copy of the workspace, plus a real VS Code (code-server) with the built
                   extension installed on that copy: prints the URL to open in a browser
  --fresh          remove the workspace's PGlite data first, so the sync starts from nothing
  --no-broker      start no RabbitMQ: the queue steps are reported as skipped (faster)
  --workspace DIR  the example workspace to run on (default: examples/)
`;

function options() {
  try {
    const { values } = parseArgs({ options: { serve: { type: 'boolean' }, editor: { type: 'boolean' }, fresh: { type: 'boolean' }, 'no-broker': { type: 'boolean' }, workspace: { type: 'string' }, help: { type: 'boolean', short: 'h' } }, strict: true, allowPositionals: false });
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
  const original = resolve(values.workspace ?? resolve(__dirname, '..', '..', 'examples'));
  if (!existsSync(original)) {
    process.stderr.write(`demo: no folder ${original}\n`);
    return 2;
  }
  // The editor gets a copy: what the user edits or syncs there leaves examples/ as it is.
  const copy = values.editor ? join(mkdtempSync(join(tmpdir(), 'simone-demo-editor-')), 'examples') : undefined;
  if (copy) cpSync(original, copy, { recursive: true, filter: (source) => !source.startsWith(join(original, '.simone', 'data')) });
  const workspace = copy ?? original;
  const serve = values.serve || values.editor;

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
  let editor: CodeServer | undefined;
  if (serve && !interrupted && run.transcript.results.some((result) => result.step === 'services' && result.outcome === 'ok')) {
    run.transcript.line();
    if (values.editor) {
      run.transcript.line('Starting VS Code (code-server 4.96.4, prepared once into ~/.cache/simone-code-server) with the built extension...');
      try {
        editor = await startCodeServer({ codeServerFolder: await prepareCodeServer(), workspace });
        run.transcript.line(`Open ${editor.url} in a browser: the Simone view, live health, Test Endpoint, Run Sync, the Testing view. Serving until Ctrl+C.`);
      } catch (error) {
        run.transcript.line(`VS Code did not start: ${(error as Error).message}`);
      }
    } else run.transcript.line(`Serving until Ctrl+C: open ${workspace} in VS Code to watch live health, or run the commands above yourself.`);
    if (!controller.signal.aborted && (editor || !values.editor)) await new Promise((resolve) => controller.signal.addEventListener('abort', resolve, { once: true }));
  }
  await editor?.stop();
  if (copy) rmSync(join(copy, '..'), { recursive: true, force: true });
  process.stdout.write('\nStopping the services' + (run.transcript.results.some((result) => result.step === 'broker' && result.outcome === 'ok') ? ' and the broker' : '') + '...\n');
  await run.stop();
  process.stdout.write('Stopped.\n');
  return interrupted && !serve ? 130 : run.failed ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    process.stderr.write(`demo: ${error.message}\n`);
    process.exit(1);
  },
);
