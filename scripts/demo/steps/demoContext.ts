import type { Workspace } from '../../../src/core/workspace';
import type { RabbitMqBroker } from '../../../test/support/rabbitmq';
import type { DemoCli } from '../demoCli';
import type { DemoPlan } from '../demoPlan';
import type { RunningServices } from '../services/demoServices';
import type { Transcript } from '../transcript';

/** A verified delivery the product's receiver (`webhook listen`) printed. */
export interface ReceivedDelivery {
  endpoint: string;
  headers: Record<string, string>;
  body: unknown;
}

/** What every step works with. */
export interface DemoContext {
  transcript: Transcript;
  cli: DemoCli;
  /** The workspace folder as given to the CLI's --workspace (relative to the current directory when inside it). */
  workspaceArg: string;
  workspace: Workspace;
  plan: DemoPlan;
  services: RunningServices;
  /** The running broker, or why there is none. */
  broker: { broker: RabbitMqBroker } | { skipped: string };
  /** Waits for the receiver's next verified delivery (or gives up after `timeoutMs`). */
  nextReceived(timeoutMs: number): Promise<ReceivedDelivery | undefined>;
  signal: AbortSignal;
}

export const brokerSkipped = (context: DemoContext) => ('skipped' in context.broker ? context.broker.skipped : undefined);
