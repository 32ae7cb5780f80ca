import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LogOutputChannel } from 'vscode';
import { Redactor } from '../../src/core/redactor';
import { maskedLog } from '../../src/extension/maskedLog';

/** What a LogOutputChannel was asked to write (the part of it the wrapper touches). */
function recordingChannel() {
  const written: unknown[][] = [];
  const channel = {
    name: 'Simone Integrations',
    info: (...args: unknown[]) => void written.push(['info', ...args]),
    warn: (...args: unknown[]) => void written.push(['warn', ...args]),
    error: (...args: unknown[]) => void written.push(['error', ...args]),
    appendLine: (...args: unknown[]) => void written.push(['appendLine', ...args]),
    show: () => void written.push(['show']),
  };
  return { channel: channel as unknown as LogOutputChannel, written };
}

describe("the extension's log channel", () => {
  it('masks every secret value of the loaded workspace in every write, errors and extra arguments included', () => {
    const { channel, written } = recordingChannel();
    const loaded: { secrets?: Redactor } = {};
    const log = maskedLog(channel, () => loaded.secrets);
    log.info('before the engine: tok-abc-123 shown as is');
    loaded.secrets = new Redactor(['tok-abc-123']);
    log.info('GET /x?token=tok-abc-123');
    log.warn('failed', { detail: `Bearer ${Buffer.from('tok-abc-123').toString('base64')}` });
    log.error(new Error('auth tok-abc-123 refused'));
    log.appendLine(encodeURIComponent('tok-abc-123'));
    log.show();
    assert.equal(log.name, 'Simone Integrations');
    assert.deepEqual(written, [
      ['info', 'before the engine: tok-abc-123 shown as is'],
      ['info', 'GET /x?token=***'],
      ['warn', 'failed', { detail: 'Bearer ***' }],
      ['error', 'auth *** refused'],
      ['appendLine', '***'],
      ['show'],
    ]);
  });
});
