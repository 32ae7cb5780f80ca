import { parseConfigFile } from '../../src/core/configFile';
import type { ConfigDiagnostic, DiagnosticCode } from '../../src/core/diagnostic';
import { LayeredEnvironment } from '../../src/core/env';
import { validateFile } from '../../src/core/validation/validate';
import { WorkspaceIndex } from '../../src/core/workspaceIndex';

export interface ValidateOptions {
  /** Other files of the workspace, for cross-file rules. */
  others?: Record<string, string>;
  env?: Record<string, string>;
}

/** Validates one in-memory file as `.simone/integrations/test.yaml` within a workspace of `others`. */
export function diagnose(text: string, options: ValidateOptions = {}): ConfigDiagnostic[] {
  const file = parseConfigFile('.simone/integrations/test.yaml', text);
  const others = Object.entries(options.others ?? {}).map(([uri, content]) => parseConfigFile(uri, content));
  const env = new LayeredEnvironment([{ origin: 'test', values: new Map(Object.entries(options.env ?? {})) }]);
  return validateFile(file, { index: WorkspaceIndex.of([file, ...others]), env });
}

export function withCode(diagnostics: ConfigDiagnostic[], code: DiagnosticCode): ConfigDiagnostic[] {
  return diagnostics.filter((entry) => entry.code === code);
}
