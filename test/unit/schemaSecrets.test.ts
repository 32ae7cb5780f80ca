import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseConfigFile } from '../../src/core/configFile';
import { LayeredEnvironment } from '../../src/core/env';
import type { JsonSchema, RootSchema } from '../../src/core/jsonSchema';
import { Redactor } from '../../src/core/redactor';
import { integrationSchema } from '../../src/core/schema';
import { collectDocumentSecrets, secretParts } from '../../src/core/secrets';

const env = new LayeredEnvironment([{ origin: '.env', values: new Map([
  ['QUERY_TOKEN', 'qtok-1234-abcd'], ['AUTH_HEADER', 'Bearer hdr-5678'], ['DB_URL', 'postgresql://u:pa/ss#wd@127.0.0.1:5/db'],
  ['HOOK_PATH', 'T000/B000/hookpath99'], ['NEW_KEY', 'brand-new-9876'],
]) }]);

const yaml = `integration:
  name: api
  type: request_response
  base_url: https://api.example.com/v1?apiToken=\${QUERY_TOKEN}
  endpoints:
    a: { url: /a, headers: { Authorization: "\${AUTH_HEADER}", Accept: application/json } }
---
integration:
  name: hooks
  type: webhook
  endpoints:
    - { name: slack, url: "https://hooks.slack.com/services/\${HOOK_PATH}" }
---
integration:
  name: db
  type: database
  connections:
    - { name: main, type: postgresql, url: "\${DB_URL}" }
`;

describe('secrets known from the schema', () => {
  const file = parseConfigFile('file:///ws/a.yaml', yaml);
  const all = (schema?: JsonSchema) => file.documents.flatMap((document) => collectDocumentSecrets(document, env, schema));

  it('collects query values, header values, a webhook URL path and a whole connection URL (even unparseable)', () => {
    const secrets = all();
    for (const value of ['qtok-1234-abcd', 'Bearer hdr-5678', 'postgresql://u:pa/ss#wd@127.0.0.1:5/db', 'pa/ss#wd']) assert.ok(secrets.includes(value), value);
    const redacted = new Redactor(secrets).redact(`GET ${encodeURIComponent('qtok-1234-abcd')} /services/T000/B000/hookpath99 ${Buffer.from('Bearer hdr-5678').toString('base64')}`);
    assert.ok(!redacted.includes('qtok') && !redacted.includes('hookpath99') && !redacted.includes(Buffer.from('Bearer hdr-5678').toString('base64')), redacted);
  });

  it('a literal header value is configuration, not a secret: only what a variable fills is', () => {
    const secrets = all();
    assert.ok(secrets.includes('Bearer hdr-5678'));
    assert.ok(!secrets.includes('application/json'), secrets.join(', '));
  });

  it('a new x-secret key in a copy of the schema is redacted with no other change', () => {
    const copy = structuredClone(integrationSchema) as RootSchema;
    copy.definitions.request_response.properties!.description = { type: 'string', 'x-secret': true };
    const text = `integration:\n  name: x\n  type: request_response\n  description: \${NEW_KEY}\n  endpoints: { a: /a }\n`;
    const document = parseConfigFile('file:///ws/b.yaml', text).documents[0];
    assert.ok(!collectDocumentSecrets(document, env).includes('brand-new-9876'), 'not a secret in the real schema');
    const fresh = parseConfigFile('file:///ws/b.yaml', text).documents[0];
    const secrets = collectDocumentSecrets(fresh, env, copy);
    assert.equal(new Redactor(secrets).redact('failed: brand-new-9876'), 'failed: ***');
  });

  it('every URL-valued place in the schema is a secret place (its userinfo and query values at least)', () => {
    const urlValued: string[] = [];
    const visit = (node: unknown, path: string): void => {
      if (!node || typeof node !== 'object') return;
      const schema = node as JsonSchema;
      if (typeof schema.format === 'string' && /ur[il]/.test(schema.format)) {
        urlValued.push(path);
        assert.ok(secretParts(schema), `${path} (${schema.format}) is not a secret place`);
      }
      for (const [key, child] of Object.entries(node)) visit(child, `${path}/${key}`);
    };
    visit(integrationSchema, '#');
    assert.ok(urlValued.length >= 11, urlValued.join(', '));
  });

  it('collects userinfo and query values of the newer URL formats (queue-or-url, path-or-url, postgres-uri)', () => {
    const text = `microservices:
  services:
    - { name: users, url: "http://svc:svcpass-1@127.0.0.1:1/", health_check: "http://127.0.0.1:1/health?probe=probe-key-7" }
---
integration:
  name: ev
  type: event_driven
  events: { subscribe: [task.created] }
  publishers:
    - { name: p, events: [task.created], destination: "https://127.0.0.1:1/in?sig=dest-sig-42" }
`;
    const secrets = parseConfigFile('file:///ws/c.yaml', text).documents.flatMap((document) => collectDocumentSecrets(document, env));
    for (const value of ['svcpass-1', 'probe-key-7', 'dest-sig-42']) assert.ok(secrets.includes(value), `${value} in ${secrets.join(', ')}`);
  });

  it('a variable that fills part of a secret place is a secret alone; numbers and JSON keywords in a query are not', () => {
    const text = `integration:\n  name: q\n  type: request_response\n  base_url: "https://127.0.0.1:1/?limit=1000&debug=true&key=pre-\${QUERY_TOKEN}"\n  endpoints: { a: /a }\n`;
    const secrets = collectDocumentSecrets(parseConfigFile('file:///ws/d.yaml', text).documents[0], env);
    assert.ok(secrets.includes('qtok-1234-abcd') && secrets.includes('pre-qtok-1234-abcd'), secrets.join(', '));
    assert.ok(!secrets.includes('1000') && !secrets.includes('true'), secrets.join(', '));
  });
});
