import type { Diagnostic } from 'vscode-languageserver';

/**
 * One change to the workspace as the server sees it. The main thread's store and
 * the check worker's replica take the same edits in the same order, so a check
 * in the worker sees the texts the main thread had when it asked.
 */
export type StoreEdit =
  | { kind: 'open' | 'change'; uri: string; languageId: string; version: number; text: string }
  | { kind: 'close'; uri: string }
  | { kind: 'disk'; path: string; deleted: boolean }
  | { kind: 'folders'; added: string[]; removed: string[] }
  | { kind: 'secret-names'; names: string[] };

export interface CheckJob {
  job: 'check';
  processEnv: NodeJS.ProcessEnv;
  /** A module whose `validate` export replaces the built-in validation (tests inject slow or crashing rules). */
  validator?: string;
}

export type ToCheckWorker = { type: 'edit'; edit: StoreEdit } | { type: 'check'; id: number; uri: string } | { type: 'ping'; id: number };

export type FromCheckWorker =
  | { type: 'checked'; id: number; diagnostics: Diagnostic[] }
  /** Validation threw; `error` is already safe to log (see describeError). */
  | { type: 'failed'; id: number; error: string }
  /** The replica does not know the file (it was forgotten after the check was asked for). */
  | { type: 'unknown'; id: number }
  /** Every message before the ping is applied. */
  | { type: 'pong'; id: number };
