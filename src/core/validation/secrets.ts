import { isScalar } from 'yaml';
import { hasVariableReference } from '../env';
import { urlPassword } from '../secrets';
import { scalarText, valueOf } from '../yamlNodes';
import type { Rule } from './rule';

/** An upper-case variable name for a literal secret: `<INTEGRATION>_<KEY>`. */
export function suggestedVariable(integration: string | undefined, path: Array<string | number>): string {
  const tail = path.filter((part): part is string => typeof part === 'string').slice(-2).join('_');
  return [integration, tail].filter(Boolean).join('_').toUpperCase().replace(/[^A-Z0-9_]/g, '_');
}

/** Secret-bearing keys and URL passwords must be `${VAR}` references, not literals. */
export const literalSecrets: Rule = {
  node({ file, report }, { node, schema, path }, document) {
    if (!isScalar(node) || typeof node.value !== 'string' || node.value === '') return;
    const secretKey = schema?.['x-secret'] === true && !hasVariableReference(node.value);
    const password = secretKey ? undefined : urlPassword(node.value);
    if (!secretKey && (password === undefined || hasVariableReference(password))) return;
    const variable = suggestedVariable(scalarText(valueOf(document.body, 'name')), path);
    const message = secretKey
      ? `"${path[path.length - 1]}" holds a literal secret: keep it in \${${variable}}, set in the environment or a .env file.`
      : `This URL holds a literal password: write it as \${${variable}_PASSWORD} or keep the whole URL in \${${variable}}.`;
    report('secret-literal', message, file.rangeOf(node), { variable });
  },
};
