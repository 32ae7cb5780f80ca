import { rmSync } from 'node:fs';
import { relative } from 'node:path';
import { Workspace } from '../../src/core/workspace';
import { closeSharedAgent } from '../../src/runners/http/sharedAgent';
import { QueueConnection } from '../../src/runners/queue/queueConnection';
import { DemoCli } from './demoCli';
import { demoPlan, type DemoPlan } from './demoPlan';
import { startDemoBroker, type BrokerStart } from './services/demoBroker';
import { startServices, type RunningServices } from './services/demoServices';
import type { DemoContext, ReceivedDelivery } from './steps/demoContext';
import { discoveryStep } from './steps/discoveryStep';
import { eventStep } from './steps/eventStep';
import { gatewayStep } from './steps/gatewayStep';
import { healthStep } from './steps/healthStep';
import { queueStep } from './steps/queueStep';
import { syncStep } from './steps/syncStep';
import { testStep } from './steps/testStep';
import { validateStep } from './steps/validateStep';
import { webhookStep } from './steps/webhookStep';
import { Transcript } from './transcript';

export interface DemoOptions {
  /** The workspace folder, absolute. */
  workspace: string;
  /** Remove the PGlite data first, so the sync starts from nothing. */
  fresh: boolean;
  /** Start no broker: the queue steps are skipped (faster). */
  noBroker: boolean;
}

export interface DemoRun {
  failed: boolean;
  transcript: Transcript;
  /** Stops the services, the receiver and the broker; safe to call twice. */
  stop(): Promise<void>;
}

/** Deliveries the receiver printed (one JSON line each), handed to whoever waits for the next one. */
class ReceivedDeliveries {
  private waiters: Array<(delivery: ReceivedDelivery) => void> = [];

  accept(text: string): void {
    for (const line of text.split('\n').filter(Boolean)) {
      try {
        const delivery = JSON.parse(line) as ReceivedDelivery;
        this.waiters.shift()?.(delivery);
      } catch {
        // not a delivery line
      }
    }
  }

  next(timeoutMs: number): Promise<ReceivedDelivery | undefined> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((waiter) => waiter !== settle);
        resolve(undefined);
      }, timeoutMs);
      const settle = (delivery: ReceivedDelivery) => {
        clearTimeout(timer);
        resolve(delivery);
      };
      this.waiters.push(settle);
    });
  }
}

/**
 * The whole demo: local services where examples/ expects them, then the
 * product's commands over them, each a timed step of the transcript. Steps
 * that need the broker wait for it; it boots while the sync runs.
 */
