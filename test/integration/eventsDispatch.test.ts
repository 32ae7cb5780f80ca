import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { connect, type Channel, type ChannelModel } from 'amqplib';
import { Workspace } from '../../src/core/workspace';
import { EngineServices } from '../../src/runners/engineServices';
import { EventPipeline } from '../../src/runners/events/eventPipeline';
import { startSubscribers, type HandlerOutcome } from '../../src/runners/events/subscribers';
import type { WebhookIntegration } from '../../src/core/model';
import { WebhookReceiver, type ReceivedWebhook } from '../../src/runners/webhook/webhookReceiver';
import { cli, edits, scanned, simoneProject } from '../support/eventsProject';
import { FlakyServer, ok } from '../support/flakyServer';
import { freePort, startRabbitMq, type RabbitMqBroker } from '../support/rabbitmq';
import type { TempWorkspace } from '../support/tempWorkspace';
import { until } from '../support/until';

const SECRET = 'whsec_c2VjcmV0LWZvci1ldmVudHMtdGVzdHM=';

/** A bus (its URL from AMQP_URL), event publishers (a queue and a CloudEvents URL) and a signed webhook endpoint whose receiver is `receiverPort`. */
function integrations(trackerUrl: string, receiverPort: number, prefix: string): Record<string, string> {
  return {
    bus: `integration:\n  type: message_queue\n  name: bus\n  connection_url: \${AMQP_URL}\n  timeout: 10s\n  queues:\n    - { name: ${prefix}_events }\n    - { name: ${prefix}_events.dead_letter }\n    - { name: ${prefix}_work }\n`,
    events: [
      'integration:\n  type: event_driven\n  name: project_events\n  timeout: 5s\n  retry: { max_attempts: 2, base_delay: 50ms, jitter: false }',
      '  publishers:',
      `    - { name: to_queue, events: [milestone_created, sprint_finished, task_completed, task_created], destination: ${prefix}_events }`,
      `    - { name: to_tracker, events: [task_completed], destination: "${trackerUrl}/api/events" }`,
      '  subscribers:',
      '    - { name: chat, events: [sprint_finished], handler: "webhook:hooks/ci" }',
      `    - { name: worker, events: [task_created], handler: "queue:${prefix}_work" }`,
      '    - { name: audit, events: [milestone_created], handler: log }',
      '    - { name: runner, events: [task_completed], handler: "command:demo.onTaskCompleted" }',
      '',
    ].join('\n'),
    hooks: `integration:\n  type: webhook\n  name: hooks\n  retry: { max_attempts: 2, base_delay: 50ms, jitter: false }\n  endpoints:\n    - { name: ci, url: "http://127.0.0.1:${receiverPort}/webhook/ci", events: [task_completed], secret: "\${CI_SECRET}", signature: standard }\n  receiver: { port: ${receiverPort} }\n`,
  };
}

let broker: RabbitMqBroker;
let admin: ChannelModel;
let channel: Channel;
let tracker: FlakyServer;

before(async () => {
  broker = await startRabbitMq();
  admin = await connect(broker.url);
  channel = await admin.createChannel();
  tracker = await FlakyServer.start();
});

after(async () => {
  await admin?.close();
  await broker?.stop();
  await tracker?.close();
});

/** The project, its receiver listening (verifying every signature) and what it received. */
async function setUp(prefix: string): Promise<{ workspace: TempWorkspace; env: NodeJS.ProcessEnv; received: ReceivedWebhook[]; rejected: string[]; receiver: WebhookReceiver }> {
  const port = await freePort();
  const workspace = simoneProject(integrations(tracker.url, port, prefix));
  const env = { AMQP_URL: broker.url, CI_SECRET: SECRET };
  const hooks = Workspace.load({ workspace: workspace.root, processEnv: env }).integration('hooks') as WebhookIntegration;
  const receiver = new WebhookReceiver(hooks);
  const received: ReceivedWebhook[] = [];
  const rejected: string[] = [];
  receiver.onDidReceive((delivery) => received.push(delivery));
  receiver.onDidReject((rejection) => rejected.push(rejection.reason));
  const listening = await receiver.start();
  assert.equal(listening.port, port);
  return { workspace, env, received, rejected, receiver };
}

/** Every message now in `queue`, taken off it. */
async function drain(queue: string): Promise<Array<{ body: Record<string, unknown>; messageId?: string; headers: Record<string, unknown> }>> {
  await channel.assertQueue(queue);
  const messages = [];
  for (let message = await channel.get(queue, { noAck: true }); message; message = await channel.get(queue, { noAck: true })) {
    messages.push({ body: JSON.parse(message.content.toString('utf8')), messageId: message.properties.messageId, headers: message.properties.headers ?? {} });
  }
  return messages;
}

