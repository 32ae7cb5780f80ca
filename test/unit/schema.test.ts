import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { stringify } from 'yaml';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { getLanguageService } from 'yaml-language-server/out/server/src/languageservice/yamlLanguageService';
import { REFERENCE_KINDS, type JsonSchema } from '../../src/core/jsonSchema';
import { integrationSchema } from '../../src/core/schema';
import { INTEGRATION_TYPES } from '../../src/core/defaults';
import { ConfigFile } from '../../src/core/configFile';
import { buildModel } from '../../src/core/buildModel';
import { LayeredEnvironment } from '../../src/core/env';
import { parseDuration } from '../../src/core/duration';
import { checkFormat } from '../../src/core/validation/formats';
import { diagnose, withCode } from '../support/validation';

const definitions = integrationSchema.definitions;

const ALLOWED_KEYWORDS = new Set([
  '$ref', 'type', 'properties', 'required', 'additionalProperties', 'items', 'enum', 'const', 'pattern', 'minimum', 'maximum',
  'minItems', 'minProperties', 'maxProperties', 'oneOf', 'allOf', 'format', 'description', 'markdownDescription', 'default',
  'examples', 'x-secret', 'x-secret-parts', 'x-secret-pair', 'x-reference', 'x-not-run', 'x-key-not-run',
]);
const FORMATS = new Set(['duration', 'uri', 'uri-template', 'amqp-uri', 'postgres-uri', 'queue-or-url', 'path-or-url', 'status-range', 'byte-size']);

interface Visit {
  path: string;
  node: JsonSchema;
  /** A value of `properties` (a key users write). */
  isProperty: boolean;
  /** For an `allOf` branch's `then`: the object it adds requirements to. */
  owner?: JsonSchema;
}

/** Every schema node below the root and the definitions, with a readable path. */
function walk(node: JsonSchema, path: string, isProperty = false, out: Visit[] = [], owner?: JsonSchema): Visit[] {
  out.push({ path, node, isProperty, ...(owner ? { owner } : {}) });
  for (const [key, child] of Object.entries(node.properties ?? {})) walk(child, `${path}.${key}`, true, out);
  if (node.additionalProperties) walk(node.additionalProperties, `${path}.*`, false, out);
  if (node.items) walk(node.items, `${path}[]`, false, out);
  node.oneOf?.forEach((child, index) => walk(child, `${path}|${index}`, false, out));
  node.allOf?.forEach((branch, index) => {
    out.push({ path: `${path}.allOf${index}.if`, node: branch.if, isProperty: false }); // a test, not keys users write
    walk(branch.then, `${path}.allOf${index}.then`, false, out, node);
  });
  return out;
}

const { definitions: _definitions, $schema: _metaSchema, ...rootNode } = integrationSchema;
const visits = [...walk(rootNode, '#'), ...Object.entries(definitions).flatMap(([name, node]) => walk(node, name))];
const target = (ref: string): JsonSchema => definitions[ref.replace('#/definitions/', '')];
const isLeaf = (node: JsonSchema): boolean => !node.$ref && !node.properties && !node.items && !node.oneOf && !node.allOf && node.type !== 'object';

describe('integration schema file', () => {
  it('schemas/integration.schema.json is what src/core/schema.ts says (run `npm run schema` after editing it)', () => {
    const committed = JSON.parse(readFileSync(new URL('../../schemas/integration.schema.json', import.meta.url), 'utf8'));
    assert.deepStrictEqual(committed, JSON.parse(JSON.stringify(integrationSchema)));
  });

  it('is draft-07 with exactly one top-level key', () => {
    assert.equal(integrationSchema.$schema, 'http://json-schema.org/draft-07/schema#');
    assert.deepEqual(Object.keys(integrationSchema.properties ?? {}), ['integration', 'microservices', 'api_gateway']);
    assert.equal(integrationSchema.additionalProperties, false);
    assert.equal(integrationSchema.minProperties, 1);
    assert.equal(integrationSchema.maxProperties, 1);
  });
});

