import { isScalar } from 'yaml';
import { hasVariableReference } from '../env';
import { walkWithSchema } from '../schemaWalk';
import { urlPassword } from '../secrets';
import { valueOf, scalarText } from '../yamlNodes';
import type { Rule } from './rule';

/** An upper-case variable name for a literal secret: `<INTEGRATION>_<KEY>`. */
export function suggestedVariable(integration: string | undefined, path: Array<string | number>): string {
  const tail = path.filter((part): part is string => typeof part === 'string').slice(-2).join('_');
  return [integration, tail].filter(Boolean).join('_').toUpperCase().replace(/[^A-Z0-9_]/g, '_');
}

/** Secret-bearing keys and URL passwords must be `${VAR}` references, not literals. */
export const literalSecrets: Rule = ({ file, schema, report }) => {
  for (const document of file.documents) {
    const integration = scalarText(valueOf(document.body, 'name'));
    walkWithSchema(document, schema, ({ node, schema: nodeSchema, path }) => {
      if (!isScalar(node) || typeof node.value !== 'string' || node.value === '') return;
      const range = file.rangeOf(node);
      const variable = suggestedVariable(integration, path);
      if (nodeSchema?.['x-secret'] && !hasVariableReference(node.value)) {
        report('secret-literal', `"${path[path.length - 1]}" holds a literal secret: keep it in \${${variable}} (a .env file or the editor's secret storage).`, range, { variable });
        return;
      }
      const password = urlPassword(node.value);
      if (password !== undefined && !hasVariableReference(password)) {
        report('secret-literal', `This URL holds a literal password: write it as \${${variable}_PASSWORD} or keep the whole URL in \${${variable}}.`, range, { variable });
      }
    });
  }
};
