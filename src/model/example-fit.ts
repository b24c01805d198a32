// A document's example or default is shown to the model, which copies it back: one that breaks its own
// schema would be refused by our own validation. Check it against the collapsed type; repair what can be
// repaired exactly, and drop the rest (the generator notes both).
import type { TypeDef } from "../project/definitions.js";
import { convertValue, sameValue } from "../types/validate-input.js";

export type ExampleFit = { ok: true; value: unknown; repaired?: string } | { ok: false; reason: string };

function problem(value: unknown, t: TypeDef): string | undefined {
  if (t.enum && !t.enum.some((e) => sameValue(e, value))) return "not one of its enum values";
  try {
    convertValue(value, t);
  } catch (e) {
    return (e as Error).message;
  }
  if (t.pattern && typeof value === "string") {
    try {
      if (!new RegExp(t.pattern, "u").test(value)) return "does not match its pattern";
    } catch {
      // a pattern the generator kept always compiles; nothing to check against otherwise
    }
  }
  return undefined;
}

export function fitExample(value: unknown, t: TypeDef): ExampleFit {
  const reason = problem(value, t);
  if (reason === undefined) return { ok: true, value };
  // A date-time where a date is asked for: its date part is exactly the day it names.
  if (t.format === "date" && typeof value === "string" && /^\d{4}-\d{2}-\d{2}[T ]/.test(value) && problem(value.slice(0, 10), t) === undefined) {
    return { ok: true, value: value.slice(0, 10), repaired: "a date-time cut to its date" };
  }
  return { ok: false, reason };
}
