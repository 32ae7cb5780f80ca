import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { Redactor } from '../core/redactor';

/** Bad usage: the CLI prints the one-line reason and exits 2. */
export class UsageError extends Error {}

export interface CliIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Aborted on SIGINT, so long runs stop cleanly. */
  signal: AbortSignal;
}

/** What a command is given: `stdout` and `stderr` mask every value in `secrets`, which grows as the command loads a workspace. */
export interface CommandIO extends CliIO {
  secrets: Redactor;
}

export type Command = (args: string[], io: CommandIO) => Promise<number>;

/** node:util parseArgs, with its errors turned into usage errors. */
export function parseCommandArgs<T extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: T, allowPositionals = true) {
  try {
    return parseArgs({ args, options, allowPositionals, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

export function formatOption(value: string | undefined, allowed: readonly string[], fallback: string): string {
  const format = value ?? fallback;
  if (!allowed.includes(format)) throw new UsageError(`--format must be one of ${allowed.join(', ')}, not "${format}"`);
  return format;
}

/** Repeated `--option key=value` values as a record. */
export function keyValueOptions(values: string[] | undefined, option: string): Record<string, string> {
  const pairs: Record<string, string> = {};
  for (const value of values ?? []) {
    const equals = value.indexOf('=');
    if (equals <= 0) throw new UsageError(`--${option} needs key=value, not "${value}"`);
    pairs[value.slice(0, equals)] = value.slice(equals + 1);
  }
  return pairs;
}
