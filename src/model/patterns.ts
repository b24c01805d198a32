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

function judge(pattern: string): PatternVerdict {
  try {
    new RegExp(pattern, "u");
  } catch (e) {
    return { ok: false, reason: `invalid regular expression (${(e as Error).message})` };
  }
  const r = checkSync(pattern, "u", { timeout: 2000 });
  if (r.status === "safe") return { ok: true };
  if (r.status === "unknown") return { ok: false, reason: `could not be proved safe from catastrophic backtracking (${r.error.kind})` };
  // Quadratic patterns are common (`^\s*(.*?)\s*$`) and harmless on inputs of bounded length.
  if (r.complexity.type === "polynomial" && r.complexity.degree <= 2) return { ok: true };
  const how = r.complexity.type === "exponential" ? "exponential" : `polynomial, degree ${r.complexity.degree}`;
  return { ok: false, reason: `catastrophic backtracking (${how})` };
}
