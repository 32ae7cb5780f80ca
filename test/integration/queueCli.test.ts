import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { main } from '../../src/cli/main';
import { startRabbitMq, type RabbitMqBroker } from '../support/rabbitmq';

let broker: RabbitMqBroker;
let workspace: string;

before(async () => {
  broker = await startRabbitMq();
  workspace = mkdtempSync(join(tmpdir(), 'simone-queue-cli-'));
  mkdirSync(join(workspace, '.simone', 'integrations'), { recursive: true });
  // The URL, password included, comes from the workspace's .env, as users keep it.
  writeFileSync(join(workspace, '.env'), `RABBITMQ_URL=${broker.url}\nDOWN_URL=amqp://guest:s3cret-pass@127.0.0.1:1\n`);
  writeFileSync(
    join(workspace, '.simone', 'integrations', 'bus.yaml'),
    `integration:
  type: message_queue
  name: order_bus
  connection_url: \${RABBITMQ_URL}
  timeout: 10s
  queues:
    - { name: cli_orders, exchange: cli_events, exchange_type: topic, routing_key: "orders.created" }
---
integration:
  type: message_queue
  name: down_bus
  connection_url: \${DOWN_URL}
  timeout: 2s
  queues:
    - { name: cli_orders }
---
integration:
  type: request_response
  name: web_api
  base_url: http://127.0.0.1:1
  endpoints: { ping: /ping }
`,
  );
});

after(async () => {
  await broker?.stop();
  if (workspace) rmSync(workspace, { recursive: true, force: true });
});

async function run(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { stdout: (text) => (stdout += text), stderr: (text) => (stderr += text), cwd: workspace, env: {}, signal: new AbortController().signal });
  return { code, stdout, stderr };
}

describe('simone-integrations queue', () => {
  test('publish exits 0 after the confirm; peek shows the messages and leaves them', async () => {
    const first = await run('queue', 'publish', 'order_bus', 'cli_orders', '--message', '{"order":42}', '--header', 'x-source=cli', '--message-id', 'm-1');
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /^published m-1 to cli_orders \(exchange "cli_events", routing key "orders.created"\): confirmed by the broker in \d+ ms\n$/);

    const second = await run('queue', 'publish', 'order_bus', 'cli_orders', '--message', '"plain"', '--format', 'json', '--workspace', workspace);
    assert.equal(second.code, 0, second.stderr);
    const receipt = JSON.parse(second.stdout);
    assert.equal(receipt.ok, true);
    assert.equal(receipt.queue, 'cli_orders');
    assert.match(receipt.messageId, /^[0-9a-f-]{36}$/);

    const peeked = await run('queue', 'peek', 'order_bus', 'cli_orders', '--count', '5', '--format', 'json');
    assert.equal(peeked.code, 0, peeked.stderr);
    const { messages } = JSON.parse(peeked.stdout);
    assert.deepEqual(
      messages.map((message: { body: unknown; messageId: string; headers: Record<string, unknown>; persistent: boolean }) => [message.body, message.messageId, message.headers['x-source'], message.persistent]),
      [
        [{ order: 42 }, 'm-1', 'cli', true],
        ['plain', receipt.messageId, undefined, true],
      ],
    );

    const text = await run('queue', 'peek', 'order_bus', 'cli_orders');
    assert.equal(text.code, 0);
    assert.equal(text.stdout, '1 message at the head of cli_orders (left in place):\n1. {"order":42}  (id m-1, application/json, redelivered)\n');
  });

  test('unknown integration, wrong type, unknown queue and bad input are usage errors with suggestions', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['queue', 'peek', 'order_buss', 'cli_orders'], /no integration named "order_buss" in .*Did you mean "order_bus"\?/],
      [['queue', 'peek', 'web_api', 'cli_orders'], /"web_api" is a request_response integration, not a message_queue/],
      [['queue', 'publish', 'order_bus', 'cli_order', '--message', '{}'], /integration "order_bus" has no queue "cli_order"\. Did you mean "cli_orders"\?/],
      [['queue', 'publish', 'order_bus', 'cli_orders', '--message', '{oops'], /--message is not valid JSON/],
      [['queue', 'publish', 'order_bus', 'cli_orders'], /--message JSON is required/],
      [['queue', 'peek', 'order_bus', 'cli_orders', '--count', '0'], /--count must be a whole number/],
      [['queue', 'drain', 'order_bus'], /queue "drain" needs publish or peek/],
    ];
    for (const [argv, expected] of cases) {
      const result = await run(...argv);
      assert.equal(result.code, 2, argv.join(' '));
      assert.match(result.stderr, expected);
      assert.equal(result.stderr.trim().split('\n').length, 1, 'one line');
    }
  });

  test('an unreachable broker: exit 1, one line, no password', async () => {
    const text = await run('queue', 'publish', 'down_bus', 'cli_orders', '--message', '{}');
    assert.equal(text.code, 1);
    assert.equal(text.stderr, 'simone-integrations: cannot reach the broker of "down_bus": connection refused\n');
    const json = await run('queue', 'peek', 'down_bus', 'cli_orders', '--format', 'json');
    assert.equal(json.code, 1);
    assert.deepEqual(JSON.parse(json.stdout), { integration: 'down_bus', queue: 'cli_orders', ok: false, error: { kind: 'transient', message: 'cannot reach the broker of "down_bus": connection refused' } });
    assert.doesNotMatch(text.stderr + json.stdout, /s3cret-pass/);
  });
});
