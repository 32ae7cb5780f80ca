import type { Document } from 'yaml';
import type { ConfigDocument, ConfigFile } from '../configFile';
import { diagnostic, type ConfigDiagnostic, type Position } from '../diagnostic';
import { documentAliases } from '../documentAliases';
import type { EnvironmentProvider } from '../env';
import type { JsonSchema } from '../jsonSchema';
import { walkWithSchema } from '../schemaWalk';
import { integrationSchema } from '../schema';
import type { WorkspaceIndex } from '../workspaceIndex';
import { duplicateKeys } from './duplicateKeys';
import { variableReferences } from './environment';
import { capped } from './problemCap';
import { notRunValues } from './notRunValues';
import { duplicateNames } from './names';
import { contradictoryRanges } from './ranges';
import { eventsWithoutPublisher, unknownReferences } from './references';
import type { Rule, RuleContext } from './rule';
import { validateSchema } from './schemaValidator';
import { literalSecrets } from './secrets';
import { withoutSilenced } from './suppression';
import { servicesNeedUrls } from './serviceUrls';
import { insecureUrls, relativeEndpointsNeedBase } from './urls';
import { unsignedWebhooks } from './webhooks';
import { yaml11Ambiguities } from './yaml11';

const RULES: Rule[] = [
  duplicateKeys,
  duplicateNames,
  unknownReferences,
  eventsWithoutPublisher,
  variableReferences,
  literalSecrets,
  insecureUrls,
  relativeEndpointsNeedBase,
  unsignedWebhooks,
  contradictoryRanges,
  yaml11Ambiguities,
  notRunValues,
  servicesNeedUrls,
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

const NODE_RULES = RULES.filter((rule) => rule.node);

/**
 * What a document's own checks (schema and node rules) found, by parsed document: they read
 * nothing but the document, the environment and the schema, so a document reused by an
 * incremental parse keeps its result, moved to its new first line.
 */
const documentResults = new WeakMap<Document, { env: EnvironmentProvider; schema: JsonSchema; line: number; diagnostics: ConfigDiagnostic[] }>();

function moveLines(diagnostics: ConfigDiagnostic[], delta: number): ConfigDiagnostic[] {
  if (delta === 0) return diagnostics;
  const move = (position: Position): Position => ({ line: position.line + delta, character: position.character });
  return diagnostics.map((entry) => ({ ...entry, range: { start: move(entry.range.start), end: move(entry.range.end) } }));
}

function documentDiagnostics(document: ConfigDocument, ruleContext: RuleContext): ConfigDiagnostic[] {
  const { file, env, schema } = ruleContext;
  const line = file.position(document.yaml.range[0]).line;
  const cached = documentResults.get(document.yaml);
  if (cached && cached.env === env && cached.schema === schema) return moveLines(cached.diagnostics, line - cached.line);
  const found = validateSchema(file, document, schema, env);
  for (const problem of documentAliases(document.yaml).problems) found.push(diagnostic('yaml-syntax', problem.message, file.rangeOf(problem.alias)));
  const context: RuleContext = { ...ruleContext, report: (code, message, range, data) => found.push(diagnostic(code, message, range, data)) };
  walkWithSchema(document, schema, (visit) => {
    for (const rule of NODE_RULES) rule.node?.(context, visit, document);
  });
  documentResults.set(document.yaml, { env, schema, line, diagnostics: found });
  return found;
}

/** Every diagnostic of one file, sorted by position, without duplicates or silenced lines. */
export function validateFile(file: ConfigFile, context: ValidationContext): ConfigDiagnostic[] {
  const schema = context.schema ?? (integrationSchema as JsonSchema);
  const found: ConfigDiagnostic[] = [...file.syntaxDiagnostics];
  const ruleContext: RuleContext = { file, index: context.index, env: context.env, schema, report: (code, message, range, data) => found.push(diagnostic(code, message, range, data)) };
  // A document that does not parse is not judged further (its tree is a guess), but the file's other documents are;
  // the file-wide rules wait until the whole file parses.
  for (const document of file.documents) if (document.yaml.errors.length === 0) found.push(...documentDiagnostics(document, ruleContext));
  if (file.syntaxDiagnostics.length === 0) for (const rule of RULES) rule.file?.(ruleContext);
  const seen = new Set<string>();
  const unique = found.filter((entry) => {
    const key = `${entry.code}|${entry.range.start.line}:${entry.range.start.character}|${entry.message}`;
    return seen.has(key) ? false : (seen.add(key), true);
  });
  return capped(withoutSilenced(unique, file.text).sort(byPosition));
}
