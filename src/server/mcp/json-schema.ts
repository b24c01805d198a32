import type { ParamDef, TypeDef } from "../../project/definitions.js";
import { CONSTRAINT_KEYS } from "../../project/type-schema.js";
import { setOwn } from "../../runtime/own.js";

export type JsonSchema = Record<string, unknown>;

// JSON Schema formats a client may know; MXCP's `timestamp` is not one (it takes unix seconds).
const JSON_FORMATS = new Set(["email", "uri", "date", "time", "date-time", "duration"]);


interface SchemaOptions {
  /** Accept `null` at every level, as MXCP's output validation does. */
  nullable: boolean;
  /** Levels of nested structure to describe; below, a value is just its type (keeps tools/list small). */
  depth?: number;
}



/** One MXCP type as JSON Schema: inline, no `$ref`, every array with `items`. */
export function typeToJsonSchema(t: TypeDef, opts: SchemaOptions = { nullable: false }): JsonSchema {
  const s: JsonSchema = {};
  if (t.type === "string" && t.format === "timestamp") {
    s.type = opts.nullable ? ["string", "number", "null"] : ["string", "number"];
  } else {
    s.type = opts.nullable ? [t.type, "null"] : t.type;
  }
  const depth = opts.depth ?? Infinity;
  if (t.description !== undefined) s.description = t.description;
  if (t.format && JSON_FORMATS.has(t.format) && !opts.nullable) s.format = t.format;
  // Output validation does not check enums, so output schemas leave them out.
  if (t.enum !== undefined && !opts.nullable) s.enum = t.enum;
  // `default: null` says only "optional", which `required` already says.
  if (Object.hasOwn(t, "default") && t.default !== null) s.default = t.default;
  if (t.examples !== undefined) s.examples = t.examples;
  // Output validation checks only some constraints; a client must not reject what the server accepted.
  const kept = opts.nullable ? (["minLength", "maxLength", "minimum", "maximum", "minItems", "maxItems"] as const) : CONSTRAINT_KEYS;
  for (const k of kept) if (t[k] !== undefined) s[k] = t[k];
  const inner = { ...opts, depth: depth - 1 };
  if (t.type === "array") s.items = t.items && depth > 0 ? typeToJsonSchema(t.items, inner) : {};
  if (t.type === "object" && depth > 0) {
    if (t.properties) {
      const props: JsonSchema = {};
      for (const [k, v] of Object.entries(t.properties)) {
        setOwn(props, k, typeToJsonSchema(v, inner));
      }
      s.properties = props;
    }
    if (t.required && t.required.length > 0) s.required = t.required;
    // JSON Schema's default is true already; only a closed object needs saying.
    if (t.additionalProperties === false) s.additionalProperties = false;
  }
  return s;
}

/** The tool's inputSchema: one property per parameter; `required` lists those without a default. */
export function inputSchema(params: ParamDef[] | undefined): JsonSchema {
  const properties: JsonSchema = {};
  const required: string[] = [];
  for (const p of params ?? []) {
    const { name, ...type } = p;
    setOwn(properties, name, typeToJsonSchema(type));
    if (!Object.hasOwn(p, "default")) required.push(name);
  }
  const s: JsonSchema = { type: "object", properties, additionalProperties: false };
  if (required.length > 0) s.required = required;
  return s;
}

/** How a tool's result becomes `structuredContent`, and the schema that describes it. */
export interface OutputShape {
  schema: JsonSchema;
  toStructured(result: unknown): Record<string, unknown>;
}

/**
 * MXCP's outputSchema: an object return as it is, anything else wrapped in `result`. Every level
 * accepts `null` because MXCP's output validation does. An object's declared but missing properties
 * appear as `null` in structuredContent, as MXCP's dumped model has them.
 */
export function outputShape(ret: TypeDef | undefined, depth = Infinity): OutputShape | undefined {
  if (!ret) return undefined;
  if (ret.type === "object") {
    const schema = typeToJsonSchema(ret, { nullable: true, depth });
    schema.type = "object";
    const declared = Object.keys(ret.properties ?? {});
    return {
      schema,
      toStructured(result) {
        const out: Record<string, unknown> = {};
        for (const k of declared) setOwn(out, k, null);
        if (result && typeof result === "object") {
          for (const [k, v] of Object.entries(result)) setOwn(out, k, v);
        }
        return out;
      },
    };
  }
  return {
    schema: { type: "object", properties: { result: typeToJsonSchema(ret, { nullable: true, depth }) }, required: ["result"] },
    toStructured: (result) => ({ result: result ?? null }),
  };
}
