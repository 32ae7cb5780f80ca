import { basename } from 'node:path';
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
 * reported as skipped and only the URL delivery counts.
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
  if (skipped || !queued) return;
  await transcript.step('event in queue', async () => {
    const peeked = await cli.run(['queue', 'peek', plan.integrations.taskQueue.name, queued.destination, '--workspace', workspaceArg]);
    const found = peeked.code === 0 && peeked.stdout.includes(cloudEventType(EVENT));
    return found ? { outcome: 'ok', detail: `the CloudEvent waits in ${queued.destination} for its consumers` } : { outcome: 'failed', detail: `no ${EVENT} event at the head of ${queued.destination}` };
  });
}
