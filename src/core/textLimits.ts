/** How large a file core reads may be: a larger file is not parsed (a 50 MB YAML file costs gigabytes). */
export interface TextLimits {
  /** Integration files and the Simone project's Markdown files, in bytes. */
  yamlBytes: number;
  /** `.env` files, in bytes. */
  dotEnvBytes: number;
  /** How a user raises each limit, as the front end spells it; the "too large" diagnostic names it. */
  settings?: { yamlBytes: string; dotEnvBytes: string };
}

const MB = 1024 * 1024;

export const DEFAULT_TEXT_LIMITS: TextLimits = { yamlBytes: 5 * MB, dotEnvBytes: 1 * MB };

/** The variables the command line reads its limits from. */
export const TEXT_LIMIT_VARIABLES = { yamlBytes: 'SIMONE_MAX_YAML_SIZE', dotEnvBytes: 'SIMONE_MAX_ENV_SIZE' } as const;

const UNITS: Record<string, number> = { '': 1, b: 1, kb: 1024, mb: MB, gb: 1024 * MB };

/** `5MB`, `512KB`, `1.5 MB` or a number of bytes (units are powers of 1024, as editors count file sizes). */
export function parseSize(text: string): number | undefined {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([kmg]?b?)\s*$/i.exec(text);
  if (!match) return undefined;
  const bytes = Math.floor(Number(match[1]) * UNITS[match[2].toLowerCase()]);
  return bytes > 0 ? bytes : undefined;
}

export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  const [size, unit]: [number, string] = bytes < MB ? [1024, 'KB'] : bytes < 1024 * MB ? [MB, 'MB'] : [1024 * MB, 'GB'];
  return `${Number((bytes / size).toFixed(1))} ${unit}`;
}

/** The limits of the command line: the defaults, or what SIMONE_MAX_YAML_SIZE / SIMONE_MAX_ENV_SIZE say. */
export function textLimitsFromEnvironment(env: NodeJS.ProcessEnv): { ok: true; limits: TextLimits } | { ok: false; message: string } {
  const limits: TextLimits = { ...DEFAULT_TEXT_LIMITS, settings: { ...TEXT_LIMIT_VARIABLES } };
  for (const key of ['yamlBytes', 'dotEnvBytes'] as const) {
    const written = env[TEXT_LIMIT_VARIABLES[key]];
    if (written === undefined || written === '') continue;
    const bytes = parseSize(written);
    if (bytes === undefined) return { ok: false, message: `${TEXT_LIMIT_VARIABLES[key]}="${written}" is not a size (write e.g. 8MB, 512KB or a number of bytes)` };
    limits[key] = bytes;
  }
  return { ok: true, limits };
}
