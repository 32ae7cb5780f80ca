/**
 * One instance per name (an integration's), kept while its settings stay the same: a breaker, a
 * broker connection, an authorizer, a set of database connections. When the
 * settings of a name change (its file was edited), the instance is replaced
 * and the old one disposed.
 */
export interface KeyedCacheOptions<Settings extends { name: string }, Value> {
  /** What, in the settings, makes a new instance necessary when it changes. */
  fingerprint(settings: Settings): string;
  create(settings: Settings): Value;
  /** Called for a replaced instance and for every instance on `dispose()`; a failure is ignored. */
  dispose?(value: Value): void | Promise<void>;
  /** Called once the instance of `name` was replaced by `current`, before `previous` is disposed. */
  replaced?(name: string, previous: Value, current: Value): void;
}

export class KeyedCache<Settings extends { name: string }, Value> {
  private readonly entries = new Map<string, { fingerprint: string; value: Value }>();
  /** Fingerprints per settings object: models are immutable, and the hot path asks for the same one on every call. */
  private readonly fingerprints = new WeakMap<Settings, string>();

  constructor(private readonly options: KeyedCacheOptions<Settings, Value>) {}

  /** The instance for `settings.name`, created or replaced (the old one disposed) when its settings changed. */
  get(settings: Settings): Value {
    const { name } = settings;
    let fingerprint = this.fingerprints.get(settings);
    if (fingerprint === undefined) {
      fingerprint = this.options.fingerprint(settings);
      this.fingerprints.set(settings, fingerprint);
    }
    const existing = this.entries.get(name);
    if (existing?.fingerprint === fingerprint) return existing.value;
    const value = this.options.create(settings);
    this.entries.set(name, { fingerprint, value });
    if (existing) {
      this.options.replaced?.(name, existing.value, value);
      void this.disposeValue(existing.value);
    }
    return value;
  }

  /** The instance for `name`, if there is one; creates nothing. */
  peek(name: string): Value | undefined {
    return this.entries.get(name)?.value;
  }

  *values(): IterableIterator<[name: string, value: Value]> {
    for (const [name, entry] of this.entries) yield [name, entry.value];
  }

  /** Disposes every instance; the cache can be used again afterwards. */
  async dispose(): Promise<void> {
    const all = [...this.entries];
    this.entries.clear();
    await Promise.all(all.map(([, entry]) => this.disposeValue(entry.value)));
  }

  private async disposeValue(value: Value): Promise<void> {
    try {
      await this.options.dispose?.(value);
    } catch {
      // A connection that fails to close is gone all the same.
    }
  }
}
