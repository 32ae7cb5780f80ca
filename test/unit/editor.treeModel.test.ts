import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { LiveWorkspace } from '../../src/core/liveWorkspace';
import { STATE_STYLES } from '../../src/extension/tree/healthPresentation';
import { summarizeHealth } from '../../src/extension/tree/healthSummary';
import { IntegrationTreeModel, keyOf, type TreeNode } from '../../src/extension/tree/treeModel';
import { healthResult, type HealthExtra, type HealthState } from '../../src/runners/health/healthResult';
import type { BreakerState } from '../../src/runners/http/integrationBreaker';
import { TempWorkspace } from '../support/tempWorkspace';

const examples = new URL('../../examples/', import.meta.url).pathname.replace(/\/$/, '');
const NOW = Date.parse('2025-03-01T12:00:00Z');

function result(state: HealthState, detail: string, options: { latencyMs?: number; breaker?: BreakerState; extra?: HealthExtra } = {}) {
  return { ...healthResult({ state, latencyMs: options.latencyMs ?? 12, detail, breaker: options.breaker, extra: options.extra }), checkedAt: new Date(NOW - 5000).toISOString() };
}

function exampleModel(): { model: IntegrationTreeModel; live: LiveWorkspace } {
  const live = new LiveWorkspace({ folders: [examples], processEnv: {} });
  const model = new IntegrationTreeModel(() => NOW);
  model.setWorkspace(live.snapshot);
  return { model, live };
}

const labels = (nodes: TreeNode[]) => nodes.map((node) => node.label);
const byLabel = (nodes: TreeNode[], label: string) => nodes.find((node) => node.label === label)!;

