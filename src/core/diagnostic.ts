/** Positions and ranges are 0-based, as in LSP; the CLI adds 1 when it prints them. */
export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

export type Severity = 'error' | 'warning';

/** Every code of the config reference, with its fixed severity. */
export const DIAGNOSTIC_SEVERITY = {
  'yaml-syntax': 'error',
  'file-too-large': 'error',
  'file-encoding': 'error',
  'schema-unknown-property': 'error',
  'schema-missing-property': 'error',
  'schema-type': 'error',
  'schema-enum': 'error',
  'duration-invalid': 'error',
  'url-invalid': 'error',
  'range-invalid': 'error',
  'name-duplicate': 'error',
  'env-unclosed': 'error',
  'reference-unknown': 'warning',
  'event-no-publisher': 'warning',
  'env-undefined': 'warning',
  'secret-literal': 'warning',
  'insecure-url': 'warning',
  'webhook-unsigned': 'warning',
  'yaml11-ambiguous': 'warning',
  'value-not-run': 'warning',
} as const satisfies Record<string, Severity>;

export type DiagnosticCode = keyof typeof DIAGNOSTIC_SEVERITY;
export const DIAGNOSTIC_CODES = Object.keys(DIAGNOSTIC_SEVERITY) as DiagnosticCode[];

/** Facts a quick fix needs, carried with the diagnostic (as yaml-language-server does). */
export interface DiagnosticData {
  /** "Did you mean" candidates, best first. */
  suggestions?: string[];
  /** For schema-missing-property: the keys to add. */
  missing?: string[];
  /** For secret-literal: a suggested variable name. */
  variable?: string;
}

export interface ConfigDiagnostic {
  code: DiagnosticCode;
  severity: Severity;
  message: string;
  range: Range;
  data?: DiagnosticData;
}

export function diagnostic(code: DiagnosticCode, message: string, range: Range, data?: DiagnosticData): ConfigDiagnostic {
  return data ? { code, severity: DIAGNOSTIC_SEVERITY[code], message, range, data } : { code, severity: DIAGNOSTIC_SEVERITY[code], message, range };
}
