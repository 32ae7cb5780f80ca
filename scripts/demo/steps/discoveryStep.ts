import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConsulDouble } from '../services/consulDouble';
import { closeServer } from '../services/httpService';
import { microservice } from '../services/microservices';
import type { DemoContext } from './demoContext';

/** DEMO-ONLY: the token the Consul API double asks for; it protects nothing. */
const DEMO_CONSUL_TOKEN = 'demo-only-consul-acl-token';
const SERVICE = 'report_service';

/**
 * A service found through Consul: a Consul API double (not a real agent: no
 * Consul build installs here; `consul agent -dev` is the real thing) lists two
 * instances of `report_service`, each a local HTTP service. `health` probes
 * both; `test --count 4` alternates between them (round_robin); one instance
 * turned critical in Consul is left out at once.
 */
export async function discoveryStep({ transcript, cli }: DemoContext): Promise<void> {
  transcript.section('A service found through Consul (an API double of the agent)');
  transcript.addSecrets([DEMO_CONSUL_TOKEN]);
  const servers = [microservice({ name: `${SERVICE} a`, host: '127.0.0.1', port: 0, healthPath: '/health' }), microservice({ name: `${SERVICE} b`, host: '127.0.0.1', port: 0, healthPath: '/health' })];
  await Promise.all(servers.map((server) => new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))));
  const ports = servers.map((server) => (server.address() as AddressInfo).port);
  const consul = await ConsulDouble.start({ token: DEMO_CONSUL_TOKEN });
  const instances = ports.map((port, index) => ({ id: `${SERVICE}-${index + 1}`, node: `node-${index + 1}`, address: '127.0.0.1', port, tags: ['v1'] }));
  consul.setService(SERVICE, instances);
  const folder = mkdtempSync(join(tmpdir(), 'simone-demo-consul-'));
  try {
    const config = [
      '# report_service has no url: Consul lists its instances.',
      'microservices:',
      '  discovery:',
      '    type: consul',
      `    host: ${consul.host}`,
      `    port: ${consul.port}`,
      '    token: ${CONSUL_HTTP_TOKEN}',
      '  services:',
      `    - name: ${SERVICE}`,
      '      health_check: /health',
      '      load_balancer: round_robin',
      '  communication:',
      '    type: http',
      '    timeout: 5s',
      '    retries: 1',
      '',
    ].join('\n');
    mkdirSync(join(folder, '.simone', 'integrations'), { recursive: true });
    writeFileSync(join(folder, '.simone', 'integrations', 'services.yaml'), config);
    writeFileSync(join(folder, '.env'), `CONSUL_HTTP_TOKEN=${DEMO_CONSUL_TOKEN}\n`);
    transcript.line(`Consul API double (scripts/demo/services/consulDouble.ts) on ${consul.origin}, ACL token required; ${SERVICE} at ${ports.map((port) => `127.0.0.1:${port}`).join(' and ')}.`);
    transcript.line(`For a real agent: \`consul agent -dev\`, register the service, and set discovery.host/port (8500) in the config below.`);
    transcript.line(`${folder}/.simone/integrations/services.yaml:`);
    transcript.output(config);
    const workspace = ['--workspace', folder];
    await transcript.step('consul health', async () => {
      const run = await cli.run(['health', ...workspace]);
      return run.code === 0 && run.stdout.includes('2 instances pass') ? { outcome: 'ok', detail: `${SERVICE}: both instances Consul lists pass our health_check` } : { outcome: 'failed', detail: 'see the health table above' };
    });
    await transcript.step('consul test', async () => {
      const run = await cli.run(['test', SERVICE, '--count', '4', ...workspace]);
      const spread = instances.every((instance) => run.stdout.includes(`node-${instance.id.slice(-1)}/${instance.id} 2`));
      return run.code === 0 && spread ? { outcome: 'ok', detail: 'round_robin: 2 calls to each instance' } : { outcome: 'failed', detail: 'the calls did not alternate between the instances (see above)' };
    });
    consul.setService(SERVICE, [instances[0], { ...instances[1], status: 'critical' }]);
    transcript.line(`Consul now reports ${instances[1].id} critical:`);
    await transcript.step('consul change', async () => {
      const health = await cli.run(['health', ...workspace]);
      const calls = await cli.run(['test', SERVICE, '--count', '2', ...workspace]);
      const degraded = /report_service\s+microservice\s+degraded/.test(health.stdout);
      const onlyFirst = calls.code === 0 && calls.stdout.includes(`node-1/${instances[0].id} 2`);
      return degraded && onlyFirst ? { outcome: 'ok', detail: `${SERVICE} degraded, and calls go only to the passing instance` } : { outcome: 'failed', detail: 'see above' };
    });
  } finally {
    rmSync(folder, { recursive: true, force: true });
    await consul.stop();
    await Promise.all(servers.map(closeServer));
  }
}
