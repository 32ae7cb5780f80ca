import type { LogOutputChannel } from 'vscode';
import type { Redactor } from '../core/redactor';

const WRITERS: ReadonlySet<PropertyKey> = new Set(['trace', 'debug', 'info', 'warn', 'error', 'append', 'appendLine', 'replace']);

/**
 * The extension's log channel with every secret value of the current workspace masked (see Redactor): the one
 * place the log is written through, whatever component writes to it.
 */
export function maskedLog(log: LogOutputChannel, secrets: () => Redactor | undefined): LogOutputChannel {
  const mask = (value: unknown): unknown => {
    const redactor = secrets();
    if (!redactor) return value;
    return value instanceof Error ? redactor.redact(value.message) : redactor.redactDeep(value);
  };
  return new Proxy(log, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property);
      if (typeof value !== 'function') return value;
      if (!WRITERS.has(property)) return value.bind(target);
      return (...args: unknown[]) => value.apply(target, args.map(mask));
    },
  });
}
