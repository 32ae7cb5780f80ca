/** The result panel: a runner's result as the host's view model describes it, and the run's events as they come. */
import { LIVE_COLUMNS, liveEventRow } from '../../src/extension/webviews/liveEventRow';
import type { ResultModel, Section } from '../../src/extension/webviews/resultModel';
import { button, cellContent, dataTable, element, section, tableRow } from '../shared/dom';
import { listen, postToHost } from '../shared/host';

const root = document.getElementById('root')!;
let live: HTMLElement | undefined;

function renderSection(part: Section): HTMLElement {
  if (part.type === 'table') return section(part.title, part.rows.length > 0 && dataTable(part.columns, part.rows, part.widths), part.note && element('p', { class: 'note' }, part.note));
  const copy = button('Copy', 'copy', () => postToHost({ type: 'copy', text: part.text }), true);
  return section(part.title, element('div', { class: 'toolbar' }, copy), element('pre', { class: 'code' }, element('code', {}, part.text)), part.note && element('p', { class: 'note' }, part.note));
}

function render(model: ResultModel): void {
  live = undefined;
  const actions = model.actions.map((action) =>
    action === 'apply' ? button('Apply', 'check', () => postToHost({ type: 'apply' })) : button('Re-run', 'refresh', () => postToHost({ type: 'rerun' }), model.actions.includes('apply')),
  );
  const facts = element('dl', { class: 'facts' }, ...model.facts.flatMap((fact) => [element('dt', {}, fact.label), element('dd', {}, fact.value)]));
  root.replaceChildren(
    element('header', { class: 'headline' }, element('h1', {}, model.title), element('span', { class: 'status', 'data-testid': 'status' }, cellContent(model.headline)), element('span', { class: 'actions' }, ...actions)),
    facts,
    ...model.sections.map(renderSection),
  );
}

/** The "In progress" table, made on the first event after a result and kept above the sections. */
function appendEvent(event: unknown): void {
  const row = liveEventRow(event);
  if (!row) return;
  if (!live) {
    live = dataTable(LIVE_COLUMNS, []);
    const block = section('In progress', live);
    const facts = root.querySelector('.facts');
    if (facts) facts.after(block);
    else root.prepend(block);
  }
  live.querySelector('vscode-table-body')?.append(tableRow(row));
}

listen((message) => {
  if (message.type === 'show') render(message.model);
  else if (message.type === 'event') appendEvent(message.event);
});
