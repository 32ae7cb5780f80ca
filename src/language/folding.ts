import { isMap, isSeq, visit, type Node } from 'yaml';
import { FoldingRangeKind, type FoldingRange } from 'vscode-languageserver-types';
import type { ConfigFile } from '../core/configFile';
import { lastLine } from './nodePath';

/** Folds: every map or list that spans lines (from its key's line), each document, and each block of comment lines. */
export function foldingRanges(file: ConfigFile): FoldingRange[] {
  const byStart = new Map<number, FoldingRange>();
  const add = (startLine: number, endLine: number, kind?: FoldingRangeKind) => {
    if (endLine <= startLine) return;
    const existing = byStart.get(startLine);
    if (!existing || existing.endLine < endLine) byStart.set(startLine, { startLine, endLine, ...(kind ? { kind } : {}) });
  };
  for (const document of file.documents) {
    const contents = document.yaml.contents as Node | null;
    if (file.documents.length > 1 && contents?.range) add(file.position(document.yaml.range[0]).line, lastLine(file, contents.range[1]));
    visit(document.yaml, {
      Pair(_key, pair) {
        const key = pair.key as Node | null;
        const value = pair.value as Node | null;
        if (key?.range && (isMap(value) || isSeq(value)) && value.range) add(file.position(key.range[0]).line, lastLine(file, value.range[1]));
      },
      Seq(_key, seq) {
        for (const item of seq.items as Array<Node | null>) if ((isMap(item) || isSeq(item)) && item.range) add(file.position(item.range[0]).line, lastLine(file, item.range[1]));
      },
    });
  }
  const lines = file.lines();
  let commentStart = -1;
  lines.forEach((line, index) => {
    const isComment = /^\s*#/.test(line);
    if (isComment && commentStart < 0) commentStart = index;
    if (!isComment && commentStart >= 0) {
      add(commentStart, index - 1, FoldingRangeKind.Comment);
      commentStart = -1;
    }
  });
  if (commentStart >= 0) add(commentStart, lines.length - 1, FoldingRangeKind.Comment);
  return [...byStart.values()].sort((a, b) => a.startLine - b.startLine);
}
