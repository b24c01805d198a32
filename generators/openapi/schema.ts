// OpenAPI schemas collapsed into MXCP's type system, which has no $ref, unions or pattern checks.
// The rules, in order:
//  - $ref is inlined; a reference back into itself becomes a bare `object` (noted).
//  - allOf merges its members (properties and required lists are joined).
//  - oneOf/anyOf (and 3.1 type lists) drop `null`; members of one type merge; members of mixed types
//    become unconstrained in outputs (the property is left out, so anything passes) and, in inputs,
//    the widest kind present (object, then array, then string), noted.
//  - Inputs keep constraints MXCP checks (enum, lengths, ranges, items, required); outputs keep only
//    types and descriptions, because real responses break declared constraints more often than types.
//  - A `pattern` that does not compile, or backtracks catastrophically, is dropped (noted).
//  - Budgets: depth and schema size (inputs 8 levels and 400 nodes, outputs 5 and 150); beyond them a
//    value becomes a bare `object`/`array` (noted).
//  - A 3.1 `const` is a one-value enum; a union of single values is an enum, with each value's title kept
//    in the description.
//  - A `required` name without a property schema is still required, as a string (noted).
//  - An example or default that breaks the collapsed type is repaired when that is exact (a date-time
//    cut to its date), else dropped (noted).
import { describedKeepingHint, formatHint, isOnlyHint } from "./format-hint.js";
import { addNote } from "../../src/model/notes.js";
import type { MxcpTypeName, TypeDef } from "../../src/project/definitions.js";
import { cleanDescription } from "../../src/model/text.js";
import { checkPattern } from "../../src/model/patterns.js";
import { fitExample } from "../../src/model/example-fit.js";
import type { ModelNote } from "../../src/model/tool-model.js";
import { resolved, resolveRef, type OpenApiDocument, type Referenced, type Schema } from "./document.js";
import { setOwn } from "../../src/runtime/own.js";
import { mergeObjectTypes } from "../../src/model/object-merge.js";

export type SchemaMode = "input" | "output";

export interface SchemaContext {
  doc: OpenApiDocument;
  mode: SchemaMode;
  notes: ModelNote[];
  tool?: string | undefined;
  /** OpenAPI 3.0 uses boolean exclusiveMinimum/Maximum; 3.1 uses numbers. */
  openapi31: boolean;
}

// Outputs are checked leniently anyway, and every level costs YAML to load and bytes in tools/list.
export const MAX_DEPTH = { input: 8, output: 5 } as const;
export const MAX_NODES = { input: 400, output: 150 } as const;

const INPUT_FORMATS = new Set(["email", "uri", "date", "time", "date-time", "duration"]);
// Formats MXCP has no word for, but a caller should know: named in the description instead.
const HINTED_FORMATS = new Set(["uuid", "ipv4", "ipv6", "hostname", "uri-reference", "iri", "byte", "int64", "int32", "float", "double", "password", "regex", "phone", "iso-3166", "currency"]);

interface WalkState {
  depth: number;
  stack: string[];
  /** Shared by one whole walk: nodes seen, and whether the budget note was made. */
  nodes: { count: number; noted: boolean };
}

/** Collapse a schema; `undefined` means "anything" (no MXCP type can say it). */
export function collapseSchema(schema: Referenced<Schema> | undefined, ctx: SchemaContext, where: string): TypeDef | undefined {
  return collapse(schema, ctx, where, { depth: 0, stack: [], nodes: { count: 0, noted: false } });
}


function typesOf(s: Schema): string[] {
  if (Array.isArray(s.type)) return s.type.filter((t): t is string => typeof t === "string" && t !== "null");
  if (typeof s.type === "string") return s.type === "null" ? [] : [s.type];
  if (s.properties || s.additionalProperties) return ["object"];
  if (s.items) return ["array"];
  if (Array.isArray(s.enum) && s.enum.length > 0) {
    const kinds = new Set(s.enum.filter((v) => v !== null).map((v) => (typeof v === "number" ? (Number.isInteger(v) ? "integer" : "number") : typeof v)));
    return [...kinds].filter((k) => ["string", "integer", "number", "boolean"].includes(k));
  }
  return [];
}