describe('integration schema self-consistency', () => {
  it('uses only the agreed keywords and formats', () => {
    for (const { path, node } of visits) {
      for (const keyword of Object.keys(node)) assert.ok(ALLOWED_KEYWORDS.has(keyword), `${path}: keyword ${keyword}`);
      if (node.format) assert.ok(FORMATS.has(node.format), `${path}: format ${node.format}`);
      if (node['x-reference']) assert.ok((REFERENCE_KINDS as readonly string[]).includes(node['x-reference']), `${path}: reference kind`);
    }
  });

  it('resolves every $ref to a local definition, and every definition is used', () => {
    const used = new Set<string>();
    for (const { path, node } of visits) {
      if (!node.$ref) continue;
      assert.match(node.$ref, /^#\/definitions\/[a-z_0-9]+$/, path);
      assert.ok(target(node.$ref), `${path}: ${node.$ref} does not resolve`);
      used.add(node.$ref.replace('#/definitions/', ''));
    }
    assert.deepEqual(Object.keys(definitions).filter((name) => !used.has(name)), []);
  });

  it('describes every key, gives every leaf key an example, and every default is one of its enum', () => {
    for (const { path, node, isProperty } of visits) {
      if (isProperty) assert.ok(node.description && node.description.length > 10, `${path}: description`);
      if (isProperty && isLeaf(node)) assert.ok(node.examples && node.examples.length > 0, `${path}: examples`);
      if (node.description) assert.ok(!node.description.includes('`'), `${path}: description is plain text`);
      if (node.enum && node.default !== undefined) assert.ok(node.enum.includes(node.default as string), `${path}: default`);
      const allowed = node.enum;
      if (allowed) for (const example of node.examples ?? []) assert.ok(allowed.includes(example as string), `${path}: example ${String(example)}`);
      if (node.pattern) for (const example of node.examples ?? []) assert.match(String(example), new RegExp(node.pattern), path);
    }
  });

  it('lists required keys that exist', () => {
    for (const { path, node, owner } of visits) {
      for (const key of node.required ?? []) assert.ok(node.properties?.[key] ?? owner?.properties?.[key], `${path}: required ${key} has no schema`);
    }
  });

  it('uses oneOf only between different JSON types', () => {
    for (const { path, node } of visits.filter((visit) => visit.node.oneOf)) {
      const types = node.oneOf!.flatMap((alternative) => [alternative.type ?? 'object'].flat());
      assert.equal(new Set(types).size, types.length, `${path}: ${types.join(', ')}`);
    }
  });

  it('discriminates integrations by type: one complete definition per type of the model', () => {
    const integration = definitions.integration;
    assert.deepEqual(integration.properties?.type.enum, [...INTEGRATION_TYPES]);
    assert.deepEqual(integration.allOf?.map((branch) => branch.if.properties?.type.const), [...INTEGRATION_TYPES]);
    const common = Object.keys(definitions.request_response.properties ?? {}).filter((key) => key !== 'base_url' && key !== 'endpoints');
    for (const [index, type] of INTEGRATION_TYPES.entries()) {
      const branch: { if: JsonSchema; then: JsonSchema } = integration.allOf![index];
      assert.deepEqual(branch.if.required, ['type']);
      assert.equal(branch.then.$ref, `#/definitions/${type}`);
      const definition = definitions[type];
      assert.equal(definition.additionalProperties, false, type);
      assert.deepEqual(definition.required?.slice(0, 2), ['type', 'name'], type);
      assert.equal(definition.properties?.type.const, type);
      for (const key of common) assert.ok(definition.properties?.[key], `${type} lacks common key ${key}`);
    }
    assert.deepEqual(definitions.request_response.required, ['type', 'name', 'endpoints']);
  });

  it('discriminates auth by type the same way', () => {
    const auth = definitions.auth;
    for (const [index, type] of (auth.properties?.type.enum ?? []).entries()) {
      assert.equal(auth.allOf?.[index].then.$ref, `#/definitions/auth_${String(type)}`);
      assert.equal(definitions[`auth_${String(type)}`].additionalProperties, false);
    }
  });

  it('marks exactly the secret-bearing keys', () => {
    const secrets = visits.filter((visit) => visit.node['x-secret']).map((visit) => visit.path).sort();
    assert.deepEqual(secrets, [
      'api_gateway.authentication.secret',
      'auth_api_key.key',
      'auth_basic.password',
      'auth_bearer.token',
      'auth_jwt.secret',
      'auth_oauth2_client_credentials.client_secret',
      'connection.password',
      'microservices.discovery.token',
      'webhook.endpoints[].secret',
    ]);
  });

  it('marks the values no runner runs, each with why, and only values of its enum', () => {
    const notRun = visits.filter((visit) => visit.node['x-not-run']);
    assert.deepEqual(notRun.map((visit) => [visit.path, Object.keys(visit.node['x-not-run']!)]), [['microservices.communication.type', ['grpc']]]);
    for (const { node } of notRun) for (const value of Object.keys(node['x-not-run']!)) assert.ok(node.enum?.includes(value), value);
  });

  it('marks the keys that name something elsewhere', () => {
    const references = visits.filter((visit) => visit.node['x-reference']).map((visit) => `${visit.path} ${visit.node['x-reference']}`).sort();
    assert.deepEqual(references, [
      'api_gateway.routes[].service service',
      'event_driven.publishers[].destination destination',
      'event_driven.publishers[].events[] event',
      'event_driven.subscribers[].events[] event',
      'event_driven.subscribers[].handler handler',
      'sync_table.connection connection',
      'sync_table.source sync-source',
      'webhook.endpoints[].events[] event',
    ]);
  });

  it('keeps patterns in the JavaScript regex subset and durations typed as string or number', () => {
    for (const { path, node } of visits) {
      if (node.pattern) assert.doesNotThrow(() => new RegExp(node.pattern!), path);
      if (node.format === 'duration') {
        assert.deepEqual(node.type, ['string', 'number'], path);
        for (const value of [node.default, ...(node.examples ?? [])].filter((value) => value !== undefined)) assert.notEqual(parseDuration(value), undefined, `${path}: ${String(value)}`);
      }
    }
    assert.equal(new RegExp(definitions.integration.properties!.name.pattern!).test('User-Service'), false);
  });
});

/** For each URL format: values it accepts (its own schemes) and values it refuses (every other scheme, and broken text). */
const URL_FORMAT_CASES: Record<string, { accepts: string[]; refuses: string[] }> = {
  uri: { accepts: ['https://api.example.com', 'http://127.0.0.1:3001/base'], refuses: ['postgresql://user@db:5432/app', 'amqp://127.0.0.1', 'ftp://files.example.com', 'api.example.com'] },
  'uri-template': { accepts: ['https://api.example.com/users/{id}', '/users/{id}'], refuses: ['amqp://127.0.0.1/{id}', 'postgres://db/app', 'https://api.example.com/users/{id'] },
  'amqp-uri': { accepts: ['amqp://127.0.0.1:5672', 'amqps://user:pw@broker.example.com/vhost'], refuses: ['https://broker.example.com', 'postgres://db/app', 'broker:5672'] },
  'postgres-uri': { accepts: ['postgres://user@db:5432/app', 'postgresql://user:pw@db/app', 'postgresql://user@/app?host=/var/run/postgresql'], refuses: ['https://db.example.com/app', 'amqp://db/app', 'db:5432/app'] },
  'queue-or-url': { accepts: ['project_events_queue', 'https://hooks.example.com/events'], refuses: ['amqp://127.0.0.1/events', 'ftp://hooks.example.com/events'] },
  'path-or-url': { accepts: ['/health', 'http://127.0.0.1:3001/health'], refuses: ['postgres://db/app', 'ftp://127.0.0.1/health'] },
};

describe('URL fields', () => {
  const urlFields = visits.filter((visit) => visit.node.format && visit.node.format in URL_FORMAT_CASES);

  it('are every key whose value is a URL, each with the format of its schemes', () => {
    assert.deepEqual(Object.fromEntries(urlFields.map((visit) => [visit.path, visit.node.format])), {
      'api_gateway.authentication.token_url': 'uri',
      'auth_oauth2_client_credentials.token_url': 'uri',
      'connection.url': 'postgres-uri',
      'endpoint|0': 'uri-template',
      'endpoint|1.url': 'uri-template',
      'event_driven.publishers[].destination': 'queue-or-url',
      'health_check.url': 'uri',
      'health_check_url.url': 'uri',
      'message_queue.connection_url': 'amqp-uri',
      'microservices.services[].health_check': 'path-or-url',
      'microservices.services[].url': 'uri',
      'request_response.base_url': 'uri',
      'webhook.endpoints[].url': 'uri',
    });
    const unformatted = visits.filter((visit) => visit.isProperty && /url$/.test(visit.path) && !visit.node.format).map((visit) => visit.path);
    assert.deepEqual(unformatted, [], 'keys named like a URL without a URL format');
  });

  for (const [format, { accepts, refuses }] of Object.entries(URL_FORMAT_CASES)) {
    it(`of format ${format} accept their own schemes and refuse others`, () => {
      const fields = urlFields.filter((visit) => visit.node.format === format);
      assert.ok(fields.length > 0, `no field has format ${format}`);
      for (const { path, node } of fields) {
        for (const value of accepts) assert.equal(checkFormat(node, value), undefined, `${path} refuses ${value}`);
        for (const value of refuses) assert.equal(checkFormat(node, value)?.code, 'url-invalid', `${path} accepts ${value}`);
      }
    });
  }

  it('check a connection url given through ${DB_URL} by what it resolves to', () => {
    const database = (url: string) => `integration:\n  type: database\n  name: analytics\n  connections:\n    - name: main\n      url: ${url}\n`;
    assert.deepEqual(withCode(diagnose(database('postgresql://user@db.example.com:5432/app')), 'url-invalid'), []);
    assert.deepEqual(withCode(diagnose(database('${DB_URL}'), { env: { DB_URL: 'postgres://user:pw@db.example.com/app' } }), 'url-invalid'), []);
    const wrong = withCode(diagnose(database('${DB_URL}'), { env: { DB_URL: 'https://db.example.com/app' } }), 'url-invalid');
    assert.equal(wrong.length, 1);
    assert.equal(wrong[0].message, '"${DB_URL}" is not a postgres:// or postgresql:// URL.');
    assert.deepEqual(wrong[0].range.start, { line: 5, character: 11 });
  });
});

describe('schema defaults agree with the model the runners use', () => {
  const env = new LayeredEnvironment([]);
  const build = (text: string) => buildModel(new ConfigFile('file:///x.yaml', text).documents[0], { uri: 'file:///x.yaml', env, folder: '/tmp' });
  const defaultOf = (definition: string, ...path: string[]): unknown => {
    let node: JsonSchema = definitions[definition];
    for (const key of path) node = node.properties![key].$ref ? target(node.properties![key].$ref!) : node.properties![key];
    return node.default;
  };

  it('for the common keys', () => {
    const built = build('integration:\n  type: request_response\n  name: a\n  endpoints: {x: /x}\n');
    assert.equal(built?.kind, 'integration');
    const integration = built.kind === 'integration' && built.integration.type === 'request_response' ? built.integration : assert.fail();
    assert.equal(integration.timeoutMs, parseDuration(defaultOf('request_response', 'timeout')));
    assert.equal(integration.retry.maxAttempts, defaultOf('retry', 'max_attempts'));
    assert.equal(integration.retry.maxAttempts, (defaultOf('request_response', 'retries') as number) + 1);
    assert.equal(integration.retry.baseDelayMs, parseDuration(defaultOf('retry', 'base_delay')));
    assert.equal(integration.retry.maxDelayMs, parseDuration(defaultOf('retry', 'max_delay')));
    assert.equal(integration.retry.backoffFactor, defaultOf('retry', 'backoff_factor'));
    assert.equal(integration.retry.jitter, defaultOf('retry', 'jitter'));
    assert.equal(integration.circuitBreaker.failureThreshold, defaultOf('circuit_breaker', 'failure_threshold'));
    assert.equal(integration.circuitBreaker.openMs, parseDuration(defaultOf('circuit_breaker', 'timeout')));
    assert.equal(integration.circuitBreaker.halfOpenMaxCalls, defaultOf('circuit_breaker', 'half_open_max_calls'));
    assert.equal(integration.bulkhead.maxConcurrent, defaultOf('bulkhead', 'max_concurrent'));
    assert.equal(integration.bulkhead.maxQueue, defaultOf('bulkhead', 'max_queue'));
    assert.equal(integration.enabled, defaultOf('request_response', 'enabled'));
    assert.equal(integration.endpoints[0].method, (definitions.endpoint.oneOf![1].properties!.method.default));
  });

  it('for per-type keys', () => {
    const built = build(
      'integration:\n  type: webhook\n  name: w\n  endpoints: [{name: e}]\n  receiver: {port: 0}\n  health_check: {path: /h}\n  auth: {type: api_key, key: k}\n',
    );
    const hook = built?.kind === 'integration' && built.integration.type === 'webhook' ? built.integration : assert.fail();
    assert.equal(hook.endpoints[0].signature, definitions.webhook.properties!.endpoints.items!.properties!.signature.default);
    assert.equal(hook.receiver?.host, definitions.webhook.properties!.receiver.properties!.host.default);
    assert.equal(hook.receiver?.pathPrefix, definitions.webhook.properties!.receiver.properties!.path_prefix.default);
    assert.equal(hook.receiver?.toleranceMs, parseDuration(definitions.webhook.properties!.receiver.properties!.tolerance.default));
    assert.equal(hook.receiver?.maxBodyBytes, 1024 * 1024);
    assert.equal(hook.healthCheck?.intervalMs, parseDuration(defaultOf('health_check', 'interval')));
    assert.equal(hook.healthCheck?.timeoutMs, parseDuration(defaultOf('health_check', 'timeout')));
    assert.deepEqual(hook.healthCheck?.expectStatus, [[200, 399]]);
    assert.equal(defaultOf('health_check', 'expect_status'), '200-399');
    assert.equal(hook.auth?.type === 'api_key' && hook.auth.header, defaultOf('auth_api_key', 'header'));

    const queue = build('integration:\n  type: message_queue\n  name: q\n  connection_url: amqp://h\n  queues: [{name: a}]\n');
    const mq = queue?.kind === 'integration' && queue.integration.type === 'message_queue' ? queue.integration : assert.fail();
    const queueItem = definitions.message_queue.properties!.queues.items!.properties!;
    assert.equal(mq.prefetch, defaultOf('message_queue', 'prefetch'));
    assert.equal(mq.queues[0].exchangeType, queueItem.exchange_type.default);
    assert.equal(mq.queues[0].durable, queueItem.durable.default);

    const database = build('integration:\n  type: database\n  name: d\n  connections: [{name: c}]\n  sync_tables: [{source: tasks, target: t}]\n');
    const db = database?.kind === 'integration' && database.integration.type === 'database' ? database.integration : assert.fail();
    assert.equal(db.connections[0].type, defaultOf('connection', 'type'));
    assert.equal(db.connections[0].schema, defaultOf('connection', 'schema'));
    assert.equal(db.connections[0].ssl, defaultOf('connection', 'ssl'));
    assert.equal(db.syncTables[0].syncFrequency, defaultOf('sync_table', 'sync_frequency'));
    assert.equal(db.syncTables[0].mode, defaultOf('sync_table', 'mode'));
    assert.equal(db.syncTables[0].delete, defaultOf('sync_table', 'delete'));

    // Without a type, a connection that names a server is that server.
    const server = build('integration:\n  type: database\n  name: d\n  connections: [{name: c, host: db.internal}, {name: u, url: "postgresql://db/x"}]\n  sync_tables: [{source: tasks, target: t}]\n');
    const servers = server?.kind === 'integration' && server.integration.type === 'database' ? server.integration : assert.fail();
    assert.deepEqual(servers.connections.map((connection) => connection.type), ['postgresql', 'postgresql']);
  });
});

/** A document built from each key's first example (or default), following discriminators to their first branch. */
function sample(node: JsonSchema): unknown {
  if (node.$ref) return sample(target(node.$ref));
  if (node.examples) return node.examples[0];
  if (node.const !== undefined) return node.const;
  if (node.allOf) return sample(node.allOf[0].then);
  if (node.properties) return Object.fromEntries(Object.entries(node.properties).map(([key, child]) => [key, sample(child)]));
  if (node.oneOf) return sample(node.oneOf[0]);
  if (node.items) return [sample(node.items)];
  return node.default;
}

describe('plain YAML editors (yaml-language-server through yamlValidation)', () => {
  const service = getLanguageService({ schemaRequestService: async () => '{}', workspaceContext: { resolveRelativePath: (path: string) => path } });
  service.configure({ validate: true, schemas: [{ uri: 'file:///integration.schema.json', fileMatch: ['*.yaml'], schema: integrationSchema }] });
  let version = 0;
  const validate = async (value: unknown) => {
    const document = TextDocument.create(`file:///doc${++version}.yaml`, 'yaml', 1, stringify(value));
    return (await service.doValidation(document, false)).map((item) => `${item.range.start.line}:${item.range.start.character} ${item.message}`);
  };

  it('accepts a document made of the examples, for every integration type, auth scheme, microservices and api_gateway', async () => {
    for (const type of INTEGRATION_TYPES) assert.deepEqual(await validate({ integration: sample(definitions[type]) }), [], type);
    for (const type of definitions.auth.properties!.type.enum!) {
      const integration = { ...(sample(definitions.request_response) as object), auth: sample(definitions[`auth_${String(type)}`]) };
      assert.deepEqual(await validate({ integration }), [], String(type));
    }
    assert.deepEqual(await validate({ microservices: sample(definitions.microservices) }), []);
    assert.deepEqual(await validate({ api_gateway: sample(definitions.api_gateway) }), []);
  });

  it('rejects a key of another type, a wrong auth key, and a second top-level key', async () => {
    const integration = sample(definitions.request_response) as Record<string, unknown>;
    assert.equal((await validate({ integration: { ...integration, queues: [] } })).length, 1);
    assert.equal((await validate({ integration: { ...integration, auth: { type: 'bearer', token: '${T}', key: 'x' } } })).length, 1);
    assert.equal((await validate({ integration: { ...integration, endpoints: {} } })).length, 1);
    assert.ok((await validate({ integration, microservices: sample(definitions.microservices) })).length >= 1);
    assert.ok((await validate({ integration: { type: 'message_queue', name: 'q' } })).length >= 1);
  });
});
