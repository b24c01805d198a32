// YAML aliases let a small file stand for a huge value: a 100,000-item list referenced 9,000 times is 227 KB
// of text and 9·10⁸ nodes to anyone who walks it. The `yaml` library's alias cap counts aliases, not what they
// expand to, so every YAML we read is also measured by its expanded size before anything walks it.
import { isAlias, isCollection, isPair, isScalar, visit, type Document } from "yaml";

/** Nodes (objects, arrays and scalars) a value would have if every shared part were copied out. */
export function expandedSize(value: unknown, limit: number): number {
  const memo = new Map<object, number>();
  // Iterative post-order, so deep nesting cannot overflow the stack.
  const stack: { node: object; children: unknown[]; i: number; sum: number }[] = [];
  const enter = (v: unknown): number | undefined => {
    if (v === null || typeof v !== "object") return 1;
    const known = memo.get(v);
    if (known !== undefined) return known;
    if (stack.some((f) => f.node === v)) return Infinity; // a cycle expands without end
    stack.push({ node: v, children: Array.isArray(v) ? v : Object.values(v), i: 0, sum: 1 });
    return undefined;
  };
  let result = enter(value);
  while (result === undefined && stack.length > 0) {
    const top = stack[stack.length - 1]!;
    if (top.i < top.children.length) {
      const child = enter(top.children[top.i++]);
      if (child !== undefined) top.sum += child;
      if (top.sum > limit) return top.sum;
      continue;
    }
    stack.pop();
    memo.set(top.node, top.sum);
    if (stack.length === 0) result = top.sum;
    else stack[stack.length - 1]!.sum += top.sum;
  }
  return result ?? 1;
}

export class YamlSizeError extends Error {
  constructor(readonly limit: number) {
    super(`YAML expands to more than ${limit} nodes through its aliases (the limit); refusing to read it`);
    this.name = "YamlSizeError";
  }
}

/** Throw when `value` expands beyond `limit` nodes. */
export function assertExpandedSize(value: unknown, limit: number): void {
  if (expandedSize(value, limit) > limit) throw new YamlSizeError(limit);
}

/**
 * Checked on the parsed document before it is converted, because the conversion itself is what costs: the
 * `yaml` library resolves each alias by scanning the aliases before it (quadratic in their number), and a merge
 * key copies every pair of the map it names. So the number of aliases is capped, and the size the document
 * expands to (each alias and merge counted as a copy of what it names) is measured on the syntax tree.
 * Returns why the document is refused, or undefined.
 */
export function aliasBudgetProblem(doc: Document, limits: { maxAliases: number; maxNodes: number }): string | undefined {
  let aliases = 0;
  const anchors = new Map<string, unknown>();
  const sizes = new Map<unknown, number>();
  const open = new Set<unknown>();
  // Document order, so an alias names the anchor defined last before it (as YAML says).
  const aliasTarget = new Map<unknown, unknown>();
  visit(doc, {
    Node(_key, node) {
      if (isAlias(node)) {
        aliases++;
        aliasTarget.set(node, anchors.get(node.source));
      } else if ((isScalar(node) || isCollection(node)) && node.anchor) anchors.set(node.anchor, node);
    },
  });
  if (aliases > limits.maxAliases) return `The YAML uses ${aliases} aliases, over the limit of ${limits.maxAliases}; refusing to read it`;
  const size = (node: unknown, depth: number): number => {
    if (node === null || node === undefined || typeof node !== "object") return 1;
    const known = sizes.get(node);
    if (known !== undefined) return known;
    if (open.has(node) || depth > 10_000) return Infinity;
    open.add(node);
    let n = 1;
    if (isAlias(node)) n = size(aliasTarget.get(node), depth + 1);
    else if (isPair(node)) n = size(node.key, depth + 1) + size(node.value, depth + 1);
    else if (isCollection(node)) for (const item of node.items) if ((n += size(item, depth + 1)) > limits.maxNodes) break;
    open.delete(node);
    sizes.set(node, n);
    return n;
  };
  if (size(doc.contents, 0) > limits.maxNodes) return `The YAML expands to more than ${limits.maxNodes} nodes through its aliases and merge keys (the limit); refusing to read it`;
  return undefined;
}
