import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { liveEventRow } from '../../src/extension/webviews/liveEventRow';
import { MAX_CODE_CHARS, MAX_ROWS, type CodeSection, type ResultModel, type TableSection } from '../../src/extension/webviews/resultModel';
import { resultCommand } from '../../src/extension/webviews/resultCommands';
import { resultModel } from '../../src/extension/webviews/resultView';
import type { EndpointResult } from '../../src/runners/http/endpointResult';
import { runnerError } from '../../src/runners/errors';

function tableOf(model: ResultModel, title: string): TableSection {
  const found = model.sections.find((section) => section.title === title);
  assert.ok(found && found.type === 'table', `a table "${title}" in ${model.sections.map((section) => section.title).join(', ')}`);
  return found;
}

function codeOf(model: ResultModel, title: string): CodeSection {
  const found = model.sections.find((section) => section.title === title);
  assert.ok(found && found.type === 'code', `a code block "${title}"`);
  return found;
}

const texts = (table: TableSection) => table.rows.map((row) => row.map((cell) => cell.text));

const flakyRun: EndpointResult = {
  integration: 'tracker',
  endpoint: 'list_tasks',
  method: 'GET',
  url: 'http://127.0.0.1:4010/tasks?token=***',
  ok: true,
  status: 200,
  attempts: [
    { status: 503, error: runnerError('remote-5xx', 'HTTP 503 Service Unavailable'), durationMs: 12.34, delayMs: 0, firstByteMs: 11 },
    { status: 200, durationMs: 8, delayMs: 40.06, firstByteMs: 7.5 },
  ],
  durationMs: 61,
  timing: { queuedMs: 0.5, rateLimitWaitMs: 0, backoffMs: 40.06, firstByteMs: 7.5, totalMs: 61 },
  response: { headers: { 'content-type': 'application/json', 'x-request-id': 'r-1' }, body: { tasks: [{ id: 1 }] }, bytes: 22, truncated: false },
  breaker: 'closed',
};

