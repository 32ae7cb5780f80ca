import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DIAGNOSTIC_CODES, type DiagnosticCode } from '../../src/core/diagnostic';
import { markedRange } from '../support/markers';
import { diagnose, withCode, type ValidateOptions } from '../support/validation';

/** For every code: a case that fires exactly at the marked range, and a near miss that must not fire. */
interface RuleCase {
  code: DiagnosticCode;
  name: string;
  fires: string;
  nearMiss: string;
  options?: ValidateOptions;
  /** Where the near miss differs only by its environment. */
  nearMissOptions?: ValidateOptions;
}

const api = (extra: string, endpoints = '    get_user: https://api.example.com/users/{id}') => `integration:
  type: request_response
  name: users
${extra}  endpoints:
${endpoints}
`;

const services = (discovery: 'static' | 'consul' | undefined, extra: string, service = 'name: orders\n      url: http://127.0.0.1:4041') => `microservices:
${discovery ? `  discovery:\n    type: ${discovery}\n` : ''}  services:
    - ${service}
${extra}`;

const queues = `integration:
  type: message_queue
  name: broker
  connection_url: \${RABBITMQ_URL}
  queues:
    - name: project_events
`;

/** A gateway in front of one service, with the given `authentication` lines. */
const gateway = (authentication: string) => `microservices:
  services:
    - name: users
      url: http://127.0.0.1:9000
---
api_gateway:
  «authentication»:
${authentication}  routes:
    - path: /users
      service: users
`;

const events = (destination: string, subscribed: string, handler = 'log') => `integration:
  type: event_driven
  name: project_events_bus
  publishers:
    - name: milestones
      events: [milestone_created]
      destination: ${destination}
  subscribers:
    - name: notify
      events: [${subscribed}]
      handler: ${handler}
`;

const hooks = (endpoint: string) => `integration:
  type: webhook
  name: hooks
  endpoints:
    - name: «deploys»
      url: https://hooks.example.com/deploy
      events: [task_completed]
${endpoint}`;

