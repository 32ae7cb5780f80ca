import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CompletionItem, CompletionList } from 'vscode-languageserver-types';
import { InsertTextFormat } from 'vscode-languageserver-types';
import { complete } from '../../src/language/completion';
import { workspaceWith, type FakeWorkspace } from '../support/languageContext';
import { cursorAt } from '../support/markers';

function completeAt(textWithCaret: string, workspace: FakeWorkspace = {}): CompletionList {
  const { text, position } = cursorAt(textWithCaret);
  const { file, ctx } = workspaceWith(text, workspace);
  return complete(file, position, ctx);
}

const labels = (list: CompletionList): string[] => list.items.map((item) => item.label);
const item = (list: CompletionList, label: string): CompletionItem => {
  const found = list.items.find((entry) => entry.label === label);
  assert.ok(found, `no completion "${label}" in ${labels(list).join(', ')}`);
  return found;
};
const newText = (entry: CompletionItem): string => (entry.textEdit as { newText: string }).newText;
const bySort = (list: CompletionList): string[] => [...list.items].sort((a, b) => (a.sortText ?? '').localeCompare(b.sortText ?? '')).map((entry) => entry.label);

const OTHERS = {
  'file:///ws/.simone/integrations/queues.yaml': `integration:
  type: message_queue
  name: broker
  connection_url: amqp://127.0.0.1
  queues:
    - name: task_queue
    - name: notification_queue
`,
  'file:///ws/.simone/integrations/hooks.yaml': `integration:
  type: webhook
  name: external_notifications
  endpoints:
    - name: slack_webhook
      url: https://hooks.example.com/x
      secret: \${SLACK_SECRET}
---
integration:
  type: event_driven
  name: publisher_side
  publishers:
    - name: p
      events: [deploy_finished]
      destination: task_queue
`,
  'file:///ws/.simone/integrations/services.yaml': `microservices:
  services:
    - name: user_service
    - name: milestone_service
`,
};

describe('completion: values the runners do not run', () => {
  it('offers http but not grpc for communication.type, and every discovery scheme', () => {
    const microservices = (line: string) => `microservices:\n  discovery:\n    type: consul\n${line.startsWith('    scheme') ? `${line}\n` : ''}  services:\n    - name: orders\n  communication:\n${line.startsWith('    type') ? `${line}\n` : '    type: http\n'}`;
    assert.deepEqual(labels(completeAt(microservices('    type: ‸'))), ['http']);
    assert.deepEqual(labels(completeAt(microservices('    scheme: ‸'))).sort(), ['http', 'https']);
    // The key's snippet offers the same choice.
    const key = completeAt('microservices:\n  services:\n    - name: orders\n  communication:\n    ‸\n');
    assert.match(newText(item(key, 'type')), /^type: /);
    assert.doesNotMatch(newText(item(key, 'type')), /grpc/);
  });

  it('offers the resilience keys where a runner reads them: not a circuit breaker to a message queue, nor a retry to a database', () => {
    const body = (type: string) => labels(completeAt(`integration:\n  type: ${type}\n  name: x\n  ‸\n`));
    const queue = body('message_queue');
    assert.ok(queue.includes('retry') && queue.includes('timeout'), queue.join(', '));
    for (const key of ['circuit_breaker', 'bulkhead', 'rate_limit', 'auth']) assert.ok(!queue.includes(key), key);
    const database = body('database');
    for (const key of ['retry', 'retries', 'circuit_breaker']) assert.ok(!database.includes(key), key);
    assert.ok(body('request_response').includes('circuit_breaker'));
  });
});

