import { window } from 'vscode';
import type { SyncResultJson } from '../../runners/sync/syncResultJson';
import type { EditorEngine } from '../engine/editorEngine';
import { describeSyncTable, syncChanges } from '../runSummaries';
import { showRun } from '../webviews/webviewApi';
import type { CommandContext } from './commandContext';
import { commandTarget } from './commandTarget';
import { runLive } from './liveRun';
import { pickIntegration } from './pickers';
import { runWithProgress } from './runWithProgress';

/** One run of the sync (a dry run or for real) under a cancellable progress, its tables live in the panel, then its result there. */
async function runSync(context: CommandContext, engine: EditorEngine, integration: string, dryRun: boolean): Promise<SyncResultJson> {
  const doing = dryRun ? `Previewing the sync of ${integration} (dry run)` : `Syncing ${integration}`;
  const panel = showRun(context.extension, 'sync', integration, doing);
  const { result, stop } = await runWithProgress(doing, context.host.settings.runTimeoutMs, (progress) =>
    runLive(progress, panel, (options) => engine.syncIntegration(integration, { dryRun, ...options }), (done) => ({ kind: 'sync', title: integration, data: done })),
  );
  const lines = result.tables.map((table) => describeSyncTable(table, dryRun));
  const header = `sync ${integration}${dryRun ? ' (dry run)' : ''}${stop.cancelled ? ' cancelled' : stop.timedOut ? ` stopped after ${context.host.settings.runTimeoutMs / 1000} s` : ''}`;
  if (result.ok) context.log.info([header, ...lines].join('\n  '));
  else context.log.warn([header, ...lines].join('\n  '));
  return result;
}

/** Preview Sync: the dry run, shown. */
export async function previewSync(context: CommandContext, argument: unknown): Promise<void> {
  const engine = await context.host.get();
  const integration = await pickIntegration(engine, 'database', 'Preview Sync', commandTarget(argument).integration);
  if (!integration) return;
  await runSync(context, engine, integration.name, true);
}

/**
 * Run Sync: the dry run first, shown; then, asked in a dialog listing what it would write, the real run (one
 * transaction per table: a cancel or a failure leaves that table as it was), shown in the same panel.
 */
export async function applySync(context: CommandContext, argument: unknown): Promise<void> {
  const engine = await context.host.get();
  const integration = await pickIntegration(engine, 'database', 'Run Sync', commandTarget(argument).integration);
  if (!integration) return;
  const preview = await runSync(context, engine, integration.name, true);
  const changes = syncChanges(preview.tables);
  const detail = preview.tables.map((table) => describeSyncTable(table, true)).join('\n');
  const question = changes === 0 ? `The sync of ${integration.name} would change nothing. Run it anyway?` : `Apply the sync of ${integration.name}? It writes ${changes} row change${changes === 1 ? '' : 's'}.`;
  const answer = await window.showInformationMessage(question, { modal: true, detail }, 'Apply');
  if (answer !== 'Apply') return;
  const applied = await runSync(context, engine, integration.name, false);
  const message = `${integration.name}: ${applied.ok ? 'synced' : 'sync failed for some tables'}. ${applied.tables.map((table) => describeSyncTable(table, false)).join('; ')}`;
  void (applied.ok ? window.showInformationMessage(message) : window.showWarningMessage(message));
}
