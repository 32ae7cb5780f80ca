import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cancelledError, classifyError, classifyStatus, ClassifiedError, integrationSecrets, redact } from '../../src/runners/errors';
import { httpIntegration } from '../support/httpIntegration';

describe('redact', () => {
  it('removes URL credentials, user and password alike', () => {
    assert.equal(redact('GET https://alice:hunter22@api.example.com/x failed'), 'GET https://***@api.example.com/x failed');
    assert.equal(redact('amqp://ghp_abcdef@broker:5672'), 'amqp://***@broker:5672');
    assert.equal(redact('mail me at ops@example.com'), 'mail me at ops@example.com', 'an address outside a URL stays');
  });

  it('masks credential query parameters by name, whatever their case', () => {
    assert.equal(
      redact('https://h/p?q=1&token=abc&API_KEY=k1&sig=zz&signature=s&access_token=t&password=p&secret=s2&key=k#frag'),
      'https://h/p?q=1&token=***&API_KEY=***&sig=***&signature=***&access_token=***&password=***&secret=***&key=***#frag',
    );
    assert.equal(redact('https://h/p?monkey=banana&keys=1'), 'https://h/p?monkey=banana&keys=1');
  });

  it('removes known secret values, also URL-encoded, but not tiny ones', () => {
    assert.equal(redact('sent p@ss w0rd / p%40ss%20w0rd', ['p@ss w0rd']), 'sent *** / ***');
    assert.equal(redact('a b c', ['a']), 'a b c');
  });
});

describe('classification', () => {
  it('maps statuses to kinds', () => {
    assert.deepEqual([401, 403, 404, 408, 429, 500, 503, 200, 302].map(classifyStatus), ['auth', 'auth', 'remote-4xx', 'timeout', 'transient', 'remote-5xx', 'remote-5xx', undefined, undefined]);
  });

  it('reads the innermost code of wrapped socket errors', () => {
    const wrapped = Object.assign(new Error('fetch failed'), { cause: Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }) });
    assert.deepEqual(classifyError(wrapped), { kind: 'transient', severity: 'warning', message: 'connection reset by the server', code: 'ECONNRESET' });
    assert.equal(classifyError(Object.assign(new Error('Connect Timeout Error'), { code: 'UND_ERR_CONNECT_TIMEOUT' })).kind, 'timeout');
    assert.equal(classifyError(Object.assign(new Error('invalid url'), { code: 'ERR_INVALID_URL' })).kind, 'config');
  });

  it('says cancelled one way: kind cancelled, whatever aborted', () => {
    const expected = { kind: 'cancelled', severity: 'warning', message: 'cancelled' };
    assert.deepEqual(classifyError(new DOMException('This operation was aborted', 'AbortError')), expected);
    assert.deepEqual(classifyError(Object.assign(new Error('Request aborted'), { code: 'UND_ERR_ABORTED' })), expected);
    assert.deepEqual(cancelledError('not connected to the broker'), { ...expected, message: 'cancelled: not connected to the broker' });
  });

  it('keeps a classified error and redacts its message to one line', () => {
    const error = classifyError(new ClassifiedError('auth', 'token endpoint https://u:pw@t/x?client_secret=abcd1234 refused\nstack...'), ['abcd1234']);
    assert.deepEqual(error, { kind: 'auth', severity: 'error', message: 'token endpoint https://***@t/x?client_secret=*** refused' });
  });
});

describe('integration secrets', () => {
  it('reads the secrets the model builder collected from the schema', () => {
    const integration = httpIntegration('https://api.example.com', { secrets: ['basic-pass', 'bob:basic-pass'] });
    assert.deepEqual(integrationSecrets(integration), ['basic-pass', 'bob:basic-pass']);
    assert.equal(redact(`Authorization: Basic ${Buffer.from('bob:basic-pass').toString('base64')}`, integrationSecrets(integration)), 'Authorization: Basic ***');
  });
});
