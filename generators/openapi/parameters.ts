// An operation's inputs: path, query, header and cookie parameters, and the request body (flattened
// into parameters when its properties clash with nothing), each mapped back to its wire name.
import { describedKeepingHint } from "./format-hint.js";
import type { TypeDef } from "../../src/project/definitions.js";
import { cleanDescription } from "../../src/model/text.js";
import { fitExample } from "../../src/model/example-fit.js";
import { withOptionality } from "../../src/model/optionality.js";
import { parameterName, uniqueName } from "../../src/model/naming.js";
import type { ToolParameter, TypeRef } from "../../src/model/tool-model.js";
import { PARAMETER_STYLES, type HttpBody, type HttpParameter, type ParameterLocation, type ParameterStyle, type SecuritySchemeDef } from "../../src/runtime/http/types.js";
import type { Diagnostics } from "./diagnostics.js";
import { resolved, type OpenApiDocument, type Referenced, type Schema } from "./document.js";
import type { OperationView, RequestBodySite } from "./operation-view.js";
import { collapseSchema, type SchemaContext } from "./schema.js";
import { setOwn } from "../../src/runtime/own.js";

const STRING: TypeRef = { kind: "builtin", name: "string" };

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
  doc: OpenApiDocument;
  file: string;
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
  return describedKeepingHint(t, d);
}

/** Every parameter gets a description (MXCP's lint requires one): the document's, else where it goes on the wire. */
function withFallbackDescription(parameters: ToolParameter[]): void {
  for (const p of parameters) {
    if (!p.type.description) p.type = { ...p.type, description: `${p.origin[0]!.toUpperCase()}${p.origin.slice(1)}.` };
  }
}

export function operationInputs(view: OperationView, ctx: InputContext): OperationInputs {
  const { diagnostics, file } = ctx;
  const taken = new Set<string>();
  const parameters: ToolParameter[] = [];
  const wire: HttpParameter[] = [];
  let idempotencyKey = false;
  const credentialNames = new Set(
    Object.values(ctx.schemes)
      .filter((s): s is Extract<SecuritySchemeDef, { type: "apiKey" }> => s.type === "apiKey")
      .map((s) => `${s.in}:${s.name.toLowerCase()}`),
  );

  for (const { parameter: p, pointer } of view.parameters) {
    if (typeof p.name !== "string" || !LOCATIONS.has(p.in)) {
      diagnostics.error(file, pointer, "A parameter needs a string `name` and `in` of path, query, header or cookie");
      continue;
    }
    const location: ParameterLocation = p.in;
    if (location === "header" && IGNORED_HEADERS.has(p.name.toLowerCase())) continue;
    if (credentialNames.has(`${location}:${p.name.toLowerCase()}`)) continue;
    if (location === "header" && /^idempotency[-_]?key$/i.test(p.name)) idempotencyKey = true;
    let schema: Referenced<Schema> | undefined = p.schema;
    let json = false;
    if (!schema && p.content && typeof p.content === "object") {
      const [mediaType, media] = Object.entries(p.content)[0] ?? [];
      schema = media ? resolved(ctx.doc, media).schema : undefined;
      json = !!mediaType && /json/i.test(mediaType);
    }
    let type = collapseSchema(schema ?? {}, ctx.schemaCtx, `${pointer}/schema`);
    if (!type) {
      if (schema && Object.keys(schema).length > 0) diagnostics.warn(file, pointer, `Parameter '${p.name}' has a schema MXCP cannot express; taken as a string`);
      type = { type: "string" };
    }
    type = describe(type, p.description, type.description);
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
    const style = styleOf(p.style, location === "query" || location === "cookie" ? "form" : "simple", (given) => diagnostics.warn(file, `${pointer}/style`, `'${given}' is not a parameter style; the default for a ${location} parameter is used`));
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
  for (const m of view.path.matchAll(/\{([^}]+)\}/g)) {
    const wireName = m[1]!;
    if (wire.some((w) => w.in === "path" && w.name === wireName)) continue;
    diagnostics.warn(file, view.pointer, `Path parameter {${wireName}} is not declared; taken as a required string`);
    const name = uniqueName(parameterName(wireName), taken, 64);
    wire.push({ arg: name, name: wireName, in: "path", style: "simple", explode: false });
    parameters.push({ name, type: { type: "string" }, required: true, tsType: { kind: "builtin", name: "string" }, origin: `path parameter ${wireName}` });
  }
  const body = view.requestBody ? requestBody(view.requestBody, ctx, taken, parameters) : undefined;
  withFallbackDescription(parameters);
  return { parameters, wire, ...(body ? { body } : {}), idempotencyKey };
}

