/**
 * The editor's event glue over the real engine, without VS Code: the engine bundle's per-folder pipelines driven by
 * the project events loop (scan after a change, dispatch `on`), a real RabbitMQ broker carrying the events to the
 * subscribers, and a `command:` subscriber run through the handler the editor passes in (VS Code's
 * `executeCommand` in the extension). The Events view's model is filled from what the pipeline reports.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { connect } from 'amqplib';
import { createEditorEngine, type EditorEngine } from '../../src/extension/engine/editorEngine';
import type { AutomationReports } from '../../src/extension/engine/eventAutomation';
import { EventsTreeModel } from '../../src/extension/events/eventsTreeModel';
import { ProjectEventsLoop } from '../../src/extension/events/projectEventsLoop';
import type { HandlerOutcome } from '../../src/runners/events/subscribers';
import type { CloudEvent } from '../../src/runners/events/cloudEvent';
import { edits, simoneProject } from '../support/eventsProject';
import { startRabbitMq, type RabbitMqBroker } from '../support/rabbitmq';
import type { TempWorkspace } from '../support/tempWorkspace';
import { until } from '../support/until';

const SETTINGS = { healthIntervalMs: 60_000, healthTimeoutMs: 5_000, healthConcurrency: 2 };

function integrations(brokerUrl: string): Record<string, string> {
  return {
    bus: `integration:
  type: message_queue
  name: event_bus
  connection_url: "${brokerUrl}"
  timeout: 10s
  queues:
    - { name: simone_events, exchange: simone, exchange_type: topic, routing_key: "simone.#" }
`,
    events: `integration:
  type: event_driven
  name: project_events
  timeout: 5s
  retry: { max_attempts: 2, base_delay: 20ms, max_delay: 50ms }
  publishers:
    - { name: to_queue, events: [task_completed], destination: simone_events }
  subscribers:
    - { name: editor_command, events: [task_completed], handler: "command:simone.e2e.taskDone" }
`,
  };
}

describe('Simone events in the editor engine (real RabbitMQ)', { timeout: 180_000 }, () => {
  let broker: RabbitMqBroker;
  let workspace: TempWorkspace;
  let engine: EditorEngine;
  const commands: Array<{ command: string; event: CloudEvent }> = [];
  const handled: HandlerOutcome[] = [];
  const logs: string[] = [];
  const reports: AutomationReports = {
    log: (line) => logs.push(line),
    handled: (_folder, outcome) => handled.push(outcome),
    synced: () => undefined,
    skipped: (_folder, skipped) => logs.push(...skipped.map((entry) => `skipped ${entry.subscriber}: ${entry.reason}`)),
  };

  before(async () => {
    broker = await startRabbitMq();
    workspace = simoneProject(integrations(broker.url));
    engine = createEditorEngine({ folders: [workspace.root], trusted: true, settings: SETTINGS, processEnv: {} });
  });

  after(async () => {
    await engine?.dispose();
    workspace?.dispose();
    await broker?.stop();
  });

  it('a task marked done is scanned once, published to the queue, and runs the command: subscriber with its CloudEvent; the view model shows it delivered', async () => {
    await engine.events.configureAutomation({ subscribers: { onCommand: async (command, event) => void commands.push({ command, event }) }, syncSchedule: false }, reports);
    const loop = new ProjectEventsLoop({
      pipeline: (folder) => engine.events.pipeline(folder),
      mode: () => 'on',
      ask: async () => undefined,
      sendAlways: async () => undefined,
      log: (_level, message) => logs.push(message),
    });
    await loop.opened(workspace.root);
    assert.deepEqual(await engine.events.pipeline(workspace.root)!.recent(), [], 'the first scan records the baseline only');

    const deliveries: string[] = [];
    const listener = engine.events.onDidChange((change) => change.reason === 'delivery' && deliveries.push(...change.eventIds));
    edits.taskDoneAndRenamed(workspace);
    const found = await loop.scan(workspace.root);
    assert.deepEqual(found.map((event) => [event.type, event.aggregate]), [['task_completed', 'T01_S01']]);
    assert.deepEqual(await loop.scan(workspace.root), [], 'scanned again: nothing new');

    await until(() => commands.length > 0, () => `the command: subscriber ran (logs: ${logs.join(' | ')})`, 30_000);
    assert.equal(commands.length, 1);
    assert.equal(commands[0].command, 'simone.e2e.taskDone');
    assert.equal(commands[0].event.id, found[0].id, 'the CloudEvent of the stored event');
    assert.equal((commands[0].event.data as { id?: string }).id, 'T01_S01');
    await until(() => handled.length > 0, 'the subscriber outcome');
    assert.deepEqual(handled.map((outcome) => [outcome.subscriber, outcome.ok]), [['project_events/editor_command', true]]);

    // The dispatch goes on beside the scans: its record comes with the pipeline's change event.
    await until(() => deliveries.includes(found[0].id), 'the delivery recorded');
    listener.dispose();
    const model = new EventsTreeModel((iso) => iso);
    model.setFolders([workspace.root]);
    model.setEvents(workspace.root, await engine.events.pipeline(workspace.root)!.recent());
    const [row] = model.roots();
    assert.equal(row.label, 'task_completed');
    assert.match(row.description ?? '', /^T01_S01 · .* · delivered$/);
    assert.deepEqual(model.children(row.id).map((delivery) => [delivery.label, delivery.description]), [['project_events/to_queue', 'event_driven · delivered after 1 attempt']]);
    assert.equal(row.target?.file, '.simone/03_SPRINTS/S01_M01_Basics/TX01_S01_First.md');
    loop.dispose();
  });

  it('opens no pipeline and starts nothing in an untrusted workspace', async () => {
    const untrusted = createEditorEngine({ folders: [workspace.root], trusted: false, settings: SETTINGS, processEnv: {} });
    try {
      assert.equal(untrusted.events.pipeline(workspace.root), undefined);
      await untrusted.events.configureAutomation({ subscribers: { onCommand: async () => undefined }, syncSchedule: true }, reports);
      const connection = await connect(broker.url);
      try {
        const channel = await connection.createChannel();
        assert.equal((await channel.checkQueue('simone_events')).consumerCount, 1, "the trusted engine's subscriber only");
      } finally {
        await connection.close();
      }
    } finally {
      await untrusted.dispose();
    }
    assert.equal(engine.events.pipeline('/not/a/workspace/folder'), undefined, 'only the workspace folders have a pipeline');
  });
});