describe('result panel view model: endpoint', () => {
  it('shows the status, every attempt with its delay and error, the timing, headers and the body pretty-printed', () => {
    const model = resultModel({ kind: 'endpoint', title: 'tracker.list_tasks', data: { ...flakyRun, traceId: '4bf92f3577b34da6a3ce929d0e0e4736' } });
    assert.deepEqual(model.headline, { text: '200', tone: 'ok', icon: 'pass' });
    assert.deepEqual(model.facts, [
      { label: 'Request', value: 'GET http://127.0.0.1:4010/tasks?token=***' },
      { label: 'Duration', value: '61 ms' },
      { label: 'Circuit', value: 'closed' },
      { label: 'Trace id', value: '4bf92f3577b34da6a3ce929d0e0e4736' },
    ]);
    assert.deepEqual(texts(tableOf(model, 'Attempts')), [
      ['1', '503', '12.3 ms', '0 ms', '11 ms', 'HTTP 503 Service Unavailable'],
      ['2', '200', '8 ms', '40.1 ms', '7.5 ms', ''],
    ]);
    assert.deepEqual(tableOf(model, 'Attempts').widths, ['40px', '100px', '90px', '110px', '90px'], 'the error column gets the rest');
    assert.equal(tableOf(model, 'Attempts').rows[0][1].tone, 'error');
    assert.deepEqual(texts(tableOf(model, 'Timing')), [['Queued (bulkhead)', '0.5 ms'], ['Rate limit wait', '0 ms'], ['Backoff', '40.1 ms'], ['First byte', '7.5 ms'], ['Total', '61 ms']]);
    assert.deepEqual(texts(tableOf(model, 'Response headers')), [['content-type', 'application/json'], ['x-request-id', 'r-1']]);
    assert.equal(codeOf(model, 'Body').text, JSON.stringify({ tasks: [{ id: 1 }] }, null, 2));
    assert.deepEqual(model.actions, ['rerun']);
  });

  it('reads the JSON converter shape too (nulls, a body already formatted as text) and says when the runner cut the body', () => {
    const json = { integration: 'tracker', endpoint: 'e', ok: false, status: null, attempts: [{ status: null, error: 'connect ECONNREFUSED 127.0.0.1:9', durationMs: 1, delayMs: 0 }], durationMs: 1, breaker: 'open', error: { kind: 'transient', message: 'connect ECONNREFUSED 127.0.0.1:9' }, method: 'GET', url: null, timing: null, response: { headers: {}, body: '{"a":', bytes: 65536, truncated: true }, traceId: null };
    const model = resultModel({ kind: 'endpoint', title: 't', data: json });
    assert.deepEqual(model.headline, { text: 'connect ECONNREFUSED 127.0.0.1:9', tone: 'error', icon: 'error' });
    assert.deepEqual(texts(tableOf(model, 'Attempts')), [['1', 'no answer', '1 ms', '0 ms', 'connect ECONNREFUSED 127.0.0.1:9']], 'no first-byte column where no attempt has one');
    assert.equal(model.sections.some((section) => section.title === 'Timing'), false);
    assert.equal(codeOf(model, 'Body').text, '{"a":', 'text that is not JSON stays as it came');
    assert.equal(codeOf(model, 'Body').note, 'the runner kept the first 65536 bytes');
    assert.equal(tableOf(model, 'Response headers').note, 'No headers.');
  });

  it('bounds code blocks and tables, and says what it left out', () => {
    const huge = 'x'.repeat(MAX_CODE_CHARS + 10);
    const attempts = Array.from({ length: MAX_ROWS + 5 }, () => ({ status: 500, durationMs: 1, delayMs: 1 }));
    const model = resultModel({ kind: 'endpoint', title: 't', data: { ...flakyRun, attempts, response: { headers: {}, body: huge } } });
    const body = codeOf(model, 'Body');
    assert.equal(body.text.length, MAX_CODE_CHARS);
    assert.equal(body.note, `cut at ${MAX_CODE_CHARS} of ${MAX_CODE_CHARS + 10} characters`);
    assert.equal(tableOf(model, 'Attempts').rows.length, MAX_ROWS);
    assert.equal(tableOf(model, 'Attempts').note, '5 more not shown');
  });

  it('never throws on data of the wrong shape', () => {
    for (const kind of ['endpoint', 'endpoints', 'sync', 'webhook', 'queue-publish', 'queue-peek', 'receiver'] as const) {
      for (const data of [undefined, null, 3, 'text', [], { attempts: 'many', tables: {}, messages: 7, response: [] }]) {
        const model = resultModel({ kind, title: 'x', data });
        assert.equal(typeof model.headline.text, 'string', `${kind} ${JSON.stringify(data)}`);
      }
    }
  });

  it('lists every endpoint of Test All Endpoints with a pass count', () => {
    const failed = { ...flakyRun, endpoint: 'create_task', ok: false, status: 500, error: runnerError('remote-5xx', 'HTTP 500') };
    const model = resultModel({ kind: 'endpoints', title: 'tracker', data: { integration: 'tracker', ok: false, results: [flakyRun, failed] } });
    assert.deepEqual(model.headline, { text: '1 of 2 passed', tone: 'error', icon: 'error' });
    assert.deepEqual(texts(tableOf(model, 'Endpoints')), [
      ['list_tasks', '200', '2', '61 ms', ''],
      ['create_task', '500', '2', '61 ms', 'HTTP 500'],
    ]);
  });
});

describe('result panel view model: sync', () => {
  const preview = {
    integration: 'warehouse',
    dryRun: true,
    ok: true,
    tables: [
      {
        ok: true,
        source: 'crm.customers',
        target: 'customers',
        inserted: 1,
        updated: 1,
        deleted: 1,
        unchanged: 4,
        durationMs: 20,
        deletesIgnored: 0,
        rowsCompared: 6,
        samples: { inserted: [{ id: '7', name: 'Ada' }], updated: [{ key: '3', changed: { name: { from: 'Bob', to: 'Robert' }, email: { from: null, to: 'r@x' } } }], deleted: ['9'] },
      },
    ],
  };

  it('shows the per-table counts, the samples (from → to) and offers Apply for a dry run', () => {
    const model = resultModel({ kind: 'sync', title: 'warehouse', data: preview });
    assert.deepEqual(model.headline, { text: 'preview: 3 row changes', tone: 'ok', icon: 'pass' });
    assert.deepEqual(model.actions, ['apply', 'rerun']);
    assert.deepEqual(texts(tableOf(model, 'Tables')), [['crm.customers → customers', 'would write', '1', '1', '1', '4', '20 ms', '']]);
    assert.deepEqual(texts(tableOf(model, 'crm.customers → customers: rows to insert')), [['7', 'Ada']]);
    assert.deepEqual(tableOf(model, 'crm.customers → customers: rows to insert').columns, ['id', 'name']);
    assert.deepEqual(texts(tableOf(model, 'crm.customers → customers: rows to update')), [['3', 'name', 'Bob', 'Robert'], ['3', 'email', 'NULL', 'r@x']]);
    assert.deepEqual(texts(tableOf(model, 'crm.customers → customers: rows to delete')), [['9']]);
  });

  it('reports failed tables (both error shapes), still offers Apply for the dry run, and none after a real run', () => {
    const failing = { ...preview, ok: false, tables: [...preview.tables, { source: 'crm.orders', target: 'orders', error: { kind: 'config', message: 'no table orders' } }, { ok: false, source: 'a', target: 'b', error: 'busy', errorKind: 'busy' }] };
    const model = resultModel({ kind: 'sync', title: 'warehouse', data: failing });
    assert.deepEqual(model.headline, { text: '2 of 3 tables failed', tone: 'error', icon: 'error' });
    assert.deepEqual(model.actions, ['apply', 'rerun'], 'Run Sync asks before it writes, listing the failures');
    assert.deepEqual(tableOf(model, 'Tables').rows.slice(1).map((row) => [row[0].text, row[1].text, row[7].text]), [['crm.orders → orders', 'failed', 'no table orders'], ['a → b', 'failed', 'busy']]);
    const applied = resultModel({ kind: 'sync', title: 'warehouse', data: { ...preview, dryRun: false } });
    assert.deepEqual(applied.actions, ['rerun']);
    assert.equal(applied.headline.text, '1 table synced');
  });
});

