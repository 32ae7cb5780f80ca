import type { ServiceSettings } from '../../core/model';
import type { ServiceInstance } from './serviceInstance';

type LoadBalancerPolicy = ServiceSettings['loadBalancer'];

/**
 * Which instance takes a service's next request: `round_robin` in turn,
 * `least_connections` the one with the fewest requests in flight (ties in
 * turn), `random` any. Instances to avoid (tried already in this call) are
 * skipped. State lives across calls, so turns go on from call to call.
 */
export class LoadBalancer {
  private turn = 0;
  private readonly inFlight = new Map<string, number>();

  constructor(
    readonly policy: LoadBalancerPolicy,
    private readonly random: () => number = Math.random,
  ) {}

  /** An instance of `candidates` not in `avoid`, counted as in flight until `release()`; undefined when none is left. */
  acquire(candidates: readonly ServiceInstance[], avoid: ReadonlySet<string> = new Set()): { instance: ServiceInstance; release(): void } | undefined {
    const open = candidates.filter((candidate) => !avoid.has(candidate.id));
    const instance = this.choose(open);
    if (!instance) return undefined;
    this.inFlight.set(instance.id, (this.inFlight.get(instance.id) ?? 0) + 1);
    let released = false;
    return {
      instance,
      release: () => {
        if (released) return;
        released = true;
        const left = (this.inFlight.get(instance.id) ?? 1) - 1;
        if (left > 0) this.inFlight.set(instance.id, left);
        else this.inFlight.delete(instance.id);
      },
    };
  }

  /** Requests in flight to one instance. */
  connections(id: string): number {
    return this.inFlight.get(id) ?? 0;
  }

  private choose(open: readonly ServiceInstance[]): ServiceInstance | undefined {
    if (!open.length) return undefined;
    if (this.policy === 'random') return open[Math.floor(this.random() * open.length) % open.length];
    const pool = this.policy === 'least_connections' ? this.leastLoaded(open) : open;
    return pool[this.turn++ % pool.length];
  }

  private leastLoaded(open: readonly ServiceInstance[]): ServiceInstance[] {
    const fewest = Math.min(...open.map((instance) => this.connections(instance.id)));
    return open.filter((instance) => this.connections(instance.id) === fewest);
  }
}
