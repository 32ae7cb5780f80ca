import type { ConfigFile } from '../configFile';
import type { DiagnosticCode, DiagnosticData, Range } from '../diagnostic';
import type { EnvironmentProvider } from '../env';
import type { JsonSchema } from '../jsonSchema';
import type { WorkspaceIndex } from '../workspaceIndex';

export interface RuleContext {
  file: ConfigFile;
  index: WorkspaceIndex;
  env: EnvironmentProvider;
  schema: JsonSchema;
  report(code: DiagnosticCode, message: string, range: Range, data?: DiagnosticData): void;
}

/** A semantic rule: reads the file (and the workspace index), reports problems. */
export type Rule = (context: RuleContext) => void;
