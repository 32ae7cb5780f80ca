import type { endpointResultJson } from '../../runners/http/endpointResultJson';
import type { peekResultJson, publishResultJson } from '../../runners/queue/queueResultJson';
import type { SyncResultJson } from '../../runners/sync/syncResultJson';
import type { ReceivedWebhook } from '../../runners/webhook/webhookReceiver';
import type { WebhookDelivery } from '../../runners/webhook/webhookSender';
import { endpointModel, endpointsModel } from './endpointModel';
import { queuePeekModel, queuePublishModel, receiverModel, webhookModel } from './messagingModel';
import { resultCommand } from './resultCommands';
import type { ResultModel } from './resultModel';
import { syncModel } from './syncModel';

type EndpointJson = ReturnType<typeof endpointResultJson>;

/** What each kind of result carries: the runner's plain JSON (its …Json.ts converter), already redacted by the engine. */
export interface ResultData {
  endpoint: EndpointJson;
  endpoints: { integration: string; ok: boolean; results: EndpointJson[] };
  sync: SyncResultJson;
  webhook: WebhookDelivery;
  'queue-publish': ReturnType<typeof publishResultJson>;
  'queue-peek': ReturnType<typeof peekResultJson>;
  /** A webhook receiver: where it listens (absent: stopped), its deliveries so far (newest first), one of them in full. */
  receiver: { integration: string; url?: string; deliveries: readonly ReceivedWebhook[]; shown?: ReceivedWebhook };
}

export type ResultKind = keyof ResultData;

/** A runner's result as the editor hands it to the result panel; `title` names the target (`integration.endpoint`, `integration/queue`…). */
export type ResultView = { [K in ResultKind]: { kind: K; title: string; data: ResultData[K] } }[ResultKind];

/**
 * What the view models accept: any kind with data of any shape. They read every field for what it is (a panel
 * draws whatever an older or newer engine sent, and never throws), so the typed `ResultView` fits in here.
 */
export interface AnyResultView {
  kind: ResultKind;
  title: string;
  data: unknown;
}

const BUILDERS: Record<ResultKind, (title: string, data: unknown) => ResultModel> = {
  endpoint: endpointModel,
  endpoints: endpointsModel,
  sync: syncModel,
  webhook: webhookModel,
  'queue-publish': queuePublishModel,
  'queue-peek': queuePeekModel,
  receiver: receiverModel,
};

export function resultModel(view: AnyResultView): ResultModel {
  const model = BUILDERS[view.kind](view.title, view.data);
  // A button only where the editor has a command that runs it.
  return { ...model, actions: model.actions.filter((action) => resultCommand(view, action) !== undefined) };
}
