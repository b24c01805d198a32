// TypeScript types from an SDK's .d.ts collapsed into MXCP's type system:
//  - `null`/`undefined` members are dropped (optional-ness comes from the property);
//  - a closed union of ≤ 50 string literals is an enum; an open one (`'a' | 'b' | (string & {})`) is a
//    string with the known values as examples, never an enum (newer values must pass);
//  - unions of objects merge their properties (required only where every member requires them; a property
//    several members declare merges too: enums join, differing kinds follow the next rule);
//    mixed unions take a (non-binary) string when one member is a string, else an array, then an object,
//    then the first member (noted, the description says what else the SDK accepts);
//  - `Date` is a date-time string; binary types are base64 strings; functions are dropped;
//  - index signatures are open objects; recursion and depth end in a bare object (noted).
import { addNote } from "../../src/model/notes.js";
import { ts } from "ts-morph";
import type { TypeDef } from "../../src/project/definitions.js";
import { cleanDescription } from "../../src/model/text.js";
import type { ModelNote } from "../../src/model/tool-model.js";
import { setOwn } from "../../src/runtime/own.js";
import { mergeObjectTypes } from "../../src/model/object-merge.js";

export const MAX_DEPTH = 4;
export const MAX_ENUM = 50;
export const MAX_UNION = 12;

export interface TypeContext {
  /** Levels below a parameter (default MAX_DEPTH). */
  maxDepth?: number | undefined;
  /** Required top-level properties that only take binary data (Buffer, Blob, a stream), which a tool cannot pass. */
  binaryRequired?: string[];
  checker: ts.TypeChecker;
  node: ts.Node;
  notes: ModelNote[];
  tool: string;
  /** Types converted so far for this tool: deeply generic SDKs (command builders) expand without end otherwise. */
  visited?: { count: number };
}

/** Most types one tool's parameters may expand to; beyond it a type is a plain object (noted). */
export const MAX_TYPES_PER_TOOL = 5000;

const BINARY = /^(Buffer|Uint8Array|ArrayBuffer|Blob|File|ReadStream|Readable|ReadableStream|Uploadable|FileLike|BlobLike|Stream)$/;

export function isBinaryType(t: ts.Type): boolean {
  const name = (t.aliasSymbol ?? t.getSymbol())?.getName() ?? "";
  return BINARY.test(name);
}

/** Binary data with no string alternative (such an input is dropped, or its operation skipped). */
export function isBinaryOnly(t: ts.Type): boolean {
  if (isBinaryType(t)) return true;
  if (!t.isUnion()) return false;
  const members = t.types.filter((m) => !(m.getFlags() & (ts.TypeFlags.Null | ts.TypeFlags.Undefined)));
  return members.length > 0 && members.every((m) => isBinaryType(m) || (m.getFlags() & ts.TypeFlags.Object && !(m.getFlags() & ts.TypeFlags.StringLike) && isBinaryLike(m)));
}

function isBinaryLike(t: ts.Type): boolean {
  // File-like objects (`{ name, arrayBuffer() }`, response-like bodies) count as binary too.
  return t.getProperty("arrayBuffer") !== undefined || t.getProperty("pipe") !== undefined || isBinaryType(t);
}

function isFunction(t: ts.Type): boolean {
  return t.getCallSignatures().length > 0 && t.getProperties().length === 0;
}

function literalKind(t: ts.Type): "string" | "number" | "boolean" | undefined {
  if (t.isStringLiteral()) return "string";
  if (t.isNumberLiteral()) return "number";
  if (t.getFlags() & ts.TypeFlags.BooleanLiteral) return "boolean";
  return undefined;
}

/** `string & {}` / `string & Record<never, never>`: the marker of an open enum. */
function isOpenString(t: ts.Type): boolean {
  return t.isIntersection() && t.types.some((m) => (m.getFlags() & ts.TypeFlags.String) !== 0);
}