/** A style the document names, if it is one OpenAPI defines; else the fallback, and `unknown` is told. */
function styleOf<F extends ParameterStyle | undefined>(given: unknown, fallback: F, unknown: (given: string) => void): ParameterStyle | F {
  if (given === undefined) return fallback;
  const style = PARAMETER_STYLES.find((s) => s === given);
  if (!style) unknown(String(given).slice(0, 40));
  return style ?? fallback;
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

function requestBody(site: RequestBodySite, ctx: InputContext, taken: Set<string>, parameters: ToolParameter[]): HttpBody | undefined {
  const { body: rb, content, pointer } = site;
  const required = rb.required === true;
  const candidates = Object.keys(content)
    .map((mt) => ({ mt, kind: bodyKind(mt) }))
    .filter((c): c is { mt: string; kind: BodyKind } => c.kind !== undefined)
    .sort((a, b) => PREFERENCE.indexOf(a.kind) - PREFERENCE.indexOf(b.kind));
  const chosen = candidates[0];
  if (!chosen) {
    if (Object.keys(content).length > 0) {
      ctx.diagnostics.warn(ctx.file, pointer, `Request body media types not supported (${Object.keys(content).join(", ")}); sent as base64 binary`);
      const mt = Object.keys(content)[0]!;
      return singleBody(mt, "binary", { type: "string", description: "Request body, base64-encoded." }, required, taken, parameters, STRING);
    }
    return undefined;
  }
  const { mt, kind } = chosen;
  const media = content[mt]!;
  // The body schema may be nullable (`{...} | null`): properties are read from its object part.
  if (kind === "binary") return singleBody(mt, kind, { type: "string", description: "Request body, base64-encoded." }, required, taken, parameters, STRING);
  if (kind === "text") return singleBody(mt, kind, { type: "string", description: cleanDescription(rb.description, 500) || `Request body (${mt}).` }, required, taken, parameters, STRING);

  const schema: Referenced<Schema> = media.schema ?? {};
  const bodySchema = resolved(ctx.doc, schema);
  const type = collapseSchema(schema, ctx.schemaCtx, `${pointer}/content/${mt}/schema`);
  const enc: HttpBody["encoding"] = {};
  for (const [prop, e] of Object.entries(media.encoding && typeof media.encoding === "object" ? media.encoding : {})) {
    const entry: { contentType?: string; style?: ParameterStyle; explode?: boolean } = {};
    if (typeof e.contentType === "string") entry.contentType = e.contentType;
    if (e.style !== undefined) {
      const style = styleOf(e.style, undefined, (given) => ctx.diagnostics.warn(ctx.file, `${pointer}/content/${mt}/encoding/${prop}/style`, `'${given}' is not a parameter style; left out`));
      if (style) entry.style = style;
    }
    // openapi-typescript types `explode` as a string; the specification says boolean.
    const explode: unknown = e.explode;
    if (typeof explode === "boolean") entry.explode = explode;
    setOwn(enc, prop, entry);
  }
  const flattenable = type?.type === "object" && type.properties && !bodySchema.oneOf && !bodySchema.anyOf && Object.keys(type.properties).length <= 60;
  if (flattenable) {
    const props = Object.entries(type!.properties!);
    const names = props.map(([k]) => parameterName(k));
    const clash = names.some((n, i) => taken.has(n) || names.indexOf(n) !== i);
    if (!clash) {
      const requiredProps = new Set(type!.required ?? []);
      const binaryProps = kind === "multipart" ? binaryProperties(ctx.doc, bodySchema) : new Set<string>();
      const declared = declaredProperties(ctx.doc, schema);
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
  const bodyType = describe(type ?? { type: "object" }, rb.description, type?.description);
  const single = singleBody(mt, kind, bodyType, required, taken, parameters, { kind: "body", mediaType: mt });
  if (Object.keys(enc).length) single.encoding = enc;
  return single;
}

function singleBody(mt: string, kind: BodyKind, type: TypeDef, required: boolean, taken: Set<string>, parameters: ToolParameter[], tsType: TypeRef): HttpBody {
  const name = uniqueName("body", taken, 64);
  parameters.push({ name, type: withOptionality(type, required), required, tsType, origin: `request body (${mt})` });
  return { mediaType: mt, kind, arg: name, required };
}

/** The property names a schema declares, through `$ref` and `allOf`. */
function declaredProperties(doc: OpenApiDocument, schema: Referenced<Schema>, seen = new Set<unknown>()): Set<string> {
  const out = new Set<string>();
  if (seen.has(schema)) return out;
  seen.add(schema);
  const s = resolved(doc, schema);
  for (const k of Object.keys(s.properties ?? {})) out.add(k);
  for (const part of Array.isArray(s.allOf) ? s.allOf : []) for (const k of declaredProperties(doc, part, seen)) out.add(k);
  return out;
}

function binaryProperties(doc: OpenApiDocument, schema: Schema): Set<string> {
  const out = new Set<string>();
  const visit = (s: Schema) => {
    for (const part of Array.isArray(s.allOf) ? s.allOf : []) visit(resolved(doc, part));
    for (const [k, v] of Object.entries(s.properties ?? {})) {
      const p = resolved(doc, v);
      const items = p.type === "array" && p.items && !Array.isArray(p.items) ? resolved(doc, p.items) : undefined;
      if (p.format === "binary" || p.format === "base64" || typeof p.contentMediaType === "string" || items?.format === "binary") out.add(k);
    }
  };
  visit(schema);
  return out;
}
