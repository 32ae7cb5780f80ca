import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isAbsoluteUrl, joinToBase, resolveAgainstBase } from '../../src/core/urlJoin';
import { ClassifiedError } from '../../src/runners/errors';
import { healthUrl } from '../../src/runners/health/healthUrl';

describe('joining a path onto a base URL', () => {
  it('keeps the base path, with exactly one slash between', () => {
    assert.equal(joinToBase('http://127.0.0.1:3001/api/v2', '/health'), 'http://127.0.0.1:3001/api/v2/health');
    assert.equal(joinToBase('http://127.0.0.1:3001/api/v2/', 'health'), 'http://127.0.0.1:3001/api/v2/health');
    assert.equal(joinToBase('http://127.0.0.1:3001//', '//health'), 'http://127.0.0.1:3001/health');
  });

  it('puts the base query after the path, and after the path own query', () => {
    assert.equal(joinToBase('http://h/api?tenant=7', '/health'), 'http://h/api/health?tenant=7');
    assert.equal(joinToBase('http://h/api/?tenant=7&x=1', 'users?page=2'), 'http://h/api/users?page=2&tenant=7&x=1');
    assert.equal(joinToBase('http://h/api?tenant=7#top', '/health'), 'http://h/api/health?tenant=7', 'a fragment goes');
    assert.equal(joinToBase('http://h/api#top', '/health'), 'http://h/api/health');
  });

  it('leaves placeholders as written', () => {
    assert.equal(joinToBase('http://h/v1?key=k', '/users/{id}'), 'http://h/v1/users/{id}?key=k');
  });

  it('takes an absolute URL as it is, whatever the base', () => {
    assert.ok(isAbsoluteUrl('https://status.example.com/up'));
    assert.ok(isAbsoluteUrl('amqp://broker:5672'));
    assert.ok(!isAbsoluteUrl('/health'));
    assert.ok(!isAbsoluteUrl('health:check'));
    assert.equal(resolveAgainstBase('https://status.example.com/up?x=1', 'http://h/api?tenant=7'), 'https://status.example.com/up?x=1');
    assert.equal(resolveAgainstBase('/health', 'http://h/api?tenant=7'), 'http://h/api/health?tenant=7');
    assert.equal(resolveAgainstBase('/health', undefined), undefined);
  });
});

describe('healthUrl (request_response, webhook and microservice probes)', () => {
  const configError = (run: () => unknown, message: RegExp) =>
    assert.throws(run, (error: unknown) => error instanceof ClassifiedError && error.kind === 'config' && message.test(error.message));

  it('joins a path onto the base with its path and query', () => {
    assert.equal(healthUrl('/health', 'http://127.0.0.1:3001/svc?tenant=7', 'health_check').href, 'http://127.0.0.1:3001/svc/health?tenant=7');
    assert.equal(healthUrl('http://127.0.0.1:9/up', 'http://127.0.0.1:3001/svc?tenant=7', 'health_check').href, 'http://127.0.0.1:9/up');
  });

  it('a path without a base, or what no URL parser takes, is a config error naming the key', () => {
    configError(() => healthUrl('/health', undefined, 'health_check.url'), /^health_check\.url "\/health" is a path and there is no base URL/);
    configError(() => healthUrl('http://exa mple.com', undefined, 'base_url'), /^base_url is not a valid URL \(not shown: it may hold a password\)$/);
  });
});
