import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SymbolKind, type DocumentSymbol, type Range } from 'vscode-languageserver-types';
import { parseConfigFile } from '../../src/core/configFile';
import { foldingRanges } from '../../src/language/folding';
import { selectionRanges } from '../../src/language/selection';
import { documentSymbols } from '../../src/language/symbols';
import { cursorAt } from '../support/markers';

const TEXT = `# Integrations of the demo
# two documents
integration:
  type: request_response
  name: users
  endpoints:
    get_user: /users/{id}
    create_user:
      url: /users
      method: POST
---
integration:
  type: database
  name: warehouse
  connections:
    - name: local
      type: pglite
  sync_tables:
    - source: milestones
      target: project_milestones
      sync_frequency: hourly
---
api_gateway:
  port: 8080
  routes:
    - path: /users
      service: user_service
`;

const contains = (outer: Range, inner: Range): boolean =>
  (outer.start.line < inner.start.line || (outer.start.line === inner.start.line && outer.start.character <= inner.start.character)) &&
  (outer.end.line > inner.end.line || (outer.end.line === inner.end.line && outer.end.character >= inner.end.character));

function checkNesting(symbols: DocumentSymbol[], parent?: DocumentSymbol): void {
  for (const symbol of symbols) {
    assert.ok(contains(symbol.range, symbol.selectionRange), `${symbol.name}: selectionRange inside range`);
    if (parent) assert.ok(contains(parent.range, symbol.range), `${symbol.name} inside ${parent.name}`);
    checkNesting(symbol.children ?? [], symbol);
  }
}

describe('document symbols', () => {
  const symbols = documentSymbols(parseConfigFile('file:///ws/a.yaml', TEXT));

  it('lists each document with its kind by type and its parts as children', () => {
    assert.deepEqual(symbols.map((symbol) => [symbol.name, symbol.kind, symbol.detail]), [
      ['users', SymbolKind.Interface, 'request_response'],
      ['warehouse', SymbolKind.Struct, 'database'],
      ['api_gateway', SymbolKind.Namespace, '8080'],
    ]);
    assert.deepEqual(symbols[0].children?.map((child) => [child.name, child.detail]), [['get_user', 'GET /users/{id}'], ['create_user', 'POST /users']]);
    assert.deepEqual(symbols[1].children?.map((child) => child.name), ['local', 'milestones → project_milestones']);
    assert.deepEqual(symbols[2].children?.map((child) => [child.name, child.detail]), [['/users', '→ user_service']]);
  });

  it('has ranges that nest and selection ranges on the names', () => {
    checkNesting(symbols);
    assert.deepEqual(symbols[0].selectionRange, { start: { line: 4, character: 8 }, end: { line: 4, character: 13 } });
    assert.equal(symbols[0].range.start.line, 2);
    assert.equal(symbols[0].children?.[1].range.end.line, 9);
  });

  it('outlines publishers, subscribers, queues, webhook endpoints and services', () => {
    const text = `integration:
  type: event_driven
  name: e
  publishers:
    - {name: p, events: [a, b], destination: q}
  subscribers:
    - {name: s, events: [a], handler: log}
---
integration:
  type: message_queue
  name: m
  queues:
    - {name: q, exchange: x, routing_key: k}
---
integration:
  type: webhook
  name: w
  endpoints:
    - name: hook
---
microservices:
  services:
    - name: svc
      url: http://127.0.0.1:1
`;
    const all = documentSymbols(parseConfigFile('file:///ws/b.yaml', text));
    checkNesting(all);
    assert.deepEqual(all[0].children?.map((child) => child.detail), ['publishes a, b → q', 'handles a → log']);
    assert.deepEqual(all[1].children?.map((child) => [child.name, child.detail]), [['q', 'x / k']]);
    assert.deepEqual(all[2].children?.map((child) => [child.name, child.detail]), [['hook', 'receive only']]);
    assert.deepEqual(all[3].children?.map((child) => [child.name, child.kind]), [['svc', SymbolKind.Class]]);
  });

  it('survives broken YAML', () => {
    assert.doesNotThrow(() => documentSymbols(parseConfigFile('file:///ws/c.yaml', 'integration:\n  name: [unclosed\n  type: :')));
  });
});

describe('folding ranges', () => {
  const folds = foldingRanges(parseConfigFile('file:///ws/a.yaml', TEXT));
  const at = (startLine: number) => folds.find((fold) => fold.startLine === startLine);

  it('folds maps and lists from their key line, list items, documents and comment blocks', () => {
    assert.deepEqual(at(0), { startLine: 0, endLine: 1, kind: 'comment' });
    assert.equal(at(2)?.endLine, 9, 'the first integration');
    assert.equal(at(5)?.endLine, 9, 'endpoints');
    assert.equal(at(7)?.endLine, 9, 'create_user');
    assert.equal(at(14)?.endLine, 16, 'connections');
    assert.equal(at(17)?.endLine, 20, 'sync_tables');
    assert.equal(at(18)?.endLine, 20, 'a sync table item');
    assert.equal(at(22)?.endLine, 26, 'the gateway document');
    assert.equal(at(6), undefined, 'a one-line pair does not fold');
  });

  it('never has two folds starting on one line, nor an empty one', () => {
    assert.equal(new Set(folds.map((fold) => fold.startLine)).size, folds.length);
    assert.ok(folds.every((fold) => fold.endLine > fold.startLine));
  });
});

describe('selection ranges', () => {
  it('grows from a scalar to its pair, its map, the parent pair, up to the document', () => {
    const { text, position } = cursorAt('integration:\n  type: database\n  sync_tables:\n    - source: mile‸stones\n      target: t\n');
    const file = parseConfigFile('file:///ws/a.yaml', text);
    const [selection] = selectionRanges(file, [position]);
    const chain: string[] = [];
    for (let current: typeof selection | undefined = selection; current; current = current.parent) chain.push(file.text.slice(file.offset(current.range.start), file.offset(current.range.end)).trim());
    assert.deepEqual(chain.slice(0, 3), ['milestones', 'source: milestones', 'source: milestones\n      target: t']);
    assert.ok(chain.includes('sync_tables:\n    - source: milestones\n      target: t'));
    assert.equal(chain[chain.length - 1], text.trim());
    for (let current = selection; current.parent; current = current.parent) assert.ok(contains(current.parent.range, current.range));
  });

  it('answers one selection per position, even outside any node', () => {
    const file = parseConfigFile('file:///ws/a.yaml', '# only a comment\n');
    assert.equal(selectionRanges(file, [{ line: 0, character: 3 }, { line: 5, character: 0 }]).length, 2);
  });
});