describe('events dispatch through the CLI, to a real RabbitMQ queue, a CloudEvents URL and a signed webhook', { timeout: 120_000 }, () => {
  let setup: Awaited<ReturnType<typeof setUp>>;
  before(async () => {
    setup = await setUp('cli');
  });
  after(async () => {
    await setup?.receiver.stop();
    setup?.workspace.dispose();
  });

  it('sends each event to every destination listing it, once; the receiver verifies the signature', async () => {
    const { workspace, env, received, rejected } = setup;
    tracker.respond(ok());
    await scanned(workspace, env);
    edits.newMilestone(workspace);
    edits.sprintCompleted(workspace);
    edits.taskDoneAndRenamed(workspace);
    const events = await scanned(workspace, env);
    assert.deepEqual(events, [['milestone_created', 'M02', 1], ['sprint_finished', 'S01', 1], ['task_completed', 'T01_S01', 1]]);
    const listed = JSON.parse((await cli(workspace, env, 'events', '--format', 'json')).stdout).events as Array<{ id: string; type: string }>;

    const dry = await cli(workspace, env, 'events', 'dispatch', '--dry-run', '--format', 'json');
    assert.equal(dry.code, 0, dry.stderr);
    assert.equal(JSON.parse(dry.stdout).deliveries.length, 5);
    assert.equal((await drain('cli_events')).length, 0, 'a dry run sends nothing');

    const sent = await cli(workspace, env, 'events', 'dispatch', '--format', 'json');
    assert.equal(sent.code, 0, sent.stdout + sent.stderr);
    const result = JSON.parse(sent.stdout);
    assert.deepEqual(result.deliveries.map((delivery: { type: string; destination: string; state: string }) => [delivery.type, delivery.destination, delivery.state]), [
      ['milestone_created', 'event_driven:project_events/to_queue', 'delivered'],
      ['sprint_finished', 'event_driven:project_events/to_queue', 'delivered'],
      ['task_completed', 'event_driven:project_events/to_queue', 'delivered'],
      ['task_completed', 'event_driven:project_events/to_tracker', 'delivered'],
      ['task_completed', 'webhook:hooks/ci', 'delivered'],
    ]);

    const queued = await drain('cli_events');
    assert.deepEqual(queued.map((message) => [message.body.type, message.body.id, message.messageId]), listed.map((event) => [`simone.${event.type}`, event.id, event.id]));
    assert.equal((queued[2].body.data as { status: string }).status, 'done');
    assert.deepEqual(tracker.requests.map((request) => [request.headers['content-type'], JSON.parse(request.body).id]), [['application/cloudevents+json', listed[2].id]]);
    await until(() => received.length === 1, 'the webhook');
    assert.deepEqual(rejected, []);
    assert.equal(received[0].headers['webhook-id'], listed[2].id, 'the webhook id is the event id: a receiver can drop a resend');
    assert.equal((received[0].body as { type: string }).type, 'task_completed');

    const again = await cli(workspace, env, 'events', 'dispatch');
    assert.equal(again.code, 0);
    assert.match(again.stdout, /nothing to send/);
    assert.equal((await drain('cli_events')).length, 0);
    assert.equal(tracker.requests.length, 1);
    assert.equal(received.length, 1);
  });

  it('a failing destination stays pending and visible, blocks no other, and is sent on the next dispatch', async () => {
    const { workspace, env, received } = setup;
    tracker.respond({ status: 503 });
    workspace.write('.simone/04_GENERAL_TASKS/T001_Readme.md', '---\ntask_id: T001\ntitle: Readme\nstatus: done\n---\n');
    assert.deepEqual(await scanned(workspace, env), [['task_completed', 'T001', 1]]);
    const failed = await cli(workspace, env, 'events', 'dispatch');
    assert.equal(failed.code, 1);
    assert.match(failed.stdout, /task_completed T001 v1 -> event_driven:project_events\/to_tracker: FAILED, stays pending: .*503/);
    assert.match(failed.stdout, /task_completed T001 v1 -> webhook:hooks\/ci: delivered/);
    assert.match(failed.stdout, /task_completed T001 v1 -> event_driven:project_events\/to_queue: delivered/);
    assert.equal(tracker.requests.length, 2, 'tried with the retry policy: 2 attempts');

    const pending = await cli(workspace, env, 'events', 'dispatch', '--dry-run', '--format', 'json');
    assert.deepEqual(JSON.parse(pending.stdout).deliveries.map((delivery: { destination: string; state: string }) => [delivery.destination, delivery.state]), [['event_driven:project_events/to_tracker', 'failed']]);

    tracker.respond(ok());
    const retried = await cli(workspace, env, 'events', 'dispatch', '--format', 'json');
    assert.equal(retried.code, 0, retried.stdout);
    assert.deepEqual(JSON.parse(retried.stdout).deliveries.map((delivery: { destination: string; state: string }) => [delivery.destination, delivery.state]), [['event_driven:project_events/to_tracker', 'delivered']]);
    assert.equal(tracker.requests.length, 1);
    assert.equal((await drain('cli_events')).length, 1, 'the queue got it once, on the first dispatch');
    assert.equal(received.length, 2);
  });
});