function collapse(raw: Referenced<Schema> | undefined, ctx: SchemaContext, where: string, st: WalkState): TypeDef | undefined {
  const { value: given, refs, cycle } = resolveRef(ctx.doc, raw, st.stack);
  // A 3.1 `const` is a one-value enum (and says its type, when the schema does not).
  const s: Schema = given.const !== undefined && given.enum === undefined ? { ...given, enum: [given.const] } : given;
  if (cycle) {
    addNote(ctx, where, "recursive schema: this level is a plain object");
    return { type: "object" };
  }
  if (++st.nodes.count > MAX_NODES[ctx.mode] || st.depth > MAX_DEPTH[ctx.mode]) {
    const kind = typesOf(s)[0];
    if (!st.nodes.noted) addNote(ctx, where, `schema budget reached (depth ${MAX_DEPTH[ctx.mode]}, ${MAX_NODES[ctx.mode]} nodes): nested detail dropped here and below`);
    st.nodes.noted = true;
    return kind === "array" ? { type: "array" } : kind === "object" || !kind ? (ctx.mode === "output" ? undefined : { type: "object" }) : { type: kind as MxcpTypeName };
  }
  const next: WalkState = { depth: st.depth + 1, stack: [...st.stack, ...refs], nodes: st.nodes };
  if (Array.isArray(s.allOf) && s.allOf.length > 0) {
    const { allOf, ...rest } = s;
    const parts = [...allOf, ...(Object.keys(rest).some((k) => k !== "description" && k !== "title") ? [rest] : [])]
      .map((m, i) => collapse(m, ctx, `${where}/allOf/${i}`, next))
      .filter((m): m is TypeDef => m !== undefined);
    const merged = mergeAll(parts, ctx, where, "all");
    return merged ? withDescription(merged, s) : undefined;
  }
  const union = Array.isArray(s.oneOf) ? s.oneOf : Array.isArray(s.anyOf) ? s.anyOf : undefined;
  if (union) {
    const members = union
      .filter((m) => !(m && typeof m === "object" && "type" in m && m.type === "null"))
      .map((m, i) => collapse(m, ctx, `${where}/${s.oneOf ? "oneOf" : "anyOf"}/${i}`, next));
    const known = members.filter((m): m is TypeDef => m !== undefined);
    if (known.length < members.length) return ctx.mode === "output" ? undefined : withDescription({ type: "object" }, s);
    const merged = mergeAll(known, ctx, where, "any");
    if (!merged) return undefined;
    const labelled = merged.enum ? enumLabels(union, ctx) : merged.type === "object" && s.oneOf && ctx.mode === "input" ? shapes(known) : undefined;
    // The members' titles describe their values (in the labels), not the union.
    const { description: _memberTitle, ...rest } = merged;
    const described = withDescription(labelled ? rest : merged, s);
    return labelled ? { ...described, description: [described.description, labelled].filter(Boolean).join(" ") } : described;
  }
  const kinds = typesOf(s);
  if (kinds.length === 0) return undefined;
  if (kinds.length > 1) {
    const members = kinds.map((k) => collapse({ ...s, type: k }, ctx, where, next)).filter((m): m is TypeDef => m !== undefined);
    return mergeAll(members, ctx, where, "any");
  }
  return single(s, kinds[0]!, ctx, where, next);
}

/**
 * `oneOf` objects merge into one, but the API takes exactly one shape: say which properties go together, or a
 * model filling every property would send several shapes at once.
 */
function shapes(members: TypeDef[]): string | undefined {
  const named = members.filter((m) => m.type === "object" && m.properties).map((m) => `(${Object.keys(m.properties!).join(", ")})`);
  if (named.length < 2) return undefined;
  const text = `Exactly one of these shapes: ${named.join("; ")}.`;
  return text.length <= 400 ? text : `${text.slice(0, 397)}…`;
}

/**
 * A union of single values (3.1's `oneOf: [{const: "users", title: "Users"}, …]`) says what each value means
 * in its members' titles or descriptions: kept, as `Values: users (Users); roles (Roles).`
 */
function enumLabels(union: Referenced<Schema>[], ctx: SchemaContext): string | undefined {
  const labels: string[] = [];
  let any = false;
  for (const m of union) {
    const r = resolved(ctx.doc, m);
    const value = r.const !== undefined ? r.const : Array.isArray(r.enum) && r.enum.length === 1 ? r.enum[0] : undefined;
    if (value === undefined || value === null) continue;
    const text = cleanDescription(typeof r.title === "string" ? r.title : typeof r.description === "string" ? r.description : undefined, 80);
    if (text && text !== String(value)) any = true;
    labels.push(text && text !== String(value) ? `${String(value)} (${text})` : String(value));
  }
  if (!any) return undefined;
  const joined = `Values: ${labels.join("; ")}.`;
  return joined.length <= 600 ? joined : `${joined.slice(0, 597)}…`;
}