describe('the Integrations tree model', () => {
  const temps: TempWorkspace[] = [];
  after(() => temps.forEach((temp) => temp.dispose()));

  it('lists every integration of examples/, then the microservices and the gateway, each with its type icon and no state yet', () => {
    const { model } = exampleModel();
    const roots = model.roots();
    assert.deepEqual(labels(roots), ['api_gateway', 'microservices', 'project_analytics', 'project_events', 'project_tracker', 'task_queue', 'team_notifications']);
    const icons = Object.fromEntries(roots.map((node) => [node.label, node.icon.id]));
    assert.deepEqual(icons, { api_gateway: 'type-hierarchy', microservices: 'server-environment', project_analytics: 'database', project_events: 'symbol-event', project_tracker: 'globe', task_queue: 'inbox', team_notifications: 'broadcast' });
    const tracker = byLabel(roots, 'project_tracker');
    assert.equal(tracker.state, 'unknown');
    assert.equal(tracker.icon.color, STATE_STYLES.unknown.color);
    assert.equal(tracker.description, 'not checked yet');
    assert.equal(tracker.contextValue, 'integration.request_response');
    assert.deepEqual(tracker.target, { integration: 'project_tracker', type: 'request_response' });
  });

  it('gives each integration the children of its type, and every node a place to open', () => {
    const { model } = exampleModel();
    const child = (label: string) => model.children(byLabel(model.roots(), label).id);
    assert.deepEqual(labels(child('project_tracker')), ['list_issues', 'get_issue', 'create_issue', 'close_issue']);
    assert.equal(byLabel(child('project_tracker'), 'create_issue').description, 'POST /issues');
    assert.deepEqual(labels(child('team_notifications')), ['team_chat', 'ci_server', 'code_host', 'billing', 'receiver']);
    assert.equal(byLabel(child('team_notifications'), 'team_chat').contextValue, 'webhook-endpoint.outgoing');
    assert.equal(byLabel(child('team_notifications'), 'code_host').contextValue, 'webhook-endpoint.incoming');
    assert.equal(byLabel(child('team_notifications'), 'receiver').description, 'stopped · 127.0.0.1:4030/webhook');
    assert.deepEqual(labels(child('task_queue')), ['simone_events', 'task_processing', 'notification_fanout']);
    assert.deepEqual(labels(child('project_analytics')), ['local_analytics', 'milestones → project_milestones', 'sprints → project_sprints', 'tasks → project_tasks', 'local_analytics.project_tasks → open_tasks']);
    assert.equal(byLabel(child('project_analytics'), 'local_analytics').description, 'pglite .simone/data/pglite');
    assert.deepEqual(labels(child('project_events')), ['project_publisher', 'tracker_publisher', 'chat_notifier', 'task_worker', 'audit_log']);
    assert.deepEqual(labels(child('microservices')), ['milestone_service', 'task_service', 'notification_service']);
    assert.deepEqual(labels(child('api_gateway')), ['/simone/milestones', '/simone/tasks', '/simone/notifications']);

    const tracker = byLabel(model.roots(), 'project_tracker');
    assert.ok(tracker.location!.uri.endsWith('/.simone/integrations/project_tracker.yaml'), tracker.location!.uri);
    assert.equal(tracker.location!.range.start.line, 3, 'the name: line of project_tracker');
    assert.equal(byLabel(child('project_tracker'), 'get_issue').location!.range.start.line, 8);
    assert.equal(byLabel(child('api_gateway'), '/simone/tasks').location!.range.start.line, 9, 'a route opens the service it routes to');
    assert.equal(byLabel(model.roots(), 'api_gateway').location!.range.start.line, 22, 'the api_gateway: key of the second document');
    for (const node of model.children(byLabel(model.roots(), 'project_tracker').id)) assert.equal(node.parentId, tracker.id);
  });

  it('shows a health change as the state colour, the latency and the most telling detail, repainting only that integration', () => {
    const { model } = exampleModel();
    const tracker = byLabel(model.roots(), 'project_tracker');
    const changed = model.setHealth(keyOf('request_response', 'project_tracker'), result('healthy', 'GET /api/health answered 200', { latencyMs: 12.4, breaker: 'closed' }));
    assert.deepEqual(changed, [tracker.id]);
    const healthy = model.node(tracker.id)!;
    assert.equal(healthy.state, 'healthy');
    assert.equal(healthy.icon.color, 'testing.iconPassed');
    assert.equal(healthy.icon.id, 'globe');
    assert.equal(healthy.description, '12 ms');

    model.setHealth(keyOf('request_response', 'project_tracker'), result('degraded', 'health_check answered 200; circuit half-open: only trial calls pass', { breaker: 'half-open' }));
    // The description is one short line; the tooltip has the detail whole.
    assert.equal(model.node(tracker.id)!.description, 'degraded · health_check answered 200; circuit half-open: only trial ca…');
    assert.match(model.node(tracker.id)!.tooltip(), /only trial calls pass/);
    assert.equal(model.node(tracker.id)!.icon.color, 'problemsWarningIcon.foreground');

    model.setHealth(keyOf('request_response', 'project_tracker'), result('unhealthy', 'GET http://127.0.0.1:4010/api/health connection refused'));
    assert.equal(model.node(tracker.id)!.description, 'down · GET http://127.0.0.1:4010/api/health connection refused');
    assert.equal(model.node(tracker.id)!.icon.color, 'problemsErrorIcon.foreground');

    model.setHealth(keyOf('request_response', 'project_tracker'), result('unhealthy', 'circuit open: calls are refused', { breaker: 'open' }));
    assert.equal(model.node(tracker.id)!.state, 'circuit-open');
    assert.equal(model.node(tracker.id)!.icon.id, 'debug-disconnect');
    assert.equal(model.node(tracker.id)!.description, 'circuit open: calls are refused');

    // The same result again changes nothing on screen: nothing to repaint.
    assert.deepEqual(model.setHealth(keyOf('request_response', 'project_tracker'), result('unhealthy', 'circuit open: calls are refused', { breaker: 'open' })), []);
    // A key the tree does not show repaints nothing either.
    assert.deepEqual(model.setHealth('request_response:nowhere', result('healthy', 'ok')), []);
  });

  it('tells queue depths, sync times and destination checks on the children that have a state of their own', () => {
    const { model } = exampleModel();
    const queue = byLabel(model.roots(), 'task_queue');
    model.setHealth(keyOf('message_queue', 'task_queue'), result('degraded', 'connected; notification_fanout missing', {
      extra: { kind: 'queues', queues: [{ queue: 'simone_events', messageCount: 12, consumerCount: 1 }, { queue: 'task_processing', messageCount: 3, consumerCount: 0 }, { queue: 'notification_fanout', error: 'queue "notification_fanout" does not exist on the broker' }] },
    }));
    const queues = model.children(queue.id);
    assert.equal(byLabel(queues, 'simone_events').description, '12 messages, 1 consumers');
    assert.equal(byLabel(queues, 'simone_events').state, 'healthy');
    assert.equal(byLabel(queues, 'notification_fanout').state, 'unhealthy');
    model.setHealth(keyOf('message_queue', 'task_queue'), result('healthy', 'connected', { extra: { kind: 'queues', queues: [{ queue: 'simone_events', messageCount: 12, consumerCount: 1 }, { queue: 'task_processing', messageCount: 3, consumerCount: 0 }] } }));
    assert.equal(model.node(queue.id)!.description, '12 ms · 15 queued');

    const analytics = byLabel(model.roots(), 'project_analytics');
    model.setHealth(keyOf('database', 'project_analytics'), result('degraded', 'target open_tasks does not exist yet', {
      extra: { kind: 'database', tables: [
        { source: 'milestones', target: 'project_milestones', targetPresent: true, lastSyncAt: new Date(NOW - 5 * 60_000).toISOString(), pendingChanges: 2 },
        { source: 'local_analytics.project_tasks', target: 'open_tasks', targetPresent: false },
      ] },
    }));
    const tables = model.children(analytics.id);
    assert.equal(byLabel(tables, 'milestones → project_milestones').description, 'hourly · synced 5 min ago · 2 pending');
    assert.equal(byLabel(tables, 'local_analytics.project_tasks → open_tasks').description, 'manual · target missing · never synced');
    assert.equal(byLabel(tables, 'local_analytics.project_tasks → open_tasks').state, 'degraded');
    model.setHealth(keyOf('database', 'project_analytics'), result('healthy', '1 connection(s) answer', { extra: { kind: 'database', tables: [{ source: 'milestones', target: 'project_milestones', targetPresent: true, lastSyncAt: new Date(NOW - 3 * 3600_000).toISOString() }] } }));
    assert.equal(model.node(analytics.id)!.description, '12 ms · synced 3 h ago');

    const events = byLabel(model.roots(), 'project_events');
    model.setHealth(keyOf('event_driven', 'project_events'), result('degraded', '1 of 2 answer', {
      extra: { kind: 'destinations', queues: [], checks: [{ name: 'project_publisher', target: 'queue simone_events of task_queue', ok: false, latencyMs: 1, error: 'connection refused' }, { name: 'tracker_publisher', target: 'tcp 127.0.0.1:4010', ok: true, latencyMs: 1 }] },
    }));
    assert.equal(byLabel(model.children(events.id), 'project_publisher').state, 'unhealthy');
    assert.equal(byLabel(model.children(events.id), 'tracker_publisher').state, 'healthy');
  });

  it('gives each service its own health and the group the worst of them', () => {
    const { model } = exampleModel();
    const group = byLabel(model.roots(), 'microservices');
    model.setHealth(keyOf('microservice', 'milestone_service'), result('healthy', 'answered 200'));
    const changed = model.setHealth(keyOf('microservice', 'task_service'), result('unhealthy', 'GET http://127.0.0.1:4042/health connection refused'));
    assert.deepEqual(changed, [group.id], 'the group repaints with its services');
    const services = model.children(group.id);
    assert.equal(byLabel(services, 'milestone_service').state, 'healthy');
    assert.equal(byLabel(services, 'task_service').description, 'down · GET http://127.0.0.1:4042/health connection refused');
    assert.equal(model.node(group.id)!.state, 'unhealthy');
    assert.equal(model.node(group.id)!.description, '1 of 3 healthy · static discovery');
  });

  it("shows a consul service's instances as its children, as its health result lists them, and repaints the service when they change", () => {
    const temp = new TempWorkspace({
      '.simone/integrations/services.yaml': 'microservices:\n  discovery:\n    type: consul\n    host: 127.0.0.1\n    port: 8500\n  services:\n    - name: orders\n      health_check: /health\n',
    });
    temps.push(temp);
    const live = new LiveWorkspace({ folders: [temp.root], processEnv: {} });
    const model = new IntegrationTreeModel(() => NOW);
    model.setWorkspace(live.snapshot);
    const service = model.children(model.roots()[0].id)[0];
    assert.deepEqual(model.children(service.id), [], 'no instances before a probe');
    const instance = (id: string, port: number, consul: 'passing' | 'critical', probeOk = true) => ({
      id, node: id.split('/')[0], address: '10.0.0.1', port, tags: ['v1'], consul, failingChecks: consul === 'passing' ? [] : ["Service 'orders' check: critical"],
      probe: { name: 'health_check', target: `GET http://10.0.0.1:${port}/health`, ok: probeOk, latencyMs: 3, ...(probeOk ? { status: 200 } : { error: 'connection refused' }) },
      ok: consul === 'passing' && probeOk,
    });
    const key = keyOf('microservice', 'orders');
    model.setHealth(key, result('healthy', '2 instances pass', { extra: { kind: 'instances', instances: [instance('n1/orders-1', 8081, 'passing'), instance('n2/orders-2', 8082, 'passing')] } }));
    const children = model.children(service.id);
    assert.deepEqual(labels(children), ['n1/orders-1', 'n2/orders-2']);
    assert.equal(children[0].description, '10.0.0.1:8081 · consul passing · answered 200');
    assert.equal(children[0].state, 'healthy');
    assert.equal(model.node(service.id)!.description, '12 ms · 2 instances');

    const changed = model.setHealth(key, result('degraded', '1 of 2 instances pass', { extra: { kind: 'instances', instances: [instance('n1/orders-1', 8081, 'passing'), instance('n3/orders-3', 8083, 'critical')] } }));
    assert.ok(changed.includes(model.roots()[0].id) || changed.includes(service.id), `repainted: ${changed.join(', ')}`);
    const after = model.children(service.id);
    assert.deepEqual(labels(after), ['n1/orders-1', 'n3/orders-3'], 'the one Consul no longer lists is gone, the new one is there');
    assert.equal(after[1].state, 'degraded', 'our probe answers, Consul says critical');
    assert.match(after[1].tooltip(), /Consul: critical[\s\S]*Service 'orders' check: critical/);
  });

  it('builds tooltips on demand with the check, its time and the file, and never a secret of the config', () => {
    const temp = new TempWorkspace({
      '.env': 'SHOP_KEY=shop-secret-key-9931\n',
      '.simone/integrations/shop.yaml': 'integration:\n  type: request_response\n  name: shop\n  description: The *shop*\n  endpoints:\n    items: https://api.example.test/items?api_key=${SHOP_KEY}\n',
    });
    temps.push(temp);
    const live = new LiveWorkspace({ folders: [temp.root], processEnv: {} });
    const model = new IntegrationTreeModel(() => NOW);
    model.setWorkspace(live.snapshot);
    const shop = model.roots()[0];
    const endpoint = model.children(shop.id)[0];
    assert.equal(endpoint.description, 'GET https://api.example.test/items?api_key=***');
    assert.ok(!endpoint.tooltip().includes('shop-secret-key-9931'));
    model.setHealth(keyOf('request_response', 'shop'), result('unhealthy', 'tcp api.example.test:443 host not found'));
    const tooltip = model.node(shop.id)!.tooltip();
    assert.match(tooltip, /\*\*shop\*\* · request_response/);
    assert.match(tooltip, /The \\\*shop\\\*/, 'text from the file is escaped');
    assert.match(tooltip, /\*\*down\*\* · 12 ms · checked .* \(just now\)/);
    assert.match(tooltip, /host not found/);
    assert.match(tooltip, /Defined in `\.simone\/integrations\/shop\.yaml`, line 3/);
  });

  it('lists a running receiver and what it received, and an endpoint run as the endpoint state', () => {
    const { model } = exampleModel();
    const notifications = byLabel(model.roots(), 'team_notifications');
    const receiverId = byLabel(model.children(notifications.id), 'receiver').id;
    const changed = model.setReceiver('team_notifications', { url: 'http://127.0.0.1:4030/webhook', received: [{ endpoint: 'code_host', receivedAt: new Date(NOW).toISOString(), event: 'push' }] });
    assert.deepEqual(changed, [notifications.id]);
    const receiver = model.node(receiverId)!;
    assert.equal(receiver.contextValue, 'receiver.running');
    assert.equal(receiver.description, 'listening on http://127.0.0.1:4030/webhook · 1 received');
    assert.deepEqual(labels(model.children(receiverId)), ['code_host']);
    assert.match(model.children(receiverId)[0].description!, /^push · /);
    assert.equal(model.node(notifications.id)!.contextValue, 'integration.webhook.receiving');
    model.setReceiver('team_notifications', { received: [] });
    assert.equal(model.node(receiverId)!.contextValue, 'receiver.stopped');

    const tracker = byLabel(model.roots(), 'project_tracker');
    model.setEndpointRun('project_tracker', 'list_issues', { ok: true, status: 200, attempts: 2, durationMs: 310, at: new Date(NOW).toISOString() });
    const endpoint = byLabel(model.children(tracker.id), 'list_issues');
    assert.equal(endpoint.state, 'healthy');
    assert.equal(endpoint.description, 'GET /issues · 200 after 2 attempts');
    assert.match(endpoint.tooltip(), /Last run just now: passed, 200 after 2 attempts in 310 ms/);
  });

  it('groups by workspace folder when there are several, and repaints only what an edit changed', () => {
    const one = new TempWorkspace({ '.simone/integrations/a.yaml': 'integration:\n  type: request_response\n  name: alpha\n  base_url: http://127.0.0.1:9\n  endpoints:\n    ping: /ping\n' });
    const two = new TempWorkspace({ '.simone/integrations/b.yaml': 'integration:\n  type: request_response\n  name: beta\n  base_url: http://127.0.0.1:9\n  endpoints:\n    ping: /ping\n' });
    temps.push(one, two);
    const live = new LiveWorkspace({ folders: [one.root, two.root], processEnv: {} });
    const model = new IntegrationTreeModel(() => NOW);
    assert.deepEqual(model.setWorkspace(live.snapshot), ['']);
    const folders = model.roots();
    assert.deepEqual(folders.map((node) => node.kind), ['folder', 'folder']);
    assert.deepEqual(labels(model.children(folders[0].id)), ['alpha']);
    assert.deepEqual(labels(model.children(folders[1].id)), ['beta']);
    const alpha = model.children(folders[0].id)[0];
    assert.equal(alpha.parentId, folders[0].id);

    // The first result colours the folder too: the folder repaints, with alpha inside it.
    assert.deepEqual(model.setHealth(keyOf('request_response', 'alpha'), result('healthy', 'ok')), [folders[0].id]);
    // A new latency does not change the folder's look: only alpha repaints.
    assert.deepEqual(model.setHealth(keyOf('request_response', 'alpha'), result('healthy', 'ok', { latencyMs: 30 })), [alpha.id]);
    assert.equal(model.node(alpha.id)!.description, '30 ms');
    // Down makes the folder red: the folder repaints.
    assert.deepEqual(model.setHealth(keyOf('request_response', 'alpha'), result('unhealthy', 'connection refused')), [folders[0].id]);
    assert.equal(model.node(folders[0].id)!.description, '1 item, 1 down');

    // The same snapshot again: nothing; an edit of beta's endpoints: beta only.
    assert.deepEqual(model.setWorkspace(live.snapshot), []);
    live.setOpenText(two.uri('.simone/integrations/b.yaml'), 'integration:\n  type: request_response\n  name: beta\n  base_url: http://127.0.0.1:9\n  endpoints:\n    ping: /ping\n    pong: /pong\n', 2);
    const beta = model.children(folders[1].id)[0];
    assert.deepEqual(model.setWorkspace(live.snapshot), [beta.id]);
    assert.deepEqual(labels(model.children(beta.id)), ['ping', 'pong']);
  });

  it("finds where each health target is defined (the dashboard's links): integrations, services and the gateway", () => {
    const { model } = exampleModel();
    const roots = model.roots();
    const tracker = byLabel(roots, 'project_tracker');
    assert.deepEqual(model.locationOf('request_response:project_tracker'), tracker.location);
    assert.ok(tracker.location, 'the integration has a location');
    const service = model.children(byLabel(roots, 'microservices').id)[0];
    assert.equal(service.kind, 'service');
    assert.ok(service.location);
    assert.deepEqual(model.locationOf(keyOf('microservice', service.target!.integration)), service.location, 'the service, not its group');
    const gateway = byLabel(roots, 'api_gateway');
    assert.deepEqual(model.locationOf(keyOf('api_gateway', gateway.target!.integration)), gateway.location);
    assert.notDeepEqual(model.locationOf('message_queue:task_queue'), tracker.location);
    assert.equal(model.locationOf('request_response:no_such_integration'), undefined);
    assert.equal(model.locationOf('message_queue:project_tracker'), undefined, 'the type is part of the key');
  });

  it('keeps ids unique while a name is written twice', () => {
    const temp = new TempWorkspace({ '.simone/integrations/a.yaml': 'integration:\n  type: request_response\n  name: twin\n  endpoints:\n    a: http://127.0.0.1:9/a\n---\nintegration:\n  type: request_response\n  name: twin\n  endpoints:\n    b: http://127.0.0.1:9/b\n' });
    temps.push(temp);
    const model = new IntegrationTreeModel(() => NOW);
    model.setWorkspace(new LiveWorkspace({ folders: [temp.root], processEnv: {} }).snapshot);
    const ids = model.roots().map((node) => node.id);
    assert.equal(new Set(ids).size, 2, ids.join(', '));
  });
});

describe('the health summary (status bar and badge)', () => {
  it('counts healthy, degraded, down (circuit open included) and unknown targets', () => {
    const summary = summarizeHealth([
      { name: 'a', result: result('healthy', 'ok') },
      { name: 'b', result: result('healthy', 'ok') },
      { name: 'c', result: result('unhealthy', 'refused') },
      { name: 'd', result: result('degraded', 'slow') },
      { name: 'e', result: result('unhealthy', 'open', { breaker: 'open' }) },
      { name: 'f', result: result('unknown', 'disabled') },
    ]);
    assert.equal(summary.text, '2 healthy, 1 degraded, 2 down, 1 unknown');
    assert.equal(summary.down, 2);
    assert.deepEqual(summary.downNames, ['c', 'e']);
    assert.equal(summarizeHealth([{ name: 'a', result: result('healthy', 'ok') }]).text, '1 healthy');
    assert.equal(summarizeHealth([]).text, 'no health checks yet');
  });
});
