import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Location, TextEdit } from 'vscode-languageserver-types';
import { definition, prepareRename, references, rename } from '../../src/language/navigation';
import { workspaceWith } from '../support/languageContext';
import { cursorAt } from '../support/markers';

const QUEUES = 'file:///ws/queues.yaml';
const HOOKS = 'file:///ws/hooks.yaml';
const SERVICES = 'file:///ws/services.yaml';
const FILES = {
  [QUEUES]: `integration:
  type: message_queue
  name: broker
  connection_url: amqp://127.0.0.1
  queues:
    - name: task_queue
`,
  [HOOKS]: `integration:
  type: webhook
  name: notify
  endpoints:
    - name: slack
      url: https://hooks.example.com/x
`,
  [SERVICES]: `microservices:
  services:
    - name: "user_service"
`,
};

const EVENTS = `integration:
  type: event_driven
  name: events
  publishers:
    - name: p
      events: [task_created]
      destination: task_queue
  subscribers:
    - name: s
      events: [task_created]
      handler: webhook:notify/slack
    - name: q
      events: [task_created]
      handler: "queue:task_queue"
`;

function at(textWithCaret: string) {
  const { text, position } = cursorAt(textWithCaret);
  return { position, ...workspaceWith(text, { files: FILES }) };
}

const caretIn = (text: string, needle: string, shift = 1): string => text.replace(needle, needle.slice(0, shift) + '‸' + needle.slice(shift));
const spots = (locations: Location[]): string[] => locations.map((entry) => `${entry.uri.slice(entry.uri.lastIndexOf('/') + 1)}:${entry.range.start.line}:${entry.range.start.character}-${entry.range.end.character}`).sort();

describe('go to definition', () => {
  it('goes from a destination to its queue in another file', () => {
    const { file, ctx, position } = at(caretIn(EVENTS, 'destination: task_queue', 16));
    assert.deepEqual(spots(definition(file, position, ctx)), ['queues.yaml:5:12-22']);
  });

  it('goes from a handler to the webhook endpoint or the integration, by the part under the cursor', () => {
    const endpoint = at(caretIn(EVENTS, 'notify/slack', 9));
    assert.deepEqual(spots(definition(endpoint.file, endpoint.position, endpoint.ctx)), ['hooks.yaml:4:12-17']);
    const integration = at(caretIn(EVENTS, 'notify/slack', 2));
    assert.deepEqual(spots(definition(integration.file, integration.position, integration.ctx)), ['hooks.yaml:2:8-14']);
    const queue = at(caretIn(EVENTS, 'queue:task_queue', 8));
    assert.deepEqual(spots(definition(queue.file, queue.position, queue.ctx)), ['queues.yaml:5:12-22']);
  });

  it('goes from a subscriber\'s event to the publishers that emit it', () => {
    const text = EVENTS.replace('    - name: s\n      events: [task_created]', '    - name: s\n      events: [task_creat‸ed]');
    const { file, ctx, position } = at(text);
    assert.deepEqual(spots(definition(file, position, ctx)), ['test.yaml:5:15-27']);
  });

  it('goes from a route to its service (inside quotes) and from a sync source to its connection', () => {
    const route = at('api_gateway:\n  routes:\n    - path: /u\n      service: user_se‸rvice\n');
    assert.deepEqual(spots(definition(route.file, route.position, route.ctx)), ['services.yaml:2:13-25']);
    const sync = at('integration:\n  type: database\n  name: db\n  connections:\n    - name: analytics\n  sync_tables:\n    - source: analy‸tics.events\n      target: t\n');
    assert.deepEqual(spots(definition(sync.file, sync.position, sync.ctx)), ['test.yaml:4:12-21']);
  });

  it('a name goes to itself; a plain value goes nowhere', () => {
    const self = at('integration:\n  type: webhook\n  name: ho‸oks\n');
    assert.deepEqual(spots(definition(self.file, self.position, self.ctx)), ['test.yaml:2:8-13']);
    const plain = at('integration:\n  type: web‸hook\n  name: hooks\n');
    assert.deepEqual(definition(plain.file, plain.position, plain.ctx), []);
  });
});

