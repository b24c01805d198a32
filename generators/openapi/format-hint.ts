// A schema's `format` that MXCP's types cannot hold (`uuid`, `int64`…) is kept for the model as a hint at the
// end of the description, `(format: uuid)`; words given later go before it, never over it.
import type { TypeDef } from "../../src/project/definitions.js";

const HINT = /\(format: [^)]+\)$/;

export function formatHint(format: string): string {
  return `(format: ${format})`;
}

/** The type described by `words`, keeping the format hint its description ends with. */
export function describedKeepingHint(t: TypeDef, words: string): TypeDef {
  const hint = HINT.exec(t.description ?? "")?.[0];
  return { ...t, description: hint && !words.endsWith(hint) ? `${words} ${hint}` : words };
}

/** Whether the description is only a format hint (no words of the document's yet). */
export function isOnlyHint(description: string | undefined): boolean {
  return description !== undefined && description.startsWith("(format:") && HINT.test(description);
}
