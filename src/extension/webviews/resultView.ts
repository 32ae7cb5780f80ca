import { endpointModel, endpointsModel } from './endpointModel';
import { queuePeekModel, queuePublishModel, receiverModel, webhookModel } from './messagingModel';
import type { ResultModel } from './resultModel';
import { syncModel } from './syncModel';

export const RESULT_KINDS = ['endpoint', 'endpoints', 'sync', 'webhook', 'queue-publish', 'queue-peek', 'receiver'] as const;

/** A runner's result as the editor hands it to the result panel. */
export interface ResultView {
  kind: (typeof RESULT_KINDS)[number];
  /** The target: `integration.endpoint`, `integration/queue`, an integration's name. */
  title: string;
  /** The runner's plain JSON (src/runners/**\/…Json.ts), already redacted by the engine. */
  data: unknown;
}

const BUILDERS: Record<ResultView['kind'], (title: string, data: unknown) => ResultModel> = {
  endpoint: endpointModel,
  endpoints: endpointsModel,
  sync: syncModel,
  webhook: webhookModel,
  'queue-publish': queuePublishModel,
  'queue-peek': queuePeekModel,
  receiver: receiverModel,
};

export function resultModel(view: ResultView): ResultModel {
  return BUILDERS[view.kind](view.title, view.data);
}