describe('find references', () => {
  it('finds every use of a queue across files, from its declaration, with and without it', () => {
    const fromQueues = workspaceWith(EVENTS, { files: FILES });
    const queueFile = fromQueues.ctx.file(QUEUES)!;
    const position = { line: 5, character: 15 };
    assert.deepEqual(spots(references(queueFile, position, fromQueues.ctx, false)), ['test.yaml:13:22-32', 'test.yaml:6:19-29']);
    assert.deepEqual(spots(references(queueFile, position, fromQueues.ctx, true)), ['queues.yaml:5:12-22', 'test.yaml:13:22-32', 'test.yaml:6:19-29']);
  });

  it('finds the same set from a use', () => {
    const { file, ctx, position } = at(caretIn(EVENTS, 'queue:task_queue', 9));
    assert.deepEqual(spots(references(file, position, ctx, true)), ['queues.yaml:5:12-22', 'test.yaml:13:22-32', 'test.yaml:6:19-29']);
  });
});

describe('rename', () => {
  const editsOf = (edit: { changes?: Record<string, TextEdit[]> } | null): string[] =>
    Object.entries(edit?.changes ?? {}).flatMap(([uri, edits]) => edits.map((entry) => `${uri.slice(uri.lastIndexOf('/') + 1)}:${entry.range.start.line}:${entry.range.start.character}-${entry.range.end.character}=${entry.newText}`)).sort();

  it('renames an integration in its declaration and inside webhook handlers only', () => {
    const hooks = workspaceWith(EVENTS, { files: FILES });
    const file = hooks.ctx.file(HOOKS)!;
    const position = { line: 2, character: 10 };
    assert.deepEqual(prepareRename(file, position, hooks.ctx), { range: { start: { line: 2, character: 8 }, end: { line: 2, character: 14 } }, placeholder: 'notify' });
    assert.deepEqual(editsOf(rename(file, position, 'alerts', hooks.ctx)), ['hooks.yaml:2:8-14=alerts', 'test.yaml:10:23-29=alerts']);
  });

  it('renames a queue in destinations and queue: handlers, keeping quotes and prefixes', () => {
    const { file, ctx, position } = at(caretIn(EVENTS, 'destination: task_queue', 16));
    assert.deepEqual(editsOf(rename(file, position, 'jobs', ctx)), ['queues.yaml:5:12-22=jobs', 'test.yaml:13:22-32=jobs', 'test.yaml:6:19-29=jobs']);
  });

  it('renames a connection in connection keys and in <connection>.<table> sources', () => {
    const { file, ctx, position } = at('integration:\n  type: database\n  name: db\n  connections:\n    - name: ana‸lytics\n  sync_tables:\n    - source: analytics.events\n      target: t\n      connection: analytics\n');
    assert.deepEqual(editsOf(rename(file, position, 'warehouse', ctx)), ['test.yaml:4:12-21=warehouse', 'test.yaml:6:14-23=warehouse', 'test.yaml:8:18-27=warehouse']);
  });

  it('renames a service across files, inside its quotes', () => {
    const { file, ctx, position } = at('api_gateway:\n  routes:\n    - path: /u\n      service: user_se‸rvice\n');
    assert.deepEqual(editsOf(rename(file, position, 'accounts', ctx)), ['services.yaml:2:13-25=accounts', 'test.yaml:3:15-27=accounts']);
  });

  it('rejects invalid names and what cannot be renamed', () => {
    const hooks = workspaceWith(EVENTS, { files: FILES });
    const file = hooks.ctx.file(HOOKS)!;
    assert.equal(rename(file, { line: 2, character: 10 }, 'Bad-Name', hooks.ctx), null);
    assert.equal(rename(file, { line: 2, character: 10 }, '9lives', hooks.ctx), null);
    const connection = at('integration:\n  type: database\n  name: db\n  connections:\n    - name: ana‸lytics\n');
    assert.equal(rename(connection.file, connection.position, 'a.b', connection.ctx), null);
    const event = at(caretIn(EVENTS, '[task_created]', 3));
    assert.equal(prepareRename(event.file, event.position, event.ctx), null);
    assert.equal(rename(event.file, event.position, 'other', event.ctx), null);
  });
});

