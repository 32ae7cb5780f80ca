import { isAlias, isMap, isSeq, type Alias, type Document, type Node } from 'yaml';
import { MAX_NESTING, NESTED_TOO_DEEP } from './nesting';

/** Nodes that walks may visit through aliases in one document: far above what configs reuse, far below a billion laughs. */
export const MAX_ALIAS_EXPANSION = 100_000;

/** What every alias of a document stands for, decided once, so that every walk follows the same aliases within the same bounds. */
export interface DocumentAliases {
  /** The node an alias stands for; undefined when it names no anchor before it, or is not followed (see `problems`). */
  target(alias: Alias): Node | undefined;
  /** Aliases that are not followed, each with the reason. */
  problems: Array<{ alias: Alias; message: string }>;
}

/** A node's cost when walked with its aliases followed: nodes visited, and levels from it down. */
interface Extent {
  size: number;
  depth: number;
}

const byDocument = new WeakMap<Document, DocumentAliases>();

/**
 * One pass in document order (the order in which the `yaml` package resolves an alias: to the last
 * anchor of its name before it) resolves each alias through a running anchor map, not by searching the
 * document per alias. An alias is not followed when what it stands for would take a walk deeper than
 * MAX_NESTING levels, when it lies inside its own anchor, or once the document's aliases together would
 * make walks visit more than MAX_ALIAS_EXPANSION nodes (the sizes are known before anything is expanded).
 */
export function documentAliases(document: Document): DocumentAliases {
  let found = byDocument.get(document);
  if (found) return found;
  const anchors = new Map<string, Node>();
  const extents = new Map<Node, Extent>();
  const targets = new Map<Alias, Node>();
  const problems: DocumentAliases['problems'] = [];
  let expanded = 0;
  let spent = false;

  const follow = (alias: Alias, level: number): Extent => {
    const target = anchors.get(alias.source);
    const extent = target && extents.get(target);
    let problem: string | undefined;
    if (!target) problem = `*${alias.source} refers to no anchor &${alias.source} before it.`;
    else if (!extent) problem = `*${alias.source} lies inside its own anchor, so it would never end: it is not followed.`;
    else if (level - 1 + extent.depth > MAX_NESTING) problem = `*${alias.source} makes this value ${NESTED_TOO_DEEP}: it is not followed, so what it stands for is not checked here.`;
    else if (spent || expanded + extent.size > MAX_ALIAS_EXPANSION) {
      if (!spent) problem = `The aliases of this document expand to more than ${MAX_ALIAS_EXPANSION.toLocaleString('en-US')} nodes: from *${alias.source} on, no alias is followed, so what they stand for is not checked.`;
      spent = true;
    } else {
      expanded += extent.size;
      targets.set(alias, target);
      return extent;
    }
    if (problem) problems.push({ alias, message: problem });
    return { size: 1, depth: 1 };
  };

  const measure = (node: Node | null | undefined, level: number): Extent => {
    if (!node) return { size: 1, depth: 1 };
    if (isAlias(node)) return follow(node, level);
    if (node.anchor) anchors.set(node.anchor, node);
    const extent: Extent = { size: 1, depth: 1 };
    // Deeper nodes are out of every walk's reach; the parser refuses documents that deep anyway.
    if ((isMap(node) || isSeq(node)) && level < MAX_NESTING) {
      const children = isMap(node) ? node.items.flatMap((pair) => [pair.key, pair.value]) : node.items;
      for (const child of children as Array<Node | null>) {
        const inner = measure(child, level + 1);
        extent.size = Math.min(extent.size + inner.size, MAX_ALIAS_EXPANSION + 1);
        extent.depth = Math.max(extent.depth, inner.depth + 1);
      }
    }
    if (node.anchor) extents.set(node, extent);
    return extent;
  };

  measure(document.contents as Node | null, 1);
  found = { target: (alias) => targets.get(alias), problems };
  byDocument.set(document, found);
  return found;
}
