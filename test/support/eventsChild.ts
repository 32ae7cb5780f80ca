// The event store in a process of its own, for the tests that kill it or race two of them:
//   append <store folder> <count> <aggregate>   appends <count> events at once (each its own append), prints {"appended"}
//   scan <workspace folder>                     scans, prints {"events"}, then waits to be killed (before any send)
//   dispatch <workspace folder>                 dispatches, printing {"started"} first (the test kills it mid-send)
//   paced <store folder> <count> <aggregate>    prints {"ready"}, waits for a line on stdin, then appends <count>
//                                               events one after another and prints {"appended", "ms"} (the bench)
import { Workspace } from '../../src/core/workspace';
import { EngineServices } from '../../src/runners/engineServices';
import { EventPipeline } from '../../src/runners/events/eventPipeline';
import { EventStore } from '../../src/runners/events/eventStore';
import { once } from 'node:events';
import { createInterface } from 'node:readline';

const [mode, folder, ...rest] = process.argv.slice(2);
const say = (value: unknown) => process.stdout.write(`${JSON.stringify(value)}\n`);
const hang = () => setInterval(() => undefined, 60_000);

async function run(): Promise<void> {
  if (mode === 'append' || mode === 'paced') {
    const [count, aggregate] = rest;
    const store = new EventStore(folder);
    const data = { kind: 'task' as const, id: aggregate, done: false, file: `.simone/04_GENERAL_TASKS/${aggregate}.md`, title: `written by ${process.pid}` };
    const append = () => store.append([{ type: 'task_created', aggregate, data, destinations: [] }]);
    if (mode === 'append') {
      say({ appended: (await Promise.all(Array.from({ length: Number(count) }, append))).length });
      return;
    }
    say({ ready: true });
    await once(createInterface({ input: process.stdin }), 'line');
    const start = performance.now();
    for (let index = 0; index < Number(count); index++) await append();
    say({ appended: Number(count), ms: performance.now() - start });
    process.exit(0);
  }
  const workspace = Workspace.load({ workspace: folder, processEnv: process.env });
  const services = new EngineServices();
  const pipeline = new EventPipeline({ folder, workspace: () => workspace, services });
  if (mode === 'scan') {
    const scanned = await pipeline.scan();
    say({ events: scanned.events.map((event) => event.id) });
    hang();
    return;
  }
  say({ started: true });
  say(await pipeline.dispatch());
  await services.dispose();
}

void run();