describe('result panel view model: webhooks and queues', () => {
  it('a webhook delivery: status, attempts, the event sent', () => {
    const delivery = { integration: 'hooks', endpoint: 'out', url: 'http://127.0.0.1:9/hook', event: { id: 'evt_1', type: 'task_completed', timestamp: '2026-12-07T10:00:00Z', data: { task: 1 } }, ok: true, status: 204, attempts: [{ status: 502, durationMs: 3, delayMs: 0 }, { status: 204, durationMs: 2, delayMs: 10 }] };
    const model = resultModel({ kind: 'webhook', title: 'hooks.out', data: delivery });
    assert.deepEqual(model.headline, { text: '204', tone: 'ok', icon: 'pass' });
    assert.deepEqual(model.facts, [{ label: 'URL', value: 'http://127.0.0.1:9/hook' }, { label: 'Event', value: 'task_completed (evt_1)' }]);
    assert.deepEqual(texts(tableOf(model, 'Attempts')).map((row) => row[1]), ['502', '204']);
    assert.equal(codeOf(model, 'Event data').text, '{\n  "task": 1\n}');
  });

  it('a publish receipt, nested (editor) or flat (converter), and a refused publish', () => {
    const receipt = { queue: 'tasks', exchange: '', routingKey: 'tasks', messageId: 'm-1', durationMs: 4 };
    for (const data of [{ ok: true, integration: 'q', queue: 'tasks', receipt }, { ok: true, integration: 'q', ...receipt }]) {
      const model = resultModel({ kind: 'queue-publish', title: 'q/tasks', data });
      assert.equal(model.headline.text, 'confirmed by the broker');
      assert.deepEqual(model.facts.map((fact) => fact.value), ['tasks', '(default)', 'tasks', 'm-1', '4 ms']);
    }
    const refused = resultModel({ kind: 'queue-publish', title: 'q/tasks', data: { ok: false, error: { kind: 'transient', message: 'connection refused' } } });
    assert.deepEqual(refused.headline, { text: 'not published: connection refused', tone: 'error', icon: 'error' });
  });

  it('peeked messages, with long bodies shortened in the table', () => {
    const messages = [{ body: { n: 1 }, messageId: 'a', routingKey: 'tasks', redelivered: true }, { body: 'y'.repeat(500), routingKey: 'tasks', redelivered: false }];
    const model = resultModel({ kind: 'queue-peek', title: 'q/tasks', data: { ok: true, messages } });
    assert.equal(model.headline.text, '2 messages (left in place)');
    const rows = texts(tableOf(model, 'Messages'));
    assert.deepEqual(rows[0], ['1', 'a', 'tasks', 'yes', '{"n":1}']);
    assert.equal(rows[1][4].length, 201);
    assert.equal(tableOf(resultModel({ kind: 'queue-peek', title: 'q', data: { ok: true, messages: [] } }), 'Messages').note, 'The queue is empty.');
  });

  it('a receiver: where it listens, its deliveries newest first, and the one asked for (else the newest) in full', () => {
    const older = { integration: 'hooks', endpoint: 'github', headers: { 'x-github-event': 'push' }, body: { ref: 'main' }, receivedAt: '2026-12-07T10:00:00.000Z' };
    const newer = { ...older, endpoint: 'stripe', headers: { 'stripe-signature': 't=1' }, body: { id: 'evt_1' }, receivedAt: '2026-12-07T10:05:00.000Z' };
    const listening = resultModel({ kind: 'receiver', title: 'hooks receiver', data: { integration: 'hooks', url: 'http://127.0.0.1:9000', deliveries: [newer, older] } });
    assert.equal(listening.headline.text, '2 received');
    assert.deepEqual(listening.facts, [{ label: 'Receiver', value: 'listening on http://127.0.0.1:9000' }]);
    assert.deepEqual(texts(tableOf(listening, 'Deliveries')).map((row) => row[1]), ['stripe', 'github']);
    assert.deepEqual(tableOf(listening, 'Deliveries').rows.map((row) => row[0].icon), ['eye', undefined], 'the newest is the one shown');
    assert.deepEqual(texts(tableOf(listening, 'Headers of stripe at 2026-12-07T10:05:00.000Z')), [['stripe-signature', 't=1']]);

    const clicked = resultModel({ kind: 'receiver', title: 'hooks receiver', data: { integration: 'hooks', deliveries: [newer, older], shown: older } });
    assert.deepEqual(clicked.facts, [{ label: 'Receiver', value: 'stopped' }]);
    assert.deepEqual(tableOf(clicked, 'Deliveries').rows.map((row) => row[0].icon), [undefined, 'eye']);
    assert.equal(codeOf(clicked, 'Body of github at 2026-12-07T10:00:00.000Z').text, '{\n  "ref": "main"\n}');

    const empty = resultModel({ kind: 'receiver', title: 'hooks receiver', data: { integration: 'hooks', url: 'http://127.0.0.1:9000', deliveries: [] } });
    assert.equal(tableOf(empty, 'Deliveries').note, 'Nothing received yet.');
    assert.deepEqual(empty.sections.map((section) => section.title), ['Deliveries']);
  });
});

