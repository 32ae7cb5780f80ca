import type { ConfigFile } from '../configFile';
import { diagnostic, type ConfigDiagnostic } from '../diagnostic';
import type { EnvironmentProvider } from '../env';
import type { JsonSchema } from '../jsonSchema';
import { walkWithSchema } from '../schemaWalk';
import { integrationSchema } from '../schema';
import type { WorkspaceIndex } from '../workspaceIndex';
import { duplicateKeys } from './duplicateKeys';
import { undefinedVariables } from './environment';
import { duplicateNames } from './names';
import { contradictoryRanges } from './ranges';
import { eventsWithoutPublisher, unknownReferences } from './references';
import type { Rule, RuleContext } from './rule';
import { validateSchema } from './schemaValidator';
import { literalSecrets } from './secrets';
import { withoutSilenced } from './suppression';
import { insecureUrls, relativeEndpointsNeedBase } from './urls';
import { unsignedWebhooks } from './webhooks';
import { yaml11Ambiguities } from './yaml11';

const RULES: Rule[] = [
  duplicateKeys,
  duplicateNames,
  unknownReferences,
  eventsWithoutPublisher,
  undefinedVariables,
  literalSecrets,
  insecureUrls,
  relativeEndpointsNeedBase,
  unsignedWebhooks,
  contradictoryRanges,
  yaml11Ambiguities,
];

export interface ValidationContext {
  /** Every integration file of the workspace, for cross-file rules. */
  index: WorkspaceIndex;
  env: EnvironmentProvider;
  schema?: JsonSchema;
}

function byPosition(a: ConfigDiagnostic, b: ConfigDiagnostic): number {
  return a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character || a.code.localeCompare(b.code);
}

/** Every diagnostic of one file, sorted by position, without duplicates or silenced lines. */
export function validateFile(file: ConfigFile, context: ValidationContext): ConfigDiagnostic[] {
  const schema = context.schema ?? (integrationSchema as JsonSchema);
  const found: ConfigDiagnostic[] = [...file.syntaxDiagnostics];
  // A document that does not parse is not judged further: its tree is a guess.
  if (found.length === 0) {
    found.push(...validateSchema(file, schema, context.env));
    const ruleContext: RuleContext = { file, index: context.index, env: context.env, schema, report: (code, message, range, data) => found.push(diagnostic(code, message, range, data)) };
    for (const rule of RULES) rule.file?.(ruleContext);
    const nodeRules = RULES.filter((rule) => rule.node);
    for (const document of file.documents) {
      walkWithSchema(document, schema, (visit) => {
        for (const rule of nodeRules) rule.node?.(ruleContext, visit, document);
      });
    }
  }
  const seen = new Set<string>();
  const unique = found.filter((entry) => {
    const key = `${entry.code}|${entry.range.start.line}:${entry.range.start.character}|${entry.message}`;
    return seen.has(key) ? false : (seen.add(key), true);
  });
  return withoutSilenced(unique, file.text).sort(byPosition);
}
