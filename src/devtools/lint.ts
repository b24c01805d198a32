// `mxcp lint`: MXCP's rules (descriptions, tests, examples, defaults, annotations, tags) plus ours
// for tools an AI assistant reads: overlong or hidden text, instruction-like text (tool poisoning),
// names over 64 characters, schemas over budget, destructive operations without destructiveHint.
import type { EndpointEntry } from "../project/endpoints.js";
import type { ParamDef, ToolDef, TypeDef } from "../project/definitions.js";
import { hasHidden, stripHidden } from "../model/text.js";

import { DESTRUCTIVE_WORD } from "../model/verbs.js";

export type Severity = "error" | "warning" | "info";

export interface LintIssue {
  severity: Severity;
  path: string;
  location: string;
  message: string;
  suggestion: string;
}

export const MAX_DESCRIPTION = 1024;
export const MAX_NAME = 64;
export const MAX_SCHEMA_NODES = 300;
export const MAX_SCHEMA_DEPTH = 8;

// Instruction-like text (tool poisoning), matched on normalised text: lower case, one space for any run of
// whitespace or `_`, NFKC, look-alike letters from other scripts mapped to Latin. Phrasings seen in attacks.
const INSTRUCTIONS = [
  /<\s*\/?\s*(important|system|instructions?|admin)\s*>/,
  /\[\s*(system|important|admin|instructions?)\s*\]/,
  /\b(ignore|disregard|forget|override|bypass)\b (all |any |the |your |of |these |those )*(previous|prior|above|earlier|preceding|other|everything|instructions?|guidance|rules)\b/,
  /\b(do not|don't|dont|never)\b.{0,40}\b(tell|inform|mention|reveal|show|let)\b.{0,50}\b(user|human|person|people|anyone|customer|know)\b/,
  /\bbefore (using|calling|invoking|running) (this|any|another|other|the)\b.{0,20}\btools?\b/,
  /~\/\.(ssh|aws|cursor|config|docker|kube|gnupg|npmrc|netrc|mcp)|\bid_rsa\b|\.aws\/credentials|\bmcp\.json\b|\/etc\/(passwd|shadow)/,
  /\b(read|send|upload|exfiltrate|include|attach|forward|post)\b.{0,60}\b(api keys?|passwords?|credentials|secrets?|private keys?|\.env)\b/,
  /\byou (must|should|need to|have to) (always |first |now )?(call|use|run|invoke|read|send)\b/,
  /\b(system prompt|new instructions|developer mode|jailbreak)\b/,
  /\b(keep|hide)\b.{0,30}\b(secret|hidden|private|quiet)\b.{0,20}\bfrom (the |your )?(user|human|person|customer|reviewer)s?\b/,
  /\bwithout (telling|informing|asking|notifying|alerting) (the |your )?(user|human|person|customer)\b/,
  // A role label opening the text or a sentence, as a chat transcript would have it ("SYSTEM: …").
  /(^|[.!?:;)\]>] )(system|developer|assistant) ?: /,
  // A comment hides text from anyone reading rendered documentation; the model reads it all.
  /<!--/,
];

// Squashed forms (every separator removed): what letter-spacing (`i g n o r e`) or joining hides.
const SQUASHED = /(ignore|disregard|forget|override|bypass)(all|any|the|your|these|those)*(previous|prior|above|earlier|preceding)(instructions?|guidance|rules|messages?)|systemprompt|newinstructions|developermode/;

// Letters from other scripts that look like Latin ones (Cyrillic, Greek): a poisoned word can hide behind one.
const CONFUSABLES: Record<string, string> = {
  "а": "a", "в": "b", "е": "e", "ё": "e", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p", "с": "c", "т": "t", "у": "y", "х": "x",
  "і": "i", "ј": "j", "ѕ": "s", "ԁ": "d", "ԛ": "q", "ԝ": "w", "ӏ": "l",
  "α": "a", "β": "b", "ε": "e", "ι": "i", "κ": "k", "ν": "v", "ο": "o", "ρ": "p", "τ": "t", "υ": "u", "χ": "x", "γ": "y",
  // Brackets and dashes that look like `<`, `>` and `-` (an HTML comment can hide behind them).
  "‹": "<", "›": ">", "〈": "<", "〉": ">", "⟨": "<", "⟩": ">", "˂": "<", "˃": ">", "❮": "<", "❯": ">",
  "‐": "-", "‑": "-", "‒": "-", "–": "-", "—": "-", "−": "-", "﹣": "-",
};

