/**
 * What a command was run on, whichever way it was run: from a tree node's menu (the node's target), from a code
 * lens (src/language/codeLens.ts LensArguments), from the Testing view, or from the palette (nothing: it asks).
 */
import type { LensArguments } from '../../language/codeLens';
import { healthKeyOf, type NodeTarget } from '../tree/treeModel';

export interface CommandTarget {
  integration?: string;
  endpoint?: string;
  queue?: string;
  /** A received request's time (a received node's "Show Request"). */
  receivedAt?: string;
  /** The health key of the node (refresh one target). */
  healthKey?: string;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;
const text = (value: unknown) => (typeof value === 'string' && value ? value : undefined);

export function commandTarget(argument: unknown): CommandTarget {
  if (!isRecord(argument)) return {};
  // A tree element: its node says what it is about.
  const node = isRecord(argument.node) ? argument.node : undefined;
  const target = node && isRecord(node.target) ? (node.target as unknown as NodeTarget) : undefined;
  if (target) return { integration: target.integration, endpoint: target.endpoint, queue: target.queue, receivedAt: target.receivedAt, healthKey: healthKeyOf(target) };
  const lens = argument as Partial<LensArguments>;
  return { integration: text(lens.integration), endpoint: text(lens.endpoint) };
}
