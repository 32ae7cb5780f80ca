import { Scalar, visit } from 'yaml';
import type { DocumentLink } from 'vscode-languageserver-types';
import type { ConfigFile } from '../core/configFile';

const HTTP_URL = /https?:\/\/[^\s"'<>`]+/g;

/**
 * Links on http(s) URLs written in values. URLs that hold a `${VAR}` or a `{param}`
 * placeholder are left out: they are templates, not addresses one can open.
 */
export function documentLinks(file: ConfigFile): DocumentLink[] {
  const links: DocumentLink[] = [];
  for (const document of file.documents) {
    visit(document.yaml, {
      Scalar(key, node) {
        if (key === 'key' || typeof node.value !== 'string' || !node.range || node.type === Scalar.BLOCK_FOLDED || node.type === Scalar.BLOCK_LITERAL) return;
        const start = node.range[0];
        const source = file.text.slice(start, node.range[1]);
        for (const match of source.matchAll(HTTP_URL)) {
          const url = match[0].replace(/[.,;:)\]]+$/, '');
          if (/[{}$]/.test(url)) continue;
          try {
            new URL(url);
          } catch {
            continue;
          }
          links.push({ range: file.range(start + match.index, start + match.index + url.length), target: url });
        }
      },
    });
  }
  return links;
}
