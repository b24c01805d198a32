/** Bounds on one call's arguments, checked before any validation walks them. */
export const MAX_ARGUMENT_VALUES = 100_000;
export const MAX_ARGUMENT_DEPTH = 64;

/** Throws when the arguments hold more values or nest deeper than the bounds; iterative, so depth cannot overflow the stack. */
export function checkArgumentSize(args: unknown): void {
  let count = 0;
  const stack: [unknown, number][] = [[args, 0]];
  while (stack.length > 0) {
    const [value, depth] = stack.pop()!;
    if (++count > MAX_ARGUMENT_VALUES) throw new Error(`Arguments too large: more than ${MAX_ARGUMENT_VALUES} values`);
    if (depth > MAX_ARGUMENT_DEPTH) throw new Error(`Arguments nested too deeply: more than ${MAX_ARGUMENT_DEPTH} levels`);
    if (value !== null && typeof value === "object") {
      for (const v of Object.values(value)) stack.push([v, depth + 1]);
    }
  }
}
