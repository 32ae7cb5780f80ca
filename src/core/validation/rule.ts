import type { ConfigDocument, ConfigFile } from '../configFile';
import type { DiagnosticCode, DiagnosticData, Range } from '../diagnostic';
import type { EnvironmentProvider } from '../env';
import type { JsonSchema } from '../jsonSchema';
import type { SchemaVisit } from '../schemaWalk';
import type { WorkspaceIndex } from '../workspaceIndex';

export interface RuleContext {
  file: ConfigFile;
  index: WorkspaceIndex;
  env: EnvironmentProvider;
  schema: JsonSchema;
  report(code: DiagnosticCode, message: string, range: Range, data?: DiagnosticData): void;
}

/**
 * A semantic rule. `file` runs once per file (cross-file and document-level checks);
 * `node` runs for every node of one shared schema-aware walk, so adding a rule adds no traversal.
 */
export interface Rule {
  file?(context: RuleContext): void;
  node?(context: RuleContext, visit: SchemaVisit, document: ConfigDocument): void;
}