const CASES: RuleCase[] = [
  { code: 'yaml-syntax', name: 'an unclosed flow sequence', fires: 'integration:\n  type: webhook\n  name: [a, b\n«»', nearMiss: 'integration:\n  type: webhook\n  name: hooks\n  endpoints: []\n' },
  { code: 'yaml-syntax', name: 'a repeated key', fires: api('  timeout: 5s\n  «timeout»: 6s\n'), nearMiss: api('  timeout: 5s\n') },
  { code: 'schema-unknown-property', name: 'a misspelt key', fires: api('  «timout»: 5s\n'), nearMiss: api('  timeout: 5s\n') },
  { code: 'schema-unknown-property', name: 'a key of another type', fires: api('  «queues»: []\n'), nearMiss: api('  base_url: https://api.example.com\n') },
  { code: 'schema-missing-property', name: 'endpoints missing', fires: '«integration»:\n  type: request_response\n  name: users\n', nearMiss: api('') },
  { code: 'schema-missing-property', name: 'auth without its token', fires: api('  «auth»:\n    type: bearer\n'), nearMiss: api('  auth:\n    type: bearer\n    token: ${API_TOKEN}\n'), options: { env: { API_TOKEN: 'x' } } },
  { code: 'schema-type', name: 'a list where a number belongs', fires: api('  retries: «[1, 2]»\n'), nearMiss: api('  retries: 2\n') },
  { code: 'schema-type', name: 'a name of the wrong form', fires: 'integration:\n  type: webhook\n  name: «User-Service»\n  endpoints: []\n', nearMiss: 'integration:\n  type: webhook\n  name: user_service\n  endpoints: []\n' },
  { code: 'schema-enum', name: 'a misspelt type', fires: 'integration:\n  type: «request_respons»\n  name: users\n', nearMiss: api('') },
  { code: 'schema-enum', name: 'an unknown load balancer', fires: 'microservices:\n  services:\n    - name: a\n      url: http://127.0.0.1:1\n      load_balancer: «round_robbin»\n', nearMiss: 'microservices:\n  services:\n    - name: a\n      url: http://127.0.0.1:1\n      load_balancer: round_robin\n' },
  { code: 'duration-invalid', name: 'a duration in words', fires: api('  timeout: «30 seconds»\n'), nearMiss: api('  timeout: 1m30s\n') },
  { code: 'url-invalid', name: 'a broken endpoint template', fires: api('', '    get_user: «https://api.example.com/users/{id»'), nearMiss: api('', '    get_user: https://api.example.com/users/{id}') },
  { code: 'url-invalid', name: 'a relative endpoint without base_url', fires: api('', '    get_user: «/users/{id}»'), nearMiss: api('  base_url: https://api.example.com\n', '    get_user: /users/{id}') },
  { code: 'range-invalid', name: 'a negative retry count', fires: api('  retries: «-1»\n'), nearMiss: api('  retries: 0\n') },
  { code: 'range-invalid', name: 'a burst above its rate', fires: api('  rate_limit:\n    requests_per_minute: 60\n    burst_size: «61»\n'), nearMiss: api('  rate_limit:\n    requests_per_minute: 60\n    burst_size: 60\n') },
  {
    code: 'name-duplicate',
    name: 'an integration name used in another file',
    fires: 'integration:\n  type: message_queue\n  name: «broker»\n  connection_url: amqp://127.0.0.1\n  queues: []\n',
    nearMiss: 'integration:\n  type: message_queue\n  name: broker_two\n  connection_url: amqp://127.0.0.1\n  queues: []\n',
    options: { others: { 'other.yaml': queues }, env: { RABBITMQ_URL: 'amqp://127.0.0.1' } },
  },
  { code: 'name-duplicate', name: 'an endpoint declared twice', fires: api('', '    get_user: https://a.example.com/u/{id}\n    «get_user»: https://a.example.com/v/{id}'), nearMiss: api('', '    get_user: https://a.example.com/u/{id}\n    get_users: https://a.example.com/v/{id}') },
  { code: 'reference-unknown', name: 'a destination that names no queue', fires: events('«project_event»', 'milestone_created'), nearMiss: events('project_events', 'milestone_created'), options: { others: { 'queues.yaml': queues }, env: { RABBITMQ_URL: 'amqp://127.0.0.1' } } },
  { code: 'reference-unknown', name: 'a handler naming a missing webhook endpoint', fires: events('https://events.example.com', 'milestone_created', '«webhook:hooks/deploy»'), nearMiss: events('https://events.example.com', 'milestone_created', 'webhook:hooks/deploys'), options: { others: { 'hooks.yaml': hooks('      secret: ${HOOK_SECRET}\n').replace(/[«»]/g, '') }, env: { HOOK_SECRET: 'x' } } },
  { code: 'event-no-publisher', name: 'a subscriber to an event nobody publishes', fires: events('https://events.example.com', '«milestone_completed»'), nearMiss: events('https://events.example.com', 'milestone_created') },
  { code: 'env-undefined', name: 'a variable defined nowhere', fires: api('  base_url: https://«${API_HOST}»/v1\n'), nearMiss: api('  base_url: https://${API_HOST:-api.example.com}/v1\n') },
  { code: 'env-undefined', name: 'a variable defined in the environment', fires: api('  base_url: «${API_BASE}»\n'), nearMiss: api('  base_url: ${API_BASE}\n'), nearMissOptions: { env: { API_BASE: 'https://api.example.com' } } },
  { code: 'env-unclosed', name: 'a default never closed', fires: api('  description: Calls «${API_HOST:-»api.example.com\n'), nearMiss: api('  description: Calls ${API_HOST:-api.example.com}\n') },
  { code: 'env-unclosed', name: 'a name never closed', fires: api('  base_url: https://«${API_HOST»/v1\n'), nearMiss: api('  base_url: https://${API_HOST}/v1\n'), options: { env: { API_HOST: 'api.example.com' } } },
  { code: 'secret-literal', name: 'a literal bearer token', fires: api('  auth:\n    type: bearer\n    token: «abc123»\n'), nearMiss: api('  auth:\n    type: bearer\n    token: ${API_TOKEN}\n'), options: { env: { API_TOKEN: 'x' } } },
  {
    code: 'secret-literal',
    name: 'a literal gateway secret',
    fires: gateway('    type: jwt\n    secret: «gw-signing-key»\n').replace('«authentication»', 'authentication'),
    nearMiss: gateway('    type: jwt\n    secret: ${GATEWAY_JWT_SECRET}\n').replace(/[«»]/g, ''),
    options: { env: { GATEWAY_JWT_SECRET: 'x' } },
  },
  {
    code: 'schema-missing-property',
    name: 'oauth2 gateway authentication without its token_url and client_id',
    fires: gateway('    type: oauth2\n    secret: ${CLIENT_SECRET}\n'),
    nearMiss: gateway('    type: oauth2\n    secret: ${CLIENT_SECRET}\n    token_url: https://auth.example.com/token\n    client_id: simone\n').replace(/[«»]/g, ''),
    options: { env: { CLIENT_SECRET: 'x' } },
  },
  { code: 'secret-literal', name: 'a password inside a URL', fires: queues.replace('${RABBITMQ_URL}', '«amqp://app:s3cret@127.0.0.1:5672»'), nearMiss: queues.replace('${RABBITMQ_URL}', 'amqp://app:${RABBITMQ_PASSWORD}@127.0.0.1:5672'), options: { env: { RABBITMQ_PASSWORD: 'x' } } },
  { code: 'insecure-url', name: 'plain http with auth to a remote host', fires: api('  base_url: «http://api.example.com»\n  auth:\n    type: bearer\n    token: ${T}\n'), nearMiss: api('  base_url: http://127.0.0.1:8080\n  auth:\n    type: bearer\n    token: ${T}\n'), options: { env: { T: 'x' } } },
  { code: 'insecure-url', name: 'amqp with credentials to a remote host', fires: queues.replace('${RABBITMQ_URL}', '«${RABBITMQ_URL}»'), nearMiss: queues, options: { env: { RABBITMQ_URL: 'amqp://app:pw@broker.example.com:5672' } }, nearMissOptions: { env: { RABBITMQ_URL: 'amqps://app:pw@broker.example.com:5671' } } },
  { code: 'webhook-unsigned', name: 'an endpoint without a secret', fires: hooks(''), nearMiss: hooks('      secret: ${HOOK_SECRET}\n').replace(/[«»]/g, ''), options: { env: { HOOK_SECRET: 'x' } } },
  { code: 'yaml11-ambiguous', name: 'yes for a boolean', fires: queues.replace('    - name: project_events\n', '    - name: project_events\n      durable: «yes»\n'), nearMiss: queues.replace('    - name: project_events\n', '    - name: project_events\n      durable: true\n'), options: { env: { RABBITMQ_URL: 'amqp://127.0.0.1' } } },
  { code: 'yaml11-ambiguous', name: 'a base-60 looking value', fires: api('  description: «1:30»\n'), nearMiss: api('  description: "1:30"\n') },
  {
    code: 'value-not-run',
    name: 'a circuit breaker on a message queue',
    fires: `${queues}  «circuit_breaker»:\n    failure_threshold: 3\n`,
    nearMiss: `${queues}  retry:\n    max_attempts: 3\n`,
    options: { env: { RABBITMQ_URL: 'amqp://127.0.0.1' } },
  },
  { code: 'value-not-run', name: 'gRPC between services', fires: services('static', '  communication:\n    type: «grpc»\n'), nearMiss: services('static', '  communication:\n    type: http\n') },
  { code: 'schema-missing-property', name: 'a static service without url', fires: services('static', '', '«name: orders\n      health_check: /health\n»'), nearMiss: services('consul', '', 'name: orders\n      health_check: /health') },
  { code: 'schema-missing-property', name: 'a service without url under the default discovery', fires: services(undefined, '', '«name: orders\n»'), nearMiss: services(undefined, '', 'name: orders\n      url: http://127.0.0.1:4041') },
];

