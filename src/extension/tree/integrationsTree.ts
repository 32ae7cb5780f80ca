import {
  EventEmitter, MarkdownString, ThemeColor, ThemeIcon, TreeItem, TreeItemCollapsibleState,
  type CancellationToken, type Event, type ProviderResult, type TreeDataProvider,
} from 'vscode';
import { STATE_STYLES } from './healthPresentation';
import type { IntegrationTreeModel, TreeNode } from './treeModel';

/** What the tree holds per node: its id, the same object for the node's life, so a change repaints that row. */
export class TreeElement {
  constructor(
    readonly id: string,
    private readonly model: IntegrationTreeModel,
  ) {}

  get node(): TreeNode | undefined {
    return this.model.node(this.id);
  }
}

const PRUNE_SLACK = 200;

export const OPEN_DEFINITION_COMMAND = 'simone.openDefinition';

/**
 * The Integrations view's data: the tree model's nodes as TreeItems. Told which nodes changed, it fires
 * onDidChangeTreeData for those only (the whole tree only when its top level changed).
 */
export class IntegrationsTreeProvider implements TreeDataProvider<TreeElement> {
  private readonly elements = new Map<string, TreeElement>();
  private readonly changed = new EventEmitter<TreeElement | undefined>();
  readonly onDidChangeTreeData: Event<TreeElement | undefined> = this.changed.event;
  /** Until the engine loaded the workspace, getChildren waits for it. */
  private ready: Promise<void>;
  private markReady!: () => void;

  constructor(readonly model: IntegrationTreeModel) {
    this.ready = new Promise((resolve) => (this.markReady = resolve));
  }

  /** The model was updated; repaint these nodes (`''`: everything). */
  repaint(ids: readonly string[]): void {
    this.markReady();
    // Nodes come and go (received requests, edited files): their elements go with them.
    if (this.elements.size > this.model.size + PRUNE_SLACK) for (const id of this.elements.keys()) if (!this.model.node(id)) this.elements.delete(id);
    if (ids.includes('')) {
      this.changed.fire(undefined);
      return;
    }
    for (const id of ids) {
      const element = this.elements.get(id);
      if (element) this.changed.fire(element);
    }
  }

  async getChildren(element?: TreeElement): Promise<TreeElement[]> {
    await this.ready;
    const nodes = element ? this.model.children(element.id) : this.model.roots();
    return nodes.map((node) => this.element(node.id));
  }

  getParent(element: TreeElement): ProviderResult<TreeElement> {
    const parent = element.node?.parentId;
    return parent === undefined ? undefined : this.element(parent);
  }

  getTreeItem(element: TreeElement): TreeItem {
    const node = element.node;
    if (!node) return new TreeItem('(gone)');
    const item = new TreeItem(node.label, node.childIds.length ? (node.kind === 'folder' ? TreeItemCollapsibleState.Expanded : TreeItemCollapsibleState.Collapsed) : TreeItemCollapsibleState.None);
    item.id = node.id;
    item.description = node.description;
    item.iconPath = new ThemeIcon(node.icon.id, node.icon.color ? new ThemeColor(node.icon.color) : undefined);
    item.contextValue = node.contextValue;
    const state = node.state && STATE_STYLES[node.state].word;
    item.accessibilityInformation = { label: [node.label, state, node.description].filter(Boolean).join(', ') };
    if (node.location) item.command = { command: OPEN_DEFINITION_COMMAND, title: 'Open Definition', arguments: [node.location] };
    else if (node.kind === 'received') item.command = { command: 'simone.showReceived', title: 'Show Request', arguments: [element] };
    return item;
  }

  /** The tooltip is built when the row is hovered. */
  resolveTreeItem(item: TreeItem, element: TreeElement, _token: CancellationToken): TreeItem {
    const node = element.node;
    if (node) {
      const tooltip = new MarkdownString(node.tooltip());
      tooltip.supportThemeIcons = true;
      item.tooltip = tooltip;
    }
    return item;
  }

  private element(id: string): TreeElement {
    let element = this.elements.get(id);
    if (!element) this.elements.set(id, (element = new TreeElement(id, this.model)));
    return element;
  }
}
