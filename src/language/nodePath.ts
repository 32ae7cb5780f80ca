import { isMap, isScalar, isSeq, type Node, type Pair, type Scalar } from 'yaml';
import type { ConfigDocument, ConfigFile } from '../core/configFile';

/** One step from a document's root towards an offset: a pair, a list item, or the scalar under the cursor. */
export type PathStep =
  | { kind: 'pair'; pair: Pair<Scalar, Node | null>; owner: Node; start: number; end: number }
  | { kind: 'item'; node: Node; owner: Node; index: number; start: number; end: number }
  | { kind: 'node'; node: Node; start: number; end: number };

/** The document whose text holds an offset (the last one starting at or before it). */
export function documentAt(file: ConfigFile, offset: number): ConfigDocument | undefined {
  let found: ConfigDocument | undefined;
  for (const document of file.documents) if (document.yaml.range[0] <= offset) found = document;
  return found;
}

const contains = (range: readonly number[] | null | undefined, offset: number): boolean => !!range && range[0] <= offset && offset <= range[1];

/**
 * Nodes and pairs around an offset, outermost first: each collection, the pair or
 * item inside it that holds the offset, down to the scalar under the cursor.
 */
export function nodePath(document: ConfigDocument, offset: number): PathStep[] {
  const steps: PathStep[] = [];
  let node = document.yaml.contents as Node | null;
  while (node && contains(node.range, offset)) {
    steps.push({ kind: 'node', node, start: node.range![0], end: node.range![1] });
    let next: Node | null = null;
    if (isMap(node)) {
      for (const pair of node.items as Array<Pair<Node, Node | null>>) {
        if (!isScalar(pair.key) || !pair.key.range) continue;
        const end = pair.value?.range ? pair.value.range[1] : pair.key.range[1];
        if (pair.key.range[0] > offset || offset > end) continue;
        steps.push({ kind: 'pair', pair: pair as Pair<Scalar, Node | null>, owner: node, start: pair.key.range[0], end });
        next = contains(pair.key.range, offset) ? pair.key : pair.value;
        break;
      }
    } else if (isSeq(node)) {
      const items = node.items as Array<Node | null>;
      const index = items.findIndex((item) => contains(item?.range, offset));
      if (index >= 0) {
        const item = items[index] as Node;
        steps.push({ kind: 'item', node: item, owner: node, index, start: item.range![0], end: item.range![1] });
        next = item;
      }
    }
    node = next;
  }
  return steps;
}

/** The scalar under the cursor and, when it is a key or a value, its pair. */
export function scalarAt(document: ConfigDocument, offset: number): { scalar: Scalar; pair?: Pair<Scalar, Node | null>; isKey: boolean; path: PathStep[] } | undefined {
  const path = nodePath(document, offset);
  const last = path[path.length - 1];
  if (last?.kind !== 'node' || !isScalar(last.node)) return undefined;
  const parent = path[path.length - 2];
  const pair = parent?.kind === 'pair' ? parent.pair : undefined;
  return { scalar: last.node, pair, isKey: pair?.key === last.node, path };
}

/** Keys and list indexes from the document root to the innermost step, as schemaWalk names them. */
export function keyPath(path: PathStep[]): Array<string | number> {
  return path.flatMap((step): Array<string | number> => (step.kind === 'pair' ? [String(step.pair.key.value)] : step.kind === 'item' ? [step.index] : []));
}

/** A node's end offset without the line breaks and spaces a block's range takes in after its last value. */
export function contentEnd(file: ConfigFile, end: number): number {
  let trimmed = end;
  while (trimmed > 0 && /\s/.test(file.text[trimmed - 1])) trimmed--;
  return trimmed;
}

/** The last line a node's text is on. */
export function lastLine(file: ConfigFile, end: number): number {
  return file.position(contentEnd(file, end)).line;
}
