import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Microservices } from '../../src/core/model';
import { createHealthProbeContext } from '../../src/runners/health/healthProbeContext';
import { healthTargets } from '../../src/runners/health/healthTarget';
import { httpIntegration } from '../support/httpIntegration';

const services = (taskUrl: string, documentIndex = 0): Microservices => ({
  services: [
    { name: 'users', url: 'http://127.0.0.1:1', healthCheck: '/health', loadBalancer: 'round_robin' },
    { name: 'task_service', url: taskUrl, loadBalancer: 'random' },
  ],
  communication: { type: 'http', timeoutMs: 1000, retries: 0 },
  source: { uri: 'arch.yaml', documentIndex },
  secrets: [],
});

function fingerprints(model: Parameters<typeof healthTargets>[0]): Map<string, string> {
  const context = createHealthProbeContext({ integrations: model.integrations, projectFolder: () => process.cwd() });
  return new Map(healthTargets(model, context).map(({ key, fingerprint }) => [key, fingerprint]));
}

describe('healthTargets: keys and fingerprints', () => {
  const users = { ...httpIntegration('http://127.0.0.1:2'), name: 'users' };

  it('keys by type:name, so an integration and a microservice of one name are two targets', () => {
    assert.deepEqual([...fingerprints({ integrations: [users], microservices: [services('http://127.0.0.1:3')] }).keys()], ['request_response:users', 'microservice:users', 'microservice:task_service']);
  });

  it('a fingerprint changes with the settings its probe reads, and only with those', () => {
    const before = fingerprints({ integrations: [users], microservices: [services('http://127.0.0.1:3')] });
    assert.deepEqual(fingerprints({ integrations: [users], microservices: [services('http://127.0.0.1:3')] }), before, 'rebuilt from the same settings');
    assert.deepEqual(fingerprints({ integrations: [users], microservices: [services('http://127.0.0.1:3', 4)] }), before, 'the document moved within its file');

    const edited = fingerprints({ integrations: [{ ...users, timeoutMs: users.timeoutMs + 1 }], microservices: [services('http://127.0.0.1:4')] });
    const changed = [...before].filter(([key, fingerprint]) => edited.get(key) !== fingerprint).map(([key]) => key);
    assert.deepEqual(changed, ['request_response:users', 'microservice:task_service'], 'editing one service leaves its neighbour alone');
  });
});
