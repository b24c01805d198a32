// Text from a spec or a .d.ts is data. These helpers put it into TypeScript so it can never become code.

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** A string literal: JSON quoting, plus the line and paragraph separators escaped for every parser. */
export function tsString(s: string): string {
  return JSON.stringify(s).replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");
}

/** An object key: bare when it is a plain identifier, quoted otherwise; `__proto__` computed so it stays a key. */
export function tsKey(key: string): string {
  if (key === "__proto__") return `[${tsString(key)}]`;
  return IDENTIFIER.test(key) ? key : tsString(key);
}

/** A JSON-like value as a TypeScript literal, pretty-printed with two-space indents. */
export function tsLiteral(value: unknown, indent = 0): string {
  const pad = "  ".repeat(indent + 1);
  const end = "  ".repeat(indent);
  if (value === null || value === undefined) return "null";
  if (typeof value === "string") return tsString(value);
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "null";
  if (typeof value === "boolean") return String(value);
  if (Array.isArray(value)) {
    if (value.length === 0) return "[]";
    const items = value.map((v) => tsLiteral(v, indent + 1));
    const inline = `[${items.join(", ")}]`;
    if (inline.length <= 80 && !inline.includes("\n")) return inline;
    return `[\n${items.map((i) => `${pad}${i},`).join("\n")}\n${end}]`;
  }
  if (typeof value === "object") {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    if (entries.length === 0) return "{}";
    const items = entries.map(([k, v]) => `${tsKey(k)}: ${tsLiteral(v, indent + 1)}`);
    const inline = `{ ${items.join(", ")} }`;
    if (inline.length <= 80 && !inline.includes("\n")) return inline;
    return `{\n${items.map((i) => `${pad}${i},`).join("\n")}\n${end}}`;
  }
  return "null";
}

/** A JSDoc block; `*​/` cannot close it early and every line break stays inside it. */
export function jsdoc(text: string, indent = ""): string {
  const lines = text
    .replace(/\*\//g, "*\\/")
    .split(/\r\n|\r|\n|\u2028|\u2029/)
    .map((l) => l.trimEnd());
  if (lines.length === 1) return `${indent}/** ${lines[0]} */`;
  return [`${indent}/**`, ...lines.map((l) => (l ? `${indent} * ${l}` : `${indent} *`)), `${indent} */`].join("\n");
}

/** One line comment's text: line breaks removed so the comment cannot end early. */
export function lineCommentText(text: string): string {
  return text.replace(/[\r\n\u2028\u2029]+/g, " ");
}
