// An operation's inputs: path, query, header and cookie parameters, and the request body (flattened
// into parameters when its properties clash with nothing), each mapped back to its wire name.
import type { TypeDef } from "../../src/project/definitions.js";
import { cleanDescription } from "../../src/model/text.js";
import { fitExample } from "../../src/model/example-fit.js";
import { withOptionality } from "../../src/model/optionality.js";
import { parameterName, uniqueName } from "../../src/model/naming.js";
import type { ToolParameter, TypeRef } from "../../src/model/tool-model.js";
import type { HttpBody, HttpParameter, ParameterLocation, ParameterStyle, SecuritySchemeDef } from "../../src/runtime/http/types.js";
import type { Diagnostics } from "./diagnostics.js";
import { collapseSchema, resolveSchema, type SchemaContext } from "./schema.js";
import { setOwn } from "../../src/runtime/own.js";

const STRING: TypeRef = { kind: "builtin", name: "string" };

type Json = Record<string, unknown>;

const LOCATIONS = new Set<ParameterLocation>(["path", "query", "header", "cookie"]);
// OpenAPI says header parameters with these names are ignored: the request's own headers carry them.
const IGNORED_HEADERS = new Set(["accept", "content-type", "authorization"]);

export interface OperationInputs {
  parameters: ToolParameter[];
  wire: HttpParameter[];
  body?: HttpBody;
  idempotencyKey: boolean;
}

export interface InputContext {
  doc: Json;
  /** The path template, such as `/pets/{petId}`. */
  path: string;
  file: string;
  pointer: string;
  /** The TS type of this operation in the types module, `paths["/x"]["get"]`. */
  schemaCtx: SchemaContext;
  diagnostics: Diagnostics;
  schemes: Record<string, SecuritySchemeDef>;
}

const FILE_TYPE: TypeDef = {
  type: "object",
  description: "A file: its content in base64, with an optional file name and media type.",
  properties: {
    content_base64: { type: "string", description: "The file's bytes, base64-encoded." },
    filename: { type: "string", description: "File name to send." },
    content_type: { type: "string", description: "Media type of the file." },
  },
  required: ["content_base64"],
};

function describe(t: TypeDef, ...texts: (string | undefined)[]): TypeDef {
  const d = texts.map((x) => cleanDescription(x, 500)).find(Boolean);
  if (!d) return t;
  const hint = /\(format: [^)]+\)$/.exec(t.description ?? "")?.[0];
  return { ...t, description: hint && !d.endsWith(hint) ? `${d} ${hint}` : d };
}

/** Every parameter gets a description (MXCP's lint requires one): the document's, else where it goes on the wire. */
function withFallbackDescription(parameters: ToolParameter[]): void {
  for (const p of parameters) {
    if (!p.type.description) p.type = { ...p.type, description: `${p.origin[0]!.toUpperCase()}${p.origin.slice(1)}.` };
  }
}