describe('live run events', () => {
  it('turns each run event into a row, and ignores unknown ones', () => {
    const rows = [
      { type: 'attempt-started', attempt: 1, method: 'GET', url: 'http://127.0.0.1/x' },
      { type: 'attempt-ended', attempt: 1, status: 503, durationMs: 5, error: { kind: 'remote-5xx', message: 'HTTP 503' } },
      { type: 'backoff', attempt: 2, delayMs: 40 },
      { type: 'rejected', policy: 'circuit-open', error: { kind: 'transient', message: 'circuit open' } },
      { type: 'table-progress', source: 's', target: 't', rowsRead: 5, rowsWritten: 2, total: 10 },
      { type: 'table-finished', source: 's', target: 't', ok: true },
    ].map((event) => liveEventRow(event)?.map((cell) => cell.text));
    assert.deepEqual(rows, [
      ['sending', '1', 'GET http://127.0.0.1/x'],
      ['503', '1', '5 ms · HTTP 503'],
      ['backoff', '2', 'waiting 40 ms'],
      ['refused', 'circuit-open', 'circuit open'],
      ['table', 's → t', '5 of 10 read, 2 written'],
      ['done', 's → t', ''],
    ]);
    assert.equal(liveEventRow({ type: 'something-new' }), undefined);
    assert.equal(liveEventRow('attempt-started'), undefined);
  });
});

describe('result panel buttons', () => {
  it('run the command that made the result, on the same target; none where the result does not name it', () => {
    const endpoint = { kind: 'endpoint', title: 'tracker.list_tasks', data: flakyRun } as const;
    assert.deepEqual(resultCommand(endpoint, 'rerun'), { command: 'simone.testEndpoint', argument: { integration: 'tracker', endpoint: 'list_tasks' } });
    assert.equal(resultCommand(endpoint, 'apply'), undefined);
    const preview = { kind: 'sync', title: 'warehouse', data: { integration: 'warehouse', dryRun: true, ok: true, tables: [] } } as const;
    assert.deepEqual(resultCommand(preview, 'rerun'), { command: 'simone.previewSync', argument: { integration: 'warehouse' } });
    assert.deepEqual(resultCommand(preview, 'apply'), { command: 'simone.runSync', argument: { integration: 'warehouse' } });
    assert.equal(resultCommand({ ...preview, data: { ...preview.data, dryRun: false } }, 'apply'), undefined);
    assert.deepEqual(resultCommand({ kind: 'queue-peek', title: 'q/tasks', data: { integration: 'q', queue: 'tasks', ok: true, messages: [] } }, 'rerun'), { command: 'simone.peekQueue', argument: { integration: 'q' } });
    assert.equal(resultCommand({ kind: 'webhook', title: 'hooks', data: { integration: 'hooks' } }, 'rerun'), undefined, 'a delivery without its endpoint');
    assert.deepEqual(resultModel({ kind: 'endpoint', title: 't', data: { ok: true, status: 200 } }).actions, [], 'no target, no button');
  });
});