/** `created_by` → "Created by", `userStatus` → "User status": a property's name as words. */
function humanName(name: string): string {
  const words = name.replace(/([a-z0-9])([A-Z])/g, "$1 $2").replace(/[_\-.]+/g, " ").trim().toLowerCase();
  return words ? words[0]!.toUpperCase() + words.slice(1) : name;
}

function withDescription(t: TypeDef, s: Schema): TypeDef {
  const d = cleanDescription(typeof s.description === "string" ? s.description : typeof s.title === "string" ? s.title : undefined, 300);
  if (!d) return t;
  // A format hint set by `single` goes after the schema's own words.
  return !t.description || isOnlyHint(t.description) ? describedKeepingHint(t, d) : t;
}

/**
 * One schema of one kind (`string`, `integer`, …) as an MXCP type: the kind's own keys, then (for inputs) the
 * enum, default and example checked against it, then the schema's words.
 */
function single(s: Schema, kind: string, ctx: SchemaContext, where: string, st: WalkState): TypeDef | undefined {
  const input = ctx.mode === "input";
  let t: TypeDef;
  switch (kind) {
    case "string":
      t = stringType(s, ctx, where);
      break;
    case "integer":
    case "number":
      t = numberType(s, kind, input);
      break;
    case "boolean":
      t = { type: "boolean" };
      break;
    case "array":
      t = arrayType(s, ctx, where, st);
      break;
    case "object":
      t = objectType(s, ctx, where, st);
      break;
    default:
      return undefined;
  }
  if (input) addValues(t, s, kind, ctx, where);
  return withDescription(t, s);
}

function stringType(s: Schema, ctx: SchemaContext, where: string): TypeDef {
  const input = ctx.mode === "input";
  const t: TypeDef = { type: "string" };
  const format = typeof s.format === "string" ? s.format : undefined;
  if (input && format && INPUT_FORMATS.has(format)) t.format = format as TypeDef["format"];
  if (format === "binary" || format === "byte" || typeof s.contentEncoding === "string") {
    t.description = "Base64-encoded content.";
  } else if (input && format && HINTED_FORMATS.has(format)) {
    t.description = formatHint(format);
  }
  if (input) {
    if (typeof s.minLength === "number") t.minLength = s.minLength;
    if (typeof s.maxLength === "number") t.maxLength = s.maxLength;
    if (typeof s.pattern === "string") {
      const verdict = checkPattern(s.pattern);
      if (verdict.ok) t.pattern = s.pattern;
      else addNote(ctx, where, `pattern ${JSON.stringify(s.pattern.slice(0, 80))} dropped: ${verdict.reason}`);
    }
  }
  return t;
}

/** Bounds as OpenAPI 3.0 (`exclusiveMinimum: true` beside `minimum`) or 3.1 (`exclusiveMinimum: 3`) writes them. */
function numberType(s: Schema, kind: "integer" | "number", input: boolean): TypeDef {
  const t: TypeDef = { type: kind };
  if (!input) return t;
  if (typeof s.minimum === "number") {
    if (s.exclusiveMinimum === true) t.exclusiveMinimum = s.minimum;
    else t.minimum = s.minimum;
  }
  if (typeof s.maximum === "number") {
    if (s.exclusiveMaximum === true) t.exclusiveMaximum = s.maximum;
    else t.maximum = s.maximum;
  }
  if (typeof s.exclusiveMinimum === "number") t.exclusiveMinimum = s.exclusiveMinimum;
  if (typeof s.exclusiveMaximum === "number") t.exclusiveMaximum = s.exclusiveMaximum;
  if (typeof s.multipleOf === "number" && s.multipleOf > 0) t.multipleOf = s.multipleOf;
  return t;
}

function arrayType(s: Schema, ctx: SchemaContext, where: string, st: WalkState): TypeDef {
  const input = ctx.mode === "input";
  const t: TypeDef = { type: "array" };
  // A tuple (`items: [...]`) says nothing MXCP can check of each item.
  const items = s.items === undefined || Array.isArray(s.items) ? undefined : collapse(s.items, ctx, `${where}/items`, st);
  // Every level of a result says something (MXCP's lint asks it of items and properties): the document's
  // words, else its name. (Inputs are described where it matters, at the parameter.)
  if (items) t.items = items.description || input ? items : { ...items, description: "One item." };
  if (input) {
    if (typeof s.minItems === "number") t.minItems = s.minItems;
    if (typeof s.maxItems === "number") t.maxItems = s.maxItems;
    if (s.uniqueItems === true) t.uniqueItems = true;
  }
  return t;
}

