import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { findIntegration } from '../../src/cli/findIntegration';
import { UsageError } from '../../src/cli/usage';
import { Workspace } from '../../src/core/workspace';
import { TempWorkspace } from '../support/tempWorkspace';

const folder = new TempWorkspace({
  '.simone/integrations/orders.yaml': 'integration:\n  type: message_queue\n  name: orders_bus\n  connection_url: amqp://127.0.0.1:5672\n  queues:\n    - name: orders\n',
  '.simone/integrations/crm.yaml': 'integration:\n  type: request_response\n  name: crm_api\n  base_url: http://127.0.0.1:1\n  endpoints:\n    list: /orders\n',
});
after(() => folder.dispose());

function usageError(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof UsageError, `a UsageError, not ${String(error)}`);
    return error.message;
  }
  assert.fail('no error');
}

describe('findIntegration (the CLI commands that take an integration name)', () => {
  const workspace = Workspace.load({ workspace: folder.root, cwd: folder.root, processEnv: {} });

  it('returns the integration of the asked type', () => {
    const found = findIntegration(workspace, 'orders_bus', 'message_queue');
    assert.equal(found.name, 'orders_bus');
    assert.equal(found.queues[0].name, 'orders');
  });

  it('an unknown name: where it looked and a did-you-mean among integrations of that type only', () => {
    assert.equal(usageError(() => findIntegration(workspace, 'orders_bsu', 'message_queue')), `no integration named "orders_bsu" in ${folder.root}. Did you mean "orders_bus"?`);
    // "crm_ap" is closest to crm_api, a request_response integration: no use to a queue command.
    assert.equal(usageError(() => findIntegration(workspace, 'crm_ap', 'message_queue')), `no integration named "crm_ap" in ${folder.root}.`);
    assert.match(usageError(() => findIntegration(workspace, 'crm_ap', 'request_response')), /Did you mean "crm_api"\?$/);
  });

  it('another type: says which it is', () => {
    assert.equal(usageError(() => findIntegration(workspace, 'crm_api', 'webhook')), '"crm_api" is a request_response integration, not a webhook one');
  });
});
