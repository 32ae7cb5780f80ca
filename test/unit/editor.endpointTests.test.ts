import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { LiveWorkspace } from '../../src/core/liveWorkspace';
import { discoverEndpointTests } from '../../src/extension/testing/endpointTests';
import { TempWorkspace } from '../support/tempWorkspace';

const examples = new URL('../../examples/', import.meta.url).pathname.replace(/\/$/, '');

describe('the Testing view items', () => {
  const temps: TempWorkspace[] = [];
  after(() => temps.forEach((temp) => temp.dispose()));

  it('lists every request_response endpoint, outgoing webhook endpoint and gateway route of examples/, by file and integration, at its line', () => {
    const files = discoverEndpointTests(new LiveWorkspace({ folders: [examples], processEnv: {} }).snapshot);
    const outline = files.map((file) => [file.label, file.integrations.map((group) => [group.integration, group.tests.map((test) => `${test.kind}:${test.label}`)])]);
    assert.deepEqual(outline, [
      [
        '.simone/integrations/architecture.yaml',
        [
          ['microservices', ['service:milestone_service', 'service:task_service', 'service:notification_service']],
          [
            'api_gateway',
            [
              'gateway-route:GET /simone/milestones',
              'gateway-route:POST /simone/milestones',
              'gateway-route:PUT /simone/milestones',
              'gateway-route:GET /simone/tasks',
              'gateway-route:POST /simone/tasks',
              'gateway-route:PUT /simone/tasks',
              'gateway-route:DELETE /simone/tasks',
              'gateway-route:POST /simone/notifications',
            ],
          ],
        ],
      ],
      ['.simone/integrations/project_tracker.yaml', [['project_tracker', ['endpoint:list_issues', 'endpoint:get_issue', 'endpoint:create_issue', 'endpoint:close_issue']]]],
      ['.simone/integrations/team_notifications.yaml', [['team_notifications', ['webhook:team_chat', 'webhook:ci_server']]]],
    ]);
    const services = files[0].integrations[0].tests;
    assert.equal(services[1].description, 'service · least_connections');
    assert.ok(services.every((test) => test.range !== undefined), 'each service at its name');
    const gateway = files[0].integrations[1];
    assert.equal(gateway.type, 'api_gateway');
    assert.equal(gateway.tests[3].description, '→ task_service');
    assert.equal(gateway.tests[0].id, `${files[0].uri}#api_gateway/GET /simone/milestones`);
    // Each route's methods sit at the route's line (its `- path:` item), below `api_gateway:`.
    const routeLines = gateway.tests.map((test) => test.range!.start.line);
    assert.deepEqual([...new Set(routeLines)].length, 3);
    assert.ok(routeLines.every((line) => line > gateway.range!.start.line));
    const tracker = files[1].integrations[0];
    assert.equal(tracker.tests[2].description, 'POST');
    // Each test sits on its own line, below the integration's name.
    const lines = tracker.tests.map((test) => test.range!.start.line);
    assert.ok(lines.every((line, index) => line > tracker.range!.start.line && (index === 0 || line > lines[index - 1])), String(lines));
    assert.equal(tracker.tests[0].id, `${files[1].uri}#project_tracker/list_issues`);
  });

  it('lists no gRPC service: nothing calls it', () => {
    const temp = new TempWorkspace({ '.simone/integrations/rpc.yaml': 'microservices:\n  services:\n    - name: rpc\n      url: http://127.0.0.1:9\n  communication:\n    type: grpc\n' });
    temps.push(temp);
    assert.deepEqual(discoverEndpointTests(new LiveWorkspace({ folders: [temp.root], processEnv: {} }).snapshot), []);
  });

  it('follows edits with stable ids, and lists nothing for a file without runnable endpoints', async () => {
    const temp = new TempWorkspace({
      '.simone/integrations/api.yaml': 'integration:\n  type: request_response\n  name: api\n  endpoints:\n    ping: http://127.0.0.1:9/ping\n',
      '.simone/integrations/queue.yaml': 'integration:\n  type: message_queue\n  name: jobs\n  connection:\n    url: amqp://127.0.0.1:9\n  queues:\n    - name: work\n',
    });
    temps.push(temp);
    const live = new LiveWorkspace({ folders: [temp.root], processEnv: {} });
    const before = discoverEndpointTests(live.snapshot);
    assert.deepEqual(before.map((file) => file.label), ['.simone/integrations/api.yaml']);
    const pingId = before[0].integrations[0].tests[0].id;
    live.setOpenText(temp.uri('.simone/integrations/api.yaml'), 'integration:\n  type: request_response\n  name: api\n  endpoints:\n    health: http://127.0.0.1:9/health\n    ping: http://127.0.0.1:9/ping\n', 2);
    const edited = discoverEndpointTests(live.snapshot)[0].integrations[0].tests;
    assert.deepEqual(edited.map((test) => test.label), ['health', 'ping']);
    assert.equal(edited[1].id, pingId);
    assert.equal(edited[1].range!.start.line, 5);
    live.dispose();
  });
});
