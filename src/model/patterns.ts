// A `pattern` from a document reaches every client that validates `inputSchema`, and a catastrophic one
// (`^(a|a)*$`) stalls it on a short input. Each one is compiled and checked for super-linear backtracking
// with recheck (a maintained ReDoS checker) before it is emitted.
import { checkSync } from "recheck";

export type PatternVerdict = { ok: true } | { ok: false; reason: string };

const verdicts = new Map<string, PatternVerdict>();

/** Whether `pattern` is a valid ECMAScript (`u`) regex without exponential or cubic-and-worse backtracking. */
export function checkPattern(pattern: string): PatternVerdict {
  const known = verdicts.get(pattern);
  if (known) return known;
  const verdict = judge(pattern);
  verdicts.set(pattern, verdict);
  return verdict;
}

/**
 * Unbounded quantifiers (`*`, `+`, `{n,}`) outside character classes, and whether a group is quantified. With at
 * most one unbounded quantifier and no quantified group, a match costs at most O(n²) (one loop, tried from
 * every start), which we accept: such patterns, most of a document's, skip the checker and its start-up.
 */
function quantifiers(pattern: string): { unbounded: number; quantifiedGroup: boolean } {
  let unbounded = 0;
  let quantifiedGroup = false;
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === "\\") {
      i++;
      continue;
    }
    if (inClass) {
      if (c === "]") inClass = false;
      continue;
    }
    if (c === "[") inClass = true;
    const quantifier = c === "*" || c === "+" || c === "?" || (c === "{" && /^\{\d*,?\d*\}/.test(pattern.slice(i)));
    if (!quantifier) continue;
    if (c === "*" || c === "+" || (c === "{" && /^\{\d*,\}/.test(pattern.slice(i)))) unbounded++;
    if (pattern[i - 1] === ")") quantifiedGroup = true;
  }
  return { unbounded, quantifiedGroup };
}

function judge(pattern: string): PatternVerdict {
  try {
    new RegExp(pattern, "u");
  } catch (e) {
    return { ok: false, reason: `invalid regular expression (${(e as Error).message})` };
  }
  const q = quantifiers(pattern);
  if (q.unbounded <= 1 && !q.quantifiedGroup) return { ok: true };
  // The checker's own limits are counts, but its overall limit is time: the first check also pays its start-up
  // (about 0.8 s for one of Box's patterns on an idle machine, over 2 s on a busy one). A generous limit keeps
  // the verdict, and so the generated files, the same on a loaded machine.
  const r = checkSync(pattern, "u", { timeout: 15_000 });
  if (r.status === "safe") return { ok: true };
  if (r.status === "unknown") return { ok: false, reason: `could not be proved safe from catastrophic backtracking (${r.error.kind})` };
  // Quadratic patterns are common (`^\s*(.*?)\s*$`) and harmless on inputs of bounded length.
  if (r.complexity.type === "polynomial" && r.complexity.degree <= 2) return { ok: true };
  const how = r.complexity.type === "exponential" ? "exponential" : `polynomial, degree ${r.complexity.degree}`;
  return { ok: false, reason: `catastrophic backtracking (${how})` };
}