export function docOf(sym: ts.Symbol | undefined, checker: ts.TypeChecker, max = 300): string {
  if (!sym) return "";
  const body = ts.displayPartsToString(sym.getDocumentationComment(checker));
  const tags = sym.getJsDocTags(checker);
  const tagText = (name: string) => ts.displayPartsToString(tags.find((t) => t.name === name)?.text ?? []);
  const text = body || tagText("description") || tagText("summary");
  return cleanDescription(text.split(/\n\s*\n/)[0]?.replace(/\\'/g, "'"), max);
}

/** Not part of the SDK's public surface: `_x`, `#x`, symbol-keyed, private or protected members. */
export function isHidden(sym: ts.Symbol): boolean {
  const name = sym.getName();
  if (name.startsWith("_") || name.startsWith("#") || name.startsWith("__@")) return true;
  return (sym.getDeclarations() ?? []).some((d) => {
    const flags = ts.getCombinedModifierFlags(d as ts.Declaration);
    return (flags & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected)) !== 0;
  });
}

export function isDeprecated(sym: ts.Symbol | undefined, checker: ts.TypeChecker): boolean {
  return !!sym?.getJsDocTags(checker).some((t) => t.name === "deprecated");
}

interface Walk {
  depth: number;
  stack: ts.Type[];
  where: string;
}

/** Collapse a type; undefined when nothing is left (a function, `never`). */
export function typeToMxcp(t: ts.Type, ctx: TypeContext, where: string): TypeDef | undefined {
  return convert(t, ctx, { depth: 0, stack: [], where });
}


function convert(t: ts.Type, ctx: TypeContext, w: Walk): TypeDef | undefined {
  const { checker } = ctx;
  const visited = (ctx.visited ??= { count: 0 });
  if (++visited.count > MAX_TYPES_PER_TOOL) {
    if (visited.count === MAX_TYPES_PER_TOOL + 1) addNote(ctx, w.where, `the types expand to more than ${MAX_TYPES_PER_TOOL} nodes: the rest are plain objects (JSON the SDK checks)`);
    return { type: "object" };
  }
  const f = t.getFlags();
  if (f & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return { type: "object" };
  if (f & ts.TypeFlags.TypeParameter) {
    const constraint = checker.getBaseConstraintOfType(t);
    return constraint && constraint !== t ? convert(constraint, ctx, w) : { type: "object" };
  }
  // No JSON value is a symbol: a parameter of this type cannot come from a tool call.
  if (f & (ts.TypeFlags.Never | ts.TypeFlags.ESSymbol | ts.TypeFlags.UniqueESSymbol)) return undefined;
  if (f & (ts.TypeFlags.String | ts.TypeFlags.StringLiteral | ts.TypeFlags.TemplateLiteral)) {
    return t.isStringLiteral() ? { type: "string", enum: [t.value] } : { type: "string" };
  }
  if (f & (ts.TypeFlags.Number | ts.TypeFlags.NumberLiteral | ts.TypeFlags.BigInt | ts.TypeFlags.BigIntLiteral)) return { type: "number" };
  if (f & (ts.TypeFlags.Boolean | ts.TypeFlags.BooleanLiteral)) return { type: "boolean" };
  if (f & ts.TypeFlags.EnumLiteral || f & ts.TypeFlags.Enum) return { type: "string" };
  if (t.isUnion()) return union(t.types, ctx, w);
  if (isOpenString(t)) return { type: "string" };
  const name = (t.aliasSymbol ?? t.getSymbol())?.getName();
  if (name === "Date") return { type: "string", format: "date-time" };
  if (isBinaryType(t)) return { type: "string", description: BASE64 };
  if (name === "Decimal" && t.getProperty("toJSON")) return { type: "string", description: "A decimal number, as a string." };
  if (isFunction(t)) return undefined;
  if (w.stack.includes(t)) {
    addNote(ctx, w.where, "recursive type: this level is a plain object");
    return { type: "object" };
  }
  const maxDepth = ctx.maxDepth ?? MAX_DEPTH;
  if (w.depth >= maxDepth) {
    addNote(ctx, w.where, `deeper than ${maxDepth} levels: nested detail dropped`);
    return checker.isArrayType(t) || checker.isTupleType(t) ? { type: "array" } : { type: "object" };
  }
  const next: Walk = { depth: w.depth + 1, stack: [...w.stack, t], where: w.where };
  if (checker.isArrayType(t) || checker.isTupleType(t)) {
    const args = checker.getTypeArguments(t as ts.TypeReference);
    const item = args[0] ? convert(args[0], ctx, { ...next, where: `${w.where}[]` }) : undefined;
    return item ? { type: "array", items: item } : { type: "array" };
  }
  if (t.isIntersection()) {
    const parts = t.types.map((m) => convert(m, ctx, next)).filter((m): m is TypeDef => !!m);
    return mergeObjects(parts, "all") ?? parts[0];
  }
  if (f & ts.TypeFlags.Object || f & ts.TypeFlags.NonPrimitive) return objectType(t, ctx, next);
  return { type: "object" };
}

function objectType(t: ts.Type, ctx: TypeContext, w: Walk): TypeDef {
  const { checker } = ctx;
  const out: TypeDef = { type: "object" };
  const properties: Record<string, TypeDef> = {};
  const required: string[] = [];
  for (const p of checker.getPropertiesOfType(t)) {
    const name = p.getName();
    if (isHidden(p)) continue;
    const pt = checker.getTypeOfSymbolAtLocation(p, ctx.node);
    const optionalProp = (p.getFlags() & ts.SymbolFlags.Optional) !== 0;
    if (isBinaryOnly(checker.getNonNullableType(pt))) {
      // A tool can only pass text: binary-only inputs are left out, and a required one rules the operation out.
      addNote(ctx, `${w.where}.${name}`, optionalProp ? "binary-only property left out" : "required binary-only property");
      if (!optionalProp && w.depth === 1) ctx.binaryRequired?.push(name);
      continue;
    }
    let converted = convert(checker.getNonNullableType(pt), ctx, { ...w, where: `${w.where}.${name}` });
    if (!converted) continue;
    const doc = docOf(p, checker);
    // Numbers that are integers by their documentation or name (amounts in cents, page sizes).
    if (converted.type === "number" && (/\binteger\b|in cents|smallest currency unit/i.test(doc) || /^(limit|page|per_page|page_size|offset|count)$/.test(name))) {
      converted = { ...converted, type: "integer" };
    }
    // The property's own documentation first; what the type adds ("A map of values.", what else it accepts) after it.
    const described = doc && !(converted.description ?? "").startsWith(doc) ? { ...converted, description: [doc, converted.description].filter(Boolean).join(" ") } : converted;
    setOwn(properties, name, described);
    if (!(p.getFlags() & ts.SymbolFlags.Optional)) required.push(name);
  }
  if (Object.keys(properties).length > 0) out.properties = properties;
  if (required.length > 0) out.required = required;
  const index = checker.getIndexInfosOfType(t)[0];
  if (index && Object.keys(properties).length === 0) {
    const valueName = (index.type.aliasSymbol ?? index.type.getSymbol())?.getName();
    out.description = valueName && !valueName.startsWith("__") ? `A map of ${valueName} values.` : "A map of values.";
  }
  return out;
}

const BASE64 = "Base64-encoded content.";

function union(types: readonly ts.Type[], ctx: TypeContext, w: Walk): TypeDef | undefined {
  let members = types.filter((m) => !(m.getFlags() & (ts.TypeFlags.Null | ts.TypeFlags.Undefined | ts.TypeFlags.Void)));
  // Stripe's Emptyable<T> (`'' | T`): the empty string unsets a field; the type is T's.
  const emptyString = members.some((m) => m.isStringLiteral() && m.value === "");
  if (emptyString && members.some((m) => !(m.getFlags() & (ts.TypeFlags.StringLike)))) {
    members = members.filter((m) => !(m.isStringLiteral() && m.value === ""));
    const inner = members.length === 1 ? convert(members[0]!, ctx, w) : union(members, ctx, w);
    return inner ? { ...inner, description: `${inner.description ? `${inner.description} ` : ""}An empty string unsets it.` } : undefined;
  }
  if (members.length === 0) return undefined;
  if (members.length === 1) return convert(members[0]!, ctx, w);
  // Booleans arrive as `true | false`.
  if (members.every((m) => m.getFlags() & ts.TypeFlags.BooleanLiteral)) return { type: "boolean" };
  const literals = members.filter((m) => literalKind(m) === "string") as ts.StringLiteralType[];
  const open = members.some((m) => isOpenString(m) || m.getFlags() & ts.TypeFlags.String);
  if (literals.length > 0 && literals.length + (open ? members.filter((m) => isOpenString(m) || m.getFlags() & ts.TypeFlags.String).length : 0) === members.length) {
    const values = literals.map((l) => l.value);
    if (open) return { type: "string", examples: values.slice(0, 20), description: `Known values: ${values.slice(0, 20).join(", ")}${values.length > 20 ? ", …" : ""}.` };
    if (values.length <= MAX_ENUM) return { type: "string", enum: values };
    return { type: "string", description: `One of ${values.length} values, see the SDK's documentation.` };
  }
  if (members.every((m) => literalKind(m) === "number" || m.getFlags() & ts.TypeFlags.Number)) return { type: "number" };
  const converted = members.slice(0, MAX_UNION + 1).map((m) => convert(m, ctx, w)).filter((m): m is TypeDef => !!m);
  if (members.length > MAX_UNION) {
    addNote(ctx, w.where, `union of ${members.length} types: taken as an object`);
    return { type: "object" };
  }
  const objects = converted.filter((c) => c.type === "object");
  const kinds = new Set(converted.map((c) => c.type));
  if (kinds.size === 1 && objects.length === converted.length) return mergeObjects(objects, "any");
  if (kinds.size === 1) return converted.find((c) => c.description !== BASE64) ?? converted[0];
  // The member a caller uses most: plain text (`content: string | ContentPart[]`, and text before binary in
  // `string | Uint8Array | Readable`), then a list (`vector: number[] | {name, vector}`), then an object. The
  // common call works, and the description says what else the SDK would take.
  const text = converted.find((c) => c.type === "string" && c.description !== BASE64) ?? converted.find((c) => c.type === "string");
  const pick = text ?? converted.find((c) => c.type === "array") ?? (objects.length > 0 ? mergeObjects(objects, "any") : converted[0]);
  addNote(ctx, w.where, `union of ${[...kinds].join(" | ")}: taken as ${pick?.type}`);
  return pick ? alsoAccepts(pick, [...kinds].filter((k) => k !== pick.type)) : undefined;
}

function alsoAccepts(t: TypeDef, others: string[]): TypeDef {
  if (others.length === 0) return t;
  const also = `The SDK also accepts: ${others.join(", ")}.`;
  return { ...t, description: t.description ? (t.description.includes(also) ? t.description : `${t.description} ${also}`) : also };
}

/**
 * One property that several members of an object union declare: enums join (every role of every message
 * type), objects and array items merge, and differing kinds follow the union rule (a string wins).
 */
function mergeProperty(a: TypeDef, b: TypeDef): TypeDef {
  if (a.type !== b.type) {
    const pick = a.type === "string" ? a : b.type === "string" ? b : a;
    return alsoAccepts(pick, [pick === a ? b.type : a.type]);
  }
  const out: TypeDef = { ...a };
  delete out.enum;
  if (a.enum && b.enum) out.enum = [...new Set([...a.enum, ...b.enum])];
  // Each member's own words describe it alone ("the role, in this case `developer`").
  if (a.description !== b.description) {
    delete out.description;
    // What else some member accepts still holds for the merged property.
    const also = /The SDK also accepts: [^.]+\./.exec(a.description ?? "")?.[0] ?? /The SDK also accepts: [^.]+\./.exec(b.description ?? "")?.[0];
    if (also) out.description = also;
  }
  if (a.type === "object") return { ...(mergeObjects([a, b], "any") ?? a), ...(a.description ? { description: a.description } : {}) };
  if (a.type === "array" && a.items && b.items) out.items = mergeProperty(a.items, b.items);
  return out;
}

function mergeObjects(parts: TypeDef[], mode: "all" | "any"): TypeDef | undefined {
  const objects = parts.filter((p) => p.type === "object");
  return objects.length === 0 ? undefined : mergeObjectTypes(objects, mode, { property: mergeProperty });
}