describe('resend (the editor): chosen events, optionally to chosen destinations, whatever their state', { timeout: 120_000 }, () => {
  it('sends a delivered event again to one destination only, with the same id', async () => {
    const setup = await setUp('resend');
    const services = new EngineServices({ queues: { reconnect: false } });
    const workspace = Workspace.load({ workspace: setup.workspace.root, processEnv: setup.env });
    const pipeline = new EventPipeline({ folder: setup.workspace.root, workspace: () => workspace, services });
    try {
      tracker.respond(ok());
      await pipeline.scan();
      edits.taskDoneAndRenamed(setup.workspace);
      const [event] = (await pipeline.scan()).events;
      assert.equal((await pipeline.dispatch()).ok, true);
      assert.equal(tracker.requests.length, 1);
      const resent = await pipeline.dispatch({ eventIds: [event.id], destinations: ['event_driven:project_events/to_tracker'] });
      assert.deepEqual(resent.deliveries.map((delivery) => [delivery.destination, delivery.state]), [['event_driven:project_events/to_tracker', 'delivered']]);
      assert.deepEqual(tracker.requests.map((request) => JSON.parse(request.body).id), [event.id, event.id]);
      assert.equal((await drain('resend_events')).length, 1, 'the queue got it once, from the first dispatch');
      const [recent] = await pipeline.recent(1);
      assert.deepEqual(recent.deliveries.map((delivery) => [delivery.destination, delivery.state, delivery.attempts]), [
        ['event_driven:project_events/to_queue', 'delivered', 1],
        ['event_driven:project_events/to_tracker', 'delivered', 2],
        ['webhook:hooks/ci', 'delivered', 1],
      ]);
      const unknown = await pipeline.dispatch({ eventIds: ['nope'] });
      assert.equal(unknown.ok, false);
      assert.match(unknown.error!.message, /no event "nope" in the store/);
    } finally {
      pipeline.dispose();
      await services.dispose();
      await setup.receiver.stop();
      setup.workspace.dispose();
    }
  });
});

