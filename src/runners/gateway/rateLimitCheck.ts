import { setTimeout as delay } from 'node:timers/promises';
import { cancelledError, classifyError, redact, runnerError, type RunnerError } from '../errors';
import { roundMs } from '../roundMs';
import { sendAtOnce } from './burstRequests';
import { routeUrl, safeRoute } from './gatewayAddress';
import type { NamedGateway } from './gatewayNames';
import { GATEWAY_TIMEOUT_MS } from './gatewayPolicies';
import type { GatewayRunOptions } from './testGatewayRoutes';

/** The most requests one burst sends, whatever `burst_size` says. */
export const MAX_BURST_REQUESTS = 500;
/** The longest wait for the gateway's bucket to refill after the route tests. */
const MAX_REFILL_WAIT_MS = 30_000;

export interface RateLimitResult {
  /** The gateway let `burst_size` through and answered 429 to the one more. */
  ok: boolean;
  /** One line: the verdict and the counts. */
  detail: string;
  error?: RunnerError;
  method?: string;
  /** Redacted. */
  url?: string;
  requestsPerMinute?: number;
  burstSize?: number;
  sent: number;
  /** Answered with anything but 429. */
  passed: number;
  /** Answered 429. */
  throttled: number;
  /** Got no answer. */
  failed: number;
  /** Count per status (`"200"`, `"429"`) and per failure code. */
  outcomes: Record<string, number>;
  /** Waited first, so the requests of the route tests no longer count against the bucket. */
  waitedMs: number;
  /** From the first request sent to the last answer. */
  durationMs: number;
}

function notSent(error: RunnerError, fields: Partial<RateLimitResult> = {}): RateLimitResult {
  return { ok: false, detail: error.message, error, sent: 0, passed: 0, throttled: 0, failed: 0, outcomes: {}, waitedMs: 0, durationMs: 0, ...fields };
}

export interface RateLimitOptions extends Pick<GatewayRunOptions, 'auth' | 'signal'> {
  /** Requests this run already sent through the gateway (the route tests). */
  sentBefore?: number;
}

/**
 * `test <gateway> --rate-limit`: `burst_size + 1` requests at once (credentials made and connections opened
 * beforehand: burstRequests.ts) to the first route that takes GET or HEAD, after waiting for the gateway's bucket to
 * refill from the route tests. Throttled as configured when `burst_size` pass and the one more gets 429.
 * Only safe methods are sent; the count is bounded by `MAX_BURST_REQUESTS`. Never throws.
 */
export async function checkRateLimit({ gateway }: NamedGateway, options: RateLimitOptions = {}): Promise<RateLimitResult> {
  const limits = gateway.rateLimiting;
  if (!limits) return notSent(runnerError('config', 'the gateway has no rate_limiting: there is no limit to check'));
  const { requestsPerMinute, burstSize } = limits;
  const configured = { requestsPerMinute, burstSize };
  const count = burstSize + 1;
  if (count > MAX_BURST_REQUESTS) return notSent(runnerError('config', `burst_size ${burstSize} needs ${count} requests at once, over the cap of ${MAX_BURST_REQUESTS}: not sent`), configured);
  const safe = safeRoute(gateway);
  if (!safe) return notSent(runnerError('config', 'no route takes GET or HEAD: the rate-limit burst sends only safe methods'), configured);
  const secrets = gateway.secrets;
  let url: URL;
  try {
    url = routeUrl(gateway, safe.route.path);
  } catch (error) {
    return notSent(runnerError('config', `no URL for ${safe.route.path}: ${classifyError(error, secrets).message}`), configured);
  }
  const target = { ...configured, method: safe.method, url: redact(url.href, secrets) };

  const msPerToken = 60_000 / requestsPerMinute;
  const wanted = Math.min(options.sentBefore ?? 0, burstSize) * msPerToken;
  const waitedMs = Math.min(wanted, MAX_REFILL_WAIT_MS);
  const cancelled = () => notSent(cancelledError('the rate-limit burst'), target);
  let headers: Record<string, string>[];
  try {
    if (waitedMs > 0) await delay(waitedMs, undefined, { signal: options.signal });
    headers = await Promise.all(
      Array.from({ length: count }, async () => {
        const sent: Record<string, string> = {};
        await options.auth?.authorize(sent, options.signal);
        return sent;
      }),
    );
  } catch (error) {
    if (options.signal?.aborted) return cancelled();
    return notSent(runnerError('auth', `cannot authorize the burst: ${classifyError(error, secrets).message}`), target);
  }
  if (options.signal?.aborted) return cancelled();
  return { ...(await burst(url, safe.method, headers, options.signal, secrets, burstSize, msPerToken)), ...target, waitedMs: roundMs(waitedMs) };
}

type BurstOutcome = Pick<RateLimitResult, 'ok' | 'detail' | 'error' | 'sent' | 'passed' | 'throttled' | 'failed' | 'outcomes' | 'durationMs'>;

async function burst(url: URL, method: string, headers: Record<string, string>[], signal: AbortSignal | undefined, secrets: readonly string[], burstSize: number, msPerToken: number): Promise<BurstOutcome> {
  const { answers, sendMs } = await sendAtOnce(url, method, headers, { timeoutMs: GATEWAY_TIMEOUT_MS, signal, secrets });
  const outcomes: Record<string, number> = {};
  for (const answer of answers) {
    const key = 'status' in answer ? String(answer.status) : (answer.error.code ?? answer.error.kind);
    outcomes[key] = (outcomes[key] ?? 0) + 1;
  }
  const firstFailure = answers.find((answer): answer is { error: RunnerError } => 'error' in answer)?.error;
  const durationMs = roundMs(sendMs);
  const sent = headers.length;
  const throttled = outcomes['429'] ?? 0;
  const answered = answers.filter((answer) => 'status' in answer).length;
  const passed = answered - throttled;
  const failed = sent - answered;
  const counts = { sent, passed, throttled, failed, outcomes, durationMs };
  const tally = `${passed} of ${sent} passed, ${throttled} answered 429`;
  if (signal?.aborted) return { ...counts, ok: false, detail: 'cancelled', error: cancelledError('the rate-limit burst') };
  if (failed > 0) {
    const error = runnerError(firstFailure?.kind ?? 'transient', `${failed} of ${sent} burst requests got no answer: ${firstFailure?.message ?? 'unknown error'}`, firstFailure?.code);
    return { ...counts, ok: false, detail: error.message, error };
  }
  if (throttled === 0) {
    // The gateway refills a token every msPerToken: a burst slower than that may rightly pass whole.
    const refilled = Math.floor(durationMs / msPerToken);
    const why = refilled > 0 ? `, but the burst took ${Math.round(durationMs)} ms, in which the gateway may refill ${refilled}` : ` at once: the gateway allows more than burst_size ${burstSize}`;
    const error = runnerError('remote-4xx', `not throttled: all ${sent} passed${why}`);
    return { ...counts, ok: false, detail: error.message, error };
  }
  if (passed < burstSize) {
    const error = runnerError('remote-4xx', `throttled early: ${tally}, but burst_size is ${burstSize}`);
    return { ...counts, ok: false, detail: error.message, error };
  }
  return { ...counts, ok: true, detail: `throttled as configured: ${tally} (burst_size ${burstSize})` };
}
