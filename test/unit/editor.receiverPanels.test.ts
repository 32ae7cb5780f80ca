/**
 * One result panel per webhook receiver (src/extension/webhooks/receiverPanels.ts), fed by a real receiver on
 * 127.0.0.1: every verified request updates the one open panel, a click shows that request in full, a closed panel
 * is no longer updated and the next show opens one again.
 */
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { describe, it } from 'node:test';
import { ReceivedRequests, RECEIVED_KEPT } from '../../src/extension/webhooks/receivedRequests';
import { ReceiverPanels, type ReceiverPanel } from '../../src/extension/webhooks/receiverPanels';
import { resultModel, type ResultView } from '../../src/extension/webviews/resultView';
import { WebhookReceivers } from '../../src/runners/webhook/webhookReceivers';
import { integrationFromYaml } from '../support/integrationFromYaml';

const hooks = integrationFromYaml('webhook', 'integration:\n  type: webhook\n  name: hooks\n  endpoints:\n    - { name: build, signature: none }\n    - { name: deploy, signature: none }\n  receiver: { port: 0 }\n');

function post(url: string, body: unknown): Promise<number> {
  return new Promise((resolve, reject) => {
    const outgoing = request(url, { method: 'POST', agent: false, headers: { 'content-type': 'application/json' } }, (response) => {
      response.resume();
      response.once('end', () => resolve(response.statusCode ?? 0));
    });
    outgoing.once('error', reject);
    outgoing.end(JSON.stringify(body));
  });
}

/** The panels opened, as webviewApi's showResult would: one per kind and title, each recording what it shows. */
function panelHost() {
  const panels = new Map<string, { views: ResultView[]; close(): void }>();
  let opened = 0;
  const open = (view: ResultView): ReceiverPanel => {
    const id = `${view.kind}/${view.title}`;
    const existing = panels.get(id);
    if (existing) {
      existing.views.push(view);
      return { update: (next) => existing.views.push(next), onDidDispose: () => undefined };
    }
    opened++;
    const closed: Array<() => void> = [];
    const panel = { views: [view], close: () => (panels.delete(id), closed.forEach((listener) => listener())) };
    panels.set(id, panel);
    return { update: (next) => panel.views.push(next), onDidDispose: (listener) => closed.push(listener) };
  };
  return { panels, open, opened: () => opened };
}

const deliveriesShown = (view: ResultView | undefined) => (view ? resultModel(view).sections[0] : undefined);

describe('the webhook receiver panel', () => {
  it('shows the requests of a real receiver live in one panel, and the one clicked in full', async () => {
    const receivers = new WebhookReceivers();
    const received = new ReceivedRequests();
    const host = panelHost();
    const panels = new ReceiverPanels(received, (name) => receivers.running().find((running) => running.integration === name)?.url, host.open);
    receivers.onDidChange(({ integration, running }) => {
      if (running) received.started(integration);
      panels.changed(integration);
    });
    receivers.onDidReceive((delivery) => {
      received.add(delivery);
      panels.changed(delivery.integration);
    });
    try {
      const running = await receivers.start(hooks);
      panels.show('hooks');
      const panel = host.panels.get('receiver/hooks receiver')!;
      assert.match(resultModel(panel.views.at(-1)!).facts[0].value, new RegExp(`listening on ${running.url}`));

      assert.equal(await post(`${running.url}/build`, { build: 1 }), 200);
      assert.equal(await post(`${running.url}/deploy`, { deploy: 2 }), 200);
      assert.equal(host.opened(), 1, 'one panel for the receiver, not one per request');
      const latest = resultModel(panel.views.at(-1)!);
      assert.equal(latest.headline.text, '2 received');
      const rows = deliveriesShown(panel.views.at(-1));
      assert.deepEqual(rows?.type === 'table' && rows.rows.map((row) => row[1].text), ['deploy', 'build'], 'newest first');
      assert.ok(latest.sections.some((section) => section.title.startsWith('Body of deploy')), 'the newest in full');

      const clicked = received.find('hooks', received.list('hooks')[1].receivedAt, 'build')!;
      panels.show('hooks', clicked);
      assert.equal(host.opened(), 1);
      assert.ok(resultModel(panel.views.at(-1)!).sections.some((section) => section.title.startsWith('Body of build')));
      // A request after the click keeps the clicked one in full.
      assert.equal(await post(`${running.url}/deploy`, { deploy: 3 }), 200);
      const after = resultModel(panel.views.at(-1)!);
      assert.equal(after.headline.text, '3 received');
      assert.ok(after.sections.some((section) => section.title.startsWith('Body of build')));

      await receivers.stop('hooks');
      assert.equal(resultModel(panel.views.at(-1)!).facts[0].value, 'stopped');

      panel.close();
      const shownBefore = panel.views.length;
      panels.changed('hooks');
      assert.equal(panel.views.length, shownBefore, 'a closed panel is not updated');
      panels.show('hooks');
      assert.equal(host.opened(), 2, 'the next show opens one again');
    } finally {
      await receivers.dispose();
    }
  });

  it('keeps the newest requests per receiver, and a restart starts an empty list', () => {
    const received = new ReceivedRequests();
    received.started('hooks');
    for (let index = 0; index < RECEIVED_KEPT + 5; index++) received.add({ integration: 'hooks', endpoint: 'build', headers: {}, body: index, receivedAt: `t${index}` });
    assert.equal(received.list('hooks').length, RECEIVED_KEPT);
    assert.equal(received.list('hooks')[0].body, RECEIVED_KEPT + 4);
    assert.equal(received.find('hooks', 't3'), undefined, 'the oldest fell out');
    received.started('hooks');
    assert.deepEqual(received.list('hooks'), []);
  });
});