describe('diagnostic rules', () => {
  it('covers every code of the config reference', () => {
    // Codes about reading a file (its size, its encoding) come before any text: test/unit/filesOnDisk.test.ts covers them.
    const covered = new Set<DiagnosticCode>([...CASES.map((entry) => entry.code), 'file-too-large', 'file-encoding']);
    assert.deepEqual(DIAGNOSTIC_CODES.filter((code) => !covered.has(code)), []);
  });

  for (const entry of CASES) {
    describe(`${entry.code}: ${entry.name}`, () => {
      it('fires at the marked range', () => {
        const { text, range } = markedRange(entry.fires);
        const found = withCode(diagnose(text, entry.options), entry.code);
        assert.ok(found.length > 0, `expected ${entry.code}, got none`);
        assert.deepEqual(found[0].range.start, range.start, found[0].message);
        if (entry.code !== 'yaml-syntax') assert.deepEqual(found[0].range.end, range.end, found[0].message);
      });
      it('does not fire on the near miss', () => {
        const found = withCode(diagnose(entry.nearMiss, entry.nearMissOptions ?? entry.options), entry.code);
        assert.deepEqual(found.map((diagnostic) => diagnostic.message), []);
      });
    });
  }
});

describe('a file with one broken document', () => {
  it('still checks its other documents, and leaves the file-wide rules until it parses', () => {
    const text = `${api('  timout: 5s\n')}---\nintegration:\n  type: webhook\n  name: [hooks\n`;
    const codes = diagnose(text).map((entry) => `${entry.code}@${entry.range.start.line}`);
    assert.ok(codes.includes('schema-unknown-property@3'), codes.join(' '));
    assert.ok(codes.some((code) => code.startsWith('yaml-syntax@')), codes.join(' '));
    assert.ok(!codes.some((code) => code.startsWith('schema-missing-property')), 'the broken document is not judged');
  });
});