/** Text as a reviewer would read it: hidden characters gone, look-alikes mapped, case and spacing folded. */
export function normalizeForLint(text: string): string {
  return stripHidden(text.normalize("NFKC"))
    .toLowerCase()
    .replace(/[^\x00-\x7f]/g, (c) => CONFUSABLES[c] ?? c)
    .replace(/[\s_]+/g, " ")
    .trim();
}


function describeText(issues: LintIssue[], path: string, location: string, text: string | undefined, what: string): void {
  if (!text) return;
  if ([...text].length > MAX_DESCRIPTION) {
    issues.push({ severity: "warning", path, location, message: `${what} is ${[...text].length} characters long (over ${MAX_DESCRIPTION})`, suggestion: "Shorten it: models read every tool description on every turn" });
  }
  if (hasHidden(text)) {
    issues.push({ severity: "warning", path, location, message: `${what} contains hidden or bidirectional characters`, suggestion: "Remove zero-width and bidi control characters: they can hide instructions from reviewers" });
  }
  instructionLike(issues, path, location, text, what);
}

/**
 * The instruction-like phrase in `text`, if any: looked for in the normalised text, in the text with separators
 * between words folded to spaces and letter-spaced words joined (`ignore-previous-instructions`,
 * `i g n o r e`), and in the text with every separator removed.
 */
