import { isScalar } from 'yaml';
import { findVariableReferences } from '../env';
import { didYouMean, didYouMeanText } from '../suggest';
import type { Rule } from './rule';

/** `${VAR}` without a default that neither the process nor a `.env` file defines. */
export const undefinedVariables: Rule = {
  node({ file, env, report }, { node }) {
    if (!isScalar(node) || typeof node.value !== 'string' || !node.range || !node.value.includes('${')) return;
    const start = node.range[0];
    const source = file.text.slice(start, node.range[1]);
    for (const reference of findVariableReferences(source)) {
      if (reference.fallback !== undefined || env.lookup(reference.name) !== undefined) continue;
      const suggestions = didYouMean(reference.name, env.names());
      report('env-undefined', `\${${reference.name}} is not defined in the environment, .env or .simone/.env, and has no default (\${${reference.name}:-value}).${didYouMeanText(suggestions)}`, file.range(start + reference.start, start + reference.end), { suggestions, variable: reference.name });
    }
  },
};
