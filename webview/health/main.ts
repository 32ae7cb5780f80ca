/** The health dashboard: every target's state, detail, breaker and latency history, redrawn on every probe. */
import { SPARKLINE_MARK_RADIUS, type DashboardModel, type DashboardRow, type Sparkline } from '../../src/extension/webviews/dashboardModel';
import { cellContent, element } from '../shared/dom';
import { listen, postToHost } from '../shared/host';

const SVG = 'http://www.w3.org/2000/svg';
const root = document.getElementById('root')!;

function svg(tag: string, attributes: Record<string, string | number>): SVGElement {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
  return node;
}

function chart(line: Sparkline | undefined): Node {
  if (!line) return element('span', { class: 'note' }, 'one probe so far');
  const drawing = svg('svg', { width: line.width, height: line.height, viewBox: `0 0 ${line.width} ${line.height}`, class: 'sparkline', role: 'img', 'aria-label': `latency, up to ${line.maxMs} ms` });
  drawing.append(svg('polyline', { points: line.points, class: 'line' }));
  for (const mark of line.marks) drawing.append(svg('circle', { cx: mark.x, cy: mark.y, r: SPARKLINE_MARK_RADIUS, class: `mark tone-${mark.tone}` }));
  return element('span', { class: 'chart' }, drawing, element('span', { class: 'note' }, `max ${line.maxMs} ms`));
}

function nameCell(row: DashboardRow, canOpen: boolean): Node {
  if (!canOpen) return element('span', { class: 'name' }, row.name);
  const link = element('a', { href: '#', class: 'name', title: 'Open the definition' }, row.name);
  link.addEventListener('click', (event) => {
    event.preventDefault();
    postToHost({ type: 'openDefinition', key: row.key });
  });
  return link;
}

function card(row: DashboardRow, canOpen: boolean): HTMLElement {
  return element(
    'article',
    { class: `target tone-border-${row.state.tone ?? 'plain'}`, 'data-key': row.key },
    element('div', { class: 'target-head' }, nameCell(row, canOpen), element('vscode-badge', { variant: 'counter' }, row.type), element('span', { class: 'state' }, cellContent(row.state))),
    element('p', { class: 'detail' }, row.detail),
    element('div', { class: 'target-foot' }, element('span', {}, `latency ${row.latency}`), row.breaker && element('span', {}, `breaker ${row.breaker}`), chart(row.sparkline), element('span', { class: 'note', title: row.checkedAt }, `checked ${new Date(row.checkedAt).toLocaleTimeString()}`)),
  );
}

function render(model: DashboardModel): void {
  root.replaceChildren(element('header', { class: 'headline' }, element('h1', {}, 'Simone health'), element('span', { class: 'status', 'data-testid': 'summary' }, model.summary)), element('section', { class: 'targets' }, ...model.rows.map((row) => card(row, model.canOpenDefinition))));
}

listen((message) => {
  if (message.type === 'health') render(message.model);
});