describe('completion: keys', () => {
  it('offers on a blank line inside circuit_breaker only its keys not yet present', () => {
    const list = completeAt(`integration:
  type: request_response
  name: users
  circuit_breaker:
    failure_threshold: 5
    ‸
  endpoints:
    get: /x
`);
    assert.deepEqual(labels(list).sort(), ['half_open_max_calls', 'timeout']);
    assert.equal(newText(item(list, 'timeout')), 'timeout: ${1:60s}');
    assert.equal(item(list, 'timeout').insertTextFormat, InsertTextFormat.Snippet);
  });

  it('offers keys of the integration type, required first, and not a request_response key to a database', () => {
    const list = completeAt(`integration:
  type: database
  name: warehouse
  ‸
`);
    assert.ok(!labels(list).includes('endpoints'), 'a database integration is not offered endpoints');
    assert.ok(!labels(list).includes('type') && !labels(list).includes('name'), 'present keys are not offered');
    assert.deepEqual(bySort(list).slice(0, 2), ['connections', 'sync_tables']);
    assert.equal(newText(item(list, 'sync_tables')), 'sync_tables:\n    - source: ${1:}\n      target: ${2:project_milestones}');
    assert.equal(newText(item(list, 'connections')), 'connections:\n    - name: ${1:analytics_db}');
  });

  it('completes a partly typed key, the text still unparseable', () => {
    const list = completeAt(`integration:
  type: request_response
  name: users
  endp‸
  timeout: 5s
`);
    const endpoints = item(list, 'endpoints');
    assert.equal(endpoints.sortText?.[0], '0', 'required keys sort first');
    assert.equal(newText(endpoints), 'endpoints:\n    ${1:get_user}: ${2:/users/{id\\}}');
    assert.deepEqual((endpoints.textEdit as { range: unknown }).range, { start: { line: 3, character: 2 }, end: { line: 3, character: 6 } });
    assert.ok(!labels(list).includes('timeout'), 'a key written below the cursor is not offered again');
    assert.match((endpoints.documentation as { value: string }).value, /Named endpoints/);
  });

  it('offers the item keys on a new list item, with the nested list indented under the item', () => {
    const list = completeAt(`integration:
  type: event_driven
  name: events
  publishers:
    - ‸
`);
    assert.deepEqual(labels(list).sort(), ['destination', 'events', 'name']);
    assert.equal(newText(item(list, 'events')), 'events:\n        - ${1:}', 'names are left empty for name completion');
    assert.equal(newText(item(list, 'destination')), 'destination: ${1:}');
    assert.equal(item(list, 'destination').command?.command, 'editor.action.triggerSuggest');
    assert.equal(item(list, 'name').command, undefined);
  });

  it('fills a map-valued key with its required keys and a discriminated one with a choice', () => {
    const list = completeAt(`integration:
  type: request_response
  name: users
  endpoints: {a: /a}
  ‸
`);
    assert.equal(newText(item(list, 'rate_limit')), 'rate_limit:\n    requests_per_minute: ${1:60}');
    assert.equal(newText(item(list, 'auth')), 'auth:\n    type: ${1|oauth2_client_credentials,bearer,api_key,basic,jwt|}');
  });

  it('offers the keys of the auth scheme chosen by its type', () => {
    const list = completeAt(`integration:
  type: request_response
  name: users
  endpoints: {a: /a}
  auth:
    type: api_key
    ‸
`);
    assert.deepEqual(labels(list).sort(), ['header', 'key']);
  });

  it('offers one top-level key in an empty document', () => {
    assert.deepEqual(labels(completeAt('‸')).sort(), ['api_gateway', 'integration', 'microservices']);
    assert.deepEqual(labels(completeAt('integration:\n  type: webhook\n‸')), []);
  });
});

describe('completion: values', () => {
  it('offers the enum after a colon with nothing typed, the default first', () => {
    const list = completeAt(`integration:
  type: database
  name: warehouse
  sync_tables:
    - source: milestones
      sync_frequency: ‸
`);
    assert.deepEqual(labels(list).sort(), ['daily', 'hourly', 'manual', 'real_time']);
    assert.equal(bySort(list)[0], 'manual');
  });

  it('offers every integration type for type, even once one is chosen', () => {
    const list = completeAt(`integration:
  type: data‸base
  name: x
`);
    assert.deepEqual(labels(list).sort(), ['database', 'event_driven', 'message_queue', 'request_response', 'webhook']);
    assert.deepEqual((list.items[0].textEdit as { range: unknown }).range, { start: { line: 1, character: 8 }, end: { line: 1, character: 16 } });
  });

  it('offers common durations, the default first', () => {
    const list = completeAt(`integration:
  type: webhook
  name: hooks
  timeout: ‸
`);
    assert.equal(bySort(list)[0], '30s');
    assert.ok(labels(list).includes('1m'));
    assert.equal(item(list, '1m').detail, '1 minute');
  });

  it('offers methods, load balancers, signatures, exchange types and booleans', () => {
    assert.ok(labels(completeAt('integration:\n  type: request_response\n  name: a\n  endpoints:\n    e:\n      url: /x\n      method: ‸\n')).includes('PATCH'));
    assert.ok(labels(completeAt('microservices:\n  services:\n    - name: a\n      load_balancer: ‸\n')).includes('least_connections'));
    assert.ok(labels(completeAt('integration:\n  type: webhook\n  name: a\n  endpoints:\n    - name: e\n      signature: ‸\n')).includes('stripe'));
    assert.ok(labels(completeAt('integration:\n  type: message_queue\n  name: a\n  queues:\n    - name: q\n      exchange_type: ‸\n')).includes('fanout'));
    assert.deepEqual(labels(completeAt('integration:\n  type: webhook\n  name: a\n  enabled: ‸\n')), ['true', 'false']);
    assert.ok(labels(completeAt('api_gateway:\n  routes:\n    - path: /a\n      service: s\n      methods:\n        - ‸\n')).includes('DELETE'));
  });

  it('offers Simone events and every published event in events lists, block and flow', () => {
    const block = completeAt(`integration:
  type: event_driven
  name: side
  subscribers:
    - name: s
      events:
        - ‸
`, { files: OTHERS });
    assert.ok(labels(block).includes('task_completed'));
    assert.ok(labels(block).includes('deploy_finished'), 'a custom event published in another file');
    assert.equal(item(block, 'deploy_finished').detail, 'published by publisher_side');
    const flow = completeAt('integration:\n  type: event_driven\n  name: side\n  subscribers:\n    - name: s\n      events: [task_created, ‸]\n', { files: OTHERS });
    assert.ok(labels(flow).includes('deploy_finished'));
  });

  it('offers queues for destination, services for routes, handler forms for handler', () => {
    const destination = completeAt('integration:\n  type: event_driven\n  name: side\n  publishers:\n    - name: p\n      events: [a]\n      destination: ‸\n', { files: OTHERS });
    assert.deepEqual(labels(destination).sort(), ['notification_queue', 'task_queue']);
    const service = completeAt('api_gateway:\n  routes:\n    - path: /a\n      service: ‸\n', { files: OTHERS });
    assert.deepEqual(labels(service).sort(), ['milestone_service', 'user_service']);
    const handler = completeAt('integration:\n  type: event_driven\n  name: side\n  subscribers:\n    - name: s\n      events: [a]\n      handler: ‸\n', { files: OTHERS });
    assert.deepEqual(labels(handler), ['webhook:external_notifications/slack_webhook', 'queue:task_queue', 'queue:notification_queue', 'log', 'command:']);
    assert.equal(newText(item(handler, 'command:')), 'command:${1:command.id}');
  });

  it('offers this integration\'s connections, and entity sets and <connection>. in source', () => {
    const text = (line: string) => `integration:
  type: database
  name: warehouse
  connections:
    - name: analytics
    - name: local
  sync_tables:
    - target: t
      ${line}
`;
    const other = { 'file:///ws/other.yaml': 'integration:\n  type: database\n  name: elsewhere\n  connections:\n    - name: foreign\n' };
    assert.deepEqual(labels(completeAt(text('connection: ‸'), { files: other })).sort(), ['analytics', 'local']);
    assert.deepEqual(labels(completeAt(text('source: ‸'), { files: other })), ['milestones', 'sprints', 'tasks', 'analytics.', 'local.']);
  });
});

