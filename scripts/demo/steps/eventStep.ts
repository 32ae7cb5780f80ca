import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, relative } from 'node:path';
import { readSimoneProject } from '../../../src/core/simone/readProject';
import { createAuthProvider } from '../../../src/runners/auth/authProviders';
import { cloudEventType } from '../../../src/runners/events/cloudEvent';
import { publishEvent } from '../../../src/runners/events/publishEvent';
import { QueueConnectionPool } from '../../../src/runners/queue/queueConnectionPool';
import { brokerSkipped, type DemoContext } from './demoContext';

const EVENT = 'task_completed';
const DATA = { task_id: 'T02_S02', title: 'Validate Command', status: 'done' };

/**
 * A Simone event through project_events: one CloudEvent to every publisher
 * that lists it (a queue of task_queue, the tracker's events URL). Then the
 * queue copy is peeked with the CLI. Without a broker the queue delivery is
 * reported as skipped and only the URL delivery counts. Then the same event
 * the way a project makes it: a task marked done in a copy of the workspace,
 * `events scan` and `events dispatch` through the event store.
 */
export async function eventStep(context: DemoContext): Promise<void> {
  const { transcript, cli, workspaceArg, plan, workspace } = context;
  const integration = plan.integrations.events;
  transcript.section(`Publish the Simone event ${EVENT} (${integration.name})`);
  const skipped = brokerSkipped(context);
  const pool = new QueueConnectionPool({ reconnect: false });
  try {
    await transcript.step('event publish', async () => {
      transcript.line(`engine: publishEvent(${integration.name}, ${EVENT}, ${JSON.stringify(DATA)})`);
      const result = await publishEvent(integration, EVENT, DATA, {
        workspace: basename(workspace.folders[0]),
        integrations: workspace.integrations(),
        queues: pool,
        auth: integration.auth && createAuthProvider(integration.auth),
        signal: context.signal,
      });
      transcript.output(`CloudEvent ${result.event.type} id ${result.event.id} source ${result.event.source}`);
      const failed: string[] = [];
      for (const delivery of result.deliveries) {
        const where = delivery.kind === 'queue' ? `queue ${delivery.queue} of ${delivery.integration}` : delivery.destination;
        const brokerless = !delivery.ok && delivery.kind === 'queue' && skipped;
        transcript.output(`${delivery.publisher} -> ${where}: ${delivery.ok ? `delivered in ${Math.round(delivery.durationMs)} ms` : brokerless ? 'skipped (no broker)' : `FAILED: ${delivery.error?.message}`}`);
        if (!delivery.ok && !brokerless) failed.push(delivery.publisher);
      }
      if (!result.deliveries.length) return { outcome: 'failed', detail: `no publisher of ${integration.name} lists ${EVENT}` };
      if (failed.length) return { outcome: 'failed', detail: `not delivered by ${failed.join(', ')}` };
      const delivered = result.deliveries.filter((delivery) => delivery.ok).length;
      return { outcome: 'ok', detail: `${result.event.type} delivered to ${delivered} of ${result.deliveries.length} destinations${skipped ? ' (queue skipped: no broker)' : ''}` };
    });
  } finally {
    await pool.close();
  }

  const queued = integration.publishers.find((publisher) => publisher.events.includes(EVENT) && !/^https?:/.test(publisher.destination));
  if (!skipped && queued) {
    await transcript.step('event in queue', async () => {
      const peeked = await cli.run(['queue', 'peek', plan.integrations.taskQueue.name, queued.destination, '--workspace', workspaceArg]);
      const found = peeked.code === 0 && peeked.stdout.includes(cloudEventType(EVENT));
      return found ? { outcome: 'ok', detail: `the CloudEvent waits in ${queued.destination} for its consumers` } : { outcome: 'failed', detail: `no ${EVENT} event at the head of ${queued.destination}` };
    });
  }
  await projectEventStep(context);
}

/** A task marked done in a copy of the workspace (the example stays as it is), scanned and dispatched through the event store. */
async function projectEventStep(context: DemoContext): Promise<void> {
  const { transcript, cli, workspace } = context;
  const source = workspace.folders[0];
  transcript.section('Project events: a task marked done, scanned and dispatched through the event store');
  const copy = mkdtempSync(join(tmpdir(), 'simone-demo-events-'));
  try {
    cpSync(source, copy, { recursive: true, filter: (path) => !['.simone/data', '.simone/events', 'broken'].includes(relative(source, path)) });
    await transcript.step('events scan + dispatch', async () => {
      await cli.run(['events', 'scan', '--workspace', copy]);
      const task = readSimoneProject(join(copy, '.simone')).tasks.find((candidate) => !candidate.done && candidate.status !== 'done');
      if (!task) return { outcome: 'failed', detail: 'no open task in the project to mark done' };
      writeFileSync(task.filePath, readFileSync(task.filePath, 'utf8').replace(/^status:.*$/m, 'status: done'));
      transcript.line(`marked ${task.id} done (${relative(copy, task.filePath)})`);
      const scanned = await cli.run(['events', 'scan', '--workspace', copy]);
      if (scanned.code !== 0 || !scanned.stdout.includes(`${EVENT} ${task.id}`)) return { outcome: 'failed', detail: `events scan did not derive ${EVENT} ${task.id}` };
      const sent = await cli.run(['events', 'dispatch', '--workspace', copy]);
      const lines = sent.stdout.split('\n').filter((line) => line.includes(' -> '));
      // Without a broker the queue destination cannot be reached: it stays pending, as it would for a user.
      const failed = lines.filter((line) => !line.includes(': delivered') && !(brokerSkipped(context) && line.includes('FAILED') && /broker/.test(line)));
      if (!lines.length || failed.length) return { outcome: 'failed', detail: failed[0] ?? 'nothing was dispatched' };
      const delivered = lines.filter((line) => line.includes(': delivered')).length;
      return { outcome: 'ok', detail: `${EVENT} ${task.id} from the project, delivered to ${delivered} of ${lines.length} destinations${delivered < lines.length ? ' (the queue stays pending: no broker)' : ''}` };
    });
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
}
