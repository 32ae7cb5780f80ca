import { MarkdownString, StatusBarAlignment, ThemeColor, window, workspace, type Disposable, type StatusBarItem } from 'vscode';
import type { EditorEngine } from './engine/editorEngine';
import type { EngineHost, EngineListener } from './engineHost';
import type { HealthRefresh } from './health/healthRefresh';
import { summarizeHealth } from './tree/healthSummary';
import { escapeMarkdown } from './tree/healthPresentation';

export const SHOW_VIEW_COMMAND = 'workbench.view.extension.simone';

/**
 * "4 healthy, 1 down" in the status bar, on a warning background while something is down; a click opens the
 * Simone view. Shown in a trusted workspace with health on and something to check; while it is shown the
 * health monitor runs (the refresh owner is told).
 */
export class HealthStatusBar implements EngineListener, Disposable {
  private readonly item: StatusBarItem;
  private readonly disposables: Disposable[] = [];
  private hasTargets = false;

  constructor(
    private readonly host: EngineHost,
    private readonly refresh: HealthRefresh,
  ) {
    this.item = window.createStatusBarItem('simone.health', StatusBarAlignment.Left, 50);
    this.item.name = 'Simone Integrations Health';
    this.item.command = SHOW_VIEW_COMMAND;
    this.item.text = '$(pulse) Simone';
    this.disposables.push(this.item, host.onDidChangeSettings(() => this.updateVisibility()), workspace.onDidGrantWorkspaceTrust(() => this.updateVisibility()));
    host.addListener(this);
    this.updateVisibility();
  }

  engineLoaded(engine: EditorEngine, subscriptions: Array<{ dispose(): unknown }>): void {
    const show = () => {
      this.hasTargets = engine.healthTargetCount() > 0;
      this.render(engine);
      this.updateVisibility();
    };
    show();
    subscriptions.push(engine.health.onDidChange(() => this.render(engine)), engine.health.onDidRemove(() => this.render(engine)), engine.workspace.onDidChange(show));
  }

  dispose(): void {
    for (const disposable of this.disposables) disposable.dispose();
  }

  /** Before the engine loaded it is taken to have targets: the workspace has `.simone` (that is why it activated). */
  private updateVisibility(): void {
    const shown = workspace.isTrusted && this.host.settings.healthEnabled && (this.hasTargets || !this.host.loaded);
    if (shown && this.host.loaded) this.item.show();
    else this.item.hide();
    this.refresh.setStatusBarShown(shown);
  }

  private render(engine: EditorEngine): void {
    const summary = summarizeHealth(engine.health.results());
    this.item.text = `$(pulse) ${summary.text}`;
    this.item.backgroundColor = summary.down ? new ThemeColor('statusBarItem.warningBackground') : undefined;
    const tooltip = new MarkdownString(`**Simone Integrations**: ${summary.text}`);
    if (summary.downNames.length) tooltip.appendMarkdown(`\n\nDown: ${summary.downNames.map(escapeMarkdown).join(', ')}`);
    tooltip.appendMarkdown('\n\nClick to open the Integrations view.');
    this.item.tooltip = tooltip;
  }
}
