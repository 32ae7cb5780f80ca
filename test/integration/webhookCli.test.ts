import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { main } from '../../src/cli/main';
import type { CliIO } from '../../src/cli/usage';
import { SIGNATURE_SCHEMES } from '../../src/runners/webhook/signatureSchemes';
import { postJson } from '../support/postJson';
import { until } from '../support/until';

const ROOT = join(__dirname, '..', '..');
const GITHUB = { secret: "It's a Secret to Everybody", payload: 'Hello, World!', signature: 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17' };

function captured(signal = new AbortController().signal, cwd = ROOT): CliIO & { out: string; err: string } {
  const io = { out: '', err: '', cwd, env: {}, signal, stdout: (text: string) => void (io.out += text), stderr: (text: string) => void (io.err += text) };
  return io;
}

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = captured();
  const code = await main(args, io);
  return { code, out: io.out, err: io.err };
}

describe('webhook sign and verify', () => {
  it('verifies the GitHub documented example through the real binary with --tolerance 0', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'webhook', 'verify', '--scheme', 'github', '--secret', GITHUB.secret, '--payload', GITHUB.payload, '--signature', GITHUB.signature, '--tolerance', '0'], { cwd: ROOT });
    let out = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    const code = await new Promise((resolve) => child.on('close', resolve));
    assert.deepEqual([code, out], [0, 'valid\n']);
  });

  it('sign prints only the header value on stdout', async () => {
    assert.deepEqual(await run(['webhook', 'sign', '--scheme', 'github', '--secret', GITHUB.secret, '--payload', GITHUB.payload]), { code: 0, out: GITHUB.signature + '\n', err: '' });
    // Standard Webhooks reference vector: stdout is the webhook-signature value; the other headers go to stderr.
    const standard = await run(['webhook', 'sign', '--scheme', 'standard', '--secret', 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', '--payload', '{"test": 2432232314}', '--id', 'msg_p5jXN8AQM9LWM0D4loKWxJek', '--timestamp', '1614265330']);
    assert.deepEqual(standard, { code: 0, out: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=\n', err: 'webhook-id: msg_p5jXN8AQM9LWM0D4loKWxJek\nwebhook-timestamp: 1614265330\n' });
  });

  it('sign then verify round-trips for every scheme; a payload file is read byte for byte', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'webhook-cli-'));
    try {
      const file = join(dir, 'payload.json');
      writeFileSync(file, '{"type":"task_completed"}\n');
      const timestamp = String(Math.floor(Date.now() / 1000));
      const secrets = { github: 'gh', standard: 'whsec_' + Buffer.from('k'.repeat(32)).toString('base64'), slack: 'sl', stripe: 'whsec_st' };
      for (const [scheme, secret] of Object.entries(secrets)) {
        const common = ['--scheme', scheme, '--secret', secret, '--payload-file', file, '--timestamp', timestamp, '--id', 'msg_cli'];
        const signed = await run(['webhook', 'sign', ...common]);
        assert.equal(signed.code, 0, signed.err);
        assert.equal(signed.out.split('\n').length, 2, 'one line on stdout');
        const signature = signed.out.trim();
        assert.deepEqual(await run(['webhook', 'verify', ...common, '--signature', signature]), { code: 0, out: 'valid\n', err: '' });
        // Without the trailing newline the bytes differ, and so does the signature.
        const trimmed = await run(['webhook', 'verify', '--scheme', scheme, '--secret', secret, '--payload', '{"type":"task_completed"}', '--timestamp', timestamp, '--id', 'msg_cli', '--signature', signature]);
        assert.deepEqual(trimmed, { code: 1, out: '', err: 'invalid: signature mismatch\n' });
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('verify exits 1 with the reason on stderr, and honours --tolerance', async () => {
    const wrong = await run(['webhook', 'verify', '--scheme', 'github', '--secret', 'not it', '--payload', GITHUB.payload, '--signature', GITHUB.signature]);
    assert.deepEqual(wrong, { code: 1, out: '', err: 'invalid: signature mismatch\n' });
    assert.ok(!wrong.err.includes('not it'));
    // Slack's documented example is from 2018: outside any tolerance unless the check is off.
    const slack = ['--scheme', 'slack', '--secret', '8f742231b10e8888abcd99yyyzzz85a5', '--timestamp', '1531420618', '--payload', 'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c', '--signature', 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503'];
    const late = await run(['webhook', 'verify', ...slack, '--tolerance', '5m']);
    assert.equal(late.code, 1);
    assert.match(late.err, /^invalid: timestamp outside tolerance by \d+ days? .*\(too old\)\n$/);
    assert.equal((await run(['webhook', 'verify', ...slack, '--tolerance', '0'])).code, 0);
    const noTimestamp = await run(['webhook', 'verify', '--scheme', 'slack', '--secret', 's', '--payload', 'x', '--signature', 'v0=00']);
    assert.deepEqual(noTimestamp, { code: 1, out: '', err: 'invalid: missing header X-Slack-Request-Timestamp (give --timestamp)\n' });
  });

  it('bad usage exits 2 with a one-line reason', async () => {
    const cases: Array<[string[], string]> = [
      [['webhook', 'sign', '--scheme', 'sha1', '--secret', 's', '--payload', 'x'], '--scheme must be one of github, standard, slack, stripe, not "sha1"'],
      [['webhook', 'sign', '--scheme', 'none', '--secret', 's', '--payload', 'x'], '--scheme must be one of github, standard, slack, stripe, not "none"'],
      [['webhook', 'sign', '--scheme', 'github', '--payload', 'x'], '--secret is required'],
      [['webhook', 'sign', '--scheme', 'github', '--secret', 's'], '--payload or --payload-file is required'],
      [['webhook', 'sign', '--scheme', 'github', '--secret', 's', '--payload', 'x', '--payload-file', 'f'], 'give --payload or --payload-file, not both'],
      [['webhook', 'sign', '--scheme', 'github', '--secret', 's', '--payload-file', 'missing.json'], 'cannot read --payload-file missing.json: ENOENT'],
      [['webhook', 'sign', '--scheme', 'standard', '--secret', 'not base64!', '--payload', 'x'], 'a Standard Webhooks secret must be whsec_<base64>'],
      [['webhook', 'verify', '--scheme', 'github', '--secret', 's', '--payload', 'x'], '--signature is required'],
      [['webhook', 'verify', '--scheme', 'github', '--secret', 's', '--payload', 'x', '--signature', 'y', '--tolerance', 'soon'], '--tolerance must be a duration such as 5m or 0, not "soon"'],
      [['webhook', 'verify', '--scheme', 'slack', '--secret', 's', '--payload', 'x', '--signature', 'y', '--timestamp', 'noon'], '--timestamp must be unix seconds, not "noon"'],
      [['webhook', 'frobnicate'], 'webhook "frobnicate" needs sign, verify or listen'],
    ];
    for (const [args, message] of cases) assert.deepEqual(await run(args), { code: 2, out: '', err: `simone-integrations: ${message}\n` }, args.join(' '));
  });
});

describe('webhook listen', () => {
  let workspace = '';
  const secret = 'listen-secret';

  before(() => {
    workspace = mkdtempSync(join(tmpdir(), 'webhook-listen-'));
    mkdirSync(join(workspace, '.simone', 'integrations'), { recursive: true });
    writeFileSync(join(workspace, '.env'), `HOOK_SECRET=${secret}\n`);
    writeFileSync(
      join(workspace, '.simone', 'integrations', 'hooks.yaml'),
      `integration:\n  type: webhook\n  name: hooks\n  endpoints:\n    - name: github_push\n      secret: \${HOOK_SECRET}\n  receiver:\n    port: 0\n---\nintegration:\n  type: request_response\n  name: api\n  endpoints:\n    ping: http://127.0.0.1:1/ping\n`,
    );
  });
  after(() => rmSync(workspace, { recursive: true, force: true }));

  it('prints each verified event as one JSON line until the signal aborts; rejections go to stderr', async () => {
    const controller = new AbortController();
    const io = captured(controller.signal, workspace);
    const running = main(['webhook', 'listen', 'hooks'], io);
    await until(() => io.err.includes('listening on'), 'the receiver');
    const url = /listening on (\S+)\/\{github_push\}/.exec(io.err)![1];
    const body = JSON.stringify({ type: 'push', n: 1 });
    assert.equal(await postJson(`${url}/github_push`, body, SIGNATURE_SCHEMES.github.sign(body, secret)), 200);
    assert.equal(await postJson(`${url}/github_push`, body, SIGNATURE_SCHEMES.github.sign(body, 'wrong')), 401);
    await until(() => io.out.includes('\n') && io.err.includes('rejected'), 'the event lines');
    controller.abort();
    assert.equal(await running, 0);
    const lines = io.out.trim().split('\n');
    assert.equal(lines.length, 1);
    const event = JSON.parse(lines[0]);
    assert.deepEqual([event.integration, event.endpoint, event.body], ['hooks', 'github_push', { type: 'push', n: 1 }]);
    assert.match(io.err, /rejected 401 github_push: signature mismatch\n/);
    assert.ok(!io.err.includes(secret) && !io.out.includes(secret));
  });

  it('runs as the real binary with --workspace and stops on SIGINT', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'webhook', 'listen', 'hooks', '--workspace', workspace], { cwd: ROOT });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.stderr.on('data', (chunk) => (err += chunk));
    const closed = new Promise((resolve) => child.on('close', resolve));
    try {
      await until(() => err.includes('listening on'), 'the receiver');
      const url = /listening on (\S+)\/\{/.exec(err)![1];
      const body = JSON.stringify({ type: 'push', n: 2 });
      assert.equal(await postJson(`${url}/github_push`, body, SIGNATURE_SCHEMES.github.sign(body, secret)), 200);
      await until(() => out.includes('\n'), 'the event line');
      child.kill('SIGINT');
      assert.equal(await closed, 0);
      assert.deepEqual(JSON.parse(out).body, { type: 'push', n: 2 });
    } finally {
      if (child.exitCode === null) child.kill();
    }
  });

  it('names an unknown or non-webhook integration', async () => {
    const unknown = captured(undefined, workspace);
    assert.equal(await main(['webhook', 'listen', 'nope'], unknown), 2);
    assert.match(unknown.err, /no integration named "nope" in /);
    const wrongType = captured(undefined, workspace);
    assert.equal(await main(['webhook', 'listen', 'api'], wrongType), 2);
    assert.equal(wrongType.err, 'simone-integrations: "api" is a request_response integration, not a webhook one\n');
  });
});
