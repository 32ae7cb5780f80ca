import { receiverSettings } from '../../core/buildModel';
import type { WebhookReceiverSettings } from '../../core/model';

/** What a `webhook` integration gets when it has no `receiver` section (the defaults, any free port). */
export const DEFAULT_RECEIVER_SETTINGS: WebhookReceiverSettings = receiverSettings({});

/** What one receiver process spends at most on requests, whoever sends them. */
export interface WebhookReceiverLimits {
  /** Open connections; a request on a connection past this gets 503. */
  maxConnections: number;
  /** Body bytes held at once across all requests still being read; a request that would pass it gets 503. */
  maxInFlightBodyBytes: number;
  /** From a request's headers to the last byte of its body; a slower body gets 408. */
  bodyTimeoutMs: number;
  /** From a connection's first byte to the end of a request's headers (Node answers 408 past it). */
  headersTimeoutMs: number;
  /** How long a refused client may go on sending before its connection is cut (so it reads the answer first). */
  lingerMs: number;
}

export const DEFAULT_RECEIVER_LIMITS: WebhookReceiverLimits = {
  // Above the 1,000 parked connections the hardening test holds open, well below the process's file limit.
  maxConnections: 2048,
  maxInFlightBodyBytes: 64 * 1024 * 1024,
  bodyTimeoutMs: 10_000,
  headersTimeoutMs: 10_000,
  lingerMs: 2000,
};