export function operationInputs(pathItem: Json, op: Json, ctx: InputContext): OperationInputs {
  const { doc, diagnostics, file } = ctx;
  const taken = new Set<string>();
  const parameters: ToolParameter[] = [];
  const wire: HttpParameter[] = [];
  let idempotencyKey = false;
  const credentialNames = new Set(
    Object.values(ctx.schemes)
      .filter((s): s is Extract<SecuritySchemeDef, { type: "apiKey" }> => s.type === "apiKey")
      .map((s) => `${s.in}:${s.name.toLowerCase()}`),
  );

  const merged = new Map<string, { raw: Json; pointer: string }>();
  const add = (list: unknown, base: string) => {
    if (!Array.isArray(list)) return;
    list.forEach((p, i) => {
      const resolved = resolveSchema(doc, p).schema;
      merged.set(`${String(resolved.in)}:${String(resolved.name)}`, { raw: resolved, pointer: `${base}/parameters/${i}` });
    });
  };
  add(pathItem.parameters, ctx.pointer.replace(/\/[^/]+$/, ""));
  add(op.parameters, ctx.pointer);

  for (const { raw: p, pointer } of merged.values()) {
    if (typeof p.name !== "string" || !LOCATIONS.has(p.in as ParameterLocation)) {
      diagnostics.error(file, pointer, "A parameter needs a string `name` and `in` of path, query, header or cookie");
      continue;
    }
    const location = p.in as ParameterLocation;
    if (location === "header" && IGNORED_HEADERS.has(p.name.toLowerCase())) continue;
    if (credentialNames.has(`${location}:${p.name.toLowerCase()}`)) continue;
    if (location === "header" && /^idempotency[-_]?key$/i.test(p.name)) idempotencyKey = true;
    let schema = p.schema;
    let json = false;
    if (!schema && p.content && typeof p.content === "object") {
      const [mediaType, media] = Object.entries(p.content as Record<string, Json>)[0] ?? [];
      schema = media?.schema;
      json = !!mediaType && /json/i.test(mediaType);
    }
    let type = collapseSchema(schema ?? {}, ctx.schemaCtx, `${pointer}/schema`);
    if (!type) {
      if (schema && Object.keys(schema as Json).length > 0) diagnostics.warn(file, pointer, `Parameter '${p.name}' has a schema MXCP cannot express; taken as a string`);
      type = { type: "string" };
    }
    type = describe(type, p.description as string | undefined, type.description);
    if (p.example !== undefined && p.example !== null && typeof p.example !== "object") {
      const fit = fitExample(p.example, type);
      const shown = JSON.stringify(p.example).slice(0, 80);
      if (!fit.ok) ctx.schemaCtx.notes.push({ ...(ctx.schemaCtx.tool ? { tool: ctx.schemaCtx.tool } : {}), where: pointer, message: `example ${shown} breaks the schema (${fit.reason}): dropped` });
      else {
        if (fit.repaired) ctx.schemaCtx.notes.push({ ...(ctx.schemaCtx.tool ? { tool: ctx.schemaCtx.tool } : {}), where: pointer, message: `example ${shown} breaks the schema: ${fit.repaired}` });
        type = { ...type, examples: [fit.value] };
      }
    }
    const required = location === "path" || p.required === true;
    const name = uniqueName(parameterName(p.name), taken, 64);
    const style = (typeof p.style === "string" ? p.style : location === "query" || location === "cookie" ? "form" : "simple") as ParameterStyle;
    const explode = typeof p.explode === "boolean" ? p.explode : style === "form";
    const w: HttpParameter = { arg: name, name: p.name, in: location, style, explode };
    if (p.allowReserved === true) w.allowReserved = true;
    if (json) w.json = true;
    if (p["x-collection-format"] === "tsv") w.tabDelimited = true;
    wire.push(w);
    parameters.push({
      name,
      type: withOptionality(type, required),
      required,
      tsType: { kind: "parameter", in: location, name: p.name },
      origin: `${location} parameter ${p.name}`,
    });
  }

  // A `{name}` in the path with no declared parameter: take it as a required string, and say so.
  for (const m of ctx.path.matchAll(/\{([^}]+)\}/g)) {
    const wireName = m[1]!;
    if (wire.some((w) => w.in === "path" && w.name === wireName)) continue;
    diagnostics.warn(file, ctx.pointer, `Path parameter {${wireName}} is not declared; taken as a required string`);
    const name = uniqueName(parameterName(wireName), taken, 64);
    wire.push({ arg: name, name: wireName, in: "path", style: "simple", explode: false });
    parameters.push({ name, type: { type: "string" }, required: true, tsType: { kind: "builtin", name: "string" }, origin: `path parameter ${wireName}` });
  }
  const body = requestBody(op, ctx, taken, parameters);
  withFallbackDescription(parameters);
  return { parameters, wire, ...(body ? { body } : {}), idempotencyKey };
}

type BodyKind = HttpBody["kind"];

function bodyKind(mediaType: string): BodyKind | undefined {
  const m = mediaType.toLowerCase().split(";")[0]!.trim();
  if (m === "application/json" || m.endsWith("+json")) return "json";
  if (m === "application/x-www-form-urlencoded") return "form";
  if (m === "multipart/form-data" || m === "multipart/mixed") return "multipart";
  if (m.startsWith("text/") || m === "application/xml" || m.endsWith("+xml")) return "text";
  if (m === "application/octet-stream" || m.startsWith("image/") || m.startsWith("audio/") || m.startsWith("video/") || m === "application/pdf" || m === "application/zip" || m === "application/cbor" || m === "*/*") return "binary";
  return undefined;
}

const PREFERENCE: BodyKind[] = ["json", "form", "multipart", "text", "binary"];

