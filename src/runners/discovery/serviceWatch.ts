import { EventEmitter, type IDisposable } from 'cockatiel';
import type { Dispatcher } from 'undici';
import { classifyError } from '../errors';
import { retryDelayMs } from '../http/retryBackoff';
import { consulGet, type ConsulAgent } from './consulAgent';
import { sameInstanceList, type InstanceList } from './instanceList';
import { instancesOfHealthBody } from './serviceInstance';
import { sleepUnlessAborted } from '../sleepUnlessAborted';

export interface ServiceWatchOptions {
  /** How long Consul holds each blocking query (default 5 minutes, Consul's own default). */
  waitMs?: number;
  /** For a connection and a non-blocking answer (default 5 s). */
  timeoutMs?: number;
  /** First and longest wait before the blocking query is sent again after a failure (default 1 s and 30 s). */
  retryBaseMs?: number;
  retryMaxMs?: number;
  dispatcher?: Dispatcher;
}

const DEFAULT_WAIT_MS = 5 * 60_000;
/** Connecting to Consul and a non-blocking answer, unless told otherwise. */
export const DEFAULT_CONSUL_TIMEOUT_MS = 5_000;
/** An answer quicker than this that moved nothing on waits this long before the next query: no busy loop on a misbehaving index. */
const MIN_QUERY_GAP_MS = 250;

/**
 * The `X-Consul-Index` to send next, as Consul's blocking-query docs ask: an index that went backwards
 * (a restarted or replaced agent) starts over from 0 (a full read); one that is not above 0 is taken as 1,
 * so the next query still blocks.
 */
export function nextConsulIndex(previous: number, answered: number | undefined): number {
  if (answered === undefined || !(answered > 0)) return 1;
  return answered < previous ? 0 : answered;
}

/**
 * One service's instances in Consul (`/v1/health/service/<name>`), live: while anyone listens, a loop of
 * blocking queries keeps the latest list and announces each change; when Consul cannot be reached or answers
 * badly the list becomes that error and the query is sent again with back-off (1 s doubling to 30 s,
 * jittered). Without listeners nothing runs, and `read()` asks Consul once.
 */
export class ServiceWatch implements IDisposable {
  private readonly changed = new EventEmitter<InstanceList>();
  private latest?: InstanceList;
  private listeners = 0;
  private loop?: AbortController;
  private readonly path: string;

  constructor(
    private readonly agent: ConsulAgent,
    readonly service: string,
    private readonly options: ServiceWatchOptions = {},
  ) {
    this.path = `/v1/health/service/${encodeURIComponent(service)}`;
  }

  /** The running watch's latest list; else (or before its first answer) one non-blocking read. Never throws for Consul's failures. */
  async read(signal?: AbortSignal): Promise<InstanceList> {
    if (this.loop && this.latest) return this.latest;
    return this.query(0, signal).then(({ list }) => list);
  }

  /** Calls `listener` with every changed list; the first listener starts the loop, the last one leaving stops it. */
  subscribe(listener: (list: InstanceList) => void): IDisposable {
    const subscription = this.changed.addListener(listener);
    if (this.listeners++ === 0) this.start();
    let disposed = false;
    return {
      dispose: () => {
        if (disposed) return;
        disposed = true;
        subscription.dispose();
        if (--this.listeners === 0) this.stop();
      },
    };
  }

  dispose(): void {
    this.listeners = 0;
    this.stop();
  }

  private async query(index: number, signal: AbortSignal | undefined): Promise<{ list: InstanceList; index: number | undefined }> {
    try {
      const answer = await consulGet(this.agent, this.path, {
        index,
        waitMs: this.options.waitMs ?? DEFAULT_WAIT_MS,
        timeoutMs: this.options.timeoutMs ?? DEFAULT_CONSUL_TIMEOUT_MS,
        signal,
        dispatcher: this.options.dispatcher,
      });
      return { list: { ok: true, instances: instancesOfHealthBody(answer.body, this.agent.origin) }, index: answer.index };
    } catch (error) {
      if (signal?.aborted) throw error;
      return { list: { ok: false, error: classifyError(error, this.agent.secrets) }, index: undefined };
    }
  }

  private start(): void {
    const loop = new AbortController();
    this.loop = loop;
    void this.run(loop.signal);
  }

  private stop(): void {
    this.loop?.abort();
    this.loop = undefined;
    this.latest = undefined;
  }

  private async run(signal: AbortSignal): Promise<void> {
    let index = 0;
    let failures = 0;
    while (!signal.aborted) {
      const sentAt = performance.now();
      let answer: Awaited<ReturnType<ServiceWatch['query']>>;
      try {
        answer = await this.query(index, signal);
      } catch {
        return; // stopped
      }
      if (signal.aborted) return;
      this.record(answer.list);
      if (!answer.list.ok) {
        failures++;
        index = 0;
        await sleepUnlessAborted(retryDelayMs({ baseDelayMs: this.options.retryBaseMs ?? 1000, maxDelayMs: this.options.retryMaxMs ?? 30_000, backoffFactor: 2, jitter: true, maxAttempts: 0 }, failures), signal);
        continue;
      }
      failures = 0;
      const next = nextConsulIndex(index, answer.index);
      if (next <= index && performance.now() - sentAt < MIN_QUERY_GAP_MS) await sleepUnlessAborted(MIN_QUERY_GAP_MS, signal);
      index = next;
    }
  }

  private record(list: InstanceList): void {
    const same = sameInstanceList(this.latest, list);
    this.latest = list;
    if (!same) this.changed.emit(list);
  }
}
