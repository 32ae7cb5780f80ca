import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseConfigFile } from '../../src/core/configFile';
import { diagnostic } from '../../src/core/diagnostic';
import { codeLenses } from '../../src/language/codeLens';
import { toLspDiagnostic } from '../../src/language/diagnostics';
import { documentLinks } from '../../src/language/links';
import { languageContext } from '../support/languageContext';
import { markedRange } from '../support/markers';

describe('document links', () => {
  it('links http(s) URLs in values, quoted or inside text, and leaves templates out', () => {
    const { text, range } = markedRange(`integration:
  type: request_response
  name: users
  description: see «https://docs.example.com/users» for details
  base_url: "https://api.example.com"
  endpoints:
    by_id: https://api.example.com/users/{id}
    env: \${BASE}/users
    templated: https://\${HOST}/x
  health_check:
    url: http://127.0.0.1:8080/health
`);
    const links = documentLinks(parseConfigFile('file:///ws/a.yaml', text));
    assert.deepEqual(links.map((link) => link.target), ['https://docs.example.com/users', 'https://api.example.com', 'http://127.0.0.1:8080/health']);
    assert.deepEqual(links[0].range, range);
    assert.deepEqual(links[1].range, { start: { line: 4, character: 13 }, end: { line: 4, character: 36 } });
  });

  it('does not link keys', () => {
    assert.deepEqual(documentLinks(parseConfigFile('file:///ws/a.yaml', '"https://a.example.com": 1\n')), []);
  });
});

describe('code lenses', () => {
  const uri = 'file:///ws/a.yaml';
  const text = `integration:
  type: request_response
  name: users
  endpoints:
    get_user: /users/{id}
    list: /users
---
integration:
  type: database
  name: warehouse
---
integration:
  type: webhook
  name: hooks
  endpoints:
    - name: slack
      url: https://hooks.example.com/x
---
integration:
  type: message_queue
  name: broker
---
integration:
  type: event_driven
  name: events
`;
  const lenses = codeLenses(parseConfigFile(uri, text), languageContext());
  const summary = lenses.map((lens) => `${lens.range.start.line} ${lens.command?.title} ${lens.command?.command} ${JSON.stringify(lens.command?.arguments)}`);

  it('puts the commands that fit each type above each integration, with arguments', () => {
    assert.deepEqual(summary, [
      `0 Test all endpoints simone.testAllEndpoints [{"uri":"${uri}","integration":"users"}]`,
      `4 Test simone.testEndpoint [{"uri":"${uri}","integration":"users","endpoint":"get_user"}]`,
      `5 Test simone.testEndpoint [{"uri":"${uri}","integration":"users","endpoint":"list"}]`,
      `0 Health simone.showHealth [{"uri":"${uri}","integration":"users"}]`,
      `7 Run sync simone.runSync [{"uri":"${uri}","integration":"warehouse"}]`,
      `7 Preview sync simone.previewSync [{"uri":"${uri}","integration":"warehouse"}]`,
      `7 Health simone.showHealth [{"uri":"${uri}","integration":"warehouse"}]`,
      `11 Send test webhook simone.sendWebhook [{"uri":"${uri}","integration":"hooks"}]`,
      `15 Send test webhook simone.sendWebhook [{"uri":"${uri}","integration":"hooks","endpoint":"slack"}]`,
      `11 Health simone.showHealth [{"uri":"${uri}","integration":"hooks"}]`,
      `18 Publish message simone.publishMessage [{"uri":"${uri}","integration":"broker"}]`,
      `18 Peek simone.peekQueue [{"uri":"${uri}","integration":"broker"}]`,
      `18 Health simone.showHealth [{"uri":"${uri}","integration":"broker"}]`,
      `22 Health simone.showHealth [{"uri":"${uri}","integration":"events"}]`,
    ]);
  });

  it('has no lens for an integration without a name', () => {
    assert.deepEqual(codeLenses(parseConfigFile(uri, 'integration:\n  type: database\n'), languageContext()), []);
  });
});

describe('diagnostics', () => {
  it('maps a core diagnostic to LSP with code, source, severity and data', () => {
    const range = { start: { line: 1, character: 2 }, end: { line: 1, character: 6 } };
    assert.deepEqual(toLspDiagnostic(diagnostic('schema-unknown-property', 'Unknown property "nmae".', range, { suggestions: ['name'] })), {
      range,
      severity: 1,
      code: 'schema-unknown-property',
      source: 'simone',
      message: 'Unknown property "nmae".',
      data: { suggestions: ['name'] },
    });
    assert.equal(toLspDiagnostic(diagnostic('secret-literal', 'm', range)).severity, 2);
    assert.ok(!('data' in toLspDiagnostic(diagnostic('yaml-syntax', 'm', range))));
  });
});
