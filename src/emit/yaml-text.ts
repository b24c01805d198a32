// MXCP reads tool files with PyYAML, a YAML 1.1 parser; we read them with a 1.2 one. The two disagree on
// plain scalars (`no`, `on`, `1_000`, `1:20`, `2024-01-01`, `0o17`, `<<`, `=`) and on line breaks (1.1 also
// breaks lines at U+0085, U+2028 and U+2029, so a description holding one can start a new key there).
// Every YAML file we write goes through here, so both parsers read the same values.
import { parse, visit, type Document } from "yaml";
import { escapeHidden, hasHidden } from "../model/text.js";

// Characters YAML 1.1 treats as line breaks (besides \n and \r), never written raw.
const ODD_BREAKS = /[\u0085\u2028\u2029]/g;
// Only short scalars without spaces (or a timestamp's) can resolve to anything but a string, and of those only
// the ones with a digit, a leading sign, dot, `~`, `<` or `=`, or one of 1.1's boolean and null words. The
// parsers are asked only about these: asking about every name and word costs more than the rest of emitting.
const MAYBE_TYPED = /^(?:[-+.~<=0-9A-Za-z_:]{1,64}|\d{4}-\d\d?-\d\d?[Tt ].{0,40})$/;
const LOOKS_TYPED = /[0-9]|^[-+.~<=]|^(?:y|yes|n|no|true|false|on|off|null)$/i;

/** Whether a plain `s` would be read as something other than the string `s` by YAML 1.1 or 1.2. */
function ambiguous(s: string): boolean {
  if (s === "<<" || s === "=") return true; // 1.1's merge and value keys: PyYAML cannot construct them
  if (!LOOKS_TYPED.test(s) || !MAYBE_TYPED.test(s)) return false;
  try {
    return parse(s, { version: "1.1" }) !== s || parse(s, { version: "1.2" }) !== s;
  } catch {
    return true;
  }
}

/** The document as text that YAML 1.1 and 1.2 parsers read identically (no folded lines, JSON escapes). */
export function portableYaml(doc: Document): string {
  visit(doc, {
    Scalar(_key, node) {
      if (typeof node.value !== "string") return;
      ODD_BREAKS.lastIndex = 0;
      if (ODD_BREAKS.test(node.value) || hasHidden(node.value) || ambiguous(node.value)) node.type = "QUOTE_DOUBLE";
    },
  });
  // Each value holding such a character is double-quoted above, where a JSON escape means the same
  // character; a comment holding one gets the escape as text.
  const text = doc.toString({ lineWidth: 0, doubleQuotedAsJSON: true });
  return escapeHidden(text).replace(ODD_BREAKS, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}