export function instructionLikePhrase(text: string): string | undefined {
  const normal = normalizeForLint(text);
  const spaced = normal
    .replace(/[\-.·•*~|/\\+=,'"`]+/g, " ")
    .replace(/\b[a-z](?: [a-z]\b)+/g, (m) => m.replace(/ /g, ""))
    .replace(/ +/g, " ");
  for (const variant of [normal, spaced]) {
    for (const r of INSTRUCTIONS) {
      const m = r.exec(variant);
      if (m) return m[0].trim();
    }
  }
  const squashed = SQUASHED.exec(normal.replace(/[^a-z]+/g, ""));
  return squashed?.[0];
}

/** Any string a model reads (a name, an enum value, a default) checked for instruction-like text. */
function instructionLike(issues: LintIssue[], path: string, location: string, text: string, what: string): void {
  const hit = instructionLikePhrase(text);
  if (hit !== undefined) {
    issues.push({
      severity: "warning",
      path,
      location,
      message: `${what} contains instruction-like text (${hit})`,
      suggestion: "Descriptions should say what the tool does, not instruct the model (a tool-poisoning marker)",
    });
  }
}

function schemaSize(t: TypeDef, depth = 1): { nodes: number; depth: number } {
  let nodes = 1;
  let max = depth;
  const children = [...(t.items ? [t.items] : []), ...Object.values(t.properties ?? {})];
  for (const c of children) {
    const s = schemaSize(c, depth + 1);
    nodes += s.nodes;
    max = Math.max(max, s.depth);
  }
  return { nodes, depth: max };
}

function lintType(issues: LintIssue[], path: string, location: string, t: TypeDef, label: string, needsDescription = true): void {
  if (needsDescription && !t.description) issues.push({ severity: "warning", path, location, message: `${label} has no description`, suggestion: "Add a description" });
  describeText(issues, path, `${location}.description`, t.description, `${label}'s description`);
  lintValues(issues, path, location, t, label);
  if (t.items) lintType(issues, path, `${location}.items`, t.items, `Items of ${label}`, needsDescription);
  for (const [k, p] of Object.entries(t.properties ?? {})) {
    instructionLike(issues, path, `${location}.properties.${k}`, k, `The property name '${k}'`);
    lintType(issues, path, `${location}.properties.${k}`, p, `Property '${k}'`, needsDescription);
  }
}

/** Enum values, defaults and examples are read by the model too. */
function lintValues(issues: LintIssue[], path: string, location: string, t: TypeDef, label: string): void {
  const strings = (v: unknown): string[] =>
    typeof v === "string" ? [v] : Array.isArray(v) ? v.flatMap(strings) : v && typeof v === "object" ? Object.entries(v).flatMap(([k, x]) => [k, ...strings(x)]) : [];
  for (const [key, v] of [["enum", t.enum], ["default", t.default], ["examples", t.examples]] as const) {
    for (const text of strings(v)) instructionLike(issues, path, `${location}.${key}`, text, `${label}'s ${key}`);
  }
}

export function lintEndpoint(e: EndpointEntry): LintIssue[] {
  if (!e.definition || e.problems.length > 0) return [];
  const issues: LintIssue[] = [];
  const kind = e.kind;
  const def = e.definition as ToolDef;
  const path = e.path;
  if (!def.description) issues.push({ severity: "warning", path, location: `${kind}.description`, message: `${kind} has no description`, suggestion: "Add a description of what it does" });
  describeText(issues, path, `${kind}.description`, def.description, "The description");
  if (def.name) instructionLike(issues, path, `${kind}.name`, def.name, "The name");
  if (kind !== "prompt" && (def.tests ?? []).length === 0) issues.push({ severity: "warning", path, location: `${kind}.tests`, message: `${kind} has no tests`, suggestion: "Add tests: mxcp-gen test runs them" });
  if ((def.tags ?? []).length === 0) issues.push({ severity: "info", path, location: `${kind}.tags`, message: `${kind} has no tags`, suggestion: "Add tags to group it" });
  (def.tests ?? []).forEach((t, i) => {
    if (!t.description) issues.push({ severity: "info", path, location: `${kind}.tests[${i}].description`, message: `Test '${t.name}' has no description`, suggestion: "Say what the test checks" });
  });
  (def.parameters ?? []).forEach((p: ParamDef, i) => {
    const loc = `${kind}.parameters[${i}]`;
    if (!p.description) issues.push({ severity: "error", path, location: `${loc}.description`, message: `Parameter '${p.name}' has no description`, suggestion: "Describe the parameter: it is all a model knows about it" });
    instructionLike(issues, path, `${loc}.name`, p.name, `The parameter name '${p.name}'`);
    lintType(issues, path, loc, p, `Parameter '${p.name}'`, false);
    if (!p.examples || p.examples.length === 0) issues.push({ severity: "info", path, location: `${loc}.examples`, message: `Parameter '${p.name}' has no examples`, suggestion: "Add examples" });
    if (!Object.hasOwn(p, "default")) issues.push({ severity: "info", path, location: `${loc}.default`, message: `Parameter '${p.name}' has no default (it is required)`, suggestion: "Give a default if it can be optional" });
  });
  if (def.return) lintType(issues, path, `${kind}.return`, def.return, "Return type");
  if (kind === "tool") {
    if (!def.annotations) issues.push({ severity: "info", path, location: "tool.annotations", message: "tool has no annotations", suggestion: "Add readOnlyHint, destructiveHint, idempotentHint, openWorldHint" });
    if (def.name.length > MAX_NAME || !/^[A-Za-z0-9_.-]+$/.test(def.name)) {
      issues.push({ severity: "error", path, location: "tool.name", message: `Tool name '${def.name}' is over ${MAX_NAME} characters or has characters clients reject`, suggestion: `Use at most ${MAX_NAME} of A-Z a-z 0-9 _ . -` });
    }
    const method = String((e.metadata?.operation as Record<string, unknown> | undefined)?.method ?? "").toUpperCase();
    if ((method === "DELETE" || DESTRUCTIVE_WORD.test(def.name)) && def.annotations?.destructiveHint !== true) {
      issues.push({ severity: "warning", path, location: "tool.annotations.destructiveHint", message: `${method === "DELETE" ? "A DELETE operation" : "A destructive verb"} without destructiveHint: true`, suggestion: "Set destructiveHint: true so clients ask before running it" });
    }
    const schemas = [...(def.parameters ?? []), ...(def.return ? [def.return] : [])];
    const size = schemas.reduce((acc, t) => {
      const s = schemaSize(t);
      return { nodes: acc.nodes + s.nodes, depth: Math.max(acc.depth, s.depth) };
    }, { nodes: 0, depth: 0 });
    if (size.nodes > MAX_SCHEMA_NODES || size.depth > MAX_SCHEMA_DEPTH) {
      issues.push({ severity: "warning", path, location: "tool", message: `Schemas over budget: ${size.nodes} nodes, depth ${size.depth} (budget ${MAX_SCHEMA_NODES} nodes, depth ${MAX_SCHEMA_DEPTH})`, suggestion: "Trim the return type or split the tool" });
    }
  }
  return issues;
}

export function lintProject(endpoints: EndpointEntry[]): LintIssue[] {
  return endpoints.flatMap(lintEndpoint);
}
