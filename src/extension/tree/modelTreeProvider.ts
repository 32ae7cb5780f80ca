import {
  EventEmitter, MarkdownString, ThemeColor, ThemeIcon, TreeItem, TreeItemCollapsibleState,
  type CancellationToken, type Event, type ProviderResult, type TreeDataProvider,
} from 'vscode';

/** What a view model's row says (the Integrations view's nodes, the Events view's rows). */
export interface ModelRow {
  readonly id: string;
  readonly parentId?: string;
  readonly kind: string;
  readonly label: string;
  readonly description?: string;
  /** A codicon id and a theme colour id. */
  readonly icon: { id: string; color?: string };
  readonly contextValue: string;
  readonly childIds: readonly string[];
  /** Markdown, built when hovered. */
  tooltip(): string;
}

/** A vscode-free view model: rows by id, the top level, and what is below a row. */
export interface RowModel<R extends ModelRow> {
  readonly size: number;
  node(id: string): R | undefined;
  roots(): R[];
  children(id: string): R[];
}

/** What the tree holds per row: its id, the same object for the row's life, so a change repaints that row. */
export class ModelElement<R extends ModelRow> {
  constructor(
    readonly id: string,
    private readonly model: RowModel<R>,
  ) {}

  get node(): R | undefined {
    return this.model.node(this.id);
  }
}

const PRUNE_SLACK = 200;

/**
 * A view model's rows as TreeItems. Told which rows changed, it fires onDidChangeTreeData for those only (the
 * whole tree only when its top level changed); `present` adds what a view's items have of their own.
 */
export class ModelTreeProvider<R extends ModelRow> implements TreeDataProvider<ModelElement<R>> {
  private readonly elements = new Map<string, ModelElement<R>>();
  private readonly changed = new EventEmitter<ModelElement<R> | undefined>();
  readonly onDidChangeTreeData: Event<ModelElement<R> | undefined> = this.changed.event;
  /** Until the model was first filled, getChildren waits for it. */
  private readonly ready: Promise<void>;
  private markReady!: () => void;

  constructor(
    readonly model: RowModel<R>,
    private readonly present: (item: TreeItem, row: R, element: ModelElement<R>) => void = () => undefined,
  ) {
    this.ready = new Promise((resolve) => (this.markReady = resolve));
  }

  /** The model was updated; repaint these rows (`''`: everything). */
  repaint(ids: readonly string[]): void {
    this.markReady();
    // Rows come and go: their elements go with them.
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

  async getChildren(element?: ModelElement<R>): Promise<Array<ModelElement<R>>> {
    await this.ready;
    const rows = element ? this.model.children(element.id) : this.model.roots();
    return rows.map((row) => this.element(row.id));
  }

  getParent(element: ModelElement<R>): ProviderResult<ModelElement<R>> {
    const parent = element.node?.parentId;
    return parent === undefined ? undefined : this.element(parent);
  }

  getTreeItem(element: ModelElement<R>): TreeItem {
    const row = element.node;
    if (!row) return new TreeItem('(gone)');
    const item = new TreeItem(row.label, row.childIds.length ? (row.kind === 'folder' ? TreeItemCollapsibleState.Expanded : TreeItemCollapsibleState.Collapsed) : TreeItemCollapsibleState.None);
    item.id = row.id;
    item.description = row.description;
    item.iconPath = new ThemeIcon(row.icon.id, row.icon.color ? new ThemeColor(row.icon.color) : undefined);
    item.contextValue = row.contextValue;
    item.accessibilityInformation = { label: [row.label, row.description].filter(Boolean).join(', ') };
    this.present(item, row, element);
    return item;
  }

  /** The tooltip is built when the row is hovered. */
  resolveTreeItem(item: TreeItem, element: ModelElement<R>, _token: CancellationToken): TreeItem {
    const row = element.node;
    if (row) {
      const tooltip = new MarkdownString(row.tooltip());
      tooltip.supportThemeIcons = true;
      item.tooltip = tooltip;
    }
    return item;
  }

  private element(id: string): ModelElement<R> {
    let element = this.elements.get(id);
    if (!element) this.elements.set(id, (element = new ModelElement(id, this.model)));
    return element;
  }
}
