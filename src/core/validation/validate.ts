import type { Document } from 'yaml';
import type { ConfigDocument, ConfigFile } from '../configFile';
import { diagnostic, DIAGNOSTIC_SEVERITY, type ConfigDiagnostic, type DiagnosticCode, type Position } from '../diagnostic';
import { documentAliases } from '../documentAliases';
import type { EnvironmentProvider } from '../env';
import type { JsonSchema } from '../jsonSchema';
import { walkWithSchema } from '../schemaWalk';
import { integrationSchema } from '../schema';
import type { WorkspaceIndex } from '../workspaceIndex';
import { duplicateKeys } from './duplicateKeys';
import { variableReferences } from './environment';
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
  variableReferences,
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

/** Problems listed per file; past this, one more diagnostic counts the rest (a flood helps nobody and costs every client). */
export const MAX_PROBLEMS_PER_FILE = 1_000;

/**
 * The first MAX_PROBLEMS_PER_FILE problems, then one that stands for the rest: it is the first of the rest
 * among the most severe, with its code (so errors still fail a CI run) and a count of what is not listed.
 */
function capped(diagnostics: ConfigDiagnostic[]): ConfigDiagnostic[] {
  if (diagnostics.length <= MAX_PROBLEMS_PER_FILE) return diagnostics;
  const rest = diagnostics.slice(MAX_PROBLEMS_PER_FILE);
  const first = rest.find((entry) => entry.severity === 'error') ?? rest[0];
  const counts = new Map<DiagnosticCode, number>();
  for (const entry of rest) counts.set(entry.code, (counts.get(entry.code) ?? 0) + 1);
  const byCode = [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([code, count]) => `${count.toLocaleString('en-US')} ${code}`);
  const message = `…and ${rest.length.toLocaleString('en-US')} more problems in this file (${byCode.join(', ')}), not listed: only the first ${MAX_PROBLEMS_PER_FILE.toLocaleString('en-US')} are. This is the first of them${DIAGNOSTIC_SEVERITY[first.code] === 'error' ? ' that is an error' : ''}: ${first.message}`;
  return [...diagnostics.slice(0, MAX_PROBLEMS_PER_FILE), diagnostic(first.code, message, first.range)];
}
