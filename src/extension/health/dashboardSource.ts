import { EventEmitter, type Disposable } from 'vscode';
import type { EditorEngine } from '../engine/editorEngine';
import type { EngineHost, EngineListener } from '../engineHost';
import { openLocation } from '../locations';
import type { IntegrationTreeModel } from '../tree/treeModel';
import type { DashboardEntry, HealthSource } from '../webviews/webviewApi';

/** What the health dashboard shows: every target's latest result and its recent probes (it changes after every probe), and where each is defined. */
export class DashboardSource implements HealthSource, EngineListener, Disposable {
  private readonly changed = new EventEmitter<void>();
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly host: EngineHost,
    /** Where each target is defined: the Integrations tree's nodes know it. */
    private readonly tree: Pick<IntegrationTreeModel, 'locationOf'>,
  ) {
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

  openDefinition(key: string): void {
    const location = this.tree.locationOf(key);
    if (location) void openLocation(location);
  }

  dispose(): void {
    this.changed.dispose();
  }
}
