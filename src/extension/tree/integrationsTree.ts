import type { TreeItem } from 'vscode';
import { STATE_STYLES } from './healthPresentation';
import { ModelTreeProvider, type ModelElement } from './modelTreeProvider';
import type { IntegrationTreeModel, TreeNode } from './treeModel';

export type TreeElement = ModelElement<TreeNode>;

export const OPEN_DEFINITION_COMMAND = 'simone.openDefinition';

/** The Integrations view's data: a node's health is part of what a screen reader hears; a click opens it. */
export function integrationsTreeProvider(model: IntegrationTreeModel): ModelTreeProvider<TreeNode> {
  return new ModelTreeProvider(model, (item: TreeItem, node: TreeNode, element: TreeElement) => {
    const state = node.state && STATE_STYLES[node.state].word;
    item.accessibilityInformation = { label: [node.label, state, node.description].filter(Boolean).join(', ') };
    if (node.location) item.command = { command: OPEN_DEFINITION_COMMAND, title: 'Open Definition', arguments: [node.location] };
    else if (node.kind === 'received') item.command = { command: 'simone.showReceived', title: 'Show Request', arguments: [element] };
  });
}
