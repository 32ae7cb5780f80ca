import { commands, window, type Disposable, type LogOutputChannel } from 'vscode';
import { displayState, STATE_STYLES } from '../tree/healthPresentation';
import type { EditorEngine } from '../engine/editorEngine';
import type { EngineHost, EngineListener } from '../engineHost';
import { SHOW_VIEW_COMMAND } from '../healthStatusBar';

/**
 * Every change of a target's state goes to the log (its redacted detail with it); with
 * `simone.notifications.stateChanges` on, a change into or out of "down" is also a notification.
 */
export class HealthLog implements EngineListener, Disposable {
  private readonly states = new Map<string, string>();

  constructor(
    private readonly host: EngineHost,
    private readonly log: LogOutputChannel,
  ) {
    host.addListener(this);
  }

  engineLoaded(engine: EditorEngine, subscriptions: Array<{ dispose(): unknown }>): void {
    subscriptions.push(
      engine.health.onDidChange(({ key, name, result }) => {
        const state = STATE_STYLES[displayState(result)].word;
        const previous = this.states.get(key);
        this.states.set(key, state);
        if (previous === state) return;
        const line = `health ${key}: ${previous ? `${previous} → ` : ''}${state} (${Math.round(result.latencyMs)} ms): ${result.detail}`;
        if (state === 'down' || state === 'circuit open') this.log.warn(line);
        else this.log.info(line);
        const downChanged = previous !== undefined && (previous === 'down' || state === 'down' || state === 'circuit open');
        if (downChanged && this.host.settings.notifyStateChanges) void this.notify(name, state, result.detail);
      }),
      engine.health.onDidRemove(({ key }) => this.states.delete(key)),
    );
  }

  dispose(): void {
    this.states.clear();
  }

  private async notify(name: string, state: string, detail: string): Promise<void> {
    const show = state === 'healthy' ? window.showInformationMessage : window.showWarningMessage;
    if ((await show(`Simone: ${name} is ${state}: ${detail}`, 'Show Integrations')) === 'Show Integrations') await commands.executeCommand(SHOW_VIEW_COMMAND);
  }
}
