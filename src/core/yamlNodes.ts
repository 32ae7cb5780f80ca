import { isMap, isScalar, isSeq, type Node, type Pair, type Scalar, type YAMLMap, type YAMLSeq } from 'yaml';

/** Small readers over the `yaml` AST that keep nodes (and so ranges) at hand. */

export function pairOf(map: YAMLMap | undefined, key: string): Pair<Scalar, Node | null> | undefined {
  return map?.items.find((pair) => isScalar(pair.key) && String(pair.key.value) === key) as Pair<Scalar, Node | null> | undefined;
}

export function valueOf(map: YAMLMap | undefined, key: string): Node | null | undefined {
  return pairOf(map, key)?.value;
}

export function mapOf(node: unknown): YAMLMap | undefined {
  return isMap(node) ? node : undefined;
}

export function seqItems(node: unknown): Node[] {
  return isSeq(node) ? ((node as YAMLSeq<Node>).items.filter(Boolean) as Node[]) : [];
}

/** A scalar's value as text (numbers and booleans included); undefined for collections and null. */
export function scalarText(node: unknown): string | undefined {
  if (!isScalar(node) || node.value === null || node.value === undefined) return undefined;
  return String(node.value);
}

export function stringScalar(node: unknown): Scalar | undefined {
  return isScalar(node) && node.value !== null && node.value !== undefined ? node : undefined;
}

/** Items of a list of strings, each as its scalar node. */
export function scalarItems(node: unknown): Scalar[] {
  return seqItems(node).filter((item): item is Scalar => stringScalar(item) !== undefined);
}

export function scalarValue(node: unknown): unknown {
  return isScalar(node) ? node.value : undefined;
}
