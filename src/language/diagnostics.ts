import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver-types';
import type { ConfigDiagnostic } from '../core/diagnostic';

/** A core diagnostic as LSP sends it; `data` carries what quick fixes need (suggestions, missing keys, variable name). */
export function toLspDiagnostic(d: ConfigDiagnostic): Diagnostic {
  return {
    range: d.range,
    severity: d.severity === 'error' ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning,
    code: d.code,
    source: 'simone',
    message: d.message,
    ...(d.data ? { data: d.data } : {}),
  };
}
