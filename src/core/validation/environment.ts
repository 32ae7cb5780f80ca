import { isScalar } from 'yaml';
import { scanVariableReferences, type EnvironmentProvider } from '../env';
import { CandidateList, didYouMeanText } from '../suggest';
import type { Rule, RuleContext } from './rule';
import { MAX_PROBLEMS_PER_FILE } from './problemCap';

/** An environment does not change once built (validation caches by it too), so its names are indexed once. */
const namesByEnvironment = new WeakMap<EnvironmentProvider, CandidateList>();

function variableNames(env: EnvironmentProvider): CandidateList {
  let names = namesByEnvironment.get(env);
  if (!names) namesByEnvironment.set(env, (names = new CandidateList(env.names())));
  return names;
}

/**
 * Unknown variables given a did-you-mean, per document check: past the number of problems a file lists, the rest
 * are not shown, and searching the names for tens of thousands of them would cost seconds.
 */
const suggestionsGiven = new WeakMap<RuleContext, number>();

function suggestionsFor(context: RuleContext, name: string): string[] {
  const given = suggestionsGiven.get(context) ?? 0;
  if (given >= MAX_PROBLEMS_PER_FILE) return [];
  suggestionsGiven.set(context, given + 1);
  return variableNames(context.env).suggest(name);
}

/** `${VAR}` without a default that neither the process nor a `.env` file defines, and a `${` never closed. */
export const variableReferences: Rule = {
  node(context, { node }) {
    const { file, env, report } = context;
    if (!isScalar(node) || typeof node.value !== 'string' || !node.range || !node.value.includes('${')) return;
    const start = node.range[0];
    const scan = scanVariableReferences(file.text.slice(start, node.range[1]));
    for (const reference of scan.references) {
      if (reference.fallback !== undefined || env.lookup(reference.name) !== undefined) continue;
      const suggestions = suggestionsFor(context, reference.name);
      report('env-undefined', `\${${reference.name}} is not defined in the environment, .env or .simone/.env, and has no default (\${${reference.name}:-value}).${didYouMeanText(suggestions)}`, file.range(start + reference.start, start + reference.end), { suggestions, variable: reference.name });
    }
    if (scan.unclosed) {
      const { name, start: at, end } = scan.unclosed;
      report('env-unclosed', `\${${name} is never closed: end the reference with } (\${${name}} or \${${name}:-default}); as written, the text is used literally.`, file.range(start + at, start + end));
    }
  },
};
