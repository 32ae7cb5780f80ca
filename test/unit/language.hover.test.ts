import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hover } from '../../src/language/hover';
import { workspaceWith, type FakeWorkspace } from '../support/languageContext';
import { cursorAt } from '../support/markers';

function hoverText(textWithCaret: string, workspace: FakeWorkspace = {}): string | undefined {
  const { text, position } = cursorAt(textWithCaret);
  const { file, ctx } = workspaceWith(text, workspace);
  const result = hover(file, position, ctx);
  return result ? (result.contents as { value: string }).value : undefined;
}

const ENV = {
  'file:///ws/.env': { API_TOKEN: 'tok-123456', RABBIT_URL: 'amqp://guest:hunter2@broker.internal:5672', BASE: 'https://api.example.com', PLAIN_PASS: 'x' },
  'process environment': { REGION: 'eu-west-1' },
};

describe('hover', () => {
  it('documents a key: meaning, default, example', () => {
    const text = hoverText('integration:\n  type: request_response\n  name: a\n  time‸out: 5s\n  endpoints: {a: /a}\n');
    assert.ok(text);
    assert.match(text, /\*\*timeout\*\*/);
    assert.match(text, /How long one attempt may take/);
    assert.match(text, /Default: `30s`/);
    assert.match(text, /```yaml\ntimeout: 30s\n```/);
  });

  it('lists the allowed values of an enum key, and prefers a $ref property\'s own description', () => {
    const signature = hoverText('integration:\n  type: webhook\n  name: a\n  endpoints:\n    - name: e\n      sig‸nature: github\n');
    assert.match(signature ?? '', /Allowed: `github`, `standard`, `slack`, `stripe`, `none`/);
    const breaker = hoverText('integration:\n  type: webhook\n  name: a\n  circuit_‸breaker: {}\n');
    assert.match(breaker ?? '', /Stops calling after repeated failures/);
    const type = hoverText('integration:\n  ty‸pe: database\n  name: a\n');
    assert.match(type ?? '', /Allowed: `request_response`/);
  });

  it('says a duration in words', () => {
    const text = hoverText('integration:\n  type: request_response\n  name: a\n  timeout: 1m3‸0s\n  endpoints: {a: /a}\n');
    assert.match(text ?? '', /^`1m30s` = 1 minute 30 seconds/);
  });

  it('shows a variable\'s value and where it comes from', () => {
    const text = hoverText('integration:\n  type: request_response\n  name: a\n  base_url: ${BA‸SE}\n  endpoints: {a: /a}\n', { env: ENV });
    assert.match(text ?? '', /\*\*\$\{BASE\}\*\* = `https:\/\/api.example.com`/);
    assert.match(text ?? '', /From file:\/\/\/ws\/.env/);
    const region = hoverText('integration:\n  type: request_response\n  name: a\n  description: in ${REG‸ION}\n  endpoints: {a: /a}\n', { env: ENV });
    assert.match(region ?? '', /eu-west-1[\s\S]*From process environment/);
  });

  it('masks secrets: x-secret keys, secret-looking names, URL userinfo', () => {
    const secretKey = hoverText('integration:\n  type: request_response\n  name: a\n  endpoints: {a: /a}\n  auth:\n    type: bearer\n    token: ${RE‸GION}\n', { env: ENV });
    assert.ok(secretKey && !secretKey.includes('eu-west-1'), 'an x-secret key masks even an innocent-looking variable');
    const secretName = hoverText('integration:\n  type: request_response\n  name: a\n  description: ${API_TO‸KEN}\n  endpoints: {a: /a}\n', { env: ENV });
    assert.ok(secretName && !secretName.includes('tok-123456'), 'a TOKEN variable is masked');
    assert.match(secretName, /is set in file:\/\/\/ws\/.env \(10 characters\)/);
    const userinfo = hoverText('integration:\n  type: message_queue\n  name: a\n  connection_url: amqp://guest:${PLAIN_P‸ASS}@host\n  queues: [{name: q}]\n', { env: { x: { PLAIN_P: 'visible', PLAIN_PASS: 'x', OTHER: 'o' } } });
    assert.ok(userinfo && !userinfo.includes('`x`'), 'a value in URL userinfo is masked');
    const quoted = hoverText('integration:\n  type: message_queue\n  name: a\n  connection_url: "amqp://guest:${RMQ_‸PW}@rabbit.example.com"\n  queues: [{name: q}]\n', { env: { x: { RMQ_PW: 'hunter2' } } });
    assert.ok(quoted && !quoted.includes('hunter2'), 'a value in the userinfo of a quoted URL is masked too');
    const url = hoverText('integration:\n  type: message_queue\n  name: a\n  connection_url: ${RABBIT‸_URL}\n  queues: [{name: q}]\n', { env: ENV });
    assert.ok(url && !url.includes('hunter2') && !url.includes('broker.internal') && url.includes('(41 characters)'), 'a whole connection URL is a secret: only its length is shown');
  });

  it('hides a variable that fills a secret place anywhere in the workspace: a header value, a query value, a webhook path, a connection URL', () => {
    const env = { 'file:///ws/.env': { AUTH_HEADER: 'Bearer hdr-5678', QUERY_TOKEN: 'qtok-1234', HOOK_PATH: 'T000/B000/hook99', DB_URL: 'postgresql://u:pa/ss#wd@127.0.0.1:5/db' } };
    const files = {
      'file:///ws/other.yaml':
        'integration:\n  type: request_response\n  name: o\n  base_url: https://api.example.com/v1?apiToken=${QUERY_TOKEN}\n  endpoints:\n    a: { url: /a, headers: { Authorization: "${AUTH_HEADER}" } }\n' +
        '---\nintegration:\n  type: webhook\n  name: h\n  endpoints:\n    - { name: slack, url: "https://hooks.slack.com/services/${HOOK_PATH}" }\n' +
        '---\nintegration:\n  type: database\n  name: d\n  connections:\n    - { name: main, type: postgresql, url: "${DB_URL}" }\n',
    };
    for (const [name, value] of Object.entries(env['file:///ws/.env'])) {
      // Used here only in a description, which is no secret place: the uses in other.yaml decide.
      const caret = `${name.slice(0, 2)}‸${name.slice(2)}`;
      const text = hoverText(`integration:\n  type: webhook\n  name: w\n  description: \${${caret}}\n`, { env, files });
      assert.ok(text && !text.includes(value) && text.includes(`is set in file:///ws/.env (${value.length} characters)`), `${name}: ${text}`);
    }
  });

  it('says when a variable is undefined, and which default applies', () => {
    assert.match(hoverText('integration:\n  type: webhook\n  name: a\n  description: ${NOP‸E}\n') ?? '', /not defined/);
    assert.match(hoverText('integration:\n  type: webhook\n  name: a\n  description: ${NOP‸E:-fallback}\n') ?? '', /default `fallback`/);
  });

  it('shows where a queue is defined and used, across files', () => {
    const files = {
      'file:///ws/q.yaml': 'integration:\n  type: message_queue\n  name: broker\n  connection_url: amqp://127.0.0.1\n  queues:\n    - name: task_queue\n',
      'file:///ws/s.yaml': 'integration:\n  type: event_driven\n  name: subs\n  subscribers:\n    - name: s\n      events: [task_created]\n      handler: queue:task_queue\n',
    };
    const text = hoverText('integration:\n  type: event_driven\n  name: pubs\n  publishers:\n    - name: p\n      events: [task_created]\n      destination: task_q‸ueue\n', { files });
    assert.match(text ?? '', /\*\*Queue\*\* `task_queue`/);
    assert.match(text ?? '', /Defined at: \[q\.yaml:6\]\(file:\/\/\/ws\/q\.yaml#L6\)/);
    assert.match(text ?? '', /Used at: .*s\.yaml:7.*test\.yaml:7/);
  });

  it('shows an integration\'s description on its name, and a Simone event as such', () => {
    const integration = hoverText('integration:\n  type: webhook\n  name: hoo‸ks\n  description: Sends the hooks\n');
    assert.match(integration ?? '', /\*\*Integration\*\* `hooks`[\s\S]*Sends the hooks/);
    const event = hoverText('integration:\n  type: event_driven\n  name: a\n  subscribers:\n    - name: s\n      events: [task_comp‸leted]\n      handler: log\n');
    assert.match(event ?? '', /A Simone project event[\s\S]*Published at: nowhere/);
  });

  it('gives nothing on a comment or blank line', () => {
    assert.equal(hoverText('# a comment‸\nintegration:\n  type: webhook\n'), undefined);
  });
});