describe('subscribers on a real queue: handlers run, then the message is acknowledged; a failing handler dead-letters', { timeout: 120_000 }, () => {
  let setup: Awaited<ReturnType<typeof setUp>>;
  let services: EngineServices;
  let pipeline: EventPipeline;
  before(async () => {
    setup = await setUp('sub');
    services = new EngineServices();
    const workspace = Workspace.load({ workspace: setup.workspace.root, processEnv: setup.env });
    pipeline = new EventPipeline({ folder: setup.workspace.root, workspace: () => workspace, services });
    await pipeline.scan();
  });
  after(async () => {
    pipeline?.dispose();
    await services?.dispose();
    await setup?.receiver.stop();
    setup?.workspace.dispose();
  });

  const start = (onCommand?: () => Promise<void>) => {
    const workspace = Workspace.load({ workspace: setup.workspace.root, processEnv: setup.env });
    const lines: string[] = [];
    const outcomes: HandlerOutcome[] = [];
    const commands: Array<[string, string]> = [];
    const running = startSubscribers({
      folder: setup.workspace.root, workspace: () => workspace, services, log: (line) => lines.push(line), retryDelayMs: () => 10,
      onCommand: onCommand && (async (command, event) => {
        commands.push([command, event.id]);
        await onCommand();
      }),
    });
    running.onDidHandle((outcome) => outcomes.push(outcome));
    return { running, lines, outcomes, commands };
  };

  it('runs the webhook, queue, log and command handlers for the events they list, and acks', async () => {
    const { running, lines, outcomes, commands } = start(async () => undefined);
    try {
      assert.deepEqual(running.queues, [{ integration: 'bus', queue: 'sub_events' }]);
      assert.deepEqual(running.skipped, []);
      edits.newMilestone(setup.workspace);
      edits.sprintCompleted(setup.workspace);
      edits.taskDoneAndRenamed(setup.workspace);
      setup.workspace.write('.simone/04_GENERAL_TASKS/T002_New.md', '---\ntask_id: T002\nstatus: open\n---\n');
      const scan = await pipeline.scan();
      // Stable order: milestones, sprints, then tasks by id (T002 before T01_S01).
      assert.deepEqual(scan.events.map((event) => [event.type, event.aggregate]), [['milestone_created', 'M02'], ['sprint_finished', 'S01'], ['task_created', 'T002'], ['task_completed', 'T01_S01']]);
      assert.equal((await pipeline.dispatch()).ok, true);
      await until(() => outcomes.length === 4, 'four handlers');
      // Messages are handled `prefetch` at a time, so outcomes come in any order.
      assert.deepEqual(outcomes.map((outcome) => [outcome.subscriber, outcome.type, outcome.ok]).sort(), [
        ['project_events/audit', 'milestone_created', true],
        ['project_events/chat', 'sprint_finished', true],
        ['project_events/runner', 'task_completed', true],
        ['project_events/worker', 'task_created', true],
      ]);
      assert.equal(lines.length, 1);
      assert.match(lines[0], /^project_events\/audit: simone\.milestone_created /);
      assert.deepEqual(commands, [['demo.onTaskCompleted', scan.events[3].id]]);
      // The chat webhook was sent by the subscriber (sprint_finished); the ci endpoint also lists task_completed (dispatch).
      await until(() => setup.received.length === 2, 'two webhooks');
      assert.deepEqual(setup.received.map((delivery) => (delivery.body as { type: string }).type).sort(), ['sprint_finished', 'task_completed']);
      const work = await drain('sub_work');
      assert.deepEqual(work.map((message) => [message.body.type, message.body.id]), [['simone.task_created', scan.events[2].id]]);
      const depth = await channel.checkQueue('sub_events');
      assert.equal(depth.messageCount, 0, 'every message acknowledged');
    } finally {
      await running.dispose();
    }
    assert.equal((await channel.checkQueue('sub_events')).consumerCount, 0, 'stopped on dispose');
  });

  it('a handler failing after its retries sends the message to <queue>.dead_letter, with the reason', async () => {
    const { running, outcomes, commands } = start(async () => {
      throw new Error('the command failed');
    });
    try {
      setup.workspace.write('.simone/04_GENERAL_TASKS/T002_New.md', '---\ntask_id: T002\nstatus: done\n---\n');
      const scan = await pipeline.scan();
      assert.deepEqual(scan.events.map((event) => event.type), ['task_completed']);
      await pipeline.dispatch();
      await until(() => outcomes.length === 1, 'the failed handler');
      assert.equal(outcomes[0].ok, false);
      assert.equal(outcomes[0].deadLettered, true);
      assert.equal(outcomes[0].attempts, 2, 'the integration retry policy: 2 attempts');
      assert.equal(commands.length, 2);
      const dead = await drain('sub_events.dead_letter');
      assert.equal(dead.length, 1);
      assert.equal(dead[0].body.id, scan.events[0].id);
      assert.match(String(dead[0].headers['x-simone-dead-letter-reason']), /project_events\/runner: the command failed/);
      assert.equal(dead[0].headers['x-simone-original-queue'], 'sub_events');
      assert.equal((await channel.checkQueue('sub_events')).messageCount, 0);
    } finally {
      await running.dispose();
    }
  });

  it('without a command handler (the CLI) command: subscribers are skipped and the message is still acknowledged', async () => {
    const { running, outcomes } = start();
    try {
      assert.deepEqual(running.skipped.map((skipped) => [skipped.subscriber, skipped.reason]), [['project_events/runner', 'command: handlers run only in the editor']]);
      setup.workspace.write('.simone/04_GENERAL_TASKS/T003_Other.md', '---\ntask_id: T003\nstatus: done\n---\n');
      assert.deepEqual((await pipeline.scan()).events.map((event) => event.type), ['task_created', 'task_completed']);
      await pipeline.dispatch();
      await until(() => outcomes.length === 2, 'the worker and the skipped runner');
      const runner = outcomes.find((outcome) => outcome.subscriber === 'project_events/runner');
      assert.equal(runner?.skipped, 'command: handlers run only in the editor');
      assert.equal((await drain('sub_events.dead_letter')).length, 0);
    } finally {
      await running.dispose();
    }
    assert.equal((await channel.checkQueue('sub_events')).messageCount, 0);
  });
});
