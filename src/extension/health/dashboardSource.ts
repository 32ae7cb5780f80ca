import { EventEmitter, type Disposable } from 'vscode';
import type { EditorEngine } from '../engine/editorEngine';
import type { EngineHost, EngineListener } from '../engineHost';
import type { DashboardEntry, HealthSource } from '../webviews/webviewApi';

/** What the health dashboard shows: every target's latest result and its recent probes; it changes after every probe. */
export class DashboardSource implements HealthSource, EngineListener, Disposable {
  private readonly changed = new EventEmitter<void>();
  readonly onDidChange = this.changed.event;

  constructor(private readonly host: EngineHost) {
    host.addListener(this);
  }

  engineLoaded(engine: EditorEngine, subscriptions: Array<{ dispose(): unknown }>): void {
    subscriptions.push(engine.history.onDidRecord(() => this.changed.fire()), engine.health.onDidRemove(() => this.changed.fire()));
    this.changed.fire();
  }

  results(): DashboardEntry[] {
    const engine = this.host.loaded;
    if (!engine) return [];
    return engine.health.results().map((entry) => ({ key: entry.key, name: entry.name, type: entry.type, result: entry.result, history: engine.history.samples(entry.key) }));
  }

  dispose(): void {
    this.changed.dispose();
  }
}
