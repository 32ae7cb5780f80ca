import { basename } from 'node:path';
import { commands, ConfigurationTarget, window, workspace, type Disposable, type LogOutputChannel } from 'vscode';
import type { AutomationReports, AutomationSettings } from '../engine/eventAutomation';
import { EVENTS_DISPATCH_KEY, SETTINGS_SECTION, type EventsDispatch } from '../editorSettings';
import type { EditorEngine } from '../engine/editorEngine';
import type { EngineHost, EngineListener } from '../engineHost';
import { EventsView, fileFolders } from './eventsView';
import { describeEvents, ProjectEventsLoop, type DispatchAnswer, type NewEvent } from './projectEventsLoop';
import { ProjectWatcher } from './projectWatcher';

const ANSWERS: Record<string, DispatchAnswer> = { Send: 'send', Skip: 'skip', Always: 'always' };

/**
 * Simone events in the editor: the `.simone` watcher of a trusted workspace drives the engine's pipeline through
 * the project events loop (scan, then dispatch as `simone.events.dispatch` says, asking in a notification when it
 * is `ask`), and the Events view shows the result. Untrusted, nothing is watched, scanned or sent.
 */
export class EditorEvents implements EngineListener, Disposable {
  readonly view: EventsView;
  readonly loop: ProjectEventsLoop;
  private watcher?: ProjectWatcher;
  private dispatchMode: EventsDispatch;
  private readonly disposables: Disposable[] = [];
  /** What subscribers and scheduled syncs did, in the log. */
  private readonly reports: AutomationReports = {
    log: (line) => this.log.info(line),
    handled: (_folder, outcome) => {
      const what = `events: subscriber ${outcome.subscriber} (${outcome.handler}) on ${outcome.type} ${outcome.eventId}`;
      if (outcome.ok) this.log.info(`${what}: done after ${outcome.attempts} attempt(s)`);
      else if (outcome.skipped) this.log.info(`${what}: skipped: ${outcome.skipped}`);
      else this.log.warn(`${what}: failed${outcome.deadLettered ? ', dead-lettered' : ''}: ${outcome.error?.message ?? 'no reason given'}`);
    },
    synced: (_folder, run) => {
      const what = `sync (${run.reason}) ${run.integration} [${run.sources.join(', ')}]`;
      if (run.result.ok) this.log.info(`${what}: done`);
      else this.log.warn(`${what}: ${run.result.error?.message ?? 'failed'}`);
    },
    skipped: (folder, skipped) => {
      for (const entry of skipped) this.log.info(`events: subscriber ${entry.subscriber} (${entry.handler}) in ${basename(folder)} does not run: ${entry.reason}`);
    },
  };

  constructor(
    private readonly host: EngineHost,
    private readonly log: LogOutputChannel,
  ) {
    this.dispatchMode = host.settings.eventsDispatch;
    this.view = new EventsView(host, log);
    this.loop = new ProjectEventsLoop({
      pipeline: (folder) => host.loaded?.events.pipeline(folder),
      mode: () => host.settings.eventsDispatch,
      ask: (folder, events) => this.ask(folder, events),
      // "Always" is for this workspace: its events go to its own integrations' destinations.
      sendAlways: async () => workspace.getConfiguration(SETTINGS_SECTION).update(EVENTS_DISPATCH_KEY, 'on', workspace.workspaceFolders ? ConfigurationTarget.Workspace : ConfigurationTarget.Global),
      log: (level, message) => log[level](message),
    });
    this.disposables.push(
      this.view,
      workspace.onDidGrantWorkspaceTrust(() => this.watchWhenTrusted()),
      host.onDidChangeSettings((settings) => {
        this.configureAutomation();
        // Turned on: what was held back goes now, as it would have had the setting been on.
        if (settings.eventsDispatch === 'on' && this.dispatchMode !== 'on' && host.loaded?.trusted) for (const folder of fileFolders()) this.loop.dispatch(folder).catch((error: Error) => log.error(`events: ${error.message}`));
        this.dispatchMode = settings.eventsDispatch;
      }),
    );
    this.watchWhenTrusted();
    host.addListener(this);
  }

  engineLoaded(engine: EditorEngine): void {
    if (!engine.trusted) return;
    // The first scan of a folder records its baseline; with dispatch on, what an earlier window left pending goes.
    for (const folder of fileFolders()) void this.loop.opened(folder).catch((error: Error) => this.log.error(`events: ${error.message}`));
    this.configureAutomation();
  }

  /**
   * Subscribers take part in the event flow unless `simone.events.dispatch` is `off` (the editor then only records);
   * `command:` handlers run the VS Code command with the CloudEvent as its argument.
   */
  private configureAutomation(): void {
    const engine = this.host.loaded;
    if (!engine?.trusted) return;
    const settings: AutomationSettings = {
      subscribers: this.host.settings.eventsDispatch === 'off' ? undefined : { onCommand: async (command, event) => void (await commands.executeCommand(command, event)) },
      syncSchedule: this.host.settings.syncSchedule,
    };
    void engine.events.configureAutomation(settings, this.reports).catch((error: Error) => this.log.error(`events: subscribers or scheduled syncs did not start: ${error.message}`));
  }

  dispose(): void {
    this.loop.dispose();
    this.watcher?.dispose();
    for (const disposable of this.disposables) disposable.dispose();
  }

  private watchWhenTrusted(): void {
    if (!workspace.isTrusted || this.watcher) return;
    this.watcher = new ProjectWatcher({
      projectChanged: (folder, path) => {
        // The engine loads on the first change (its scan then sees the change against the stored snapshot).
        void this.host.get().catch(() => undefined);
        this.loop.changed(folder);
        this.host.loaded?.events.projectChanged(folder, [path]);
      },
      storeChanged: (folder) => this.view.storeChanged(folder),
    });
    // Loaded soon after activation, not during it: the baseline scan should come before the first edit.
    setTimeout(() => void this.host.get().catch(() => undefined), 0);
  }

  private async ask(folder: string, events: readonly NewEvent[]): Promise<DispatchAnswer | undefined> {
    const where = fileFolders().length > 1 ? ` in ${basename(folder)}` : '';
    const choice = await window.showInformationMessage(`Simone: ${events.length === 1 ? 'a new event' : `${events.length} new events`}${where}: ${describeEvents(events)}. Send to the destinations that list them?`, ...Object.keys(ANSWERS));
    return choice === undefined ? undefined : ANSWERS[choice];
  }
}
