// Example arguments for a tool, from its inputSchema: the document's own examples, defaults and
// enums first, then values made up to satisfy type, format and (simple) pattern.

type Schema = Record<string, unknown>;

/** A string matching a simple regular expression: literals, escapes, classes, groups-free quantifiers. */
export function fromPattern(pattern: string): string | undefined {
  let p = pattern.replace(/^\^/, "").replace(/\$$/, "");
  let out = "";
  while (p.length > 0) {
    let atom: string;
    if (p.startsWith("\\")) {
      const c = p[1]!;
      atom = c === "d" ? "7" : c === "w" ? "a" : c === "s" ? " " : c;
      p = p.slice(2);
    } else if (p.startsWith("[")) {
      const end = p.indexOf("]", 1);
      if (end === -1) return undefined;
      const cls = p.slice(1, end);
      if (cls.startsWith("^")) return undefined;
      atom = cls[1] === "-" ? cls[0]! : cls[0] === "\\" ? (cls[1] === "d" ? "7" : "a") : cls[0]!;
      p = p.slice(end + 1);
    } else if ("()|".includes(p[0]!)) {
      return undefined;
    } else if (p[0] === ".") {
      atom = "a";
      p = p.slice(1);
    } else {
      atom = p[0]!;
      p = p.slice(1);
    }
    let count = 1;
    const q = /^(\{(\d+)(?:,(\d*))?\}|\?|\*|\+)/.exec(p);
    if (q) {
      p = p.slice(q[0].length);
      if (q[0] === "?" || q[0] === "*") count = q[0] === "?" ? 1 : 1;
      else if (q[0] === "+") count = 1;
      else count = Number(q[2]);
    }
    out += atom.repeat(count);
  }
  return out;
}

const FORMAT_HINT = /\(format: ([^)]+)\)/;

export function exampleValue(s: Schema, every = false, depth = 0): unknown {
  if (Array.isArray(s.examples) && s.examples.length > 0) return s.examples[0];
  if (s.default !== undefined && s.default !== null) return s.default;
  if (Array.isArray(s.enum) && s.enum.length > 0) return s.enum[0];
  const type = Array.isArray(s.type) ? s.type[0] : s.type;
  switch (type) {
    case "integer":
    case "number": {
      const min = typeof s.minimum === "number" ? s.minimum : typeof s.exclusiveMinimum === "number" ? s.exclusiveMinimum + 1 : 1;
      return Math.max(min, typeof s.maximum === "number" ? Math.min(1, s.maximum) : 1);
    }
    case "boolean":
      return true;
    case "array": {
      const count = Math.max(1, typeof s.minItems === "number" ? s.minItems : 1);
      return Array.from({ length: count }, () => exampleValue((s.items ?? { type: "string" }) as Schema, every, depth + 1));
    }
    case "object": {
      const out: Record<string, unknown> = {};
      const props = (s.properties ?? {}) as Record<string, Schema>;
      // A merged oneOf says which properties go together: a caller following it fills the first shape only.
      const shape = typeof s.description === "string" ? /Exactly one of these shapes: \(([^)]*)\)/.exec(s.description)?.[1]?.split(", ") : undefined;
      const names = every && depth < 4 ? (shape ?? Object.keys(props)) : ((s.required as string[] | undefined) ?? []);
      for (const name of names) if (props[name]) out[name] = exampleValue(props[name], every, depth + 1);
      return out;
    }
    default: {
      const hint = typeof s.description === "string" ? FORMAT_HINT.exec(s.description)?.[1] : undefined;
      if (s.format === "date-time") return "2024-01-15T10:00:00Z";
      if (s.format === "date") return "2024-01-15";
      if (s.format === "email") return "someone@example.com";
      if (s.format === "uri") return "https://example.com/x";
      if (hint === "uuid") return "3fa85f64-5717-4562-b3fc-2c963f66afa6";
      if (hint === "byte" || (typeof s.description === "string" && s.description.startsWith("Base64"))) return Buffer.from("example").toString("base64");
      if (typeof s.pattern === "string") return fromPattern(s.pattern) ?? "example";
      const min = typeof s.minLength === "number" ? s.minLength : 0;
      return "example".padEnd(min, "x");
    }
  }
}

/** Required arguments, plus optional ones the document gives an example for. */
export function exampleArgs(inputSchema: Schema): Record<string, unknown> {
  const props = (inputSchema.properties ?? {}) as Record<string, Schema>;
  const required = new Set((inputSchema.required as string[] | undefined) ?? []);
  const out: Record<string, unknown> = {};
  for (const [name, s] of Object.entries(props)) {
    if (required.has(name) || (Array.isArray(s.examples) && s.examples.length > 0)) out[name] = exampleValue(s);
  }
  return out;
}

/** Every argument, optional ones too, and every property of every object argument (a few levels down). */
export function everyArg(inputSchema: Schema): Record<string, unknown> {
  const props = (inputSchema.properties ?? {}) as Record<string, Schema>;
  const out: Record<string, unknown> = {};
  for (const [name, s] of Object.entries(props)) {
    // Several pages would only ask the mock the same thing again.
    if (name === "max_pages") continue;
    out[name] = exampleValue(s, true, 0);
  }
  return out;
}