function requestBody(op: Json, ctx: InputContext, taken: Set<string>, parameters: ToolParameter[]): HttpBody | undefined {
  if (!op.requestBody) return undefined;
  const rb = resolveSchema(ctx.doc, op.requestBody).schema;
  const content = (rb.content ?? {}) as Record<string, Json>;
  const candidates = Object.keys(content)
    .map((mt) => ({ mt, kind: bodyKind(mt) }))
    .filter((c): c is { mt: string; kind: BodyKind } => c.kind !== undefined)
    .sort((a, b) => PREFERENCE.indexOf(a.kind) - PREFERENCE.indexOf(b.kind));
  const pointer = `${ctx.pointer}/requestBody`;
  const chosen = candidates[0];
  if (!chosen) {
    if (Object.keys(content).length > 0) {
      ctx.diagnostics.warn(ctx.file, pointer, `Request body media types not supported (${Object.keys(content).join(", ")}); sent as base64 binary`);
      const mt = Object.keys(content)[0]!;
      return singleBody(mt, "binary", { type: "string", description: "Request body, base64-encoded." }, rb, ctx, taken, parameters, STRING);
    }
    return undefined;
  }
  const { mt, kind } = chosen;
  const required = rb.required === true;
  const media = content[mt]!;
  // The body schema may be nullable (`{...} | null`): properties are read from its object part.
  if (kind === "binary") return singleBody(mt, kind, { type: "string", description: "Request body, base64-encoded." }, rb, ctx, taken, parameters, STRING);
  if (kind === "text") return singleBody(mt, kind, { type: "string", description: cleanDescription(rb.description as string | undefined, 500) || `Request body (${mt}).` }, rb, ctx, taken, parameters, STRING);

  const resolved = resolveSchema(ctx.doc, media.schema ?? {}).schema;
  const type = collapseSchema(media.schema ?? {}, ctx.schemaCtx, `${pointer}/content/${mt}/schema`);
  const encoding = (media.encoding ?? {}) as Record<string, Json>;
  const enc: HttpBody["encoding"] = {};
  for (const [prop, e] of Object.entries(encoding)) {
    const entry: { contentType?: string; style?: ParameterStyle; explode?: boolean } = {};
    if (typeof e.contentType === "string") entry.contentType = e.contentType;
    if (typeof e.style === "string") entry.style = e.style as ParameterStyle;
    if (typeof e.explode === "boolean") entry.explode = e.explode;
    setOwn(enc, prop, entry);
  }
  const flattenable = type?.type === "object" && type.properties && !resolved.oneOf && !resolved.anyOf && Object.keys(type.properties).length <= 60;
  if (flattenable) {
    const props = Object.entries(type!.properties!);
    const names = props.map(([k]) => parameterName(k));
    const clash = names.some((n, i) => taken.has(n) || names.indexOf(n) !== i);
    if (!clash) {
      const requiredProps = new Set(type!.required ?? []);
      const binaryProps = kind === "multipart" ? binaryProperties(ctx.doc, resolved) : new Set<string>();
      const declared = declaredProperties(ctx.doc, media.schema ?? {});
      const properties: NonNullable<HttpBody["properties"]> = [];
      for (const [prop, propType] of props) {
        const name = uniqueName(parameterName(prop), taken, 64);
        const isBinary = binaryProps.has(prop);
        const isRequired = required && requiredProps.has(prop);
        const t = isBinary ? describe(FILE_TYPE, propType.description) : propType;
        parameters.push({
          name,
          type: withOptionality(t, isRequired),
          required: isRequired,
          // A required name the schema never declares is not in openapi-typescript's type either.
          tsType: isBinary ? { kind: "builtin", name: "FileArgument" } : declared.has(prop) ? { kind: "body", mediaType: mt, property: prop } : STRING,
          origin: `body property ${prop}`,
        });
        properties.push(isBinary ? { arg: name, name: prop, binary: true } : { arg: name, name: prop });
      }
      return { mediaType: mt, kind, properties, required, ...(Object.keys(enc).length ? { encoding: enc } : {}) };
    }
  }
  const bodyType = describe(type ?? { type: "object" }, rb.description as string | undefined, type?.description);
  const single = singleBody(mt, kind, bodyType, rb, ctx, taken, parameters, { kind: "body", mediaType: mt });
  if (Object.keys(enc).length) single.encoding = enc;
  return single;
}

function singleBody(mt: string, kind: BodyKind, type: TypeDef, rb: Json, _ctx: InputContext, taken: Set<string>, parameters: ToolParameter[], tsType: TypeRef): HttpBody {
  const required = rb.required === true;
  const name = uniqueName("body", taken, 64);
  parameters.push({ name, type: withOptionality(type, required), required, tsType, origin: `request body (${mt})` });
  return { mediaType: mt, kind, arg: name, required };
}

/** The property names a schema declares, through `$ref` and `allOf`. */
function declaredProperties(doc: Json, schema: unknown, seen = new Set<unknown>()): Set<string> {
  const out = new Set<string>();
  if (seen.has(schema)) return out;
  seen.add(schema);
  const s = resolveSchema(doc, schema).schema;
  for (const k of Object.keys((s.properties ?? {}) as Json)) out.add(k);
  for (const part of Array.isArray(s.allOf) ? s.allOf : []) for (const k of declaredProperties(doc, part, seen)) out.add(k);
  return out;
}

function binaryProperties(doc: Json, schema: Json): Set<string> {
  const out = new Set<string>();
  const visit = (s: Json) => {
    for (const part of [...((s.allOf as unknown[]) ?? [])]) visit(resolveSchema(doc, part).schema);
    for (const [k, v] of Object.entries((s.properties ?? {}) as Record<string, unknown>)) {
      const p = resolveSchema(doc, v).schema;
      const items = p.type === "array" && p.items ? resolveSchema(doc, p.items).schema : undefined;
      if (p.format === "binary" || p.format === "base64" || typeof p.contentMediaType === "string" || items?.format === "binary") out.add(k);
    }
  };
  visit(schema);
  return out;
}