/** Properties an input can send (not readOnly) or a result can hold (not writeOnly); what an input must send. */
function objectType(s: Schema, ctx: SchemaContext, where: string, st: WalkState): TypeDef {
  const input = ctx.mode === "input";
  const t: TypeDef = { type: "object" };
  const props = s.properties && typeof s.properties === "object" ? s.properties : {};
  const out: Record<string, TypeDef> = {};
  for (const [name, p] of Object.entries(props)) {
    const property = resolved(ctx.doc, p);
    if (input && property.readOnly === true) continue;
    if (!input && property.writeOnly === true) continue;
    const c = collapse(p, ctx, `${where}/properties/${name}`, st);
    if (c) setOwn(out, name, c.description || input ? c : { ...c, description: `${humanName(name)}.` });
    else if (input) setOwn(out, name, { type: "object" });
  }
  if (input) {
    // A required name the properties do not describe is still required by the API: ask for it, as text.
    for (const r of Array.isArray(s.required) ? s.required : []) {
      if (typeof r !== "string" || Object.hasOwn(out, r) || Object.hasOwn(props, r)) continue;
      setOwn(out, r, { type: "string", description: "Required by the API; the document gives no schema for it." });
      addNote(ctx, `${where}/required`, `'${r}' is required but has no property schema: asked for as a string`);
    }
  }
  if (Object.keys(out).length > 0) t.properties = out;
  if (input) {
    const required = Array.isArray(s.required) ? s.required.filter((r): r is string => typeof r === "string" && Object.hasOwn(out, r)) : [];
    if (required.length > 0) t.required = required;
    if (s.additionalProperties === false && t.properties) t.additionalProperties = false;
  }
  return t;
}

/** An input's enum, default and example, each kept only when it fits the type (repaired or dropped, noted). */
function addValues(t: TypeDef, s: Schema, kind: string, ctx: SchemaContext, where: string): void {
  if (Array.isArray(s.enum) && s.enum.length > 0 && kind !== "object" && kind !== "array") {
    const values = s.enum.filter((v) => v !== null);
    if (values.length > 0) t.enum = values;
  }
  const checked = (value: unknown, what: string): unknown => {
    const fit = fitExample(value, t);
    if (!fit.ok) addNote(ctx, where, `${what} ${JSON.stringify(value).slice(0, 80)} breaks the schema (${fit.reason}): dropped`);
    else if (fit.repaired) addNote(ctx, where, `${what} ${JSON.stringify(value).slice(0, 80)} breaks the schema: ${fit.repaired}`);
    return fit.ok ? fit.value : undefined;
  };
  if (s.default !== undefined && s.default !== null && isScalarOf(kind, s.default)) {
    const d = checked(s.default, "default");
    if (d !== undefined) t.default = d;
  }
  const example = s.example !== undefined ? s.example : Array.isArray(s.examples) ? s.examples[0] : undefined;
  if (example !== undefined && example !== null && isScalarOf(kind, example)) {
    const e = checked(example, "example");
    if (e !== undefined) t.examples = [e];
  }
}

function isScalarOf(kind: string, v: unknown): boolean {
  if (kind === "string") return typeof v === "string";
  if (kind === "integer") return typeof v === "number" && Number.isInteger(v);
  if (kind === "number") return typeof v === "number";
  if (kind === "boolean") return typeof v === "boolean";
  if (kind === "array") return Array.isArray(v);
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

/** Merge collapsed members: `all` joins requirements (allOf), `any` keeps only what every member requires. */
function mergeAll(members: TypeDef[], ctx: SchemaContext, where: string, mode: "all" | "any"): TypeDef | undefined {
  if (members.length === 0) return undefined;
  if (members.length === 1) return members[0];
  const kinds = new Set(members.map((m) => m.type));
  if (kinds.size === 2 && kinds.has("integer") && kinds.has("number")) return { ...members.find((m) => m.type === "number")! };
  if (kinds.size > 1) {
    if (ctx.mode === "output") {
      addNote(ctx, where, `values of several types (${[...kinds].join(", ")}): left unchecked`);
      return undefined;
    }
    const widest: MxcpTypeName = kinds.has("object") ? "object" : kinds.has("array") ? "array" : "string";
    addNote(ctx, where, `values of several types (${[...kinds].join(", ")}): taken as ${widest}`);
    return { type: widest };
  }
  const kind = members[0]!.type;
  if (kind !== "object") {
    const base = { ...members[0]! };
    if (mode === "any") {
      delete base.enum;
      const enums = members.flatMap((m) => m.enum ?? []);
      if (members.every((m) => m.enum)) base.enum = [...new Set(enums)];
    }
    return base;
  }
  return mergeObjectTypes(members, mode, { required: ctx.mode === "input" });
}
