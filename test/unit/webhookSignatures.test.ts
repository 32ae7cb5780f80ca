import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { describe, it } from 'node:test';
import { SIGNATURE_SCHEMES, SIGNING_SCHEMES } from '../../src/runners/webhook/signatureSchemes';
import { requiredHeaders, WebhookSecretError } from '../../src/runners/webhook/signatureScheme';

const { github, standard, slack, stripe } = SIGNATURE_SCHEMES;
const OFF = { toleranceMs: 0 };

describe('published examples', () => {
  it('github: the example in "Validating webhook deliveries" (docs.github.com/webhooks/using-webhooks/validating-webhook-deliveries)', () => {
    const secret = "It's a Secret to Everybody";
    const expected = 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17';
    assert.deepEqual(github.sign('Hello, World!', secret), { 'X-Hub-Signature-256': expected });
    assert.deepEqual(github.verify('Hello, World!', { 'x-hub-signature-256': expected }, secret, OFF), { ok: true, replayKey: expected });
    assert.deepEqual(github.verify('Hello, World?', { 'x-hub-signature-256': expected }, secret, OFF), { ok: false, reason: 'signature mismatch' });
  });

  // standard-webhooks/standard-webhooks, libraries/javascript/src/webhook.test.ts, "sign function works".
  const STANDARD = { secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', id: 'msg_p5jXN8AQM9LWM0D4loKWxJek', timestamp: 1614265330, payload: '{"test": 2432232314}', signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=' };

  it('standard: the reference library\'s sign vector, signed and verified (prefix optional, as there)', () => {
    const headers = standard.sign(STANDARD.payload, STANDARD.secret, { id: STANDARD.id, timestamp: STANDARD.timestamp });
    assert.deepEqual(headers, { 'webhook-id': STANDARD.id, 'webhook-timestamp': String(STANDARD.timestamp), 'webhook-signature': STANDARD.signature });
    const now = STANDARD.timestamp * 1000;
    assert.equal(standard.verify(STANDARD.payload, headers, STANDARD.secret, { toleranceMs: 300_000, now }).ok, true);
    assert.equal(standard.verify(STANDARD.payload, headers, STANDARD.secret.slice('whsec_'.length), { toleranceMs: 300_000, now }).ok, true);
  });

  it('standard: the reference library\'s multi-signature header passes when one v1 matches (v2 ignored)', () => {
    const other = 'v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=';
    const header = [other, 'v2,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=', STANDARD.signature, other].join(' ');
    const headers = { 'webhook-id': STANDARD.id, 'webhook-timestamp': String(STANDARD.timestamp), 'webhook-signature': header };
    assert.deepEqual(standard.verify(STANDARD.payload, headers, STANDARD.secret, OFF), { ok: true, replayKey: `id:${STANDARD.id}` });
    assert.deepEqual(standard.verify(STANDARD.payload, { ...headers, 'webhook-signature': 'v1,dawfeoifkpqwoekfpqoekf' }, STANDARD.secret, OFF), { ok: false, reason: 'signature mismatch' });
    assert.deepEqual(standard.verify(STANDARD.payload, { ...headers, 'webhook-signature': 'v2,abc' }, STANDARD.secret, OFF), { ok: false, reason: 'no v1 signature in header webhook-signature' });
  });

  it('slack: the example in "Verifying requests from Slack" (api.slack.com/authentication/verifying-requests-from-slack)', () => {
    const secret = '8f742231b10e8888abcd99yyyzzz85a5';
    const body =
      'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';
    const headers = { 'X-Slack-Request-Timestamp': '1531420618', 'X-Slack-Signature': 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503' };
    assert.deepEqual(slack.sign(body, secret, { timestamp: 1531420618 }), headers);
    assert.equal(slack.verify(body, headers, secret, { toleranceMs: 300_000, now: 1531420618_000 }).ok, true);
    assert.deepEqual(slack.verify(body, headers, secret, { toleranceMs: 300_000, now: 1531420618_000 + 301_000 }), { ok: false, reason: 'timestamp outside tolerance by 1 second (too old)' });
  });

  it('stripe: the scheme of "Verify signatures manually" (docs.stripe.com/webhooks#verify-manually), computed independently', () => {
    // Stripe publishes the scheme but no secret/payload/signature triple; this recomputes it from the documented steps.
    const secret = 'whsec_test_secret';
    const payload = JSON.stringify({ id: 'evt_test_webhook', object: 'event' }, null, 2);
    const v1 = createHmac('sha256', secret).update(`1492774577.${payload}`).digest('hex');
    assert.deepEqual(stripe.sign(payload, secret, { timestamp: 1492774577 }), { 'Stripe-Signature': `t=1492774577,v1=${v1}` });
    // Stripe's documented header shape: an unknown v1, the valid v1, and a v0 (ignored).
    const header = `t=1492774577,v1=5257a869e7ecebeda32affa62cdca3fa51cad7e77a0e56ff536d0ce8e108d8bd,v1=${v1},v0=6ffbb59b2300aae63f272406069a9788598b792a944a07aba816edb039989a39`;
    assert.deepEqual(stripe.verify(payload, { 'stripe-signature': header }, secret, OFF), { ok: true, replayKey: `1492774577.${v1}` });
    assert.deepEqual(stripe.verify(payload, { 'stripe-signature': 't=1492774577,v0=abc' }, secret, OFF), { ok: false, reason: 'no v1 signature in header Stripe-Signature' });
  });
});

describe('every scheme', () => {
  const secrets = { github: 'gh-secret', standard: 'whsec_' + Buffer.from('a standard webhooks key of 32 by').toString('base64'), slack: 'slack-secret', stripe: 'whsec_stripe' };
  const otherSecrets = { github: 'other', standard: 'whsec_' + Buffer.from('another key, of thirty-two bytes').toString('base64'), slack: 'other', stripe: 'whsec_other' };
  const payload = JSON.stringify({ type: 'task_completed', data: { task_id: 'T01' } });
  const now = 1_700_000_000_000;
  const tolerance = { toleranceMs: 300_000, now };

  for (const name of SIGNING_SCHEMES) {
    const scheme = SIGNATURE_SCHEMES[name];
    const secret = secrets[name];
    const headers = () => scheme.sign(payload, secret, { timestamp: now / 1000, id: 'msg_1' });

    it(`${name}: round trip, raw bytes and string alike`, () => {
      assert.equal(scheme.verify(payload, headers(), secret, tolerance).ok, true);
      assert.equal(scheme.verify(Buffer.from(payload), headers(), secret, tolerance).ok, true);
    });

    it(`${name}: a tampered body fails with "signature mismatch"`, () => {
      assert.deepEqual(scheme.verify(payload.replace('T01', 'T02'), headers(), secret, tolerance), { ok: false, reason: 'signature mismatch' });
    });

    it(`${name}: a wrong secret fails, and the reason holds neither secret nor signature`, () => {
      const wrong = otherSecrets[name];
      const result = scheme.verify(payload, headers(), wrong, tolerance);
      assert.deepEqual(result, { ok: false, reason: 'signature mismatch' });
      const expected = Object.values(scheme.sign(payload, secret, { timestamp: now / 1000, id: 'msg_1' }));
      for (const text of [secret, wrong, ...expected]) assert.ok(!JSON.stringify(result).includes(text));
    });

    it(`${name}: several signatures in one header, any match passes`, () => {
      const signed = headers();
      const header = scheme.signatureHeader!;
      const foreign = scheme.sign(payload, otherSecrets[name], { timestamp: now / 1000, id: 'msg_1' })[header];
      // Each scheme's own list syntax: space-separated (standard), more v1= elements (stripe), comma-separated (github, slack).
      const combined = name === 'standard' ? `${foreign} ${signed[header]}` : name === 'stripe' ? `${signed[header]},${foreign.split(',')[1]}` : `${foreign}, ${signed[header]}`;
      assert.equal(scheme.verify(payload, { ...signed, [header]: combined }, secret, tolerance).ok, true);
      assert.deepEqual(scheme.verify(payload, { ...signed, [header]: foreign }, secret, tolerance), { ok: false, reason: 'signature mismatch' });
    });

    it(`${name}: a missing signature header is named`, () => {
      const signed = headers();
      delete signed[scheme.signatureHeader!];
      assert.deepEqual(scheme.verify(payload, signed, secret, tolerance), { ok: false, reason: `missing header ${scheme.signatureHeader}` });
    });

    if (name === 'github') continue;

    it(`${name}: expired and future timestamps fail with how far out they are; tolerance 0 turns the check off`, () => {
      const old = scheme.verify(payload, headers(), secret, { toleranceMs: 300_000, now: now + 300_000 + 7 * 60_000 });
      assert.deepEqual(old, { ok: false, reason: 'timestamp outside tolerance by 7 minutes (too old)' });
      const future = scheme.verify(payload, headers(), secret, { toleranceMs: 300_000, now: now - 301_000 });
      assert.deepEqual(future, { ok: false, reason: 'timestamp outside tolerance by 1 second (in the future)' });
      assert.equal(scheme.verify(payload, headers(), secret, { toleranceMs: 300_000, now: now - 300_000 }).ok, true);
      assert.equal(scheme.verify(payload, headers(), secret, { toleranceMs: 0, now: now + 86_400_000 }).ok, true);
    });

    it(`${name}: the timestamp is signed, so changing it breaks the signature`, () => {
      const signed = headers();
      const changed =
        name === 'stripe' ? { ...signed, 'Stripe-Signature': signed['Stripe-Signature'].replace(`t=${now / 1000}`, `t=${now / 1000 + 1}`) } : { ...signed, [scheme.timestampHeader!]: String(now / 1000 + 1) };
      assert.deepEqual(scheme.verify(payload, changed, secret, tolerance), { ok: false, reason: 'signature mismatch' });
    });
  }

  it('requiredHeaders: what each scheme signs, and without any one of them verify says it is missing', () => {
    assert.deepEqual(Object.fromEntries((['none', ...SIGNING_SCHEMES] as const).map((name) => [name, requiredHeaders(SIGNATURE_SCHEMES[name])])), {
      none: [],
      github: ['X-Hub-Signature-256'],
      standard: ['webhook-id', 'webhook-timestamp', 'webhook-signature'],
      slack: ['X-Slack-Request-Timestamp', 'X-Slack-Signature'],
      stripe: ['Stripe-Signature'],
    });
    for (const name of SIGNING_SCHEMES) {
      const scheme = SIGNATURE_SCHEMES[name];
      const signed = scheme.sign(payload, secrets[name], { timestamp: now / 1000, id: 'msg_1' });
      assert.deepEqual(Object.keys(signed).map((header) => header.toLowerCase()).sort(), requiredHeaders(scheme).map((header) => header.toLowerCase()).sort(), name);
      for (const header of requiredHeaders(scheme)) {
        const without = Object.fromEntries(Object.entries(signed).filter(([key]) => key.toLowerCase() !== header.toLowerCase()));
        assert.deepEqual(scheme.verify(payload, without, secrets[name], tolerance), { ok: false, reason: `missing header ${header}` }, `${name} without ${header}`);
      }
    }
  });

  it('malformed headers say what was expected', () => {
    assert.deepEqual(github.verify(payload, { 'X-Hub-Signature-256': 'sha1=abc' }, 's', OFF), { ok: false, reason: 'malformed header X-Hub-Signature-256 (expected sha256=<hex>)' });
    assert.deepEqual(slack.verify(payload, { 'X-Slack-Request-Timestamp': 'yesterday', 'X-Slack-Signature': 'v0=ab' }, 's', OFF), {
      ok: false,
      reason: 'malformed header X-Slack-Request-Timestamp (expected unix seconds)',
    });
    assert.deepEqual(slack.verify(payload, { 'X-Slack-Signature': 'v0=ab' }, 's', OFF), { ok: false, reason: 'missing header X-Slack-Request-Timestamp' });
    assert.deepEqual(stripe.verify(payload, { 'Stripe-Signature': 'v1=abc' }, 's', OFF), { ok: false, reason: 'malformed header Stripe-Signature (expected t=<unix seconds>)' });
    assert.deepEqual(standard.verify(payload, { 'webhook-timestamp': '1', 'webhook-signature': 'v1,x' }, secrets.standard, OFF), { ok: false, reason: 'missing header webhook-id' });
  });

  it('standard: a secret that is not base64 is refused when signing and when verifying', () => {
    assert.throws(() => standard.sign(payload, 'whsec_not base64!'), WebhookSecretError);
    assert.deepEqual(standard.verify(payload, {}, 'plain-secret!', OFF), { ok: false, reason: 'a Standard Webhooks secret must be whsec_<base64>' });
  });

  it('none: verifies anything and signs nothing', () => {
    assert.deepEqual(SIGNATURE_SCHEMES.none.sign(payload, ''), {});
    assert.deepEqual(SIGNATURE_SCHEMES.none.verify(payload, {}, '', OFF), { ok: true });
  });
});
