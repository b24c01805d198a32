// YAML aliases let a small file stand for a huge value: a 100,000-item list referenced 9,000 times is 227 KB
// of text and 9·10⁸ nodes to anyone who walks it. The `yaml` library's alias cap counts aliases, not what they
// expand to, so every YAML we read is also measured by its expanded size before anything walks it.

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