export async function runDemo(options: DemoOptions, write: (text: string) => void, signal: AbortSignal): Promise<DemoRun> {
  const transcript = new Transcript(write);
  const env: NodeJS.ProcessEnv = { ...process.env };
  const cwd = process.cwd();
  const workspaceArg = relative(cwd, options.workspace).startsWith('..') ? options.workspace : relative(cwd, options.workspace) || '.';
  const cli = new DemoCli(transcript, env, cwd, signal);
  const stops: Array<() => Promise<unknown>> = [];
  const stop = async () => {
    for (const stopOne of stops.splice(0).reverse()) await stopOne().catch(() => undefined);
    await closeSharedAgent();
  };
  const finish = (): DemoRun => {
    transcript.summary();
    return { failed: transcript.failed, transcript, stop };
  };

  transcript.line(`Simone Integrations demo on ${workspaceArg}`);
  let workspace: Workspace;
  let plan: DemoPlan;
  const load = () => {
    workspace = Workspace.load({ workspace: options.workspace, cwd, processEnv: env });
    plan = demoPlan(workspace);
    transcript.addSecrets(plan.secrets);
  };
  const loaded = await transcript.step('workspace', async () => {
    load();
    return { outcome: 'ok', detail: `${workspace.integrations().length} integrations, ${plan.services.length} services, ${plan.gateway ? 1 : 0} gateway in ${workspace.folders.join(', ')}` };
  });
  if (loaded.outcome !== 'ok') return finish();

  if (options.fresh) {
    for (const connection of plan!.integrations.analytics.connections) {
      if (connection.type !== 'pglite' || !connection.path) continue;
      rmSync(connection.path, { recursive: true, force: true });
      transcript.line(`--fresh: removed ${relative(cwd, connection.path)}`);
    }
  }

  transcript.section('Local services, where examples/ expects them');
  let services: RunningServices | undefined;
  const deliveries = new ReceivedDeliveries();
  const up = await transcript.step('services', async () => {
    services = await startServices(plan, (service, line) => transcript.output(line, `  [${service}] `));
    stops.push(services.stop);
    transcript.output(services.listing.join('\n'));
    const receiver = plan.integrations.notifications;
    let listening!: () => void;
    const ready = new Promise<void>((resolve) => (listening = resolve));
    const listen = cli.start(['webhook', 'listen', receiver.name, '--workspace', workspaceArg], '  [receiver] ', { stdout: (text) => deliveries.accept(text), stderr: (text) => text.startsWith('listening on') && listening() });
    stops.push(listen.stop);
    const code = await Promise.race([ready.then(() => 0), listen.exited]);
    if (code !== 0 || !receiver.receiver) return { outcome: 'failed', detail: `the receiver of ${receiver.name} did not start` };
    return { outcome: 'ok', detail: `${services.listing.length} services and the ${receiver.name} receiver on ${receiver.receiver.host}:${receiver.receiver.port} listening` };
  });
  if (!options.noBroker) transcript.line('RabbitMQ: a private broker boots in the background while the next steps run; the queue steps wait for it.');
  if (up.outcome !== 'ok') return finish();
  const brokerStarting: Promise<BrokerStart> = options.noBroker ? Promise.resolve({ kind: 'skipped', reason: '--no-broker: queue steps skipped' }) : startDemoBroker(plan!.broker);
  // Stopped whatever happens next, once it is up.
  stops.push(async () => {
    const started = await brokerStarting.catch(() => undefined);
    if (started?.kind === 'started') await started.broker.stop();
  });

  const context: DemoContext = {
    transcript,
    cli,
    workspaceArg,
    workspace: workspace!,
    plan: plan!,
    services: services!,
    broker: { skipped: 'the broker did not start' },
    nextReceived: (timeoutMs) => deliveries.next(timeoutMs),
    signal,
  };

  await validateStep(context);
  await testStep(context);
  await gatewayStep(context);
  await syncStep(context);

  transcript.section('RabbitMQ');
  await transcript.step('broker', async () => {
    const started = await brokerStarting;
    if (started.kind === 'skipped') {
      context.broker = { skipped: started.reason };
      return { outcome: 'skipped', detail: started.reason };
    }
    const { broker } = started;
    let where = `127.0.0.1:${broker.port}`;
    if (broker.port !== started.wantedPort) {
      const url = new URL(context.plan.integrations.taskQueue.connectionUrl);
      url.port = String(broker.port);
      env.RABBITMQ_URL = url.toString();
      load();
      if (new URL(plan.integrations.taskQueue.connectionUrl).port !== String(broker.port)) throw new Error(`port ${started.wantedPort} is taken and ${plan.integrations.taskQueue.name}'s connection_url does not come from RABBITMQ_URL`);
      Object.assign(context, { workspace, plan });
      where += ` (${started.wantedPort} is taken: RABBITMQ_URL points here for this run)`;
    }
    transcript.output(`private node ${broker.nodeName} on ${where}, ready after ${(started.ms / 1000).toFixed(1)} s`);
    // As the queue's consumers would on start: exchanges, queues and bindings exist before anything is published or probed.
    const connection = new QueueConnection(context.plan.integrations.taskQueue, { reconnect: false });
    try {
      await connection.whenConnected({ signal });
    } finally {
      await connection.close();
    }
    context.broker = { broker };
    return { outcome: 'ok', detail: `RabbitMQ on ${where.split(' ')[0]}, ${context.plan.integrations.taskQueue.queues.length} queues of ${context.plan.integrations.taskQueue.name} declared` };
  });

  await healthStep(context);
  await discoveryStep(context);
  await webhookStep(context);
  await queueStep(context);
  await eventStep(context);
  return finish();
}