describe('completion: variables', () => {
  const env = { 'file:///ws/.env': { API_TOKEN: 'super-secret', USER_URL: 'https://user:pw@users.example.com' }, 'process environment': { HOME: '/root' } };

  it('offers variable names after ${ with their origin, never a secret value', () => {
    const list = completeAt('integration:\n  type: request_response\n  name: a\n  base_url: ${‸\n', { env });
    assert.deepEqual(bySort(list), ['API_TOKEN', 'USER_URL', 'HOME']);
    const token = item(list, 'API_TOKEN');
    assert.equal(token.detail, 'file:///ws/.env');
    assert.equal(newText(token), 'API_TOKEN}');
    assert.ok(!JSON.stringify(list).includes('super-secret'), 'the secret value is never shown');
    assert.ok(!JSON.stringify(list).includes(':pw@'), 'URL passwords are masked');
  });

  it('completes a partial name and does not add a second closing brace', () => {
    const list = completeAt('integration:\n  type: request_response\n  name: a\n  base_url: ${US‸}\n', { env });
    assert.equal(newText(item(list, 'USER_URL')), 'USER_URL');
    assert.deepEqual((item(list, 'USER_URL').textEdit as { range: unknown }).range, { start: { line: 3, character: 14 }, end: { line: 3, character: 16 } });
  });
});

describe('completion: maps that may also be scalars', () => {
  it('offers the object form\'s keys under an endpoint being written as a map', () => {
    const list = completeAt(`integration:
  type: request_response
  name: users
  endpoints:
    create_user:
      ‸
`);
    assert.deepEqual(labels(list).sort(), ['body', 'headers', 'method', 'url']);
    assert.equal(bySort(list)[0], 'url');
  });

  it('replaces a key up to its colon, not the colon', () => {
    const list = completeAt('integration:\n  type: webhook\n  name: a\n  time‸out: 5s\n');
    assert.deepEqual(item(list, 'timeout').textEdit, { range: { start: { line: 3, character: 2 }, end: { line: 3, character: 9 } }, newText: 'timeout' });
  });
});

describe('completion: several documents', () => {
  it('reads the type of the cursor\'s own document while it does not parse', () => {
    const list = completeAt('integration:\n  type: webhook\n  name: a\n---\nintegration:\n  type: database\n  name: b\n  conn‸\n---\nintegration:\n  type: request_response\n  name: c\n');
    assert.ok(labels(list).includes('connections'));
    assert.ok(!labels(list).includes('endpoints') && !labels(list).includes('receiver'));
  });

  it('offers the auth keys of the scheme in a later, broken document', () => {
    const list = completeAt('integration:\n  type: webhook\n  name: a\n---\nintegration:\n  type: request_response\n  name: b\n  endpoints: {a: /a}\n  auth:\n    type: basic\n    pass‸\n');
    assert.deepEqual(labels(list).sort(), ['password', 'username']);
  });
});
