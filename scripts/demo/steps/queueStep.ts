import { brokerSkipped, type DemoContext } from './demoContext';

const TASK = { task_id: 'T01_S03', action: 'run_tests', requested_by: 'npm run demo' };

/** `queue publish` (confirmed by the broker) then `queue peek` (the message is there, left in place). */
export async function queueStep(context: DemoContext): Promise<void> {
  const { transcript, cli, workspaceArg, plan } = context;
  const integration = plan.integrations.taskQueue;
  const queue = integration.queues.find((candidate) => candidate.name === 'task_processing') ?? integration.queues[0];
  transcript.section(`Publish and peek a message (${integration.name})`);
  const skipped = brokerSkipped(context);
  if (skipped) {
    await transcript.step('queue publish/peek', async () => ({ outcome: 'skipped', detail: skipped }));
    return;
  }
  await transcript.step('queue publish/peek', async () => {
    const published = await cli.run(['queue', 'publish', integration.name, queue.name, '--workspace', workspaceArg, '--message', JSON.stringify(TASK)]);
    if (published.code !== 0) return { outcome: 'failed', detail: 'publish was not confirmed' };
    const peeked = await cli.run(['queue', 'peek', integration.name, queue.name, '--workspace', workspaceArg]);
    if (peeked.code !== 0 || !peeked.stdout.includes(TASK.task_id)) return { outcome: 'failed', detail: `the message is not at the head of ${queue.name}` };
    return { outcome: 'ok', detail: `published to ${queue.name} with a publisher confirm, peeked it back` };
  });
}
