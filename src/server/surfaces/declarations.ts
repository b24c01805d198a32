// A tool as a TypeScript declaration, so a model writing code against `tools` gets names, argument shapes and
// descriptions right: `declare namespace tools { function github_pulls_list(args: {...}): Promise<...> }`.
// Built from the tool's MXCP types (never from generated code), so every project's tools have one.
import type { ParamDef, ToolDef, TypeDef } from "../../project/definitions.js";

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** Text safe inside a JSDoc block: no comment end, one logical paragraph per line. */
function docText(text: string): string {
  return text.replace(/\*\//g, "*\\/").replace(/\r\n?/g, "\n");
}

function docBlock(lines: string[], indent: string): string {
  const body = lines.flatMap((l) => docText(l).split("\n")).filter((l, i, all) => l.trim() !== "" || (i > 0 && i < all.length - 1));
  if (body.length === 0) return "";
  if (body.length === 1) return `${indent}/** ${body[0]} */\n`;
  return `${indent}/**\n${body.map((l) => `${indent} * ${l}`.trimEnd()).join("\n")}\n${indent} */\n`;
}

function key(name: string): string {
  return IDENTIFIER.test(name) ? name : JSON.stringify(name);
}

/** An MXCP type as a TypeScript type, `indent` being the level its members are written at. */
export function tsType(t: TypeDef | undefined, indent = "  ", depth = 0): string {
  if (!t) return "unknown";
  if (t.enum && t.enum.length > 0) return t.enum.map((v) => JSON.stringify(v)).join(" | ");
  switch (t.type) {
    case "string":
      return "string";
    case "integer":
    case "number":
      return "number";
    case "boolean":
      return "boolean";
    case "array": {
      const inner = tsType(t.items, indent, depth + 1);
      return /[|{]/.test(inner) ? `Array<${inner}>` : `${inner}[]`;
    }
    case "object": {
      const props = Object.entries(t.properties ?? {});
      if (props.length === 0 || depth > 6) return "Record<string, unknown>";
      const required = new Set(t.required ?? props.map(([k]) => k));
      const inner = `${indent}  `;
      const members = props.map(([k, p]) => `${docBlock(p.description ? [p.description] : [], inner)}${inner}${key(k)}${required.has(k) ? "" : "?"}: ${tsType(p, inner, depth + 1)};`);
      return `{\n${members.join("\n")}\n${indent}}`;
    }
    default:
      return "unknown";
  }
}

function argsType(params: ParamDef[], indent: string): string {
  if (params.length === 0) return "{}";
  const inner = `${indent}  `;
  const members = params.map((p) => {
    const optional = Object.hasOwn(p, "default");
    const notes = [p.description ?? "", ...(optional && p.default !== null ? [`@default ${JSON.stringify(p.default)}`] : [])].filter(Boolean);
    return `${docBlock(notes, inner)}${inner}${key(p.name)}${optional ? "?" : ""}: ${tsType(p, inner)};`;
  });
  return `{\n${members.join("\n")}\n${indent}}`;
}

/** One tool's declaration inside `declare namespace tools { … }`. */
export function toolDeclaration(def: ToolDef, indent = "  "): string {
  // A tool whose input is a JSON Schema (`input_schema`) is declared with open arguments; describe_tool shows the schema.
  const doc = docBlock([def.description ?? def.annotations?.title ?? def.name, ...(def.input_schema ? ["Arguments: as its JSON Schema says (describe_tool shows it)."] : [])], indent);
  const params = def.parameters ?? [];
  const args = def.input_schema ? "args: Record<string, unknown>" : `args${params.every((p) => Object.hasOwn(p, "default")) ? "?" : ""}: ${argsType(params, indent)}`;
  const signature = `(${args}): Promise<${tsType(def.return, indent)}>;`;
  if (IDENTIFIER.test(def.name)) return `${doc}${indent}function ${def.name}${signature}`;
  // A name that is not an identifier is reached as tools[${name}]; a namespace cannot declare it.
  return `${indent}// ${JSON.stringify(def.name)}: call it as tools[${JSON.stringify(def.name)}](args)`;
}

export function toolsNamespace(defs: ToolDef[]): string {
  return `declare namespace tools {\n${defs.map((d) => toolDeclaration(d)).join("\n\n")}\n}\n`;
}
