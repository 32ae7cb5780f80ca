/// <reference lib="dom" />
/**
 * The few DOM builders both pages share. Text goes in as text (never as HTML), so nothing a result holds can
 * become markup or script.
 */
import '@vscode-elements/elements/dist/vscode-badge/index.js';
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-collapsible/index.js';
import '@vscode-elements/elements/dist/vscode-icon/index.js';
import '@vscode-elements/elements/dist/vscode-table/index.js';
import '@vscode-elements/elements/dist/vscode-table-body/index.js';
import '@vscode-elements/elements/dist/vscode-table-cell/index.js';
import '@vscode-elements/elements/dist/vscode-table-header/index.js';
import '@vscode-elements/elements/dist/vscode-table-header-cell/index.js';
import '@vscode-elements/elements/dist/vscode-table-row/index.js';
import type { VscodeTable } from '@vscode-elements/elements/dist/vscode-table/vscode-table.js';
import type { Cell } from '../../src/extension/webviews/resultModel';

type Child = Node | string | undefined | false;

export function element(tag: string, attributes: Record<string, string> = {}, ...children: Child[]): HTMLElement {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  for (const child of children) if (child !== undefined && child !== false) node.append(child);
  return node;
}

export function icon(name: string): HTMLElement {
  return element('vscode-icon', { name, 'aria-hidden': 'true' });
}

/** A cell's text with its codicon, coloured by its tone (class `tone-ok`, `tone-error`… in webview.css). */
export function cellContent(cell: Cell): HTMLElement {
  return element('span', { class: `cell tone-${cell.tone ?? 'plain'}` }, cell.icon && icon(cell.icon), element('span', {}, cell.text));
}

export function tableRow(cells: Cell[]): HTMLElement {
  return element('vscode-table-row', {}, ...cells.map((cell) => element('vscode-table-cell', {}, cellContent(cell))));
}

/** Width per column under which a table is drawn stacked (each cell with its column's name): a half-width panel. */
const STACK_BELOW_PX_PER_COLUMN = 90;

export function dataTable(columns: string[], rows: Cell[][], widths?: string[]): HTMLElement {
  const node = element(
    'vscode-table',
    { zebra: '', 'bordered-rows': '', 'min-column-width': '3em', responsive: '', breakpoint: String(Math.max(300, columns.length * STACK_BELOW_PX_PER_COLUMN)) },
    element('vscode-table-header', { slot: 'header' }, ...columns.map((column) => element('vscode-table-header-cell', {}, column))),
    element('vscode-table-body', { slot: 'body' }, ...rows.map(tableRow)),
  );
  // vscode-table sizes its columns when it is connected, while a collapsible's content has no width yet (and
  // widths of a 0-wide table are ignored): they are given once it has a width, a frame later (when it knows it).
  if (widths) {
    const sized = new ResizeObserver(([entry]) => {
      if (entry.contentRect.width === 0) return;
      sized.disconnect();
      requestAnimationFrame(() => ((node as VscodeTable).columns = widths));
    });
    sized.observe(node);
  }
  return node;
}

export function section(title: string, ...content: Child[]): HTMLElement {
  return element('vscode-collapsible', { title, open: '' }, element('div', { class: 'section' }, ...content));
}

export function button(label: string, iconName: string, onClick: () => void, secondary = false): HTMLElement {
  const node = element('vscode-button', { icon: iconName, ...(secondary ? { secondary: '' } : {}) }, label);
  node.addEventListener('click', onClick);
  return node;
}
